"""The canonical audio format of every segment and track.

MPEG-2 Layer III, 24000 Hz, mono, CBR 48 kbps, bit reservoir off (every frame decodes on its own),
no Xing/Info frame, no ID3 tag on segments; 576 samples = 24 ms per frame. Segments and
pre-encoded silence are joined byte by byte, so times computed from frame counts equal decoded
positions exactly.
"""

from __future__ import annotations

__all__ = ["BITRATE", "CHANNELS", "FRAME_SAMPLES", "FRAME_SECONDS", "SAMPLE_RATE", "ENCODER_ARGS"]

SAMPLE_RATE = 24000
CHANNELS = 1
BITRATE = "48k"
FRAME_SAMPLES = 576
FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE  # 0.024
# ffmpeg output options that make the canonical stream (an encoder setting that changes the
# bytes must also change synth.cache.PIPELINE_VERSION). `-compression_level 7` is LAME's -q 7:
# half the CPU of its default (-q 3) for speech at this rate, with the same intelligibility and a
# higher signal-to-noise ratio (bench/FINDINGS.md).
ENCODER_ARGS = (
    "-c:a", "libmp3lame", "-b:a", BITRATE, "-reservoir", "0", "-compression_level", "7",
    "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3",
)
