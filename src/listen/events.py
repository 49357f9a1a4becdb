"""Progress events: what a build reports while it runs.

The builder calls `emit(event)` with typed events; the CLI's progress bar, its `--json` summary
and anything else that wants to follow a build (a log, a GUI) subscribe. Listeners run in the
thread that emits (the builder's main thread) and must be quick.

`subscribe(listener)` registers a process-wide listener, like a logging handler, for code that
runs the CLI as a whole and cannot pass a callback down (see `tests/support/killer.py`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterator

__all__ = [
    "Event", "Notice", "Warned", "SynthesisStarted", "SegmentSynthesized", "Retrying", "TrackWritten",
    "TrackKept", "Staged", "Committed", "FileSwitched", "Switched", "Emitter", "subscribe",
]


@dataclass(frozen=True)
class Event:
    """Base of every progress event. `name` is the short name tests and logs use."""

    @property
    def name(self) -> str:
        return _NAMES[type(self)]


@dataclass(frozen=True)
class Notice(Event):
    """Something the user should know that is not a problem (which engine was chosen, ...)."""

    message: str


@dataclass(frozen=True)
class Warned(Event):
    """Something the user should look at (an unmatched paragraph, a robotic fallback voice...)."""

    message: str


@dataclass(frozen=True)
class SynthesisStarted(Event):
    """`total` segments are to be synthesized; `cached` were found in the cache."""

    total: int
    cached: int


@dataclass(frozen=True)
class SegmentSynthesized(Event):
    """One more segment is in the cache (`done` of `total`)."""

    done: int
    total: int
    lang: str
    chars: int


@dataclass(frozen=True)
class Retrying(Event):
    """An engine call failed in a way a retry may fix; the next attempt starts after `delay_s`."""

    attempt: int
    delay_s: float
    reason: str
    capped_from_s: float | None = None  # the server asked for a longer wait than max_backoff_s


@dataclass(frozen=True)
class TrackWritten(Event):
    """A track (and its sidecars) is complete in the staging area, not yet visible."""

    file: str
    kind: str


@dataclass(frozen=True)
class TrackKept(Event):
    """A track is unchanged since the last build and was left as it is."""

    file: str
    kind: str


@dataclass(frozen=True)
class Staged(Event):
    """Every new file of the article is staged; the commit point comes next."""

    article: str
    files: int


@dataclass(frozen=True)
class Committed(Event):
    """The commit point has passed: the new version will be the one readers see."""

    article: str


@dataclass(frozen=True)
class FileSwitched(Event):
    """One staged file has replaced the live one (the manifest goes last)."""

    file: str


@dataclass(frozen=True)
class Switched(Event):
    """The new version is live: tracks, sidecars, playlist and manifest agree."""

    article: str


_NAMES = {
    Notice: "notice", Warned: "warning", SynthesisStarted: "synthesis", SegmentSynthesized: "segment",
    Retrying: "retry", TrackWritten: "track", TrackKept: "kept", Staged: "staged", Committed: "committed",
    FileSwitched: "switch", Switched: "switched",
}

Listener = Callable[[Event], None]
_global: list[Listener] = []
_lock = threading.Lock()


def subscribe(listener: Listener) -> Callable[[], None]:
    """Register a process-wide listener; returns a function that removes it."""
    with _lock:
        _global.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _global:
                _global.remove(listener)

    return unsubscribe


def _listeners() -> Iterator[Listener]:
    with _lock:
        yield from list(_global)


class Emitter:
    """Sends events to a local listener (the caller's) and the process-wide ones; keeps the
    warnings sent (a build's result lists them, whoever listened)."""

    def __init__(self, listener: Listener | None = None):
        self._listener = listener
        self.warnings: list[str] = []

    def __call__(self, event: Event) -> None:
        if isinstance(event, Warned):
            self.warnings.append(event.message)
        if self._listener is not None:
            self._listener(event)
        for listener in _listeners():
            listener(event)

    def notice(self, message: str) -> None:
        self(Notice(message))

    def warn(self, message: str) -> None:
        self(Warned(message))
