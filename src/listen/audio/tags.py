"""ID3v2.3 tags for tracks: title, album, artist, track number, date, comment, lyrics, chapters.

`tag_bytes(...)` renders the tag as bytes; `listen.audio.join.join_mp3` writes it before the
frames of a track in the same pass.

Why ID3v2.3 (UTF-16 text) and not v2.4: ffmpeg (libavformat `id3v2.c`, `read_chapter`) reads the
size of every sub-frame of a CHAP frame as a plain 32-bit integer, also in v2.4 where it is
synchsafe, so from 128 bytes on (a chapter title of 126 UTF-8 bytes, ~42 Chinese characters) it
drops the whole chapter without a word. In v2.3 sizes are plain integers: mutagen, eyed3 and
ffmpeg then read every chapter (the reader matrix in tests/audio/test_tag_readers.py). Chapter
titles are still kept under that limit (`listen.output.manifest.chapter_title`), so a tagger that
re-saves a file as v2.4 does not lose them.

Frames are written in a fixed order: the text frames, comment and lyrics, the tables of contents,
then the chapters by start time. (mutagen's own `save` orders frames by size, and ffmpeg, which
ignores CTOC, lists chapters in frame order.)
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from mutagen.id3 import (
    CHAP,
    BitPaddedInt,
    COMM,
    CTOC,
    ID3,
    TALB,
    TDRC,
    TIT2,
    TPE1,
    TRCK,
    USLT,
    CTOCFlags,
    Encoding,
)


__all__ = ["Chapter", "ID3_VERSION", "build_id3", "tag_bytes"]

ID3_VERSION = 3  # see the module docstring

_LYRICS_LANGS = ("eng", "chi", "mul")
_COPY_CHUNK = 1 << 20
_CTOC_MAX = 255  # children per CTOC frame (a one-byte count)


@dataclass(frozen=True)
class Chapter:
    """One ID3 chapter (CHAP frame): a time span with a title."""

    start_s: float
    end_s: float
    title: str


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def build_id3(
    *,
    title: str,
    album: str,
    artist: str,
    track: tuple[int, int] | None = None,
    lyrics: str | None = None,
    lyrics_lang: str = "eng",
    chapters: Sequence[Chapter] = (),
    date: str | None = None,
    comment: str | None = None,
) -> ID3:
    """The mutagen ID3 object with every frame of a track's tag (not saved anywhere).

    Chapters: CHAP `chp1`..`chpN` (times in ms, a TIT2 sub-frame with the title) and a top-level
    ordered CTOC `toc` listing them; above 255 chapters (a CTOC's limit) `toc` lists ordered
    sub-tables `toc1`, `toc2`, ... of up to 255 chapters each.
    """
    if len(lyrics_lang) != 3 or not lyrics_lang.isascii() or not lyrics_lang.isalpha():
        raise ValueError(f"lyrics_lang must be a 3-letter ISO 639-2 code such as {_LYRICS_LANGS}, not {lyrics_lang!r}")
    utf8 = Encoding.UTF8
    tag = ID3()
    tag.add(TIT2(encoding=utf8, text=[_one_line(title)]))
    tag.add(TALB(encoding=utf8, text=[_one_line(album)]))
    tag.add(TPE1(encoding=utf8, text=[_one_line(artist)]))
    if track is not None:
        number, total = track
        tag.add(TRCK(encoding=utf8, text=[f"{int(number)}/{int(total)}"]))
    if date:
        tag.add(TDRC(encoding=utf8, text=[date]))
    if comment:
        tag.add(COMM(encoding=utf8, lang="eng", desc="", text=[comment]))
    if lyrics:
        tag.add(USLT(encoding=utf8, lang=lyrics_lang, desc="", text=lyrics))
    ids: list[str] = []
    for i, chapter in enumerate(chapters, start=1):
        element_id = f"chp{i}"
        ids.append(element_id)
        start_ms = max(0, int(round(chapter.start_s * 1000)))
        end_ms = max(start_ms, int(round(chapter.end_s * 1000)))
        tag.add(
            CHAP(
                element_id=element_id,
                start_time=start_ms,
                end_time=end_ms,
                start_offset=0xFFFFFFFF,  # "use the times"
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=utf8, text=[_one_line(chapter.title)])],
            )
        )
    if len(ids) <= _CTOC_MAX:
        tocs = {"toc": ids} if ids else {}
    else:
        # A CTOC frame holds at most 255 children: nest ordered sub-tables of 255 chapters.
        groups = [ids[i : i + _CTOC_MAX] for i in range(0, len(ids), _CTOC_MAX)]
        if len(groups) > _CTOC_MAX:
            raise ValueError(f"too many chapters for ID3 ({len(ids)})")
        tocs = {"toc": [f"toc{k}" for k in range(1, len(groups) + 1)]}
        tocs.update({f"toc{k}": group for k, group in enumerate(groups, start=1)})
    for element_id, children in tocs.items():
        top = element_id == "toc"
        tag.add(
            CTOC(
                element_id=element_id,
                flags=(CTOCFlags.TOP_LEVEL if top else 0) | CTOCFlags.ORDERED,
                child_element_ids=children,
                sub_frames=[] if top else [TIT2(encoding=utf8, text=[f"Chapters {children[0][3:]}–{children[-1][3:]}"])],
            )
        )
    return tag


_FIRST = ("TIT2", "TPE1", "TALB", "TRCK", "TYER", "TDAT", "TDRC", "COMM", "USLT")


def _frame_order(frame) -> tuple:
    fid = frame.FrameID
    if fid in _FIRST:
        return (0, _FIRST.index(fid), 0, "")
    if fid == "CTOC":
        return (2, 0 if frame.element_id == "toc" else 1, 0, frame.element_id)
    if fid == "CHAP":
        return (3, 0, frame.start_time, frame.element_id)
    return (1, 0, 0, fid)


def _frame_bytes(frame, version: int) -> bytes:
    """One frame as mutagen writes it (header included): a one-frame tag minus its 10-byte header."""
    one = ID3()
    one.add(frame)
    buf = io.BytesIO()
    one.save(buf, v2_version=version, v23_sep="/", v1=0, padding=lambda info: 0)
    return buf.getvalue()[10:]


def tag_bytes(**fields: object) -> bytes:
    """The ID3v2.3 tag (header included, no padding) for `fields` (the keywords of `build_id3`),
    frames in a fixed order, chapters by start time."""
    tag = build_id3(**fields)  # type: ignore[arg-type]
    tag.update_to_v23()  # TDRC -> TYER + TDAT (eyed3 finds no date otherwise), also inside CHAP frames
    body = b"".join(_frame_bytes(f, ID3_VERSION) for f in sorted(tag.values(), key=_frame_order))
    return b"ID3" + bytes([ID3_VERSION, 0, 0]) + BitPaddedInt.to_str(len(body), width=4) + body
