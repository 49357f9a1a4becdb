"""Benchmark 4 (bench/run.py): a generated library of editorials built with
``listen build DIR --engine espeak --jobs 2``, sampling the memory of the whole process tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import generate  # bench/generate.py
from report import Report, mib, secs

# --- 4. library ------------------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB; (0, 0) if it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class TreeRun:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_sum_kb: int
    peak_pss_sum_kb: int
    peak_single_rss_kb: int
    peak_single_hwm_kb: int  # largest VmHWM seen: the largest single process of the tree
    peak_processes: int
    samples: int


def run_tree(cmd: list[str], env: dict, cwd: Path, interval: float = 0.05) -> TreeRun:
    """Run `cmd`, sampling the RSS/PSS of its whole process tree every `interval` seconds."""
    out_path, err_path = cwd / "stdout.txt", cwd / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        peak_rss = peak_pss = peak_single = peak_hwm = peak_n = samples = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                seconds = time.perf_counter() - t0
                break
            kids = _children_map()
            tree, todo = [], [proc.pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo.extend(kids.get(p, []))
            mems = [_memory_kb(p) for p in tree]
            peak_hwm = max([peak_hwm, *(_hwm_kb(p) for p in tree)])
            peak_rss = max(peak_rss, sum(m[0] for m in mems))
            peak_pss = max(peak_pss, sum(m[1] for m in mems))
            peak_single = max([peak_single, *(m[0] for m in mems)])
            peak_n = max(peak_n, len(tree))
            samples += 1
            time.sleep(interval)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return TreeRun(seconds, proc.returncode, out_path.read_text(), err_path.read_text(), peak_rss, peak_pss,
                   peak_single, peak_hwm, peak_n, samples)


def bench_library(report: Report, work: Path, articles: int) -> None:
    from listen.text import load_document

    section = "4"
    print(f"[4] library of {articles} generated editorials", file=sys.stderr, flush=True)
    lib = work / "editorials"
    paths = generate.generate(lib, articles)
    # The generator is only useful if listen reads the files as intended: check a few.
    bad = []
    for path in paths[:: max(1, len(paths) // 12)]:
        doc = load_document(str(path))
        if doc.date != path.stem[-10:] or not doc.title_zh or not doc.en or not doc.zh or not 2 <= len(doc.glossary) <= 3:
            bad.append(path.name)
    if bad:
        report.note(f"4: WARNING: generated files not parsed as intended: {', '.join(bad)}")
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    env = dict(os.environ, LISTEN_CACHE_DIR=str(work / "cache"), LISTEN_CONFIG=str(work / "no-config.toml"),
               NO_PROXY="127.0.0.1,localhost")
    cmd = [sys.executable, "-m", "listen", "build", str(lib), "--engine", "espeak", "--jobs", "2",
           "-o", str(work / "audio"), "--json"]
    first = run_tree(cmd, env, work)
    if first.returncode != 0:
        raise RuntimeError(f"library build failed ({first.returncode}): {first.stderr[-2000:]}")
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    second = run_tree(cmd, env, work)
    if second.returncode != 0:
        raise RuntimeError(f"library rebuild failed ({second.returncode}): {second.stderr[-2000:]}")
    again = json.loads(second.stdout.strip().splitlines()[-1])

    report.add(section, f"build {articles} editorials ({chars / 1000:.0f}k chars; built/failed)",
               f"{secs(first.seconds)} ({summary['built']}/{len(summary['failed'])}; "
               f"{summary['synthesized']} synthesized, {summary['cached']} cached)",
               f"{articles} built", ok=summary["built"] == articles and not summary["failed"], flag=True)
    report.add(section, "time per editorial (wall, 2 workers)", f"{first.seconds / articles:.2f} s")
    report.add(section, "peak RSS, sum over the process tree", mib(first.peak_rss_sum_kb), "<= 200 MB",
               ok=first.peak_rss_sum_kb * 1024 <= 200e6)
    report.add(section, "peak PSS, sum over the process tree (shared pages split)", mib(first.peak_pss_sum_kb))
    report.add(section, "largest single process (VmHWM)", mib(first.peak_single_hwm_kb))
    report.add(section, "rebuild, nothing changed (skipped)", f"{secs(second.seconds)} ({again['skipped']} skipped)",
               f"<= 5 s, {articles} skipped", ok=second.seconds <= 5 and again["skipped"] == articles)
    report.add(section, "rebuild: peak RSS sum / synthesized", f"{mib(second.peak_rss_sum_kb)} / {again['synthesized']}")
    report.details["library"] = {"build": first.__dict__ | {"stdout": summary}, "rebuild": second.__dict__ | {"stdout": again}}
    report.note(
        f"4: `python -m listen build DIR --engine espeak --jobs 2 -o OUT --json` in a subprocess with a "
        f"fresh cache and output folder. Memory is sampled every 50 ms from /proc/PID/smaps_rollup for the "
        f"whole process tree (the CLI, its 2 worker processes, their ffmpeg runs; peak {first.peak_processes} "
        f"processes, {first.samples} samples): \"RSS sum\" counts pages shared between the forked workers once "
        f"per process (an upper bound), \"PSS sum\" splits them. The largest single process is the largest "
        f"VmHWM seen (ru_maxrss is no use here: on Linux an exec'd child's starts from its parent's RSS). Files come from bench/generate.py (seeded; {articles} days from 2025-01-01)."
    )
