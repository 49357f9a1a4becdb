"""Test helpers for the audio tests (a uniquely named module: `conftest` may be shadowed)."""

from __future__ import annotations

import array
import math

from listen.audio.canonical import SAMPLE_RATE


def tone(seconds: float, *, rate: int = SAMPLE_RATE, freq: float = 440.0, amp: float = 0.25) -> bytes:
    """A sine tone as mono s16le PCM; `amp` is the peak as a fraction of full scale."""
    n = int(round(seconds * rate))
    k = 2 * math.pi * freq / rate
    peak = amp * 32767
    return array.array("h", (int(peak * math.sin(k * i)) for i in range(n))).tobytes()


def silence(seconds: float, *, rate: int = SAMPLE_RATE) -> bytes:
    return bytes(2 * int(round(seconds * rate)))


def rms_dbfs(pcm: bytes) -> float:
    a = array.array("h", pcm)
    return 20 * math.log10(math.sqrt(sum(x * x for x in a) / len(a)) / 32768)
