from __future__ import annotations

import pytest

from listen.audio import ffmpeg
from listen.errors import AudioError


def test_ffmpeg_exe_bundled():
    assert ffmpeg.ffmpeg_exe()


def test_env_override(monkeypatch, tmp_path):
    fake = tmp_path / "my-ffmpeg"
    fake.write_text("")
    monkeypatch.setenv("LISTEN_FFMPEG", str(fake))
    assert ffmpeg.ffmpeg_exe() == str(fake)
    monkeypatch.setenv("LISTEN_FFMPEG", str(tmp_path / "missing"))
    with pytest.raises(AudioError):
        ffmpeg.ffmpeg_exe()


def test_missing_imageio(monkeypatch):
    import sys

    monkeypatch.delenv("LISTEN_FFMPEG", raising=False)
    ffmpeg._bundled.cache_clear()
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    try:
        with pytest.raises(AudioError, match="pip install imageio-ffmpeg"):
            ffmpeg.ffmpeg_exe()
    finally:
        ffmpeg._bundled.cache_clear()


def test_run_ffmpeg_error_has_last_line():
    with pytest.raises(AudioError, match="ffmpeg failed: .+"):
        ffmpeg.run_ffmpeg(["-f", "mp3", "-i", "-", "-f", "s16le", "-"], input=b"not an mp3 at all" * 10)


def test_run_ffmpeg_stdout():
    out = ffmpeg.run_ffmpeg(["-f", "s16le", "-ar", "8000", "-ac", "1", "-i", "-", "-f", "s16le", "-"], input=bytes(1600))
    assert out == bytes(1600)
