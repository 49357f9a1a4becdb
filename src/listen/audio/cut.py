"""A stretch of a built track as an MP3 of its own, cut at frame boundaries (no re-encoding).

Tracks are joined from whole frames of canonical segments (listen.audio.join), so the frames
between two times are themselves a playable MP3.
"""

from __future__ import annotations

import os

from ..errors import AudioError
from .frames import Mapped, iter_frames

__all__ = ["cut_mp3"]


def cut_mp3(source: str | os.PathLike | bytes, start_s: float, end_s: float) -> bytes:
    """The frames of `source` that sound between `start_s` and `end_s` (every frame that overlaps).
    Raises AudioError when `source` has no frames there."""
    with Mapped(source) as mapped:
        data = mapped.data
        out = bytearray()
        t = 0.0
        for pos, header in iter_frames(data):
            end = t + header.duration
            if end > start_s + 1e-6 and t < end_s - 1e-6:
                out += data[pos:pos + header.length]
            elif t >= end_s:
                break
            t = end
    if not out:
        raise AudioError(f"no audio between {start_s:.3f} s and {end_s:.3f} s")
    return bytes(out)
