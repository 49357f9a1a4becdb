"""ID3v2.4 tags for tracks: title, album, artist, track number, date, comment, lyrics, chapters.

Design: tracks are built into a temporary file (`listen.fsutil.atomic_path`) by
`listen.audio.mp3.join_mp3`-like code, and `write_tags` tags that temporary file in place before
the final rename — so readers never see an untagged or half-tagged track. `write_tags` on a
file that others may be reading is not atomic by itself; use `write_tags_atomic` for that (it
copies to a temporary file beside it, tags the copy, and renames it over the original).
`tag_bytes` renders the same tag as bytes, for callers that prefer to write the tag first and
append frames after it.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
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

from ..errors import AudioError
from ..fsutil import atomic_path

__all__ = ["Chapter", "build_id3", "tag_bytes", "write_tags", "write_tags_atomic"]

_LYRICS_LANGS = ("eng", "chi", "mul")


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
    """The mutagen ID3 object with every frame `write_tags` writes (not saved anywhere)."""
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
    if ids:
        tag.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[],
            )
        )
    return tag


def tag_bytes(
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
) -> bytes:
    """The ID3v2.4 tag (header included, no padding) that `write_tags` would write."""
    tag = build_id3(
        title=title,
        album=album,
        artist=artist,
        track=track,
        lyrics=lyrics,
        lyrics_lang=lyrics_lang,
        chapters=chapters,
        date=date,
        comment=comment,
    )
    buf = io.BytesIO()
    tag.save(buf, v2_version=4, v1=0, padding=lambda info: 0)
    return buf.getvalue()


def write_tags(
    path: str | os.PathLike,
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
) -> None:
    """Write an ID3v2.4 tag to the MP3 at `path` in place, replacing any tag it has.

    Keywords: title, album, artist (required); track=(n, total), lyrics, lyrics_lang
    ("eng"/"chi"/"mul"), chapters=[Chapter], date, comment. Not atomic: call it on the
    temporary file of `listen.fsutil.atomic_path` before the rename, or use `write_tags_atomic`.
    """
    tag = build_id3(
        title=title,
        album=album,
        artist=artist,
        track=track,
        lyrics=lyrics,
        lyrics_lang=lyrics_lang,
        chapters=chapters,
        date=date,
        comment=comment,
    )
    try:
        tag.save(os.fspath(path), v2_version=4, v1=0, padding=lambda info: 0)
    except OSError as exc:
        raise AudioError(f"cannot tag {path}: {exc.strerror or exc}") from exc
    except Exception as exc:  # mutagen.MutagenError and friends
        raise AudioError(f"cannot tag {path}: {exc}") from exc


def write_tags_atomic(path: str | os.PathLike, **fields: object) -> None:
    """`write_tags` on a copy of `path` beside it, then rename the copy over `path`."""
    path = Path(path)
    with atomic_path(path) as tmp:
        try:
            shutil.copyfile(path, tmp)
        except OSError as exc:
            raise AudioError(f"cannot read {path}: {exc.strerror or exc}") from exc
        write_tags(tmp, **fields)  # type: ignore[arg-type]
