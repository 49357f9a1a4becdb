from __future__ import annotations

import math
import subprocess

import pytest
from audio_helpers import silence, tone

from listen.audio import format as fmt
from listen.audio.frames import count_frames, iter_frames, mp3_duration
from listen.audio import canonical
from listen.audio.canonical import FRAME_SECONDS
from listen.audio.encode import LEAD_FRAMES, TAIL_FRAMES
from support.probe import decode_ok, decoded_duration
from listen.engines.base import Audio
from listen.errors import AudioError


def test_constants():
    assert canonical.SAMPLE_RATE == 24000 and canonical.BITRATE == "48k"
    assert canonical.FRAME_SAMPLES == 576 and math.isclose(canonical.FRAME_SECONDS, 0.024)


def test_encode_is_plain_canonical_frames(tone_mp3, tmp_path):
    data = tone_mp3
    assert not data.startswith(b"ID3")
    assert b"Xing" not in data[:200] and b"Info" not in data[:200] and b"LAME" not in data[:200]
    frames = list(iter_frames(data, skip_info=False))
    assert frames[0][0] == 0
    assert frames[-1][0] + frames[-1][1].length == len(data)  # nothing after the frames
    for _, h in frames:
        assert (h.version, h.layer, h.sample_rate, h.channels, h.bitrate, h.length) == ("2", 3, 24000, 1, 48000, 144)
    path = tmp_path / "a.mp3"
    path.write_bytes(data)
    assert abs(count_frames(data) * 0.024 - decoded_duration(path)) <= 0.024
    assert decode_ok(path)


def test_encode_empty_raises():
    with pytest.raises(AudioError):
        fmt.encode_mp3(b"")


def test_to_pcm_passthrough_and_resample():
    pcm = tone(1.0)
    assert fmt.to_pcm(Audio(pcm, "pcm", 24000)) is not None
    assert fmt.to_pcm(Audio(pcm, "pcm", 24000)) == pcm
    out = fmt.to_pcm(Audio(tone(1.0, rate=22050), "pcm", 22050))
    assert abs(len(out) / 2 - 24000) <= 48


def test_to_pcm_speed():
    out = fmt.to_pcm(Audio(tone(3.0), "pcm", 24000), speed=1.5)
    assert abs(len(out) / 2 / 24000 - 3.0 / 1.5) <= 0.05 * 2.0


def test_to_pcm_mp3(tone_mp3):
    out = fmt.to_pcm(Audio(tone_mp3, "mp3", 24000))
    assert abs(len(out) / 2 / 24000 - count_frames(tone_mp3) * 0.024) <= 0.03


def test_to_pcm_bad_mp3():
    with pytest.raises(AudioError):
        fmt.to_pcm(Audio(b"<html>rate limited</html>" * 20, "mp3", 24000))
    with pytest.raises(AudioError):
        fmt.to_pcm(Audio(b"", "mp3", 24000))


def test_finish_trims_to_the_sound():
    pcm = silence(1.0) + tone(2.0) + silence(1.0)
    out = fmt.finish_pcm(pcm)
    seconds = len(out) / 2 / 24000
    assert 2.0 - 0.001 <= seconds <= 2.0 + 2 * fmt.TRIM_PAD_S + 0.001


def test_finish_no_trim_keeps_length():
    pcm = silence(0.5) + tone(1.0) + silence(0.5)
    assert len(fmt.finish_pcm(pcm, trim=False)) == len(pcm)


def _lufs(pcm: bytes, rate: int = 24000) -> float:
    import numpy as np

    return fmt.loudness_lufs(np.frombuffer(pcm, "<i2") / 32768, rate)


def _dbtp(pcm: bytes) -> float:
    import numpy as np

    return 20 * math.log10(fmt.true_peaks(np.frombuffer(pcm, "<i2") / 32768).max())


def test_finish_brings_every_segment_to_minus_16_lufs():
    loud = fmt.finish_pcm(tone(1.0, amp=0.8))
    quiet = fmt.finish_pcm(tone(1.0, amp=0.02, freq=300))
    short = fmt.finish_pcm(tone(0.2, amp=0.1, freq=500))  # shorter than one 400 ms block
    for out in (loud, quiet, short):
        assert abs(_lufs(out) - fmt.TARGET_LUFS) < 0.2
        assert _dbtp(out) <= -1.0


def test_finish_limits_true_peaks_and_keeps_the_loudness():
    # A short loud click over a quiet bed: reaching -16 LUFS would clip it; the limiter holds it.
    pcm = tone(1.0, amp=0.005) + tone(0.01, amp=0.9) + tone(1.0, amp=0.005)
    out = fmt.finish_pcm(pcm, trim=False)
    assert _dbtp(out) <= -1.0
    assert abs(_lufs(out) - fmt.TARGET_LUFS) < 0.5


def test_finish_digital_silence():
    assert fmt.finish_pcm(silence(1.0)) == silence(0.1)
    assert fmt.finish_pcm(b"") == b""


def test_segment_mp3_pcm_22050(tmp_path):
    pieces = [Audio(tone(1.0, rate=22050), "pcm", 22050), Audio(tone(0.5, rate=22050, freq=600), "pcm", 22050)]
    data = fmt.segment_mp3(pieces)
    path = tmp_path / "s.mp3"
    path.write_bytes(data)
    # 1.5 s of tone + 0.15 s pause, and the silent edge frames at each end
    seconds = mp3_duration(data)
    edges = (LEAD_FRAMES + TAIL_FRAMES) * FRAME_SECONDS
    assert 1.65 + edges <= seconds <= 1.65 + edges + 2 * FRAME_SECONDS
    assert decode_ok(path)


def test_segment_mp3_speed_and_native(tone_mp3):
    pieces = [Audio(tone(3.0), "pcm", 24000)]
    normal = mp3_duration(fmt.segment_mp3(pieces))
    fast = mp3_duration(fmt.segment_mp3(pieces, speed=1.5))
    native = mp3_duration(fmt.segment_mp3(pieces, speed=1.5, native_speed=True))
    assert abs(fast - normal / 1.5) <= 0.05 * normal / 1.5
    assert native == normal


def test_segment_mp3_mixed_pieces(tone_mp3):
    pieces = [Audio(tone(1.0, rate=22050), "pcm", 22050), Audio(tone_mp3, "mp3", 24000)]
    seconds = mp3_duration(fmt.segment_mp3(pieces))
    assert 1.0 + 0.15 + 3.0 - 0.05 <= seconds <= 1.0 + 0.15 + 3.0 + 0.2


def test_segment_mp3_empty():
    with pytest.raises(AudioError):
        fmt.segment_mp3([])
    with pytest.raises(AudioError):
        fmt.segment_mp3([Audio(b"", "pcm", 22050)])


def test_segment_mp3_several_mp3_pieces_decode_as_one_stream(tone_mp3, monkeypatch):
    """gTTS pieces: their frames are decoded in one ffmpeg run, then encoded in one more."""
    calls = []
    real = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: calls.append(args) or real(args, **kw))
    pieces = [Audio(tone_mp3, "mp3", 24000), Audio(tone_mp3, "mp3", 24000), Audio(tone_mp3, "mp3", 24000)]
    seconds = mp3_duration(fmt.segment_mp3(pieces, speed=1.5))
    assert len(calls) == 2 and "libmp3lame" not in calls[0] and "libmp3lame" in calls[1]
    assert abs(seconds - (9.0 / 1.5 + (LEAD_FRAMES + TAIL_FRAMES) * FRAME_SECONDS)) <= 0.2
