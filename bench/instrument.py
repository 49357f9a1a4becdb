"""Instrumentation shared by the benchmarks in bench/run.py: counting processes and engine
calls, a private segment cache, the unique segments of a plan."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from pathlib import Path


class ProcessCounter:
    """Counts processes started through `subprocess` (ffmpeg runs) while active."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def active(self):
        original = subprocess.Popen
        counter = self

        class Counting(original):  # type: ignore[misc, valid-type]
            def __init__(self, args, *a, **k):
                with counter._lock:
                    counter.count += 1
                super().__init__(args, *a, **k)

        subprocess.Popen = Counting  # type: ignore[misc]
        try:
            yield self
        finally:
            subprocess.Popen = original  # type: ignore[misc]


class CountingEngine:
    """Wraps an engine instance's synthesize to count calls and time spent in it."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.calls = 0
        self.seconds = 0.0
        self._lock = threading.Lock()
        original = engine.synthesize

        def synthesize(request):
            t0 = time.perf_counter()
            try:
                return original(request)
            finally:
                with self._lock:
                    self.calls += 1
                    self.seconds += time.perf_counter() - t0

        engine.synthesize = synthesize

    def reset(self) -> None:
        self.calls, self.seconds = 0, 0.0


@contextlib.contextmanager
def cache_dir(path: Path):
    """LISTEN_CACHE_DIR set to `path` (it overrides Config.cache_dir)."""
    old = os.environ.get("LISTEN_CACHE_DIR")
    os.environ["LISTEN_CACHE_DIR"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("LISTEN_CACHE_DIR", None)
        else:
            os.environ["LISTEN_CACHE_DIR"] = old


def unique_segments(plan) -> list:
    seen, out = set(), []
    for segment in [*plan.segments, *(s for t in plan.tracks for s in t.segments)]:
        if segment.id not in seen:
            seen.add(segment.id)
            out.append(segment)
    return out
