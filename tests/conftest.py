"""Shared test setup: isolated user dirs, no network, and a deterministic fake engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listen.engines.registry import register, unregister
from support.fake_engine import FakeEngine
from support.seed import seed_cache

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
SAMPLE = SAMPLES / "mingpao-2025-05-12.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory, monkeypatch):
    """Each test gets its own cache and config, and no route to the real gTTS endpoint."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(seed_cache(base / "cache")))
    monkeypatch.setenv("LISTEN_CONFIG", str(base / "config.toml"))
    # A closed local port: `auto` must fall back to espeak quickly and tests never leave the machine.
    monkeypatch.setenv("LISTEN_GTTS_URL", "http://127.0.0.1:9/_/TranslateWebserverUi/data/batchexecute")
    monkeypatch.delenv("LISTEN_ENGINE", raising=False)
    # The same for edge-tts's WebSocket endpoint (a module constant its client reads per connection).
    edge_communicate = _edge_communicate()
    if edge_communicate is not None:
        monkeypatch.setattr(edge_communicate, "WSS_URL", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")


def _edge_communicate():
    try:
        from edge_tts import communicate
    except ImportError:
        return None
    return communicate


@pytest.fixture
def fake_engine():
    """Register the fake engine as `fake` and reset its call log."""
    FakeEngine.calls = []
    register(FakeEngine)
    yield FakeEngine
    unregister(FakeEngine.NAME)


@pytest.fixture
def sample_path() -> Path:
    if not SAMPLE.exists():
        missing_sample()
    return SAMPLE


def missing_sample() -> None:
    """Skip without ../shared/samples beside the clone; in CI (which has it) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"shared sample not found at {SAMPLE}; CI must run beside ../shared/samples")
    pytest.skip(f"shared sample not found at {SAMPLE}")


# Tests left out of the fast lane (`pytest -m "not slow"`, under 30 s): whole processes, servers
# on real sockets, fuzzing, timeouts, builds through the CLI. Measured with --durations; each
# took 0.4 s or more. Whole modules end in ".py", single tests name their function.
_SLOW = (
    "tests/publish/test_cli_serve.py",
    "tests/publish/test_hosts.py",
    "tests/publish/test_feed.py",
    "tests/publish/test_http.py::test_large_file_streams_across_chunks",
    "tests/publish/test_phone_pages.py::test_web_app_files_are_served",
    "tests/reliability/",
    "tests/text/test_formats.py::test_the_extractor_is_imported_only_for_web_pages",
    "tests/text/test_text_align.py::test_long_documents_align_in_linear_work",
    "tests/text/test_text_align.py::test_alignment_is_complete_and_monotonic",
    "tests/text/test_layout_fuzz.py",
    "tests/text/test_text_sentences.py::test_never_loses_characters",
    "tests/text/test_sentence_alignment_quality.py",
    "tests/engines/test_engine_edge.py::test_build_",
    "tests/engines/test_engine_gtts.py::test_a_dripping_answer_is_bounded_by_the_timeout",
    "tests/pipeline/test_cli_build.py",
    "tests/pipeline/test_library_build.py",
    "tests/pipeline/test_build.py::test_build_writes_every_track_with_matching_times_tags_and_lrc",
    "tests/pipeline/test_build.py::test_rebuild_remakes_drills_with_their_options_and_drops_missing_pairs",
    "tests/pipeline/test_loudness_and_gaps.py",
    "tests/export/test_anki.py",
    "tests/pipeline/test_build_romanisation.py",
    "tests/pipeline/test_commit_folder.py::test_a_build_waiting_for_a_failed_first_build_starts_again_on_its_own_folder",
    "tests/engines/test_engine_edge.py::test_a_silent_server_times_out",
    "tests/engines/test_engine_gtts.py::test_timeout_is_transient",
    "tests/engines/test_engine_gtts.py::test_unreachable_is_bounded_by_timeout",
    "tests/audio/test_audio_encode.py",
    "tests/pipeline/test_drill.py",
    "tests/text/test_sentence_gold.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        node = item.nodeid
        if any(node.startswith(s) if s.endswith("/") or "::" in s else node.split("::")[0] == s for s in _SLOW):
            item.add_marker(pytest.mark.slow)
