"""What a listener hears in a built track: each segment's loudness and the silence between sounds."""

from __future__ import annotations

THRESHOLD = 300  # well above decoded digital silence, well below speech


def decoded(path):
    """(rate, float samples in [-1, 1]) of an MP3."""
    import numpy as np

    from support.probe import decode_pcm

    rate, samples = decode_pcm(path)
    return rate, np.asarray(samples, dtype=np.float64) / 32768


def _sounds(rate: int, x, track: dict) -> list[tuple[int, int]]:
    """(first, last) loud sample of every segment of a manifest track."""
    import numpy as np

    loud = np.abs(x) > THRESHOLD / 32768
    out = []
    for s in track["segments"]:
        lo, hi = int(s["start_s"] * rate), int(s["end_s"] * rate)
        inside = np.flatnonzero(loud[lo:hi])
        assert len(inside), f"no sound in segment {s['id']}"
        out.append((lo + inside[0], lo + inside[-1]))
    return out


def segment_loudness(path, track: dict) -> list[float]:
    """Integrated loudness (LUFS) of the sound of every segment of a manifest track (its edge
    silence left out: in a short segment it would weigh on the 400 ms blocks), decoded."""
    from listen.audio.format import loudness_lufs

    rate, x = decoded(path)
    return [loudness_lufs(x[a: b + 1], rate) for a, b in _sounds(rate, x, track)]


def heard_gaps(path, track: dict) -> list[float]:
    """Seconds of silence between the last sound of each segment and the first of the next."""
    rate, x = decoded(path)
    sounds = _sounds(rate, x, track)
    return [(b[0] - a[1]) / rate for a, b in zip(sounds, sounds[1:])]
