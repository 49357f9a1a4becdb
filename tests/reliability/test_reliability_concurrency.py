"""Two builds of the same file at once, sharing the cache and the output folder, both finish
with valid output; every cache entry decodes and the manifest parses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reliability_helpers import assert_only_complete_files, assert_valid_build, cache_entries, temp_files

# Real subprocesses with the offline espeak engine; a few seconds each, part of the default run.
pytestmark = pytest.mark.slow


def start(source, out, env, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "listen", "build", str(source), "--engine", "espeak", "-o", str(out), "--json", *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.parametrize("edit", [False, True], ids=["fresh", "rebuild-after-edit"])
def test_two_builds_of_the_same_file_at_once(tmp_path, text_file, env, edit):
    source = text_file("tea")
    out, cache = tmp_path / "audio", tmp_path / "cache"
    if edit:  # an earlier build exists; both processes replace its tracks
        first = start(source, out, env)
        assert first.wait(60) == 0, first.stderr.read()
        source.write_text(source.read_text("utf-8").replace("at six", "at half past five"), "utf-8")

    procs = [start(source, out, env, "--jobs", str(jobs)) for jobs in (1, 3)]
    results = [(p.wait(60), *p.communicate()) for p in procs]
    for code, stdout, stderr in results:
        assert code == 0, stderr
        summary = json.loads(stdout)
        assert summary["synthesized"] + summary["cached"] > 0

    manifest = assert_valid_build(out / "tea")
    assert ("half past five" in manifest["paragraphs"]["en"][0]["text"]) == edit
    assert_only_complete_files(out, cache)
    assert temp_files(out, cache) == []
    assert cache_entries(cache)
    # Every track the manifest names matches its segments (same build's files, not a mix).
    from support.probe import decoded_duration

    for track in manifest["tracks"]:
        assert abs(decoded_duration(out / "tea" / track["file"]) - track["duration_s"]) < 0.1, track["file"]
