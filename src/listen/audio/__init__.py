"""Audio: one MP3 format for every segment, frame-level joins, silence, tags, LRC and playlists.

Modules: `ffmpeg` (find/run the bundled ffmpeg) · `format` (canonical format, PCM -> segment
MP3) · `mp3` (frame parser, strip, count, silence, join) · `tags` (ID3v2.4 incl. chapters) ·
`lrc` · `playlist` · `probe` (decode-based checks for tests).
"""

from __future__ import annotations

from .ffmpeg import ffmpeg_exe, run_ffmpeg
from .format import (
    BITRATE,
    FRAME_SAMPLES,
    FRAME_SECONDS,
    SAMPLE_RATE,
    encode_mp3,
    finish_pcm,
    segment_mp3,
    to_pcm,
)
from .lrc import lrc_text, parse_lrc
from .mp3 import (
    Silence,
    count_frames,
    join_mp3,
    mp3_duration,
    silence_for,
    silence_frames,
    strip_to_frames,
)
from .playlist import m3u8_text
from .probe import decode_ok, decoded_duration
from .tags import Chapter, tag_bytes, write_tags

__all__ = [
    "BITRATE",
    "FRAME_SAMPLES",
    "FRAME_SECONDS",
    "SAMPLE_RATE",
    "Chapter",
    "Silence",
    "count_frames",
    "decode_ok",
    "decoded_duration",
    "encode_mp3",
    "ffmpeg_exe",
    "finish_pcm",
    "join_mp3",
    "lrc_text",
    "m3u8_text",
    "mp3_duration",
    "parse_lrc",
    "run_ffmpeg",
    "segment_mp3",
    "silence_for",
    "silence_frames",
    "strip_to_frames",
    "tag_bytes",
    "to_pcm",
    "write_tags",
]
