"""Synthesis around any engines: cache, text splitting, concurrency and retries, in one place.

`Synthesizer.run(requests)` returns one canonical segment MP3 per request. A request whose
result is cached costs nothing; the others are split into pieces their engine accepts, spoken
with retries (transient failures back off, permanent ones abort the build), finished (trimmed,
normalised), encoded by a long-lived encoder shared by the whole run (`listen.audio.encode`)
and stored in the cache before anything else uses them. Segments finished
before a failure or an interrupt stay cached, so a rerun only does what is missing.

Each spoken language may have its own engine. Every engine's calls are capped at its declared
concurrency; the pieces of online engines go to a pool of request threads of that size, so
the requests in flight stay at the cap while other workers convert finished audio meanwhile.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from ..config import Config, RetrySettings
from ..engines.base import Engine, SpeechRequest
from ..events import Emitter, Retrying, SegmentSynthesized, SynthesisStarted
from ..fsutil import sweep_temp
from .cache import SegmentCache, cache_key
from .retry import call_with_retries

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["ENCODER_STREAMS", "SynthStats", "Synthesizer"]

# At most this many long-lived encoder processes per input format, and no more than the run has
# workers (a second one starts only while the first is busy). Two use both cores of a small
# machine once the engine is done; a folder built with --jobs N has one worker, so one encoder,
# per article. bench/RESULTS.md compares one, two and one process per segment.
ENCODER_STREAMS = 2


@dataclass
class SynthStats:
    synthesized: int = 0  # segments made by an engine in this run
    cached: int = 0  # segments found in the cache
    engine_calls: int = 0  # engine.synthesize calls (pieces), retries included
    retries: int = 0
    damaged: int = 0  # cache entries found damaged and made again
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class _Lane:
    """One engine's share of a run: its concurrency cap and, for online engines, request threads."""

    def __init__(self, engine: Engine):
        self.engine = engine
        caps = engine.capabilities
        self.limit = max(1, caps.concurrency)
        self.slots = threading.BoundedSemaphore(self.limit)
        self.online = not caps.offline and self.limit > 1
        self.pool: ThreadPoolExecutor | None = None


class Synthesizer:
    def __init__(
        self,
        engines: Mapping[str, Engine],
        config: Config,
        *,
        emit: Emitter | None = None,
        cache: SegmentCache | None = None,
    ):
        """`engines` maps each spoken language ("en", "cmn", "yue") to its engine."""
        self.engines = dict(engines)
        self.retry: RetrySettings = config.retry
        self.cache = cache or SegmentCache(config.output.cache_path)
        self.emit = emit or Emitter()
        self.stats = SynthStats()
        # Set when the run stops (fatal error, Ctrl-C): workers waiting to retry give up at once.
        self._stop = threading.Event()
        self._lanes = {id(e): _Lane(e) for e in self.engines.values()}
        self._encoder = None  # the encoder of the run in progress
        self.workers = config.output.workers + sum(lane.limit for lane in self._lanes.values() if lane.online)
        self.encoder_streams = max(1, min(ENCODER_STREAMS, config.output.workers))

    def engine(self, request: SpeechRequest) -> Engine:
        return self.engines[request.language]

    def key(self, request: SpeechRequest) -> str:
        engine = self.engine(request)
        return cache_key(
            text=request.text,
            engine=engine.name,
            engine_version=engine.version,
            voice=engine.voice(request),
            language=request.language,
            speed=round(request.speed, 3),
        )

    def run(self, requests: Sequence[SpeechRequest]) -> list[Path]:
        """One segment MP3 path per request, in order; identical requests are made once."""
        keys = [self.key(r) for r in requests]
        unique: dict[str, SpeechRequest] = {}
        for key, request in zip(keys, requests):
            unique.setdefault(key, request)
        paths: dict[str, Path] = {}
        todo: list[tuple[str, SpeechRequest]] = []
        damaged_before = self.cache.damaged
        for key, request in unique.items():
            hit = self.cache.get(key)
            if hit is not None:
                paths[key] = hit
            else:
                todo.append((key, request))
        damaged = self.cache.damaged - damaged_before
        self.stats.add(cached=len(unique) - len(todo), damaged=damaged)
        if damaged:
            self.emit.warn(f"{damaged} cached segment{'s were' if damaged != 1 else ' was'} damaged "
                           f"and {'are' if damaged != 1 else 'is'} made again.")
        # Longest first: the last segments to start are short, so the run ends with little tail.
        todo.sort(key=lambda item: len(item[1].text), reverse=True)
        total = len(todo)
        self.emit(SynthesisStarted(total=total, cached=len(unique) - total))
        if todo:
            self.cache.check_writable()
            sweep_temp(self.cache.root / "segments")  # left by a killed build
            self._run(todo, paths)
        return [paths[k] for k in keys]

    def _run(self, todo: list[tuple[str, SpeechRequest]], paths: dict[str, Path]) -> None:
        # Imported here: a rebuild that finds everything cached needs none of this.
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        from ..audio.encode import Encoder

        self._stop.clear()
        total = len(todo)
        pool = ThreadPoolExecutor(max_workers=min(self.workers, total), thread_name_prefix="synth")
        for lane in self._lanes.values():
            if lane.online:
                lane.pool = ThreadPoolExecutor(max_workers=lane.limit, thread_name_prefix=f"{lane.engine.name}-request")
        # Workers speak requests and hand the finished audio to long-lived encoders (one or two
        # per input format, listen.audio.encode) that turn it into segment frames while the
        # engines go on; a worker waits when its encoder is far behind, so audio does not pile up.
        encoder = self._encoder = Encoder(self.encoder_streams)
        speaking: dict[Future, tuple[str, SpeechRequest]] = {
            pool.submit(self._make, key, req): (key, req) for key, req in todo
        }
        encoding: dict[Future, tuple[str, SpeechRequest]] = {}
        done = 0

        def encode(future: Future) -> None:
            encoding[future.result()] = speaking.pop(future)  # re-raises a fatal error
            if not speaking:
                encoder.finish()  # nothing more will come: flush the last segments

        def store(future: Future) -> None:
            nonlocal done
            key, request = encoding.pop(future)
            paths[key] = self.cache.put(key, future.result())
            self.stats.add(synthesized=1)
            done += 1
            self.emit(SegmentSynthesized(done=done, total=total, lang=request.lang, chars=len(request.text)))

        try:
            while speaking or encoding:
                finished, _ = wait([*speaking, *encoding], return_when=FIRST_COMPLETED)
                for future in finished:
                    encode(future) if future in speaking else store(future)
        except BaseException as exc:
            # Stop queued work and retry waits. After a fatal error the segments being spoken
            # finish, are encoded and cached; on Ctrl-C nothing waits for them (the CLI exits at once).
            interrupted = not isinstance(exc, Exception)
            self._stop.set()
            pool.shutdown(wait=not interrupted, cancel_futures=True)
            for lane in self._lanes.values():
                if lane.pool:
                    lane.pool.shutdown(wait=False, cancel_futures=True)
                    lane.pool = None
            if not interrupted:
                self._salvage(speaking, encoding, encoder, paths)
            encoder.close(kill=interrupted)
            raise
        pool.shutdown(wait=True)
        encoder.close()
        for lane in self._lanes.values():
            if lane.pool:
                lane.pool.shutdown(wait=True)
                lane.pool = None

    def _salvage(self, speaking: dict, encoding: dict, encoder, paths: dict[str, Path]) -> None:
        """After a fatal error: cache every segment that was finished (its audio is paid for)."""
        for future, item in list(speaking.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                encoding[future.result()] = item
        encoder.finish()
        for future, (key, _request) in encoding.items():
            try:
                paths[key] = self.cache.put(key, future.result())
            except Exception:
                continue
            self.stats.add(synthesized=1)

    def _make(self, key: str, request: SpeechRequest):
        """Speak one request and hand its finished audio to the encoder; the future of its frames."""
        from ..audio.format import finish_segment
        from .chunk import split_for_tts

        lane = self._lanes[id(self.engine(request))]
        caps = lane.engine.capabilities
        pieces = split_for_tts(request.text, caps.max_chars) or [request.text]
        piece_requests = [
            SpeechRequest(text=p, language=request.language, script=request.script, speed=request.speed,
                          accent=request.accent)
            for p in pieces
        ]
        if self._stop.is_set():
            raise _Stopped()
        if lane.pool is not None and len(piece_requests) > 1:
            # The pieces of one segment are requested side by side, not one after another.
            futures = [lane.pool.submit(self._speak, lane, r) for r in piece_requests]
            try:
                audios = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        else:
            audios = [self._speak(lane, r) for r in piece_requests]
        return self._encoder.submit(finish_segment(audios, speed=request.speed, native_speed=caps.native_speed))

    def _speak(self, lane: _Lane, request: SpeechRequest):
        def attempt():
            self.stats.add(engine_calls=1)
            with lane.slots:
                if self._stop.is_set():
                    raise _Stopped()
                return lane.engine.synthesize(request)

        def pause(delay: float) -> None:
            if self._stop.wait(delay):
                raise _Stopped()

        def retried(attempt_no: int, delay: float, exc) -> None:
            self.stats.add(retries=1)
            asked = exc.retry_after
            capped = asked if asked is not None and asked > self.retry.max_backoff_s else None
            self.emit(Retrying(attempt=attempt_no, delay_s=delay, reason=str(exc), capped_from_s=capped))

        return call_with_retries(
            attempt,
            retries=self.retry.retries,
            backoff_s=self.retry.backoff_s,
            max_backoff_s=self.retry.max_backoff_s,
            on_retry=retried,
            sleep=pause,
            label=f"The {lane.engine.name} engine",
        )


class _Stopped(Exception):
    """A worker gave up because the run stopped; nobody reads its result."""
