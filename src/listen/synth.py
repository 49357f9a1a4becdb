"""Synthesis around any engine: cache, text splitting, concurrency and retries, in one place.

`Synthesizer.run(requests)` returns one canonical segment MP3 per request. A request whose
result is cached costs nothing; the others are split into pieces the engine accepts, spoken
with retries (transient failures back off, permanent ones abort the build), converted to the
canonical format and stored in the cache before anything else uses them. Segments finished
before a failure or an interrupt stay cached, so a rerun only does what is missing.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .cache import SegmentCache, cache_key, normalise_text
from .chunk import split_for_tts
from .config import Config
from .engines.base import Engine, SpeechRequest
from .faults import checkpoint
from .fsutil import sweep_temp
from .retry import call_with_retries

Progress = Callable[[int, int], None]


@dataclass
class SynthStats:
    synthesized: int = 0  # segments made by the engine in this run
    cached: int = 0  # segments found in the cache
    engine_calls: int = 0  # engine.synthesize calls (pieces), retries included
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class Synthesizer:
    def __init__(
        self,
        engine: Engine,
        config: Config,
        cache: SegmentCache | None = None,
        *,
        progress: Progress | None = None,
        on_retry: Callable[[int, float, Exception], None] | None = None,
    ):
        self.engine = engine
        self.config = config
        self.cache = cache or SegmentCache(config.cache_path())
        self.progress = progress
        self.on_retry = on_retry
        self.stats = SynthStats()
        # Set when the run stops (fatal error, Ctrl-C): workers waiting to retry give up at once.
        self._stop = threading.Event()
        limit = max(1, int(getattr(engine, "MAX_CONCURRENCY", 1)))
        self._engine_slots = threading.BoundedSemaphore(limit)
        cpus = os.cpu_count() or 1
        self._limit = limit
        # Online engines: pieces go to a pool of `limit` request threads, so the requests in
        # flight stay at the cap while other workers convert finished audio (ffmpeg) meanwhile.
        self._online = bool(engine.ONLINE) and limit > 1
        self._requests: ThreadPoolExecutor | None = None
        self.workers = (config.jobs or cpus) + (limit if self._online else 0)

    def key(self, request: SpeechRequest) -> str:
        return cache_key(
            text=request.text,
            engine=self.engine.NAME,
            engine_version=self.engine.version,
            voice=self.engine.voice(request),
            lang=request.lang,
            chinese=request.chinese if request.lang == "zh" else None,
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
        for key, request in unique.items():
            hit = self.cache.get(key)
            if hit is not None:
                paths[key] = hit
            else:
                todo.append((key, request))
        self.stats.add(cached=len(unique) - len(todo))
        # Longest first: the last segments to start are short, so the run ends with little tail.
        todo.sort(key=lambda item: len(item[1].text), reverse=True)
        total = len(todo)
        done = 0
        if self.progress and total:
            self.progress(0, total)
        if todo:
            sweep_temp(self.cache.root / "segments")  # left by a killed build
            self._stop.clear()
            pool = ThreadPoolExecutor(max_workers=min(self.workers, total), thread_name_prefix="synth")
            if self._online:
                self._requests = ThreadPoolExecutor(max_workers=self._limit, thread_name_prefix="request")
            futures: dict[Future, str] = {pool.submit(self._make, key, req): key for key, req in todo}
            try:
                pending = set(futures)
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        paths[futures[future]] = future.result()  # re-raises a fatal error
                        done += 1
                        if self.progress:
                            self.progress(done, total)
            except BaseException as exc:
                # Stop queued work and retry waits. After a fatal error the segments being spoken
                # finish and are cached; on Ctrl-C nothing waits for them (the CLI exits at once).
                self._stop.set()
                pool.shutdown(wait=not isinstance(exc, KeyboardInterrupt), cancel_futures=True)
                if self._requests:
                    self._requests.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
            if self._requests:
                self._requests.shutdown(wait=True)
                self._requests = None
        return [paths[k] for k in keys]

    def _make(self, key: str, request: SpeechRequest) -> Path:
        from .audio.format import segment_mp3

        pieces = split_for_tts(request.text, self.engine.MAX_CHARS) or [request.text]
        piece_requests = [
            SpeechRequest(text=p, lang=request.lang, chinese=request.chinese, script=request.script, speed=request.speed)
            for p in pieces
        ]
        if self._stop.is_set():
            raise _Stopped()
        requests_pool = self._requests
        if requests_pool is not None and len(piece_requests) > 1:
            # The pieces of one segment are requested side by side, not one after another.
            futures = [requests_pool.submit(self._speak, r) for r in piece_requests]
            try:
                audios = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        else:
            audios = [self._speak(r) for r in piece_requests]
        data = segment_mp3(audios, speed=request.speed, native_speed=self.engine.NATIVE_SPEED)
        path = self.cache.put(key, data)
        self.stats.add(synthesized=1)
        checkpoint("synth")
        return path

    def _speak(self, request: SpeechRequest):
        def attempt():
            self.stats.add(engine_calls=1)
            with self._engine_slots:
                if self._stop.is_set():
                    raise _Stopped()
                return self.engine.synthesize(request)

        def pause(delay: float) -> None:
            if self._stop.wait(delay):
                raise _Stopped()

        def retried(attempt_no: int, delay: float, exc: Exception) -> None:
            self.stats.add(retries=1)
            if self.on_retry:
                self.on_retry(attempt_no, delay, exc)

        return call_with_retries(
            attempt,
            retries=self.config.retries,
            backoff_s=self.config.backoff_s,
            max_backoff_s=self.config.max_backoff_s,
            on_retry=retried,
            sleep=pause,
            label="gTTS" if self.engine.NAME == "gtts" else f"The {self.engine.NAME} engine",
        )


class _Stopped(Exception):
    """A worker gave up because the run stopped; nobody reads its result."""


def speech_request(text: str, lang: str, config: Config, *, chinese: str, script: str | None) -> SpeechRequest:
    return SpeechRequest(
        text=normalise_text(text),
        lang=lang,  # type: ignore[arg-type]
        chinese=chinese,  # type: ignore[arg-type]
        script=script,  # type: ignore[arg-type]
        speed=config.speed_en if lang == "en" else config.speed_zh,
    )
