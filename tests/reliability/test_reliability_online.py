"""Online faults: whole gTTS builds against a fake endpoint that misbehaves.

Transient faults (429, 5xx, timeouts, dropped connections, 200 without usable audio) are retried
with backoff and the build completes; permanent ones (403, or transient ones beyond the retry
budget) stop it with one line naming the probable cause. Either way every finished segment
stays cached and a rerun asks the server only for what is missing.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import pytest

from support.fake_gtts import Reply
from listen.build.builder import build
from listen.config import load_config
from listen.events import SegmentSynthesized
from listen.errors import SynthesisError
from listen.text import load_document
from reliability_helpers import assert_valid_build, cache_entries, run_listen

pytestmark = pytest.mark.slow  # a fake server, real retry waits and subprocesses

ERROR_LINE = re.compile(r"^listen: error: .+ Probable cause: .+\S$")


@pytest.fixture
def config(fake, tmp_path):
    return load_config().with_options(
        engine="gtts", backoff_s=0.01, max_backoff_s=0.05, retries=3, output=str(tmp_path / "audio"), jobs=4,
    ).with_engine_table("gtts", {"url": fake.url, "timeout": 0.5})


@pytest.fixture
def doc(text_file):
    return load_document(str(text_file("tea")))


@pytest.fixture
def cache():
    return Path(os.environ["LISTEN_CACHE_DIR"])


_BASELINE: list[tuple[int, int]] = []


def clean_requests(fake, config, doc, tmp_path) -> tuple[int, int]:
    """(requests, segments) of a clean build in a throwaway cache and output (made once)."""
    if _BASELINE:
        return _BASELINE[0]
    result = build(doc, config.with_options(output=str(tmp_path / "baseline"),
                                            cache_dir=str(tmp_path / "baseline-cache")))
    count = len(fake.requests)
    fake.requests.clear()
    _BASELINE.append((count, result.synthesized))
    return _BASELINE[0]


TRANSIENT = {
    "429": Reply(status=429),
    "500": Reply(status=500),
    "502": Reply(status=502),
    "503": Reply(status=503, headers={"Retry-After": "0"}),
    "timeout": Reply(delay=3.0),  # longer than gtts_timeout
    "dropped": Reply(drop=True),
    "empty-body": Reply(body=b""),
    "empty-audio": Reply(audio=b""),
    "not-mp3": Reply(audio=b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)),
}


@pytest.mark.parametrize("fault", list(TRANSIENT))
def test_transient_faults_are_retried_and_the_build_completes(fault, fake, config, doc, tmp_path, cache):
    baseline, segments = clean_requests(fake, config, doc, tmp_path)
    fake.script(TRANSIENT[fault], TRANSIENT[fault])  # the first two requests fail
    result = build(doc, config)
    assert result.synthesized == segments and result.cached == 0
    assert len(fake.requests) == baseline + 2
    assert result.engine_calls == baseline + 2
    assert len(cache_entries(cache)) == segments
    assert_valid_build(result.output)


@pytest.mark.parametrize("header, low, high", [("1", 0.95, 1.8), (None, 0.0, 0.5)])
def test_retry_after_is_honoured(header, low, high, fake, config, doc):
    """429 with Retry-After: 1 -> the retry of that text comes ~1 s later; without it, after the short backoff."""
    seen: dict[str, list[float]] = {}
    lock = threading.Lock()
    first: list[str] = []

    def handler(request):
        with lock:
            seen.setdefault(request.text, []).append(time.monotonic())
            if not first:
                first.append(request.text)
                return Reply(status=429, headers={"Retry-After": header} if header else {})
        return Reply()

    fake.handler = handler
    result = build(doc, config.with_options(max_backoff_s=5.0))
    times = seen[first[0]]
    assert len(times) == 2
    assert low <= times[1] - times[0] < high
    assert result.synthesized > 0


def test_permanent_failure_keeps_finished_segments_and_rerun_makes_only_the_rest(fake, config, doc, cache):
    def handler(request):
        if "They say the talk" in (request.text or ""):
            return Reply(status=403, delay=0.3)  # the others finish meanwhile
        return Reply()

    fake.handler = handler
    with pytest.raises(SynthesisError) as info:
        build(doc, config)
    message = str(info.value)
    assert message.startswith("Google refused the request (403 Forbidden). Probable cause: ")
    # A permanent failure is not retried.
    assert sum("They say the talk" in (r.text or "") for r in fake.requests) == 1
    kept = len(cache_entries(cache))
    assert kept >= 1
    assert not (Path(config.output.dir) / doc.name / "manifest.json").exists()
    assert not list((cache / "segments").rglob(".*.tmp"))

    fake.handler = None
    fake.requests.clear()
    result = build(doc, config)
    assert result.cached == kept
    assert result.synthesized == len(cache_entries(cache)) - kept
    assert result.synthesized >= 1
    assert len(fake.requests) == result.engine_calls
    assert any("They say the talk" in (r.text or "") for r in fake.requests)
    assert_valid_build(result.output)


def test_transient_failure_beyond_the_retry_budget_stops_the_build(fake, config, doc, cache):
    calls = []

    def handler(request):
        if "They say the talk" in (request.text or ""):
            calls.append(request)
            return Reply(status=503)
        return Reply()

    fake.handler = handler
    with pytest.raises(SynthesisError) as info:
        build(doc, config.with_options(retries=2))
    assert len(calls) == 3
    assert str(info.value) == (
        "The gtts engine kept failing after 3 attempts: 503 Service Unavailable from the TTS API at 127.0.0.1. "
        "Probable cause: an upstream API error; try again later."
    )
    assert len(cache_entries(cache)) >= 1


def test_fatal_error_does_not_wait_for_other_workers_retry_delays(fake, config, doc):
    """A 403 stops the build at once even while another segment waits out a long Retry-After."""

    def handler(request):
        text = request.text or ""
        if "They say the talk" in text:
            return Reply(status=403, delay=0.3)
        if "Old tea houses" in text:
            return Reply(status=429, headers={"Retry-After": "30"})
        return Reply()

    fake.handler = handler
    started = time.monotonic()
    with pytest.raises(SynthesisError, match="403"):
        build(doc, config.with_options(max_backoff_s=60.0))
    assert time.monotonic() - started < 5


def test_ctrl_c_does_not_wait_for_retry_delays(fake, config, doc):
    """KeyboardInterrupt in the main thread while a worker waits out a Retry-After: out promptly."""

    def handler(request):
        if "Old tea houses" in (request.text or ""):
            return Reply(status=429, headers={"Retry-After": "30"})
        return Reply()

    fake.handler = handler

    def progress(event):
        if isinstance(event, SegmentSynthesized) and event.done >= 3:
            raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build(doc, config.with_options(max_backoff_s=60.0), on_event=progress)
    assert time.monotonic() - started < 5


# -- through the command line, the endpoint set by LISTEN_GTTS_URL --------------------------------


@pytest.fixture
def cli_env(env, fake, tmp_path):
    (tmp_path / "config.toml").write_text(
        "retries = 2\nbackoff_s = 0.01\nmax_backoff_s = 0.05\n\n[gtts]\ntimeout = 0.5\n", "utf-8"
    )
    return dict(env, LISTEN_GTTS_URL=fake.url)


def test_cli_transient_faults_then_success(fake, cli_env, text_file, tmp_path):
    fake.script(Reply(status=429), Reply(status=502), Reply(drop=True))
    done = run_listen("build", text_file("tea"), "--engine", "gtts", "-o", tmp_path / "audio", "--json", env=cli_env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["cached"] == 0 and summary["synthesized"] > 0
    assert_valid_build(tmp_path / "audio" / "tea")


@pytest.mark.parametrize(
    "status, line",
    [
        (403, "listen: error: Google refused the request (403 Forbidden). Probable cause: the endpoint blocks "
              "automated requests or the accent's domain is wrong; try again later. Or use --engine espeak, "
              "which works offline."),
        (503, "listen: error: The gtts engine kept failing after 3 attempts: 503 Service Unavailable from the "
              "TTS API at 127.0.0.1. Probable cause: an upstream API error; try again later. Or use --engine "
              "espeak, which works offline."),
    ],
)
def test_cli_permanent_failure_one_line_then_rerun_only_missing(status, line, fake, cli_env, text_file, tmp_path):
    source = text_file("tea")
    out = tmp_path / "audio"

    def handler(request):
        if "They say the talk" in (request.text or ""):
            return Reply(status=status, delay=0.3)
        return Reply()

    fake.handler = handler
    done = run_listen("build", source, "--engine", "gtts", "-o", out, env=cli_env)
    assert done.returncode == 4
    assert done.stderr.splitlines()[-1] == line  # after a line per retry attempt, for 503
    assert all(x.startswith("retry ") for x in done.stderr.splitlines()[:-1])
    assert ERROR_LINE.match(done.stderr.splitlines()[-1])
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (out / "tea" / "manifest.json").exists()
    kept = len(cache_entries(tmp_path / "cache"))
    assert kept >= 1

    fake.handler = None
    fake.requests.clear()
    done = run_listen("build", source, "--engine", "gtts", "-o", out, "--json", env=cli_env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["cached"] == kept
    assert summary["synthesized"] == len(cache_entries(tmp_path / "cache")) - kept >= 1
    assert len(fake.requests) >= summary["synthesized"]
    assert all(r.text for r in fake.requests)
    assert_valid_build(out / "tea")


# -- error lines say the cause in words; a capped wait is said ------------------------------------

_WHERE = ("Probable cause: no network, or the host is unreachable or blocked; try again later. Check the url "
          "setting in the [gtts] table of the config file (or LISTEN_GTTS_URL). Or use --engine espeak, which "
          "works offline.")
_SLOW = ("Probable cause: a slow or unstable network or an overloaded server; try again later. Check the timeout "
         "setting in the [gtts] table of the config file. Or use --engine espeak, which works offline.")
FAILED = "listen: error: The gtts engine kept failing after 1 attempt: "


@pytest.mark.parametrize("fault, line", [
    (Reply(drop=True), FAILED + "Failed to connect to 127.0.0.1 or the connection was dropped (the server closed "
                                "the connection without answering). " + _WHERE),
    (Reply(reset=True), FAILED + "Failed to connect to 127.0.0.1 or the connection was dropped (the server reset "
                                 "the connection). " + _WHERE),
    (Reply(cut=True), FAILED + "Failed to connect to 127.0.0.1 or the connection was dropped (the answer was cut "
                               "short). " + _WHERE),
    (None, FAILED + "Failed to connect to 127.0.0.1 or the connection was dropped (the connection was refused). "
           + _WHERE),
    (Reply(delay=2.0), FAILED + "No answer from 127.0.0.1 within 0.5 s. " + _SLOW),
    (Reply(trickle=0.2), FAILED + "No answer from 127.0.0.1 within 0.5 s. " + _SLOW),
], ids=["dropped", "reset", "cut-short", "refused", "hung", "dripping"])
def test_a_lost_connection_is_one_line_that_says_the_cause_in_words(fault, line, fake, cli_env, text_file, tmp_path):
    """No Python exception text (class names, errno, urllib3's pool description) reaches the user."""
    (tmp_path / "config.toml").write_text("retries = 0\n\n[gtts]\ntimeout = 0.5\n", "utf-8")
    if fault is None:
        cli_env = dict(cli_env, LISTEN_GTTS_URL="http://127.0.0.1:9/{tld}/_/TranslateWebserverUi/data/batchexecute")
    else:
        fake.default = fault
    done = run_listen("build", text_file("tea"), "--engine", "gtts", "-o", tmp_path / "audio", env=cli_env)
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == line + "\n"
    assert not re.search(r"Errno|Error\(|HTTPConnectionPool|urllib3|Max retries|object at|[<>]", done.stderr)


def test_a_retry_after_longer_than_max_backoff_is_said_in_one_line(fake, cli_env, text_file, tmp_path):
    (tmp_path / "config.toml").write_text("retries = 2\nmax_backoff_s = 0.5\njobs = 1\n\n[gtts]\nconcurrency = 1\n",
                                          "utf-8")
    fake.script(Reply(status=429, headers={"Retry-After": "3600"}))
    done = run_listen("build", text_file("tea"), "--engine", "gtts", "-o", tmp_path / "audio", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("retry 1 in 0.5 s (the server asked for 3600 s; waiting at most max_backoff_s): Google is "
                           "rate-limiting requests (429 Too Many Requests). Probable cause: too many requests in a "
                           "short time; try again later.\n")
    assert_valid_build(tmp_path / "audio" / "tea")
