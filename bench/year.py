"""Section 5 (bench/run.py): a year of real-size generated editorials (bench/generate.py, ~6 KB
each) built as a folder, `listen build DIR --engine espeak --jobs 2`, as one whole process:
the time per article as the library grows (is it linear?) and the peak memory of the process tree."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import generate  # bench/generate.py
from proc import clean_env, listen_command, run_tree
from report import Report, mib, secs


def checkpoints(articles: int) -> list[int]:
    """40, 120 and 365 for a year; the same fractions of a smaller library."""
    if articles >= 365:
        return [40, 120, articles]
    return sorted({max(1, round(articles * 40 / 365)), max(2, round(articles * 120 / 365)), articles})


def bench_year(report: Report, work: Path, articles: int) -> dict:
    from listen.text import load_document

    section = "5"
    print(f"[5] a year: {articles} generated editorials", file=sys.stderr, flush=True)
    lib = work / "editorials"
    paths = generate.generate(lib, articles)
    bad = []
    for path in paths[:: max(1, len(paths) // 12)]:  # the generator is only useful if listen reads it as meant
        doc = load_document(str(path))
        if doc.date != path.stem[-10:] or not doc.title_zh or not 4 <= len(doc.en) <= 6 or not doc.zh \
                or not 2 <= len(doc.glossary) <= 4:
            bad.append(path.name)
    if bad:
        report.note(f"5: WARNING: generated files not parsed as intended: {', '.join(bad)}")
    size = sum(p.stat().st_size for p in paths)
    env = clean_env(LISTEN_CACHE_DIR=str(work / "cache"))
    cmd = [*listen_command(), "build", str(lib), "--engine", "espeak", "--jobs", "2", "-o", str(work / "audio")]
    first = run_tree(cmd, env, work)
    if first.returncode != 0:
        raise RuntimeError(f"library build failed ({first.returncode}): {first.stderr[-2000:]}")
    done_at = [t for t, line in first.lines if line.startswith("built ")]
    second = run_tree([*cmd, "--json"], env, work)
    if second.returncode != 0:
        raise RuntimeError(f"library rebuild failed ({second.returncode}): {second.stderr[-2000:]}")
    again = json.loads(second.stdout.strip().splitlines()[-1])

    report.add(section, f"build {articles} editorials ({size / articles / 1000:.1f} KB each, {size / 1e6:.1f} MB), whole process",
               f"{secs(first.seconds)} ({len(done_at)} built)", f"{articles} built", ok=len(done_at) == articles, flag=True)
    per, per_cpu = {}, {}
    previous = (0, 0.0, 0.0)
    for n in checkpoints(articles):
        if n > len(done_at):
            break
        t = done_at[n - 1]
        cpu = first.cpu_at(t)
        per[n], per_cpu[n] = t / n, cpu / n
        marginal = (t - previous[1]) / (n - previous[0])
        report.add(section, f"after {n} articles: wall per article (articles {previous[0] + 1}–{n} alone) / CPU per article",
                   f"{per[n]:.2f} s ({marginal:.2f} s) / {per_cpu[n]:.2f} s")
        previous = (n, t, cpu)
    low, high = min(per), max(per)
    growth = per_cpu[high] / per_cpu[low] if per_cpu.get(low) else float("inf")
    report.add(section, f"CPU per article after {high} / after {low} articles (wall: {per[high] / per[low]:.2f})",
               f"{growth:.2f}", "<= 1.15 (linear: no growth)", ok=growth <= 1.15)
    report.add(section, "peak RSS, summed over the process tree", mib(first.peak_rss_sum_kb), "<= 200 MB",
               ok=first.peak_rss_sum_kb * 1024 <= 200e6)
    report.add(section, "peak PSS, summed over the process tree (shared pages split)", mib(first.peak_pss_sum_kb))
    report.add(section, "largest single process (VmHWM)", mib(first.peak_single_hwm_kb))
    report.add(section, "rebuild of the year, nothing changed, whole process",
               f"{secs(second.seconds)} ({again['skipped']} skipped)", f"{articles} skipped",
               ok=again["skipped"] == articles, flag=True)
    report.note(
        f"5: `{' '.join(['listen', *cmd[len(listen_command()):]])}` as one process with a fresh cache; the time "
        "of each article is when the command prints its `built` line (stdout unbuffered), so the time per "
        "article after N articles includes start-up, and the figure in brackets is the rate over that stretch "
        "alone; CPU per article is the CPU time of the whole tree (the CLI, its workers and their encoders, "
        "from /proc) by then, divided by N. Linearity is judged on CPU, which other work on the machine "
        "barely changes, while the wall time per article follows the machine's load; it must not grow with "
        "the library (it may fall: glossary terms recur across articles and are cached). Memory is sampled every 50 ms from /proc for the whole tree (the CLI, its 2 worker processes, "
        f"their ffmpeg encoders; peak {first.peak_processes} processes, {first.samples} samples): \"RSS sum\" counts "
        "pages shared between forked workers once per process (an upper bound), \"PSS sum\" splits them. Files: "
        f"bench/generate.py, seeded, {articles} days from 2025-01-01."
    )
    return {"per_article": per, "cpu_per_article": per_cpu, "peak_rss_sum_kb": first.peak_rss_sum_kb, "rebuild_s": second.seconds}
