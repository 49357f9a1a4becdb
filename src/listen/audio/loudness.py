"""Loudness (ITU-R BS.1770-4), true peaks and a peak limiter, on numpy arrays alone.

These are the computations of pyloudnorm's `Meter.integrated_loudness` (K-weighting as two RBJ
biquads, 400 ms blocks with 75 % overlap, absolute gate -70 LUFS, relative gate -10 LU) and of
scipy's `resample_poly(x, 4, 1)`, `minimum_filter1d` and `uniform_filter1d`, written with numpy
only: pyloudnorm imports scipy.signal, which alone takes 1.2 s to import on a small machine, more
than the whole physical limit of building an article (bench/FINDINGS.md). The test suite checks
every function here against pyloudnorm and scipy themselves (tests/audio/test_loudness.py).

The biquads are applied exactly as a recursive filter would be, by convolution (FFT) with their
impulse response, computed once per sample rate up to where it has decayed below 1e-13 of its
peak: the difference from `scipy.signal.lfilter` is at the level of float rounding.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = ["integrated_loudness", "k_weighted", "limit_peaks", "normalise", "running_mean", "running_min", "true_peaks"]

BLOCK_S = 0.4
OVERLAP = 0.75
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
OVERSAMPLE = 4
_KAISER_BETA = 5.0  # resample_poly's default window
_HALF_TAPS = 10 * OVERSAMPLE
# At most this much gain is added to make up what limiting took (very peaky audio stays quieter).
MAX_MAKEUP_DB = 30.0
# A limiter gain below this (-6 dB) somewhere: the result is measured exactly, not estimated.
HEAVY_LIMITING = 0.5


def _biquad(kind: str, gain_db: float, q: float, fc: float, rate: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """RBJ cookbook coefficients (b, a), as pyloudnorm's IIRfilter makes them."""
    a_ = 10 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * (fc / rate)
    cos, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
    if kind == "high_shelf":
        root = 2 * math.sqrt(a_) * alpha
        b = (a_ * ((a_ + 1) + (a_ - 1) * cos + root), -2 * a_ * ((a_ - 1) + (a_ + 1) * cos),
             a_ * ((a_ + 1) + (a_ - 1) * cos - root))
        a = ((a_ + 1) - (a_ - 1) * cos + root, 2 * ((a_ - 1) - (a_ + 1) * cos), (a_ + 1) - (a_ - 1) * cos - root)
    else:  # high_pass
        b = ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2)
        a = (1 + alpha, -2 * cos, 1 - alpha)
    return b, a


@functools.lru_cache(maxsize=8)
def _k_impulse(rate: int) -> np.ndarray:
    """The impulse response of the K-weighting filter (high shelf, then high pass) at `rate`."""
    stages = [_biquad("high_shelf", 4.0, 1 / math.sqrt(2), 1500.0, rate), _biquad("high_pass", 0.0, 0.5, 38.0, rate)]
    radius = max(max(abs(p) for p in np.roots(a)) for _b, a in stages)
    # A double pole at `radius` decays as n * radius**n: long enough for that to reach 1e-13.
    n = 64
    while n * radius ** n > 1e-13 * (1 - radius) and n < 1 << 22:
        n *= 2
    h = np.zeros(n)
    h[0] = 1.0
    for b, a in stages:
        h = _recursive(b, a, h)
    return h


def _recursive(b, a, x: np.ndarray) -> np.ndarray:
    """Direct form I of one biquad (lfilter's result), for the impulse response only."""
    b0, b1, b2 = (v / a[0] for v in b)
    a1, a2 = a[1] / a[0], a[2] / a[0]
    y = [0.0] * len(x)
    x1 = x2 = y1 = y2 = 0.0
    for i, xi in enumerate(x.tolist()):
        yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        y[i] = yi
        x2, x1, y2, y1 = x1, xi, y1, yi
    return np.array(y)


@functools.lru_cache(maxsize=16)
def _k_spectrum(rate: int, size: int) -> np.ndarray:
    return np.fft.rfft(_k_impulse(rate), size)


@functools.lru_cache(maxsize=64)
def _fast_size(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n: pocketfft's fast sizes, on average 25 % below the next
    power of two (a 8 s segment: 12 ms against 18 ms for the K-weighting)."""
    best = 1 << max(1, (n - 1).bit_length())
    five = 1
    while five < best:
        three = five
        while three < best:
            size = three
            while size < n:
                size *= 2
            best = min(best, size)
            three *= 3
        five *= 5
    return best


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` through the BS.1770 K-weighting filter (an FFT convolution with its impulse response)."""
    x = np.asarray(samples, dtype=np.float64)
    rate = int(rate)
    size = _fast_size(len(x) + len(_k_impulse(rate)) - 1)
    return np.fft.irfft(np.fft.rfft(x, size) * _k_spectrum(rate, size), size)[: len(x)]


def integrated_loudness(samples: np.ndarray, rate: int, block_s: float = BLOCK_S) -> float:
    """Gated integrated loudness (LUFS) of mono float samples; -inf when every block is gated."""
    return _gated(k_weighted(samples, rate), rate, block_s)


def _gated(weighted: np.ndarray, rate: int, block_s: float) -> float:
    """Integrated loudness from K-weighted samples (BS.1770-4's blocks and two gates)."""
    blocks = _Blocks(weighted, rate, block_s)
    return _gate(blocks.powers)


class _Blocks:
    """The BS.1770 gating blocks of K-weighted samples: their bounds and mean powers."""

    def __init__(self, weighted: np.ndarray, rate: int, block_s: float):
        self.scale = block_s * rate
        power = np.concatenate(([0.0], np.cumsum(np.square(weighted))))
        length_s = len(weighted) / rate
        step = 1.0 - OVERLAP
        count = int(round((length_s - block_s) / (block_s * step))) + 1
        j = np.arange(count, dtype=np.float64)
        upper = np.minimum((block_s * (j * step + 1) * rate).astype(np.int64), len(weighted))
        self.lower = np.minimum((block_s * (j * step) * rate).astype(np.int64), upper)
        self.upper = upper
        self.powers = (power[upper] - power[self.lower]) / self.scale


def _gate(z: np.ndarray) -> float:
    """Integrated loudness (LUFS) from the blocks' mean powers `z`: the absolute and relative gates."""
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(z)
    gated = z[block_lufs >= ABSOLUTE_GATE_LUFS]
    if not len(gated):
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(np.mean(gated))) + RELATIVE_GATE_LU
    kept = z[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE_LUFS)]
    if not len(kept):
        return -math.inf
    mean = float(np.mean(kept))
    return -0.691 + 10.0 * math.log10(mean) if mean > 0 else -math.inf


@functools.lru_cache(maxsize=1)
def _interpolator() -> np.ndarray:
    """resample_poly's low-pass for 4x up-sampling: a Kaiser-windowed sinc (scipy's firwin), gain 4."""
    m = np.arange(2 * _HALF_TAPS + 1) - _HALF_TAPS
    cutoff = 1.0 / OVERSAMPLE
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(len(m), _KAISER_BETA)
    return h / h.sum() * OVERSAMPLE


@functools.lru_cache(maxsize=1)
def _overshoot() -> float:
    """How far above the largest sample magnitude an oversampled value can reach (the largest
    sum of one phase's absolute taps)."""
    h = np.concatenate(([0.0], _interpolator()))
    return max(1.0, max(float(np.abs(h[q::OVERSAMPLE]).sum()) for q in range(OVERSAMPLE)))


@functools.lru_cache(maxsize=1)
def _phases() -> tuple[tuple[np.ndarray, int], ...]:
    """Each output phase p of the 4x up-sampling: its taps and how far its output is shifted.
    Output sample 4k + p (after dropping the filter's delay of 41) is sum_j h[4j + q] x[k - j + s]
    with q = (p + 41) mod 4 and s = (p + 41) // 4; resample_poly pads the filter by one in front."""
    h = np.concatenate(([0.0], _interpolator()))
    delay = _HALF_TAPS + 1
    return tuple((np.ascontiguousarray(h[(p + delay) % OVERSAMPLE::OVERSAMPLE]), (p + delay) // OVERSAMPLE)
                 for p in range(OVERSAMPLE))


def _phase(samples: np.ndarray, taps: np.ndarray, shift: int) -> np.ndarray:
    full = np.convolve(samples, taps)
    part = full[shift: shift + len(samples)]
    return part if len(part) == len(samples) else np.pad(part, (0, len(samples) - len(part)))


def true_peaks(samples: np.ndarray) -> np.ndarray:
    """Each sample's true peak: the largest magnitude around it when oversampled 4x."""
    samples = np.asarray(samples, dtype=np.float64)
    peaks = np.abs(samples)
    for taps, shift in _phases():
        np.maximum(peaks, np.abs(_phase(samples, taps, shift)), out=peaks)
    return peaks


_REACH = _HALF_TAPS // 2 + 2  # an oversampled value at sample k depends on samples k - 11 .. k + 11


def _runs(mask: np.ndarray, join: int) -> list[tuple[int, int]]:
    """The [start, stop) runs of True in `mask`, runs less than `join` apart merged."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    runs: list[tuple[int, int]] = []
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist()):
        if runs and start - runs[-1][1] < join:
            runs[-1] = (runs[-1][0], stop)
        else:
            runs.append((start, stop))
    return runs


def running_min(x: np.ndarray, width: int) -> np.ndarray:
    """The minimum over a centred window of odd `width` (edges repeated), in O(n)."""
    x = np.asarray(x, dtype=np.float64)
    r = width // 2
    if r == 0 or not len(x):
        return x.copy()
    total = len(x) + 2 * r
    padded = np.pad(x, (r, r + (-total) % width), mode="edge").reshape(-1, width)
    prefix = np.minimum.accumulate(padded, axis=1).ravel()
    suffix = np.minimum.accumulate(padded[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: len(x)], prefix[width - 1: width - 1 + len(x)])


def running_mean(x: np.ndarray, width: int) -> np.ndarray:
    """The mean over a centred window of odd `width` (edges repeated)."""
    x = np.asarray(x, dtype=np.float64)
    r = width // 2
    if r == 0 or not len(x):
        return x.copy()
    sums = np.concatenate(([0.0], np.cumsum(np.pad(x, (r, r), mode="edge"))))
    return (sums[width:] - sums[:-width]) / width


def _envelope(peaks: np.ndarray, ceiling: float, width: int) -> np.ndarray:
    """The limiter's gain: at most ceiling/peak at each true peak above the ceiling, changing
    smoothly over `width` samples (the minimum over a window, averaged over a window of the same
    size: the average at a peak spans only values at most its own need). Computed only around
    the peaks over the ceiling; 1 elsewhere."""
    n = len(peaks)
    half = width // 2
    runs = _runs(peaks > ceiling, 6 * half + 2)
    if len(runs) * 2000 > n:  # peaks everywhere: one pass over the whole costs less (~60 us a run)
        return running_mean(running_min(np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)), width), width)
    envelope = np.ones(n)
    for start, stop in runs:
        # The gain at i depends on the need at i - 2 half .. i + 2 half.
        lo, hi = max(0, start - 2 * half), min(n, stop + 2 * half)
        a, b = max(0, lo - 2 * half), min(n, hi + 2 * half)
        need = np.minimum(1.0, ceiling / np.maximum(peaks[a:b], 1e-12))
        envelope[lo:hi] = running_mean(running_min(need, width), width)[lo - a: hi - a]
    return envelope


def _true_peaks_near(samples: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """`true_peaks(samples)` wherever `mask` is True (exactly), 0 elsewhere."""
    n = len(samples)
    peaks = np.zeros(n)
    for start, stop in _runs(mask, 1024):
        lo, hi = max(0, start - _REACH - 1), min(n, stop + _REACH + 1)
        peaks[start:stop] = true_peaks(samples[lo:hi])[start - lo: stop - lo]
    return peaks


def _width(rate: int, window_s: float) -> int:
    return 2 * max(1, int(window_s * rate)) + 1


def limit_peaks(samples: np.ndarray, rate: int, ceiling: float, window_s: float) -> np.ndarray:
    """Lower the gain around every true peak above `ceiling` (linear), smoothly: a gain envelope
    that is at most ceiling/peak at each peak and changes over `window_s` on either side."""
    if not len(samples) or float(np.abs(samples).max()) * _overshoot() <= ceiling:
        return samples  # no peak between samples can reach the ceiling
    peaks = true_peaks(samples)
    if peaks.max() <= ceiling:
        return samples
    return samples * _envelope(peaks, ceiling, _width(rate, window_s))


class _Region:
    """Where the limiter can act at gains up to `gain`: every sample whose true peak times `gain`
    passes the ceiling, widened on each side by `margin` (more than the limiter and the second
    look after it reach), as one sorted index. The limiter's envelope and the loudness it leaves
    are computed on this region alone (a few percent of speech), exactly as on the whole: outside
    it the envelope is 1, and each stretch of it ends in samples that need no limiting."""

    def __init__(self, peaks: np.ndarray, weighted: np.ndarray, blocks: _Blocks, ceiling: float, gain: float,
                 width: int):
        n = len(peaks)
        half = width // 2
        margin = 6 * half + _REACH + 2
        self.gain, self.ceiling, self.width, self.blocks = gain, ceiling, width, blocks
        spans = [(max(0, a - margin), min(n, b + margin)) for a, b in _runs(peaks * gain > ceiling, 2 * margin)]
        self.index = (np.concatenate([np.arange(a, b) for a, b in spans]) if spans else np.zeros(0, np.int64))
        self.peaks = peaks[self.index]
        self.power = np.square(weighted[self.index])
        self.lower = np.searchsorted(self.index, blocks.lower)
        self.upper = np.searchsorted(self.index, blocks.upper)

    def envelope(self, gain: float, peaks: np.ndarray | None = None) -> np.ndarray:
        """The limiter's gain on the region for `peaks` (the region's own by default) times `gain`."""
        need = np.minimum(1.0, self.ceiling / np.maximum(gain * (self.peaks if peaks is None else peaks), 1e-12))
        return running_mean(running_min(need, self.width), self.width)

    def loudness(self, gain: float, envelope: np.ndarray) -> float:
        """`_gated(weighted * gain * envelope)`: the blocks' powers corrected where the envelope is below 1."""
        change = np.concatenate(([0.0], np.cumsum(self.power * (np.square(envelope) - 1.0))))
        powers = self.blocks.powers + (change[self.upper] - change[self.lower]) / self.blocks.scale
        return _gate(gain * gain * powers)


# The region is made for a gain this much above the one tried, so that the make-up gain found
# next seldom needs a new one.
_REGION_HEADROOM_DB = 2.0


def normalise(samples: np.ndarray, rate: int, target_lufs: float, ceiling: float, window_s: float,
              block_s: float = BLOCK_S, tolerance_lu: float = 0.1) -> np.ndarray:
    """`samples` brought to `target_lufs` integrated, true peaks limited to `ceiling` (linear).

    The K-weighting and the true peaks are computed once: both scale with the gain, so without
    limiting the gain is exact at once. When the gain pushes peaks over the ceiling, the limiter
    takes loudness away; the gain that makes it up is found by secant steps, to within half of
    `tolerance_lu`, on the K-weighted samples times the limiter's envelope: the envelope changes
    slowly against the filter, so this differs from measuring the limited result by at most
    0.04 LU on real speech (tests/audio/test_loudness.py measures it); where the limiter cuts a
    peak by more than 6 dB (a click) the result is measured exactly and corrected. The limited
    result is checked for peaks the envelope itself raised between samples, where it changed.
    Each secant step costs only the samples near peaks (`_Region`), not the whole segment.
    """
    samples = np.asarray(samples, dtype=np.float64)
    if not len(samples):
        return samples
    weighted = k_weighted(samples, rate)
    blocks = _Blocks(weighted, rate, block_s)
    loudness = _gate(blocks.powers)
    if not math.isfinite(loudness):
        return limit_peaks(samples, rate, ceiling, window_s)
    gain_db = target_lufs - loudness
    if 10 ** (gain_db / 20) * float(np.abs(samples).max()) * _overshoot() <= ceiling:
        return samples * 10 ** (gain_db / 20)
    peaks = true_peaks(samples)
    if 10 ** (gain_db / 20) * float(peaks.max()) <= ceiling:
        return samples * 10 ** (gain_db / 20)
    width = _width(rate, window_s)
    start_db = gain_db
    region: _Region | None = None

    def result(db: float) -> tuple[float, np.ndarray, _Region]:
        """The loudness and envelope (on its region) of the samples at gain `db`, limited."""
        nonlocal region
        gain = 10 ** (db / 20)
        if region is None or gain > region.gain:
            region = _Region(peaks, weighted, blocks, ceiling, gain * 10 ** (_REGION_HEADROOM_DB / 20), width)
        envelope = region.envelope(gain)
        return region.loudness(gain, envelope), envelope, region

    previous: tuple[float, float] | None = None
    got, envelope, at = result(gain_db)
    for _ in range(8):
        error = target_lufs - got
        if abs(error) < tolerance_lu / 2 or not math.isfinite(got):
            break
        slope = (got - previous[1]) / (gain_db - previous[0]) if previous and gain_db != previous[0] else 1.0
        previous = (gain_db, got)
        gain_db = min(gain_db + error / max(slope, 0.05), start_db + MAX_MAKEUP_DB)
        if gain_db == previous[0]:
            break
        got, envelope, at = result(gain_db)
    out = samples * 10 ** (gain_db / 20)
    out[at.index] *= envelope
    # The envelope can raise a value between samples a little where it changed: limit again there.
    changed = running_min(-(envelope < 1.0).astype(np.float64), 2 * _REACH + 1) < 0
    near = np.zeros(len(out), dtype=bool)
    near[at.index[changed]] = True
    again = _true_peaks_near(out, near)
    if again.max() > ceiling:
        out[at.index] *= at.envelope(1.0, again[at.index])
    if len(envelope) and float(envelope.min()) < HEAVY_LIMITING:
        # Short peaks held down hard (a click): there the estimate may be off. Measure and correct.
        for _ in range(4):
            error = target_lufs - integrated_loudness(out, rate, block_s)
            if not math.isfinite(error) or abs(error) < tolerance_lu:
                break
            out = limit_peaks(out * 10 ** (error / 20), rate, ceiling, window_s)
    return out
