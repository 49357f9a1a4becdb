from __future__ import annotations

import pytest

from listen.errors import SynthesisError, TransientSynthesisError
from listen.synth.retry import call_with_retries


class Flaky:
    def __init__(self, failures, result="ok"):
        self.failures = list(failures)
        self.calls = 0
        self.result = result

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return self.result


def run(fn, **kw):
    delays = []
    kw = {"retries": 5, "backoff_s": 1.0, "max_backoff_s": 60.0, **kw}
    return call_with_retries(fn, sleep=delays.append, **kw), delays


def test_success_first_time_does_not_sleep():
    assert run(Flaky([])) == ("ok", [])


def test_exponential_backoff_with_small_jitter():
    fn = Flaky([TransientSynthesisError("503")] * 4)
    result, delays = run(fn)
    assert result == "ok" and fn.calls == 5
    for attempt, delay in enumerate(delays):
        assert 2**attempt <= delay <= 2**attempt * 1.1


def test_backoff_is_capped():
    fn = Flaky([TransientSynthesisError("503")] * 5)
    _, delays = run(fn, backoff_s=10.0, max_backoff_s=25.0)
    assert delays[0] >= 10 and all(d <= 25.0 for d in delays) and delays[-1] == 25.0


def test_retry_after_is_honoured_and_capped():
    fn = Flaky([TransientSynthesisError("429", retry_after=7), TransientSynthesisError("429", retry_after=500)])
    _, delays = run(fn, max_backoff_s=60.0)
    assert delays == [7.0, 60.0]


def test_zero_retry_after_means_no_sleep():
    _, delays = run(Flaky([TransientSynthesisError("429", retry_after=0)]))
    assert delays == []


def test_gives_up_with_count_and_last_cause():
    fn = Flaky([TransientSynthesisError("first")] * 5 + [TransientSynthesisError("503 Service Unavailable. Probable cause: x")])
    with pytest.raises(SynthesisError) as info:
        run(fn, label="gTTS")
    assert not isinstance(info.value, TransientSynthesisError)
    assert str(info.value) == "gTTS kept failing after 6 attempts: 503 Service Unavailable. Probable cause: x"
    assert fn.calls == 6


def test_zero_retries():
    fn = Flaky([TransientSynthesisError("boom")])
    with pytest.raises(SynthesisError, match="after 1 attempt: boom"):
        run(fn, retries=0)
    assert fn.calls == 1


def test_non_transient_errors_propagate_at_once():
    fn = Flaky([SynthesisError("403")])
    with pytest.raises(SynthesisError, match="^403$"):
        run(fn)
    assert fn.calls == 1
    fn = Flaky([ValueError("bug")])
    with pytest.raises(ValueError):
        run(fn)


def test_on_retry_reports_attempt_delay_and_error():
    seen = []
    errors = [TransientSynthesisError("a", retry_after=2), TransientSynthesisError("b", retry_after=3)]
    call_with_retries(Flaky(list(errors)), retries=3, backoff_s=1, max_backoff_s=10,
                      sleep=lambda s: None, on_retry=lambda *args: seen.append(args))
    assert seen == [(1, 2.0, errors[0]), (2, 3.0, errors[1])]
