"""listen.audio.loudness against the references it replaces: pyloudnorm's BS.1770-4 meter and
scipy's resample_poly, minimum_filter1d and uniform_filter1d (test dependencies only)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from listen.audio import loudness as L

pyloudnorm = pytest.importorskip("pyloudnorm")
signal = pytest.importorskip("scipy.signal")
ndimage = pytest.importorskip("scipy.ndimage")


def _speechlike(rate: int, seconds: float, seed: int) -> np.ndarray:
    """Noise bursts of changing level with pauses: blocks on both sides of both gates."""
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    envelope = np.abs(np.sin(np.linspace(0, 9 * math.pi, n))) ** 3
    envelope[n // 3: n // 3 + rate // 2] = 0.0  # half a second of digital silence
    return rng.standard_normal(n) * 0.2 * envelope + 0.05 * np.sin(2 * math.pi * 220 * np.arange(n) / rate)


@pytest.mark.parametrize("rate", [16000, 22050, 24000, 44100, 48000])
@pytest.mark.parametrize("block_s", [0.4, 0.13])
def test_integrated_loudness_equals_pyloudnorm(rate, block_s):
    x = _speechlike(rate, 3.1, rate)
    expected = pyloudnorm.Meter(rate, block_size=block_s).integrated_loudness(x)
    assert L.integrated_loudness(x, rate, block_s) == pytest.approx(expected, abs=1e-9)


def test_k_weighting_equals_lfilter_of_both_biquads():
    rate = 22050
    x = _speechlike(rate, 1.0, 3)
    meter = pyloudnorm.Meter(rate)
    expected = x.copy()
    for stage in meter._filters.values():
        expected = signal.lfilter(stage.b, stage.a, expected)
    assert np.abs(L.k_weighted(x, rate) - expected).max() < 1e-12


def test_silence_and_quiet_audio_are_minus_infinity():
    assert L.integrated_loudness(np.zeros(22050), 22050) == -math.inf
    quiet = np.full(22050, 1e-5)  # about -100 LUFS: under the absolute gate
    assert L.integrated_loudness(quiet, 22050) == -math.inf
    assert pyloudnorm.Meter(22050).integrated_loudness(quiet) == -math.inf


@pytest.mark.parametrize("n", [1, 2, 5, 41, 1000, 22051])
def test_oversampling_equals_resample_poly(n):
    x = np.random.default_rng(n).standard_normal(n)
    expected = signal.resample_poly(x, 4, 1)[: 4 * n].reshape(-1, 4)
    oversampled = np.stack([L._phase(x, taps, shift) for taps, shift in L._phases()], axis=1)
    assert np.abs(oversampled - expected).max() < 1e-12


def test_true_peaks_find_the_peak_between_samples():
    rate = 24000
    t = np.arange(rate // 10) / rate
    # A sine at a quarter of the rate, sampled at +-45 degrees: every sample is 0.707, the wave 1.0.
    x = np.sin(2 * math.pi * (rate / 4) * t + math.pi / 4)
    assert np.abs(x).max() == pytest.approx(math.sqrt(0.5), abs=1e-9)
    assert L.true_peaks(x)[100:-100].max() == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("width", [1, 3, 89, 441])
@pytest.mark.parametrize("n", [1, 7, 500, 10007])
def test_running_filters_equal_scipy_ndimage(width, n):
    x = np.random.default_rng(width * n).random(n)
    assert np.array_equal(L.running_min(x, width), ndimage.minimum_filter1d(x, width, mode="nearest"))
    assert np.abs(L.running_mean(x, width) - ndimage.uniform_filter1d(x, width, mode="nearest")).max() < 1e-12


def test_limiter_brings_every_true_peak_under_the_ceiling():
    rate = 22050
    x = _speechlike(rate, 2.0, 9) * 4
    ceiling = 10 ** (-1.5 / 20)
    limited = L.limit_peaks(x, rate, ceiling, 0.002)
    # The envelope itself moves the peaks between samples a little: within 0.1 dB in one pass
    # (finish_pcm measures again and limits once more).
    assert L.true_peaks(x).max() > 2 * ceiling
    assert L.true_peaks(limited).max() <= ceiling * 10 ** (0.1 / 20)
    # The same as with scipy's filters.
    over = np.abs(signal.resample_poly(x, 4, 1))[: 4 * len(x)]
    need = np.minimum(1.0, ceiling / np.maximum(np.maximum(over.reshape(-1, 4).max(axis=1), np.abs(x)), 1e-12))
    width = 2 * int(0.002 * rate) + 1
    gain = ndimage.uniform_filter1d(ndimage.minimum_filter1d(need, width, mode="nearest"), width, mode="nearest")
    assert np.abs(limited - x * gain).max() < 1e-10
    quiet = x / 100
    assert L.limit_peaks(quiet, rate, ceiling, 0.002) is quiet  # nothing to do: untouched


def test_importing_the_meter_imports_no_scipy():
    code = "import sys, listen.audio.format as f, numpy as np; f.finish_pcm(bytes(4000) + b'\\x10\\x20' * 4000); " \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'pyloudnorm')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("scale", [0.01, 0.3, 3.0])
@pytest.mark.parametrize("rate", [16000, 22050, 24000])
def test_normalise_reaches_the_target_with_true_peaks_under_the_ceiling(rate, scale):
    x = _speechlike(rate, 4.0, int(scale * 100) + rate) * scale
    x[rate: rate + 40] += np.sign(x[rate: rate + 40]) * 0.8 * scale  # a click far above the speech
    ceiling = 10 ** (-1.5 / 20)
    out = L.normalise(x, rate, -16.0, ceiling, 0.002)
    assert pyloudnorm.Meter(rate).integrated_loudness(out) == pytest.approx(-16.0, abs=0.1)
    assert L.true_peaks(out).max() <= ceiling * 10 ** (0.01 / 20)  # the second pass leaves < 0.01 dB


def test_normalise_without_limiting_is_a_plain_gain():
    rate = 22050
    x = np.sin(2 * math.pi * 440 * np.arange(rate) / rate) * 0.01  # quiet, peak far below the ceiling
    out = L.normalise(x, rate, -16.0, 10 ** (-1.5 / 20), 0.002)
    gain = out[100] / x[100]
    assert np.allclose(out, x * gain)
    assert pyloudnorm.Meter(rate).integrated_loudness(out) == pytest.approx(-16.0, abs=1e-6)


def test_normalise_leaves_silence_alone():
    assert np.array_equal(L.normalise(np.zeros(1000), 22050, -16.0, 0.84, 0.002), np.zeros(1000))


@pytest.mark.parametrize("text, language", [
    ("The harbour ferries will run every twenty minutes from Monday, the council said.", "en"),
    ("Is it, as the minister claims, simply a matter of money? Nobody thinks so.", "en"),
    ("渡輪服務將於下月恢復，每二十分鐘一班。", "yue"),
    ("图书馆的开放时间延长到晚上十点。", "cmn"),
])
def test_normalise_on_real_speech_is_within_a_tenth_of_a_lu(text, language):
    from listen.engines.base import SpeechRequest
    from listen.engines.espeak import EspeakEngine

    audio = EspeakEngine().synthesize(SpeechRequest(text, language))
    x = np.frombuffer(audio.data, "<i2") / 32768 * 4  # loud: every sentence is limited
    ceiling = 10 ** (-1.5 / 20)
    out = L.normalise(x, audio.sample_rate, -16.0, ceiling, 0.002)
    assert L.true_peaks(x * 10 ** ((-16 - L.integrated_loudness(x, audio.sample_rate)) / 20)).max() > ceiling
    assert pyloudnorm.Meter(audio.sample_rate).integrated_loudness(out) == pytest.approx(-16.0, abs=0.1)
    assert L.true_peaks(out).max() <= ceiling * 10 ** (0.01 / 20)
