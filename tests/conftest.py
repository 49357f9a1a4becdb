"""Shared test setup: isolated user dirs, no network, and a deterministic fake engine."""

from __future__ import annotations

import math
import os
import struct
import threading
from pathlib import Path

import pytest

from listen.engines.base import Audio, Engine, SpeechRequest, register, unregister

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
SAMPLE = SAMPLES / "mingpao-2025-05-12.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


class FakeEngine(Engine):
    """Speaks any text as a tone: 40 ms per character, pitch by language; counts its calls."""

    NAME = "fake"
    MAX_CHARS = None
    MAX_CONCURRENCY = 2
    NATIVE_SPEED = False
    RATE = 24000
    calls: list[SpeechRequest] = []
    _lock = threading.Lock()

    @property
    def version(self) -> str:
        return "1"

    def voice(self, request: SpeechRequest) -> str:
        return f"fake {request.lang}{'-' + request.chinese if request.lang == 'zh' else ''}"

    def synthesize(self, request: SpeechRequest) -> Audio:
        with self._lock:
            FakeEngine.calls.append(request)
            if os.environ.get("LISTEN_FAKE_LOG"):  # which process spoke (parallel library builds)
                with open(os.environ["LISTEN_FAKE_LOG"], "a") as log:
                    log.write(f"{os.getpid()}\n")
        seconds = min(0.2 + 0.04 * len(request.text), 8.0)
        freq = 440.0 if request.lang == "en" else 660.0
        n = int(seconds * self.RATE)
        amp = 8000 if request.lang == "en" else 3000  # different levels: loudness matching must even them
        samples = (int(amp * math.sin(2 * math.pi * freq * i / self.RATE)) for i in range(n))
        return Audio(struct.pack(f"<{n}h", *samples), "pcm", self.RATE)


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory, monkeypatch):
    """Each test gets its own cache and config, and no route to the real gTTS endpoint."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("LISTEN_CONFIG", str(base / "config.toml"))
    # A closed local port: `auto` must fall back to espeak quickly and tests never leave the machine.
    monkeypatch.setenv("LISTEN_GTTS_URL", "http://127.0.0.1:9/_/TranslateWebserverUi/data/batchexecute")
    monkeypatch.delenv("LISTEN_ENGINE", raising=False)


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
