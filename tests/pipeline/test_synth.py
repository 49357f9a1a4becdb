"""The shared synthesis layer: request concurrency cap, pieces in parallel, dedup, cache."""

from __future__ import annotations

import threading
import time

from listen.config import Config
from listen.engines.base import Audio, Engine, SpeechRequest
from listen.synth import Synthesizer


class SlowOnlineEngine(Engine):
    """Sleeps like a network request; records how many calls were in flight at once."""

    NAME = "slow"
    ONLINE = True
    MAX_CHARS = 20
    MAX_CONCURRENCY = 3

    def __init__(self, config):
        super().__init__(config)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.texts: list[str] = []

    @property
    def version(self) -> str:
        return "1"

    def voice(self, request: SpeechRequest) -> str:
        return "slow"

    def synthesize(self, request: SpeechRequest) -> Audio:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.texts.append(request.text)
        time.sleep(0.05)
        with self.lock:
            self.in_flight -= 1
        return Audio(b"\x10\x00" * 2400, "pcm", 24000)


def test_pieces_of_one_segment_are_requested_side_by_side_within_the_cap(tmp_path):
    config = Config(cache_dir=str(tmp_path), jobs=1)
    engine = SlowOnlineEngine(config)
    text = "One two three four. Five six seven eight. Nine ten eleven. Twelve thirteen. Fourteen."
    synth = Synthesizer(engine, config)
    [path] = synth.run([SpeechRequest(text=text, lang="en")])
    assert path.exists()
    assert len(engine.texts) == 6 and all(len(t) <= 20 for t in engine.texts)
    assert engine.peak == 3  # the cap, reached even within one segment


def test_many_segments_never_exceed_the_cap_and_duplicates_are_made_once(tmp_path, monkeypatch):
    config = Config(cache_dir=str(tmp_path))
    engine = SlowOnlineEngine(config)
    requests = [SpeechRequest(text=f"Segment number {i}.", lang="en") for i in range(8)]
    paths = Synthesizer(engine, config).run(requests + requests[:3])
    assert engine.peak == 3
    assert len(engine.texts) == 8 and paths[8:] == paths[:3]
    again = Synthesizer(engine, config)
    again.run(requests)
    assert len(engine.texts) == 8 and again.stats.cached == 8 and again.stats.synthesized == 0
