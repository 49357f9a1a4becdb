"""A deterministic engine for pipeline tests: speaks any text as a tone and counts its calls."""

from __future__ import annotations

import math
import os
import struct
import threading
from types import MappingProxyType

from listen.engines.base import Audio, Capabilities, Engine, SpeechRequest


class FakeEngine(Engine):
    """Speaks any text as a tone: 40 ms per character, pitch by language; counts its calls."""

    NAME = "fake"
    CAPABILITIES = Capabilities(
        languages=frozenset({"en", "cmn", "yue"}), offline=True, max_chars=None, concurrency=2,
        native_speed=False, quality=MappingProxyType({"en": 0, "cmn": 0, "yue": 0}),
    )
    RATE = 24000
    calls: list[SpeechRequest] = []
    _lock = threading.Lock()

    @property
    def version(self) -> str:
        return "1"

    def voice(self, request: SpeechRequest) -> str:
        return {"en": "fake en", "cmn": "fake zh-mandarin", "yue": "fake zh-cantonese"}[request.language]

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
