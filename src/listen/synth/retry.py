"""Retries with exponential backoff for transient synthesis failures, honouring Retry-After."""

from __future__ import annotations

import random
import time
from typing import Callable, TypeVar

from ..errors import SynthesisError, TransientSynthesisError

__all__ = ["call_with_retries", "backoff_delay"]

T = TypeVar("T")

JITTER = 0.1  # up to +10 % on computed backoff delays (not on a server's Retry-After)


def backoff_delay(
    attempt: int,
    exc: TransientSynthesisError,
    *,
    backoff_s: float,
    max_backoff_s: float,
    random_fn: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `attempt` (0 = first retry) after `exc`."""
    if exc.retry_after is not None:
        return max(0.0, min(float(exc.retry_after), max_backoff_s))
    delay = backoff_s * (2**attempt) * (1.0 + JITTER * random_fn())
    return max(0.0, min(delay, max_backoff_s))


def call_with_retries(
    fn: Callable[[], T],
    *,
    retries: int,
    backoff_s: float,
    max_backoff_s: float,
    sleep: Callable[[float], object] = time.sleep,
    on_retry: Callable[[int, float, TransientSynthesisError], object] | None = None,
    label: str = "Speech synthesis",
) -> T:
    """Call `fn()`; retry it up to `retries` times while it raises TransientSynthesisError.

    Before retry number n (1-based) it waits the error's `retry_after` (capped at
    `max_backoff_s`), else `backoff_s * 2**(n-1)` plus up to 10 % jitter (also capped), and calls
    `on_retry(n, delay, exc)` first. Any other exception propagates at once. When every attempt
    failed it raises SynthesisError: "<label> kept failing after N attempts: <last cause>".
    """
    attempt = 0
    while True:
        try:
            return fn()
        except TransientSynthesisError as exc:
            if attempt >= retries:
                attempts = attempt + 1
                noun = "attempt" if attempts == 1 else "attempts"
                raise SynthesisError(
                    f"{label} kept failing after {attempts} {noun}: {exc}", engine=exc.engine,
                    setting=exc.setting, offline_alternative=exc.offline_alternative,
                ) from exc
            delay = backoff_delay(attempt, exc, backoff_s=backoff_s, max_backoff_s=max_backoff_s)
            attempt += 1
            if on_retry is not None:
                on_retry(attempt, delay, exc)
            if delay > 0:
                sleep(delay)
