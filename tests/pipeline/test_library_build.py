"""`listen build DIR`: every article, unchanged ones skipped, failures reported, an index."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from listen.cli import cli
from support.seed import seed_cache

ARTICLE = """date {date} The harbour was calm on {day}. Boats came and went.

The fare stays at {fare} dollars this year.

社評{dotted}：海港{day}

{day}日海港平靜，船來船往。

今年票價維持{fare}元。
"""


def write_article(folder, name, date, fare):
    y, m, d = date.split("-")
    text = ARTICLE.format(date=date, day=int(d), fare=fare, dotted=f"{y}.{m}.{d}")
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_folder_build_skips_unchanged_reports_failures_and_indexes(fake_engine, tmp_path):
    src = tmp_path / "texts"
    write_article(src, "a.txt", "2026-01-02", 5)
    write_article(src, "sub/b.txt", "2026-01-05", 6)
    write_article(src, "sub/a.txt", "2026-01-03", 7)  # same stem as a.txt: gets a distinct folder
    (src / "notes.odt").write_text("not an editorial", encoding="utf-8")  # not a file type listen reads
    out = tmp_path / "audio"

    result = run("build", str(src), "--engine", "fake", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert (summary["built"], summary["skipped"], summary["failed"]) == (3, 0, [])
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["a", "b", "sub-a"]

    index = json.loads((out / "library.json").read_text("utf-8"))
    assert [a["name"] for a in index["articles"]] == ["b", "sub-a", "a"]  # newest first
    assert index["articles"][0]["main"] == "b/alternating.mp3"
    m3u = [line for line in (out / "library.m3u8").read_text("utf-8").splitlines() if line and line[0] != "#"]
    assert m3u == ["b/alternating.mp3", "sub-a/alternating.mp3", "a/alternating.mp3"]
    assert all((out / line).exists() for line in m3u)

    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.parent != out}
    fake_engine.calls.clear()
    result = run("build", str(src), "--engine", "fake", "-o", str(out), "--json")
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert (summary["built"], summary["skipped"]) == (0, 3)
    assert fake_engine.calls == []
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # outputs untouched

    # One edited, one broken (binary) among good ones: the others still build; exit code 1.
    write_article(src, "a.txt", "2026-01-02", 9)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    result = CliRunner().invoke(cli, ["build", str(src), "--engine", "fake", "-o", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "built    " + str(src / "a.txt") + " (synthesized 2, cached 4)" in lines  # one sentence a side
    assert any(line.startswith("failed   " + str(src / "broken.txt") + ":") for line in lines)
    assert "Library " + str(out) + ": built 1, skipped 2, failed 1." in lines
    assert lines[-1].startswith("listen: error: 1 file(s) failed; first: " + str(src / "broken.txt"))


@pytest.mark.slow
def test_parallel_folder_build_matches_serial(fake_engine, tmp_path, monkeypatch):
    import os

    src = tmp_path / "texts"
    for day in range(1, 5):
        write_article(src, f"d{day}.txt", f"2026-02-0{day}", day)
    serial = run("build", str(src), "--engine", "fake", "-o", str(tmp_path / "s"), "--json")
    log = tmp_path / "speakers.log"
    monkeypatch.setenv("LISTEN_FAKE_LOG", str(log))
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(seed_cache(tmp_path / "fresh-cache")))
    parallel = run("build", str(src), "--engine", "fake", "-o", str(tmp_path / "p"), "--jobs", "2", "--json")
    assert serial.exit_code == parallel.exit_code == 0
    speakers = set(log.read_text().split())
    assert len(speakers) == 2 and str(os.getpid()) not in speakers  # two worker processes did the work
    for day in range(1, 5):
        a = json.loads((tmp_path / "s" / f"d{day}" / "manifest.json").read_text("utf-8"))
        b = json.loads((tmp_path / "p" / f"d{day}" / "manifest.json").read_text("utf-8"))
        assert [t["duration_s"] for t in a["tracks"]] == [t["duration_s"] for t in b["tracks"]]


def test_empty_folder_is_a_clear_error(fake_engine, tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "empty"), "--engine", "fake"])
    assert result.exit_code == 2
    assert result.output.strip() == f"listen: error: No text files (.txt, .text, .md, .markdown, .html, .htm) found under {tmp_path / 'empty'}."


def test_folder_build_with_drills_and_encoding(fake_engine, tmp_path):
    src = tmp_path / "texts"
    write_article(src, "a.txt", "2026-01-02", 5)
    big5 = src / "b.txt"
    big5.write_bytes(write_article(src, "tmp.txt", "2026-01-03", 6).read_text("utf-8").encode("big5"))
    (src / "tmp.txt").unlink()
    out = tmp_path / "audio"
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["build", str(src), "--engine", "fake", "-o", str(out), "--drills", "--encoding", "big5", "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    # a.txt is plain ASCII + UTF-8 Chinese: forcing Big5 on it fails, the Big5 file builds.
    assert summary["built"] == 1 and [f["source"] for f in summary["failed"]] == [str(src / "a.txt")]
    assert sorted(p.name for p in (out / "b" / "drills").glob("*.mp3")) == ["pair-01.mp3", "pair-02.mp3"]


def test_pairs_option_is_refused_for_a_folder(fake_engine, tmp_path):
    (tmp_path / "texts").mkdir()
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "texts"), "--engine", "fake", "--pairs", "1:1"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "listen: error: --pairs applies to one file; for a folder, put each file's pairs in a <file>.pairs sidecar."
    )
