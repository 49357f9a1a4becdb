"""Crashes: `listen build` killed (SIGKILL) or interrupted (Ctrl-C) at known points.

The faults come from LISTEN_FAULT checkpoints (src/listen/faults.py). Afterwards every file in
the output folder and the cache is absent or complete (MP3s decode cleanly), the only leftovers
are hidden temporary files, and a rerun finishes a valid build, removes those leftovers and
synthesizes only the segments that were not cached.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from reliability_helpers import (
    assert_only_complete_files,
    assert_valid_build,
    cache_entries,
    run_listen,
    temp_files,
)

# Real subprocesses with the offline espeak engine; a few seconds each, part of the default run.
pytestmark = pytest.mark.slow

INTERRUPTED = "listen: interrupted; finished work is kept, run again to continue."


@pytest.fixture
def paths(tmp_path, text_file):
    return text_file("tea"), tmp_path / "audio", tmp_path / "cache"


def build_args(source, out):
    return ("build", source, "--engine", "espeak", "-o", out, "--json")


@pytest.mark.parametrize(
    "fault",
    ["kill@synth:3", "kill@assemble:2", "kill@tag:7", "kill@manifest:1"],
)
def test_killed_build_leaves_only_complete_files_and_rerun_finishes(fault, paths, env):
    source, out, cache = paths
    killed = run_listen(*build_args(source, out), env=dict(env, LISTEN_FAULT=fault))
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    assert_only_complete_files(out, cache)
    assert not (out / "tea" / "manifest.json").exists()  # a folder with a manifest is a finished build
    if fault.startswith(("kill@assemble", "kill@tag")):
        assert temp_files(out)  # the track being written: hidden, swept by the rerun
    cached = len(cache_entries(cache))
    assert cached >= 1

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["cached"] == cached
    assert summary["synthesized"] == len(cache_entries(cache)) - cached
    assert_valid_build(out / "tea")
    assert_only_complete_files(cache)
    assert temp_files(out, cache) == []


def test_killed_rebuild_of_an_edited_text_keeps_every_file_complete(paths, env):
    source, out, cache = paths
    assert run_listen(*build_args(source, out), env=env).returncode == 0
    before = json.loads((out / "tea" / "manifest.json").read_text("utf-8"))
    source.write_text(source.read_text("utf-8").replace("at six", "at half past five"), "utf-8")

    killed = run_listen(*build_args(source, out), env=dict(env, LISTEN_FAULT="kill@tag:2"))
    assert killed.returncode == -signal.SIGKILL
    assert_only_complete_files(out, cache)
    # The old manifest stays until the new build is complete.
    assert json.loads((out / "tea" / "manifest.json").read_text("utf-8")) == before

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["synthesized"] == 0
    manifest = assert_valid_build(out / "tea")
    assert "half past five" in manifest["paragraphs"]["en"][0]
    assert temp_files(out, cache) == []


def test_stale_temp_files_of_dead_processes_are_swept_but_live_ones_kept(paths, env):
    source, out, cache = paths
    folder = out / "tea" / "pairs"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = folder / f".pair-01.mp3.{dead_pid}.abcd1234.tmp"
    live = folder / f".pair-01.mp3.{os.getpid()}.abcd1234.tmp"  # a concurrent build's file in progress
    seg = cache / "segments" / "ab"
    seg.mkdir(parents=True)
    stale_seg = seg / f".abcdef.mp3.{dead_pid}.zz99yy88.tmp"
    for path in (stale, live, stale_seg):
        path.write_bytes(b"\xff\xf3partial")

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and not stale_seg.exists()
    assert live.exists()


# -- Ctrl-C -------------------------------------------------------------------------------------


def assert_interrupted(proc: subprocess.CompletedProcess | tuple[int, str], out, cache):
    code, stderr = (proc.returncode, proc.stderr) if hasattr(proc, "returncode") else proc
    assert code == 130, stderr
    assert stderr.splitlines() == [INTERRUPTED]
    assert_only_complete_files(out, cache)
    assert temp_files(out) == []
    assert not (out / "tea" / "manifest.json").exists()


def test_ctrl_c_during_synthesis_exits_130_and_keeps_finished_segments(paths, env):
    source, out, cache = paths
    started = time.monotonic()
    proc = run_listen(*build_args(source, out), env=dict(env, LISTEN_FAULT="interrupt@synth:2"))
    assert time.monotonic() - started < 4  # does not wait for the worker threads
    assert_interrupted(proc, out, cache)
    cached = len(cache_entries(cache))
    assert cached >= 2

    done = run_listen(*build_args(source, out), env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cached"] == cached
    assert_valid_build(out / "tea")


def interrupt_when(args, env, ready, timeout=20) -> tuple[int, str]:
    """Start `listen`, send SIGINT once `ready()` is true, return (exit code, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "listen", *map(str, args)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "checkpoint not reached"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, stderr


def test_ctrl_c_while_a_worker_is_stuck_in_synthesis(paths, env):
    """SIGINT from outside while a worker thread hangs (sleep@synth): no wait for it, exit 130."""
    source, out, cache = paths
    started = time.monotonic()
    result = interrupt_when(build_args(source, out), dict(env, LISTEN_FAULT="sleep@synth:2"),
                            ready=lambda: len(cache_entries(cache)) >= 2)
    assert time.monotonic() - started < 15
    assert_interrupted(result, out, cache)


def test_ctrl_c_during_track_assembly_removes_the_partial_track(paths, env):
    source, out, cache = paths
    folder = out / "tea"
    result = interrupt_when(build_args(source, out), dict(env, LISTEN_FAULT="sleep@assemble:1"),
                            ready=lambda: bool(temp_files(folder)))
    assert_interrupted(result, out, cache)
    assert not list(folder.rglob("*.mp3"))
