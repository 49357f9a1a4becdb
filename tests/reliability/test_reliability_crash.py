"""Crashes: `listen build` killed (SIGKILL) or interrupted (Ctrl-C) at any moment.

The faults come from `tests/support/killer.py`, which runs the real command line and acts at a named
progress event (the events the progress bar reads) or after a random delay. Afterwards every
visible file of the output folder and the cache is complete, what a reader sees (after the next
command finished or rolled back an interrupted switch) is one version whole — every listed track
decodes to its manifest duration and carries the manifest's segment times — and a rerun finishes
the build, synthesizing only the segments that were not cached.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability_helpers import (
    assert_consistent,
    assert_only_complete_files,
    assert_valid_build,
    cache_entries,
    run_listen,
    temp_files,
)

# Real subprocesses with the offline espeak engine; a few seconds each, part of the default run.
pytestmark = pytest.mark.slow

KILLER = Path(__file__).resolve().parents[1] / "support" / "killer.py"
INTERRUPTED = "listen: interrupted; finished work is kept, run again to continue."


def killer(at: str, *args, env, do: str = "kill", timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KILLER), "--at", at, "--do", do, "--", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout)


def read_as_a_reader(folder: Path):
    """What `listen serve` (or the next build) does first: finish or roll back an interrupted switch."""
    from listen.output.commit import read

    return read(folder)


@pytest.fixture
def paths(tmp_path, text_file):
    return text_file("tea"), tmp_path / "audio", tmp_path / "cache"


def build_args(source, out):
    return ("build", source, "--engine", "espeak", "-o", out, "--json")


@pytest.mark.parametrize("at", ["segment:3", "track:2", "track:7", "staged:1"])
def test_killed_first_build_leaves_no_version_and_rerun_finishes(at, paths, env):
    source, out, cache = paths
    killed = killer(at, *build_args(source, out), env=env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    assert_only_complete_files(out, cache)
    assert not (out / "tea" / "manifest.json").exists()  # before the commit point: nothing is visible
    assert read_as_a_reader(out / "tea") is None
    cached = len(cache_entries(cache))
    assert cached >= 1

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["cached"] == cached
    assert summary["synthesized"] == len(cache_entries(cache)) - cached
    assert_valid_build(out / "tea")
    assert_consistent(out / "tea")
    assert temp_files(out, cache) == []


def test_killed_after_the_commit_point_is_finished_by_the_next_reader(paths, env):
    source, out, cache = paths
    killed = killer("committed:1", *build_args(source, out), env=env)
    assert killed.returncode == -signal.SIGKILL
    assert (out / "tea" / ".listen-staging" / "COMMIT").exists()  # past the commit point
    article = read_as_a_reader(out / "tea")
    assert article is not None and len(article.tracks) > 10
    assert_consistent(out / "tea")


@pytest.fixture(scope="module")
def rebuild_case(tmp_path_factory):
    """An old version of tea built once, and the edited text whose rebuild the tests interrupt."""
    import os

    from reliability_helpers import DATA

    base = tmp_path_factory.mktemp("rebuild")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
    from support.seed import seed_cache

    env.update(LISTEN_CACHE_DIR=str(seed_cache(base / "cache")), LISTEN_CONFIG=str(base / "none.toml"),
               LISTEN_GTTS_URL="http://127.0.0.1:9/x", PYTHONUNBUFFERED="1")
    source = base / "tea.txt"
    source.write_bytes((DATA / "tea.txt").read_bytes())
    pristine = base / "pristine"
    assert run_listen(*build_args(source, pristine), env=env).returncode == 0
    old = json.loads((pristine / "tea" / "manifest.json").read_text("utf-8"))
    source.write_text(source.read_text("utf-8").replace("at six", "at half past five every single morning"), "utf-8")
    # The edited version once, so its segments are cached and the runs below reach every event quickly.
    edited = base / "edited"
    assert run_listen(*build_args(source, edited), env=env).returncode == 0
    new = json.loads((edited / "tea" / "manifest.json").read_text("utf-8"))
    return source, pristine, env, old, new


def _fresh(rebuild_case, tmp_path) -> Path:
    _, pristine, _, _, _ = rebuild_case
    out = tmp_path / "audio"
    shutil.copytree(pristine, out)
    return out


def _one_version(out: Path, old: dict, new: dict) -> str:
    """After the next reader: the old version whole or the new one whole; which one."""
    article = read_as_a_reader(out / "tea")
    manifest = assert_consistent(out / "tea")
    assert article is not None
    strip = lambda m: {k: v for k, v in m.items() if k != "tracks"}  # noqa: E731
    durations = {t["file"]: t["duration_s"] for t in manifest["tracks"]}
    if manifest["paragraphs"] == new["paragraphs"]:
        assert strip(manifest) == strip(new) and durations == {t["file"]: t["duration_s"] for t in new["tracks"]}
        return "new"
    assert strip(manifest) == strip(old) and durations == {t["file"]: t["duration_s"] for t in old["tracks"]}
    return "old"


# Every event a rebuild of the edited text emits, at its first and later occurrences.
EVENTS = ["synthesis:1", "track:1", "track:3", "kept:5", "staged:1", "committed:1", "switch:1", "switch:3",
          "switch:6", "switch:8", "switched:1"]


@pytest.mark.parametrize("at", EVENTS)
def test_rebuild_killed_at_every_event_leaves_one_version_whole(at, rebuild_case, tmp_path):
    source, _, env, old, new = rebuild_case
    out = _fresh(rebuild_case, tmp_path)
    killed = killer(at, *build_args(source, out), env=env)
    assert killed.returncode == -signal.SIGKILL, (at, killed.stderr)
    version = _one_version(out, old, new)
    assert version == ("old" if at.split(":")[0] in ("synthesis", "track", "kept", "staged") else "new")
    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["synthesized"] == 0
    assert _one_version(out, old, new) == "new"


def test_rebuild_killed_at_random_moments_leaves_one_version_whole(rebuild_case, tmp_path):
    source, _, env, old, new = rebuild_case
    started = time.monotonic()
    assert run_listen(*build_args(source, _fresh(rebuild_case, tmp_path / "timing")), env=env).returncode == 0
    length = time.monotonic() - started
    rng = random.Random(20261202)
    seen = []
    for attempt in range(10):
        out = _fresh(rebuild_case, tmp_path / f"run{attempt}")
        proc = subprocess.Popen([sys.executable, "-m", "listen", *map(str, build_args(source, out))], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * length)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        seen.append(_one_version(out, old, new))
    assert set(seen) <= {"old", "new"}


def test_a_stale_staging_folder_and_temp_files_of_dead_processes_are_removed(paths, env):
    source, out, cache = paths
    killed = killer("track:3", *build_args(source, out), env=env)
    assert killed.returncode == -signal.SIGKILL
    assert (out / "tea" / ".listen-staging").is_dir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    seg = cache / "segments" / "ab"
    seg.mkdir(parents=True, exist_ok=True)
    stale = seg / f".abcdef.mp3.{int(dead.stdout)}.zz99yy88.tmp"
    live = seg / f".abcdef.mp3.{__import__('os').getpid()}.zz99yy88.tmp"  # a concurrent build's entry
    for path in (stale, live):
        path.write_bytes(b"\xff\xf3partial")
    source.write_text(source.read_text("utf-8").replace("at six", "at seven"), "utf-8")  # something to make

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert not (out / "tea" / ".listen-staging").exists()
    assert not stale.exists() and live.exists()


def test_a_file_name_that_is_not_utf8_builds_and_publishes_only_its_name(tmp_path, env):
    import os

    from reliability_helpers import DATA

    source = os.fsencode(tmp_path) + b"/x\xff.txt"
    with open(source, "wb") as fh:
        fh.write((DATA / "tea.txt").read_bytes())
    done = subprocess.run([sys.executable.encode(), b"-m", b"listen", b"build", source, b"--engine", b"espeak",
                           b"-o", os.fsencode(tmp_path / "audio"), b"--json"], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    manifest = assert_valid_build(tmp_path / "audio" / "x")
    assert manifest["source"] == "x\ufffd.txt"  # the name, not the path: nothing of /home leaks
    assert_consistent(tmp_path / "audio" / "x")


# -- Ctrl-C -------------------------------------------------------------------------------------


def assert_interrupted(proc: subprocess.CompletedProcess | tuple[int, str], out, cache):
    code, stderr = (proc.returncode, proc.stderr) if hasattr(proc, "returncode") else proc
    assert code == 130, stderr
    assert stderr.splitlines() == [INTERRUPTED]
    assert_only_complete_files(out, cache)
    assert temp_files(out) == []
    assert not (out / "tea" / "manifest.json").exists()
    assert not (out / "tea" / ".listen-staging").exists()  # Ctrl-C drops what was staged


def test_ctrl_c_during_synthesis_exits_130_and_keeps_finished_segments(paths, env):
    source, out, cache = paths
    started = time.monotonic()
    proc = killer("segment:2", *build_args(source, out), env=env, do="interrupt")
    assert time.monotonic() - started < 6  # does not wait for the worker threads
    assert_interrupted(proc, out, cache)
    cached = len(cache_entries(cache))
    assert cached >= 2

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cached"] == cached
    assert_valid_build(out / "tea")


def interrupt_when_stalled(at: str, args, env, timeout=20) -> tuple[int, str]:
    """Run `listen` under the killer stalled at `at`, send SIGINT from outside, return (code, stderr)."""
    proc = subprocess.Popen([sys.executable, str(KILLER), "--at", at, "--do", "sleep", "--", *map(str, args)],
                            env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stderr.readline()
        assert line.startswith("killer: stalled"), (line, proc.poll())
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, stderr


def test_ctrl_c_while_synthesis_is_stalled(paths, env):
    source, out, cache = paths
    started = time.monotonic()
    result = interrupt_when_stalled("segment:2", build_args(source, out), env)
    assert time.monotonic() - started < 15
    assert_interrupted(result, out, cache)


def test_ctrl_c_during_track_assembly_removes_what_was_staged(paths, env):
    source, out, cache = paths
    result = interrupt_when_stalled("track:1", build_args(source, out), env)
    assert_interrupted(result, out, cache)
    assert not list((out / "tea").rglob("*.mp3"))
