"""Turning engine audio into one canonical segment MP3 (see `listen.audio.canonical`).

`finish_segment` turns what an engine returned into a segment's finished PCM (joined, trimmed,
brought to -16 LUFS with true peaks limited): no ffmpeg when the pieces are PCM at one sample rate, one decode for MP3
pieces. Resampling and tempo are left to the encoder (`listen.audio.encode`), which encodes a
build's segments in a few long-lived processes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import AudioError
from .canonical import ENCODER_ARGS, SAMPLE_RATE
from .ffmpeg import run_ffmpeg

if TYPE_CHECKING:
    from ..engines.base import Audio
    from .encode import Finished

__all__ = [
    "PIECE_PAUSE_S", "TARGET_LUFS", "encode_mp3", "finish_pcm", "finish_segment", "loudness_lufs",
    "normalise_loudness", "segment_mp3", "to_pcm", "true_peaks",
]

PIECE_PAUSE_S = 0.15  # pause between the pieces of one segment (after tempo)
TRIM_PAD_S = 0.005  # kept before the first and after the last sound (no cut mid-waveform)
TRIM_BELOW_PEAK_DB = 40.0  # "silence" = samples quieter than peak - this (dBFS)
TRIM_FLOOR_DBFS = -70.0  # ... but never count samples louder than this as silence
# Every segment is brought to one loudness (ITU-R BS.1770 integrated loudness, the podcast
# convention), so English and Chinese, and one engine and another, sound equally loud; peaks
# are limited so no sample (oversampled 4x: the true peak) goes above the ceiling. The ceiling
# keeps half a dB below -1 dBTP for the MP3 encoder's overshoot. Changing these changes every
# segment's bytes: bump synth.cache.PIPELINE_VERSION.
TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.5
LIMITER_WINDOW_S = 0.002  # the limiter's gain changes over this much time on each side of a peak


def _tempo_filter(speed: float) -> list[str]:
    return [] if speed == 1.0 else ["-af", f"atempo={speed:.6g}"]


def _even(pcm: bytes) -> bytes:
    return pcm[:-1] if len(pcm) % 2 else pcm


def to_pcm(audio: "Audio", speed: float = 1.0) -> bytes:
    """Any engine Audio -> mono s16le PCM at SAMPLE_RATE, tempo changed by `speed` (pitch kept).

    PCM already at SAMPLE_RATE with speed 1.0 is returned as is (no ffmpeg). MP3 input that is
    not MP3 or holds no audio raises AudioError.
    """
    speed = float(speed)
    if audio.kind == "pcm":
        pcm = _even(bytes(audio.data))
        if audio.sample_rate == SAMPLE_RATE and speed == 1.0:
            return pcm
        if not pcm:
            return b""
        if audio.sample_rate <= 0:
            raise AudioError(f"PCM audio has an invalid sample rate: {audio.sample_rate}")
        args = ["-f", "s16le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "-"]
        data = pcm
    elif audio.kind == "mp3":
        from .frames import strip_to_frames  # raises AudioError when there are no MPEG frames

        data = strip_to_frames(bytes(audio.data))
        args = ["-f", "mp3", "-i", "-"]
    else:
        raise AudioError(f"unknown audio kind {audio.kind!r} (expected 'pcm' or 'mp3')")
    out = run_ffmpeg(
        [*args, *_tempo_filter(speed), "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"],
        input=data,
    )
    out = _even(out)
    if audio.kind == "mp3" and not out:
        raise AudioError("the MP3 holds no audio")
    return out


def loudness_lufs(samples, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770-4, `listen.audio.loudness`) of float samples in
    [-1, 1]; -inf for silence. Audio shorter than the standard 400 ms block is measured as one block."""
    from .loudness import integrated_loudness

    if len(samples) < 2:
        return float("-inf")
    return integrated_loudness(samples, sample_rate, block_s=min(0.4, (len(samples) - 1) / sample_rate))


def true_peaks(samples):
    """Each sample's true peak: the largest magnitude around it when oversampled 4x."""
    from .loudness import true_peaks as peaks

    return peaks(samples)


def normalise_loudness(samples, sample_rate: int, target_lufs: float = TARGET_LUFS,
                       ceiling_dbtp: float = TRUE_PEAK_DBTP):
    """Float samples brought to `target_lufs`, their true peaks limited to `ceiling_dbtp`
    (`listen.audio.loudness.normalise`). Audio shorter than one 400 ms block is one block."""
    from .loudness import normalise

    if len(samples) < 2:
        return samples
    return normalise(samples, sample_rate, target_lufs, 10 ** (ceiling_dbtp / 20), LIMITER_WINDOW_S,
                     block_s=min(0.4, (len(samples) - 1) / sample_rate))


def finish_pcm(
    pcm: bytes,
    *,
    target_lufs: float = TARGET_LUFS,
    trim: bool = True,
    sample_rate: int = SAMPLE_RATE,
) -> bytes:
    """Trim leading/trailing silence and normalise loudness (mono s16le PCM in and out).

    Silence is relative to the audio's own peak (TRIM_BELOW_PEAK_DB below it, at most
    TRIM_FLOOR_DBFS); TRIM_PAD_S of it is kept at each end, so the silence a track puts between
    segments is what it says (`listen.audio.encode` adds the same few frames to every segment).
    Loudness: `target_lufs` integrated (BS.1770), true peaks limited to TRUE_PEAK_DBTP. Digital
    silence is returned as is (100 ms of it if it was trimmed to nothing).
    """
    import numpy as np

    pcm = _even(pcm)
    if not pcm:
        return b""
    samples = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768.0
    peak = float(np.abs(samples).max())
    if peak == 0.0:  # all zeros: nothing to trim against or normalise
        return pcm if not trim else bytes(min(len(pcm), 2 * int(0.1 * sample_rate)))
    if trim:
        threshold = max(peak * 10 ** (-TRIM_BELOW_PEAK_DB / 20), 10 ** (TRIM_FLOOR_DBFS / 20))
        loud = np.flatnonzero(np.abs(samples) > threshold)
        if len(loud):
            pad = int(TRIM_PAD_S * sample_rate)
            samples = samples[max(0, loud[0] - pad): min(len(samples), loud[-1] + 1 + pad)]
    samples = normalise_loudness(samples, sample_rate, target_lufs)
    return (np.clip(np.round(samples * 32768.0), -32768, 32767)).astype("<i2").tobytes()


def _encode(pcm: bytes, *, sample_rate: int = SAMPLE_RATE, speed: float = 1.0) -> bytes:
    if not pcm:
        raise AudioError("no audio to encode")
    resample = [] if sample_rate == SAMPLE_RATE else ["-ar", str(SAMPLE_RATE)]
    out = run_ffmpeg(
        [
            "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "-",
            *_tempo_filter(speed), *resample,
            *ENCODER_ARGS, "-",
        ],
        input=_even(pcm),
    )  # fmt: skip
    if not out:
        raise AudioError("ffmpeg produced no MP3 frames")
    return out


def encode_mp3(pcm: bytes, *, sample_rate: int = SAMPLE_RATE, speed: float = 1.0) -> bytes:
    """Mono s16le PCM -> canonical MP3 frames (plain frames: no ID3 tag, no Xing/Info frame).

    `sample_rate` is the rate of `pcm` (resampled to SAMPLE_RATE in the same ffmpeg run);
    `speed` applies atempo in the same run. One ffmpeg process.
    """
    return _encode(pcm, sample_rate=sample_rate, speed=float(speed))


def finish_segment(pieces: "list[Audio]", *, speed: float = 1.0, native_speed: bool = False) -> "Finished":
    """Engine audio pieces of one segment -> its finished PCM, ready to encode (`listen.audio.encode`).

    Pieces are joined with a PIECE_PAUSE_S pause, trimmed and loudness-normalised
    (`finish_pcm`). `speed` is applied (atempo, pitch kept) unless the engine already applied it
    (`native_speed`): in the decode for MP3 pieces, which cost one ffmpeg run (one for all the
    pieces when their frames form one stream); by the encoder for PCM pieces, which need no
    ffmpeg here at all.
    """
    from .encode import Finished

    if not pieces:
        raise AudioError("a segment needs at least one piece of audio")
    tempo = 1.0 if native_speed else float(speed)
    rates = {p.sample_rate for p in pieces}
    if all(p.kind == "pcm" for p in pieces) and len(rates) == 1:
        rate = rates.pop()
        if rate <= 0:
            raise AudioError(f"PCM audio has an invalid sample rate: {rate}")
        pcms = [_even(bytes(p.data)) for p in pieces]
        # Tempo is applied after joining, so the pause is stretched by it: pre-compensate.
        pause_s = PIECE_PAUSE_S * tempo
    elif len(pieces) > 1 and all(p.kind == "mp3" for p in pieces) and (joined := _joinable_mp3(pieces)):
        # Online engines return several MP3 pieces: their frames decode as one stream (as gTTS
        # writes them), so one decode serves the whole segment, tempo included.
        rate = SAMPLE_RATE
        pcms = [to_pcm(joined, tempo)]
        pause_s, tempo = PIECE_PAUSE_S, 1.0
    else:
        rate = SAMPLE_RATE
        pcms = [to_pcm(p, tempo) for p in pieces]
        pause_s, tempo = PIECE_PAUSE_S, 1.0
    pause = bytes(2 * int(round(pause_s * rate)))
    pcm = pause.join(x for x in pcms if x)
    if not pcm:
        raise AudioError("the engine returned no audio for this segment")
    return Finished(finish_pcm(pcm, sample_rate=rate), rate, tempo)


def segment_mp3(pieces: "list[Audio]", *, speed: float = 1.0, native_speed: bool = False) -> bytes:
    """Engine audio pieces of one segment -> one canonical segment MP3 (`finish_segment`, then
    one encode). A build encodes its segments together instead (`listen.audio.encode.Encoder`)."""
    from .encode import encode_segments

    return encode_segments([finish_segment(pieces, speed=speed, native_speed=native_speed)])[0]


def _joinable_mp3(pieces: "list[Audio]") -> "Audio | None":
    """The pieces' frames as one MP3 Audio when they share one format, else None."""
    from ..engines.base import Audio
    from .frames import parse_header, strip_to_frames

    frames = [strip_to_frames(bytes(p.data)) for p in pieces]
    formats = set()
    for data in frames:
        header = parse_header(data, 0)
        if header is None:
            return None
        formats.add((header.version, header.layer, header.sample_rate, header.channels))
    if len(formats) != 1:
        return None
    return Audio(b"".join(frames), "mp3", pieces[0].sample_rate)
