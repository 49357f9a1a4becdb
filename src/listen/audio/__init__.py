"""Audio: one MP3 format for every segment, frame-level joins, silence, tags, LRC and playlists."""
