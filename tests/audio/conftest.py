from __future__ import annotations

import pytest

from audio_helpers import tone


@pytest.fixture(scope="session")
def tone_mp3() -> bytes:
    """3 s canonical MP3 of a tone (shared: encoding costs an ffmpeg run)."""
    from listen.audio.format import encode_mp3

    return encode_mp3(tone(3.0))
