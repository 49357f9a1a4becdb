"""Canonical silence: silent frames (no encoder needed), and pauses rounded to whole frames."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import AudioError
from .canonical import BITRATE, FRAME_SECONDS, SAMPLE_RATE
from .frames import parse_header

__all__ = ["Silence", "frames_for", "silence_for", "silence_frames"]

# The silent frame of the canonical format, written out rather than encoded (no ffmpeg run): the
# header of an MPEG-2 Layer III frame at 48 kbit/s, 24000 Hz, mono, no CRC (the header LAME
# writes), then side information and main data all zero. part2_3_length = 0 and big_values = 0:
# no spectral value is coded, so every sample decodes to 0 in any decoder; 144 bytes, 24 ms.
_HEADER = bytes((0xFF, 0xF3, 0x64, 0xC4))


def _silent_frame() -> bytes:
    header = parse_header(_HEADER)
    if header is None or (header.version, header.layer, header.sample_rate, header.channels, header.bitrate) != (
        "2", 3, SAMPLE_RATE, 1, int(BITRATE.rstrip("k")) * 1000
    ):  # pragma: no cover - guards the constant against a change of the canonical format
        raise AudioError("the silent frame does not match the canonical format")
    return _HEADER + bytes(header.length - len(_HEADER))


_SILENT_FRAME = _silent_frame()


def silence_frames(n: int) -> bytes:
    """`n` canonical silent frames (n * FRAME_SECONDS seconds)."""
    if n < 0:
        raise ValueError(f"negative frame count: {n}")
    return _SILENT_FRAME * n if n else b""


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
