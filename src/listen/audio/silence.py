"""Canonical silence: pre-encoded silent frames, and pauses rounded to whole frames."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from ..errors import AudioError
from .canonical import FRAME_SECONDS, SAMPLE_RATE
from .frames import iter_frames

__all__ = ["Silence", "frames_for", "silence_for", "silence_frames"]

_SILENT_FRAME: bytes | None = None
_lock = threading.Lock()


def _silent_frame() -> bytes:
    global _SILENT_FRAME
    with _lock:
        if _SILENT_FRAME is None:
            from .format import encode_mp3

            frames = encode_mp3(b"\x00\x00" * SAMPLE_RATE)  # 1 s of digital silence
            offsets = list(iter_frames(frames))
            if len(offsets) < 5:
                raise AudioError("ffmpeg produced too few frames when encoding silence")
            pos, header = offsets[len(offsets) // 2]  # steady state: away from encoder start/end
            _SILENT_FRAME = bytes(frames[pos : pos + header.length])
        return _SILENT_FRAME


def silence_frames(n: int) -> bytes:
    """`n` canonical silent frames (n * FRAME_SECONDS seconds)."""
    if n < 0:
        raise ValueError(f"negative frame count: {n}")
    return _silent_frame() * n if n else b""


def frames_for(seconds: float) -> int:
    """Whole frames nearest to `seconds` (halves round up)."""
    if seconds < 0:
        raise ValueError(f"negative duration: {seconds}")
    return math.floor(seconds / FRAME_SECONDS + 0.5 + 1e-9)  # half up, robust to float error


def silence_for(seconds: float) -> bytes:
    """Canonical silence of `seconds`, rounded to whole frames."""
    return silence_frames(frames_for(seconds))


@dataclass(frozen=True)
class Silence:
    """A pause in a `join_mp3` part list (rounded to whole frames)."""

    seconds: float

    def __post_init__(self) -> None:
        if not self.seconds >= 0:
            raise ValueError(f"Silence needs a non-negative duration, got {self.seconds!r}")

    @property
    def frames(self) -> int:
        return frames_for(self.seconds)
