"""ID3v2.4 tags for tracks: title, album, artist, track number, date, comment, lyrics, chapters.

`tag_bytes(...)` renders the tag as bytes; `listen.audio.join.join_mp3` writes it before the
frames of a track in the same pass.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence

from mutagen.id3 import (
    CHAP,
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


__all__ = ["Chapter", "build_id3", "tag_bytes"]

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


def tag_bytes(**fields: object) -> bytes:
    """The ID3v2.4 tag (header included, no padding) for `fields` (the keywords of `build_id3`)."""
    buf = io.BytesIO()
    build_id3(**fields).save(buf, v2_version=4, v1=0, padding=lambda info: 0)  # type: ignore[arg-type]
    return buf.getvalue()
