from __future__ import annotations

import io

import pytest
from mutagen.id3 import ID3, CTOCFlags

from listen.audio import frames, join, silence
from support.probe import decode_ok, decoded_duration
from listen.audio.tags import Chapter, tag_bytes

FIELDS = dict(
    title="社評 · Editorial",
    album="明報 (2025-05-12)",
    artist="listen",
    track=(2, 7),
    lyrics="First line\n第二行",
    lyrics_lang="mul",
    chapters=[Chapter(0.0, 1.056, "Title"), Chapter(1.056, 2.5, "第一段")],
    date="2025-05-12",
    comment="made by listen",
)


@pytest.fixture()
def track(tmp_path, tone_mp3):
    path = tmp_path / "track.mp3"
    join.join_mp3([tone_mp3, silence.Silence(0.5), tone_mp3], path)
    return path


def _check(tag: ID3) -> None:
    assert tag.version[:2] == (2, 3)
    assert tag["TIT2"].text == ["社評 · Editorial"]
    assert tag["TALB"].text == ["明報 (2025-05-12)"]
    assert tag["TPE1"].text == ["listen"]
    assert tag["TRCK"].text == ["2/7"]
    assert str(tag["TDRC"].text[0]) == "2025-05-12"  # written as v2.3 TYER + TDAT, read back as TDRC
    uslt = tag.getall("USLT")
    assert len(uslt) == 1 and uslt[0].text == "First line\n第二行" and uslt[0].lang == "mul"
    assert tag.getall("COMM")[0].text == ["made by listen"]
    chaps = sorted(tag.getall("CHAP"), key=lambda c: c.element_id)
    assert [c.element_id for c in chaps] == ["chp1", "chp2"]
    assert [(c.start_time, c.end_time) for c in chaps] == [(0, 1056), (1056, 2500)]
    assert [c.sub_frames["TIT2"].text for c in chaps] == [["Title"], ["第一段"]]
    (toc,) = tag.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp1", "chp2"]


def test_tag_written_with_the_frames_in_one_pass(tmp_path, tone_mp3):
    plain = tmp_path / "plain.mp3"
    join.join_mp3([tone_mp3, silence.Silence(0.5), tone_mp3], plain)
    tagged = tmp_path / "tagged.mp3"
    seen = []

    def tag(spans):
        seen.append(list(spans))
        return tag_bytes(**FIELDS)

    spans = join.join_mp3([tone_mp3, silence.Silence(0.5), tone_mp3], tagged, tag=tag)
    assert seen == [spans]  # the tag is made from the parts' times, before anything is written
    data = tagged.read_bytes()
    assert data.startswith(b"ID3\x03\x00")
    assert data.endswith(plain.read_bytes())  # frames untouched, tag first
    _check(ID3(tagged))
    assert decoded_duration(tagged) == decoded_duration(plain)
    assert decode_ok(tagged)
    assert frames.count_frames(tagged) == frames.count_frames(plain)


def test_tag_bytes_prepended(track):
    audio = track.read_bytes()
    track.write_bytes(tag_bytes(**FIELDS) + audio)
    _check(ID3(track))
    assert frames.strip_to_frames(track.read_bytes()) == audio


def test_bad_lyrics_lang():
    with pytest.raises(ValueError):
        tag_bytes(title="t", album="a", artist="b", lyrics="x", lyrics_lang="english")


def test_many_chapters_nest_tocs(track):
    chapters = [Chapter(i * 0.01, (i + 1) * 0.01, f"c{i}") for i in range(600)]
    track.write_bytes(tag_bytes(title="t", album="a", artist="b", chapters=chapters) + track.read_bytes())
    tag = ID3(track)
    assert len(tag.getall("CHAP")) == 600
    tocs = {t.element_id: t for t in tag.getall("CTOC")}
    assert tocs["toc"].child_element_ids == ["toc1", "toc2", "toc3"]
    assert tocs["toc"].flags & CTOCFlags.TOP_LEVEL
    assert not tocs["toc2"].flags & CTOCFlags.TOP_LEVEL
    children = [c for k in ("toc1", "toc2", "toc3") for c in tocs[k].child_element_ids]
    assert children == [f"chp{i}" for i in range(1, 601)]
    assert decode_ok(track)


def _frame_ids(data: bytes) -> list[str]:
    """The top-level frames of an ID3v2.3 tag, in file order (element ids for CHAP/CTOC)."""
    size = 0
    for b in data[6:10]:  # synchsafe: 7 bits a byte
        size = size << 7 | b
    out, pos = [], 10
    while pos < 10 + size and data[pos:pos + 4] != b"\0\0\0\0":
        fid, length = data[pos:pos + 4].decode(), int.from_bytes(data[pos + 4:pos + 8], "big")
        body = data[pos + 10:pos + 10 + length]
        out.append(f"{fid}:{body.split(bytes(1), 1)[0].decode()}" if fid in ("CHAP", "CTOC") else fid)
        pos += 10 + length
    return out


def test_frames_in_a_fixed_order_chapters_by_time():
    # Titles of different lengths: mutagen's own save() would order these CHAP frames by size.
    titles = ["a much longer chapter title than the others", "b", "第三章的標題比較長一點", "d"] * 3
    chapters = [Chapter(i * 1.0, i + 0.9, t) for i, t in enumerate(titles)]
    data = tag_bytes(title="t", album="a", artist="b", track=(1, 2), lyrics="x", date="2025-05-12",
                     comment="c", chapters=chapters)
    ids = _frame_ids(data)
    assert ids == ["TIT2", "TPE1", "TALB", "TRCK", "TYER", "TDAT", "COMM", "USLT", "CTOC:toc",
                   *[f"CHAP:chp{i}" for i in range(1, 13)]]
    assert [c.sub_frames["TIT2"].text[0] for c in sorted(
        ID3(io.BytesIO(data)).getall("CHAP"), key=lambda c: c.start_time)] == titles
