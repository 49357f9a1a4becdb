"""Audio: one MP3 format for every segment, frame-level joins, silence, tags, LRC and playlists.

Modules: `canonical` (the format) · `ffmpeg` (find/run the bundled ffmpeg) · `format` (engine
audio -> a segment's finished PCM) · `encode` (finished PCM -> segment frames through a few
long-lived encoders) · `frames` (frame parser, strip, count) · `silence` · `join` (frame-level
joins with the tag in one pass) · `tags` (ID3 incl. chapters) · `lrc` · `playlist`.

Import the modules themselves; this package imports nothing, so `listen` starts fast.
"""
