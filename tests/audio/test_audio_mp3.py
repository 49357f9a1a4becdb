from __future__ import annotations

import array

import pytest
from audio_helpers import tone

from listen.audio import frames, join, silence
from listen.audio.ffmpeg import run_ffmpeg
from listen.audio.format import encode_mp3
from support.probe import decode, decode_ok, decoded_duration
from listen.errors import AudioError


def _synchsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


@pytest.fixture(scope="module")
def default_mp3(tmp_path_factory):
    """An MP3 as plain `ffmpeg -i x y.mp3` writes it: ID3v2 tag + Xing/Info frame (MPEG-2 24 kHz)."""
    path = tmp_path_factory.mktemp("mp3") / "default.mp3"
    run_ffmpeg(["-f", "s16le", "-ar", "24000", "-ac", "1", "-i", "-", "-c:a", "libmp3lame", "-b:a", "48k",
                "-metadata", "title=x", "-y", str(path)], input=tone(1.0))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def mpeg1_mp3(tmp_path_factory):
    path = tmp_path_factory.mktemp("mp3") / "mpeg1.mp3"
    run_ffmpeg(["-f", "s16le", "-ar", "44100", "-ac", "1", "-i", "-", "-ac", "2", "-c:a", "libmp3lame",
                "-b:a", "128k", "-y", str(path)], input=tone(2.0, rate=44100))  # fmt: skip
    return path


def test_parse_canonical_header():
    h = frames.parse_header(bytes.fromhex("fff364c4"))
    assert (h.version, h.layer, h.bitrate, h.sample_rate, h.channels, h.length, h.samples) == (
        "2", 3, 48000, 24000, 1, 144, 576,
    )
    assert frames.parse_header(b"\xff\xff\xff\xff") is None
    assert frames.parse_header(b"ID3\x04") is None
    assert frames.parse_header(b"\xff\xf3") is None


@pytest.mark.parametrize(
    "header, expected",
    [
        ("fffb9064", ("1", 3, 128000, 44100, False, 417, 1152)),  # 144*128000/44100 = 417.96
        ("fffb9264", ("1", 3, 128000, 44100, True, 418, 1152)),
        ("ffe38064", ("2.5", 3, 64000, 11025, False, 417, 576)),  # 72*64000/11025 = 417.96
        ("fff38464", ("2", 3, 64000, 24000, False, 192, 576)),
        ("fffd8004", ("1", 2, 128000, 44100, False, 417, 1152)),
        ("ffff4004", ("1", 1, 128000, 44100, False, 136, 384)),  # 4 * (12*128000//44100)
    ],
)
def test_parse_other_headers(header, expected):
    h = frames.parse_header(bytes.fromhex(header))
    assert (h.version, h.layer, h.bitrate, h.sample_rate, h.padding, h.length, h.samples) == expected


def test_strip_id3_and_xing(default_mp3):
    raw = default_mp3.read_bytes()
    assert raw.startswith(b"ID3")
    assert b"Xing" in raw[:2000] or b"Info" in raw[:2000]
    data = frames.strip_to_frames(raw)
    assert data[:2] == b"\xff\xf3"
    assert b"Xing" not in data[:200] and b"Info" not in data[:200]
    assert raw.endswith(data)
    headers = list(frames.iter_frames(data, skip_info=False))
    assert len(headers) == len(data) // 144
    # Adding an ID3v1 tag and an APE tag at the end changes nothing.
    ape = b"APETAGEX" + bytes(24)
    assert frames.strip_to_frames(raw + ape + b"TAG" + bytes(125)) == data
    assert frames.count_frames(default_mp3) == len(headers)


def test_strip_id3v2_with_footer(tone_mp3):
    body = b"TIT2\x00\x00\x00\x02\x00\x00\x03x"
    tag = b"ID3\x04\x00\x10" + _synchsafe(len(body)) + body + b"3DI\x04\x00\x10" + _synchsafe(len(body))
    assert frames.strip_to_frames(tag + tone_mp3) == tone_mp3


def test_strip_rejects_non_mp3():
    with pytest.raises(AudioError):
        frames.strip_to_frames(b"")
    with pytest.raises(AudioError):
        frames.strip_to_frames(b"RIFF....WAVEfmt " + bytes(500))


def test_mpeg1_file(mpeg1_mp3):
    stripped = frames.strip_to_frames(mpeg1_mp3.read_bytes())
    headers = [h for _, h in frames.iter_frames(stripped)]
    assert {(h.version, h.layer, h.sample_rate, h.samples, h.channels) for h in headers} == {("1", 3, 44100, 1152, 2)}
    assert {h.length for h in headers} <= {417, 418}
    assert any(h.padding for h in headers)
    n = frames.count_frames(mpeg1_mp3)
    assert n == len(headers)
    assert frames.mp3_duration(mpeg1_mp3) == pytest.approx(n * 1152 / 44100)
    # ffmpeg trims the encoder delay/padding the LAME tag records: within 2 frames.
    assert abs(frames.mp3_duration(mpeg1_mp3) - decoded_duration(mpeg1_mp3)) < 2 * 1152 / 44100


def test_duration_from_frames(tone_mp3, tmp_path):
    path = tmp_path / "t.mp3"
    path.write_bytes(tone_mp3)
    assert frames.mp3_duration(path) == frames.mp3_duration(tone_mp3) == frames.count_frames(tone_mp3) * 0.024
    assert frames.mp3_duration(path) == pytest.approx(decoded_duration(path), abs=1e-9)


def test_silence_frames_decode_to_zero(tmp_path):
    data = silence.silence_frames(50)
    assert len(data) == 50 * 144
    assert frames.count_frames(data) == 50
    assert silence.silence_frames(0) == b""
    assert silence.silence_for(1.0) == silence.silence_frames(42)  # 1.0 / 0.024 = 41.67 -> 42
    assert silence.Silence(0.5).frames == 21
    with pytest.raises(ValueError):
        silence.Silence(-1)
    pcm = run_ffmpeg(["-f", "mp3", "-i", "-", "-f", "s16le", "-"], input=data)
    samples = array.array("h", pcm)
    assert len(samples) == 50 * 576
    assert max(abs(s) for s in samples) <= 2


def test_join(tmp_path):
    segs = []
    for i, seconds in enumerate((1.0, 0.5, 2.0)):
        p = tmp_path / f"seg{i}.mp3"
        p.write_bytes(encode_mp3(tone(seconds, freq=300 + 100 * i)))
        segs.append(p)
    parts = [segs[0], silence.Silence(0.3), segs[1], silence.Silence(1.0), segs[2]]
    out = tmp_path / "out" / "track.mp3"
    out.parent.mkdir()
    times = join.join_mp3(parts, out)

    counts = [frames.count_frames(s) for s in segs]
    frame_counts = [counts[0], 13, counts[1], 42, counts[2]]  # 0.3 s = 12.5 frames -> 13 (half up)
    assert silence.Silence(0.3).frames == 13
    expected, pos = [], 0
    for n in frame_counts:
        expected.append((pos * 0.024, (pos + n) * 0.024))
        pos += n
    assert len(times) == len(expected)
    for got, want in zip(times, expected):
        assert got == pytest.approx(want, abs=1e-9)
    assert out.read_bytes() == b"".join(
        [segs[0].read_bytes(), silence.silence_frames(frame_counts[1]), segs[1].read_bytes(),
         silence.silence_frames(42), segs[2].read_bytes()]
    )  # fmt: skip
    assert abs(decoded_duration(out) - times[-1][1]) < 0.05
    assert decode_ok(out)
    assert not list(out.parent.glob(".*tmp"))


def test_join_bytes_strips_tags(default_mp3, tmp_path):
    out = tmp_path / "j.mp3"
    tagged = default_mp3.read_bytes()
    times = join.join_mp3([tagged, silence.Silence(0.048)], out)
    n = frames.count_frames(tagged)
    assert times == [(0.0, n * 0.024), (n * 0.024, (n + 2) * 0.024)]
    assert out.read_bytes() == frames.strip_to_frames(tagged) + silence.silence_frames(2)


def test_join_rejects_non_canonical(mpeg1_mp3, tmp_path):
    out = tmp_path / "bad.mp3"
    with pytest.raises(AudioError, match="not a canonical"):
        join.join_mp3([mpeg1_mp3], out)
    assert not out.exists()
    with pytest.raises(AudioError):
        join.join_mp3([tmp_path / "missing.mp3"], out)
    with pytest.raises(AudioError):
        join.join_mp3([b"garbage" * 100], out)
    assert not list(tmp_path.glob(".*tmp"))


def test_join_empty(tmp_path):
    out = tmp_path / "e.mp3"
    assert join.join_mp3([], out) == []
    assert out.read_bytes() == b""


def test_probe(tone_mp3, tmp_path):
    path = tmp_path / "t.mp3"
    path.write_bytes(tone_mp3)
    rate, samples, err = decode(path)
    assert (rate, samples, err) == (24000, frames.count_frames(tone_mp3) * 576, "")
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"hello" * 100)
    assert not decode_ok(bad)
    assert not decode_ok(tmp_path / "missing.mp3")
    with pytest.raises(AudioError):
        decoded_duration(bad)
