"""Frame-level joins: a track is canonical segment frames and silent frames, byte by byte.

`join_mp3(parts, out, tag=...)` works out where every part lands from frame counts, asks `tag`
for the ID3 tag of those times (chapters, lyrics) and writes the tag and every frame to `out` in
one pass. `out` is written in place: the caller writes into a staging area (an article's
tracks, `listen.output.commit`) or a temporary path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

from ..errors import AudioError
from .canonical import FRAME_SAMPLES, SAMPLE_RATE
from .frames import FrameHeader, Mapped, iter_frames
from .silence import Silence, silence_frames

__all__ = ["Part", "Span", "join_mp3"]

Part = Union[Path, str, bytes, Silence]
Span = tuple[float, float]  # (start_s, end_s) of a part in the output

_SILENCE_CHUNK = 2048  # silent frames written per write() for long pauses


def _check_canonical(header: FrameHeader, what: str) -> None:
    if header.version != "2" or header.layer != 3 or header.sample_rate != SAMPLE_RATE or header.channels != 1:
        raise AudioError(
            f"{what} is not a canonical segment MP3 (MPEG-2 Layer III, {SAMPLE_RATE} Hz, mono): "
            f"found MPEG-{header.version} Layer {'I' * header.layer}, {header.sample_rate} Hz, "
            f"{header.channels} channel(s)"
        )


def _frames_of(data, what: str) -> tuple[int, int, int]:
    """(start, end, count) of the audio frames of one part."""
    start = end = -1
    count = 0
    for pos, header in iter_frames(data):
        if start < 0:
            _check_canonical(header, what)
            start = pos
        end = pos + header.length
        count += 1
    if not count:
        raise AudioError(f"{what} holds no MPEG audio frames")
    return start, end, count


def join_mp3(
    parts: Iterable[Part],
    out: str | os.PathLike,
    *,
    tag: Callable[[Sequence[Span]], bytes] | None = None,
) -> list[Span]:
    """Concatenate canonical MP3 parts and silences frame by frame into `out`.

    Parts are paths of canonical segment MP3s, MP3 bytes, or `Silence`. Tags and Xing frames in
    parts are dropped; parts in another format raise AudioError. Each distinct file is read once
    to find its frames and once to copy them, so memory does not grow with the number or length
    of parts. `tag(spans)` returns the tag bytes to put first. Returns each part's (start_s,
    end_s) in the output, computed from frame counts.
    """
    parts = list(parts)
    layout: dict[object, tuple[int, int, int]] = {}  # distinct file/bytes part -> (start, end, count)
    spans: list[Span] = []
    position = 0  # frames so far
    for index, part in enumerate(parts):
        if isinstance(part, Silence):
            n = part.frames
        elif isinstance(part, (bytes, bytearray, memoryview)):
            key = id(part)
            if key not in layout:
                layout[key] = _frames_of(Mapped(part).data, f"part {index + 1} (bytes)")
            n = layout[key][2]
        elif isinstance(part, (str, os.PathLike)):
            key = os.fspath(part)
            if key not in layout:
                with Mapped(part) as m:
                    layout[key] = _frames_of(m.data, key)
            n = layout[key][2]
        else:
            raise TypeError(f"join_mp3 part must be a path, bytes or Silence, not {type(part).__name__}")
        spans.append((position * FRAME_SAMPLES / SAMPLE_RATE, (position + n) * FRAME_SAMPLES / SAMPLE_RATE))
        position += n
    head = tag(spans) if tag is not None else b""
    try:
        with open(out, "wb") as fh:
            fh.write(head)
            for part in parts:
                if isinstance(part, Silence):
                    left = part.frames
                    while left:
                        k = min(left, _SILENCE_CHUNK)
                        fh.write(silence_frames(k))
                        left -= k
                elif isinstance(part, (bytes, bytearray, memoryview)):
                    start, end, _ = layout[id(part)]
                    fh.write(memoryview(part)[start:end])
                else:
                    start, end, _ = layout[os.fspath(part)]
                    with open(part, "rb") as src:
                        src.seek(start)
                        fh.write(src.read(end - start))
    except OSError as exc:
        from ..fsutil import explain_os_error

        raise explain_os_error(exc, Path(out)) from exc
    return spans
