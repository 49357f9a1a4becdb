"""Shared test setup: isolated user dirs, no network, and a deterministic fake engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listen.engines.registry import register, unregister
from support.fake_engine import FakeEngine
from support.seed import seed_cache

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
SAMPLE = SAMPLES / "mingpao-2025-05-12.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory, monkeypatch):
    """Each test gets its own cache and config, and no route to the real gTTS endpoint."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(seed_cache(base / "cache")))
    monkeypatch.setenv("LISTEN_CONFIG", str(base / "config.toml"))
    # A closed local port: `auto` must fall back to espeak quickly and tests never leave the machine.
    monkeypatch.setenv("LISTEN_GTTS_URL", "http://127.0.0.1:9/_/TranslateWebserverUi/data/batchexecute")
    monkeypatch.delenv("LISTEN_ENGINE", raising=False)
    # The same for edge-tts's WebSocket endpoint (a module constant its client reads per connection).
    edge_communicate = _edge_communicate()
    if edge_communicate is not None:
        monkeypatch.setattr(edge_communicate, "WSS_URL", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")


def _edge_communicate():
    try:
        from edge_tts import communicate
    except ImportError:
        return None
    return communicate


@pytest.fixture
def fake_engine():
    """Register the fake engine as `fake` and reset its call log."""
    FakeEngine.calls = []
    register(FakeEngine)
    yield FakeEngine
    unregister(FakeEngine.NAME)


@pytest.fixture
def sample_path() -> Path:
    if not SAMPLE.exists():
        missing_sample()
    return SAMPLE


def missing_sample() -> None:
    """Skip without ../shared/samples beside the clone; in CI (which has it) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"shared sample not found at {SAMPLE}; CI must run beside ../shared/samples")
    pytest.skip(f"shared sample not found at {SAMPLE}")
