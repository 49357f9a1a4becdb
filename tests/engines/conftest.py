"""Fixtures for engine tests: a fake gTTS server on 127.0.0.1 and a config pointing at it."""

from __future__ import annotations

import pytest

from support.fake_gtts import FakeGtts
from listen.config import Config, load_config


_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture
def fake_gtts(monkeypatch):
    for name in _PROXY_VARS:  # requests must talk to 127.0.0.1 directly
        monkeypatch.delenv(name, raising=False)
    with FakeGtts() as server:
        yield server


@pytest.fixture
def gtts_settings(fake_gtts) -> dict:
    """The [gtts] settings that point the engine at the fake server."""
    return {"url": fake_gtts.url, "timeout": 2.0, "reachability_timeout": 0.5}


@pytest.fixture
def gtts_config(gtts_settings) -> Config:
    return load_config().with_engine_table("gtts", gtts_settings)


@pytest.fixture
def fake_edge(monkeypatch):
    """A fake of Edge's read-aloud service on 127.0.0.1, with edge-tts's endpoint pointed at it."""
    communicate = pytest.importorskip("edge_tts.communicate")
    from support.fake_edge import FakeEdge

    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    with FakeEdge() as server:
        monkeypatch.setattr(communicate, "WSS_URL", server.url)
        yield server
