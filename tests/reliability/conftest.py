"""Fixtures for reliability tests: the fake gTTS server, small original texts, a subprocess env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
from support.fake_gtts import FakeGtts
from support.seed import seed_cache

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def fake(monkeypatch):
    """A fake gTTS endpoint on 127.0.0.1; LISTEN_GTTS_URL points at it."""
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with FakeGtts() as server:
        monkeypatch.setenv("LISTEN_GTTS_URL", server.url)
        yield server


@pytest.fixture
def text_file(tmp_path):
    """Copy one of the fixture texts (data/<name>.txt) into tmp_path and return its path."""

    def copy(name: str = "tea") -> Path:
        target = tmp_path / f"{name}.txt"
        target.write_bytes((DATA / f"{name}.txt").read_bytes())
        return target

    return copy


@pytest.fixture
def env(tmp_path):
    """Environment for a `listen` subprocess: its own cache and config, no network but 127.0.0.1."""
    e = {k: v for k, v in os.environ.items() if k not in _PROXY_VARS and not k.startswith("LISTEN_")}
    e.update(
        LISTEN_CACHE_DIR=str(seed_cache(tmp_path / "cache")),
        LISTEN_CONFIG=str(tmp_path / "config.toml"),
        LISTEN_GTTS_URL="http://127.0.0.1:9/_/TranslateWebserverUi/data/batchexecute",
        NO_PROXY="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    return e
