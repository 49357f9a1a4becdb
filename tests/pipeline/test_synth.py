"""The shared synthesis layer: request concurrency cap, pieces in parallel, dedup, cache."""

from __future__ import annotations

import threading
import time

from types import MappingProxyType

from listen.config import load_config
from listen.engines.base import Audio, Capabilities, Engine, SpeechRequest
from listen.events import Emitter, Retrying, SegmentSynthesized, SynthesisStarted, Warned
from listen.synth.synthesizer import Synthesizer


class SlowOnlineEngine(Engine):
    """Sleeps like a network request; records how many calls were in flight at once."""

    NAME = "slow"
    CAPABILITIES = Capabilities(languages=frozenset({"en"}), offline=False, max_chars=20, concurrency=3,
                                quality=MappingProxyType({"en": 1}))

    def __init__(self, settings=None):
        super().__init__(settings)
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
    config = load_config().with_options(cache_dir=str(tmp_path), jobs=1)
    engine = SlowOnlineEngine()
    text = "One two three four. Five six seven eight. Nine ten eleven. Twelve thirteen. Fourteen."
    synth = Synthesizer({"en": engine}, config)
    [path] = synth.run([SpeechRequest(text=text, language="en")])
    assert path.exists()
    assert len(engine.texts) == 6 and all(len(t) <= 20 for t in engine.texts)
    assert engine.peak == 3  # the cap, reached even within one segment


def test_many_segments_never_exceed_the_cap_and_duplicates_are_made_once(tmp_path, monkeypatch):
    config = load_config().with_options(cache_dir=str(tmp_path))
    engine = SlowOnlineEngine()
    requests = [SpeechRequest(text=f"Segment number {i}.", language="en") for i in range(8)]
    events = []
    paths = Synthesizer({"en": engine}, config, emit=Emitter(events.append)).run(requests + requests[:3])
    assert engine.peak == 3
    assert len(engine.texts) == 8 and paths[8:] == paths[:3]
    assert events[0] == SynthesisStarted(total=8, cached=0)
    done = [e for e in events if isinstance(e, SegmentSynthesized)]
    assert [e.done for e in done] == list(range(1, 9)) and {e.total for e in done} == {8}
    again = Synthesizer({"en": engine}, config)
    again.run(requests)
    assert len(engine.texts) == 8 and again.stats.cached == 8 and again.stats.synthesized == 0


def test_retries_are_events_and_a_capped_wait_says_so(tmp_path):
    from listen.errors import TransientSynthesisError

    class Flaky(SlowOnlineEngine):
        failures = 2

        def synthesize(self, request):
            if self.failures:
                self.failures -= 1
                raise TransientSynthesisError("429 Too Many Requests", retry_after=3600)
            return super().synthesize(request)

    config = load_config().with_options(cache_dir=str(tmp_path), max_backoff_s=0.01)
    events = []
    Synthesizer({"en": Flaky()}, config, emit=Emitter(events.append)).run([SpeechRequest("Hi.", "en")])
    retries = [e for e in events if isinstance(e, Retrying)]
    assert [(e.attempt, e.delay_s, e.capped_from_s) for e in retries] == [(1, 0.01, 3600), (2, 0.01, 3600)]


def test_damaged_cache_entries_are_made_again_and_reported(tmp_path):
    config = load_config().with_options(cache_dir=str(tmp_path))
    engine = SlowOnlineEngine()
    requests = [SpeechRequest(text=f"Segment number {i}.", language="en") for i in range(3)]
    paths = Synthesizer({"en": engine}, config).run(requests)
    data = paths[1].read_bytes()
    paths[1].write_bytes(data[: len(data) // 2])  # truncated behind listen's back
    events = []
    again = Synthesizer({"en": engine}, config, emit=Emitter(events.append))
    assert again.run(requests) == paths
    assert (again.stats.synthesized, again.stats.cached, again.stats.damaged) == (1, 2, 1)
    assert [e.message for e in events if isinstance(e, Warned)] == ["1 cached segment was damaged and is made again."]
    assert paths[1].read_bytes() == data
