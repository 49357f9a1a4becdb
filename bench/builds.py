"""Section 2 (bench/run.py): building an article as a user does, whole process, start-up included
(`listen build FILE --engine espeak`): cold, warm, one paragraph edited; against the physical
limit of the same article measured in the same run (bench/limit.py), and the ways of encoding
segments side by side (bench/variant.py)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

from proc import BENCH, clean_env, listen_command, run
from report import Report, median, secs

VARIANTS = {  # bench/variant.py name -> what it is
    "stream": "one long-lived encoder",
    "pool2": "a pool of two long-lived encoders (as shipped)",
    "per-segment": "one encoder process per segment (before)",
}


def edit_one_paragraph(path: Path) -> str:
    """Append a sentence to the third English paragraph of `path` (in place); a description."""
    from listen.text import load_document

    raw = path.read_text("utf-8")
    paragraph = load_document(str(path)).en[min(2, len(load_document(str(path)).en) - 1)].text
    for size in (40, 25, 12):
        tail = paragraph[-size:]
        if raw.count(tail) == 1:
            at = raw.index(tail) + len(tail)
            path.write_text(raw[:at] + " Nobody disputes this." + raw[at:], "utf-8")
            return f'EN 3 + "Nobody disputes this."'
    raise RuntimeError(f"cannot find the end of the third English paragraph of {path}")


def _ffmpeg_counter(work: Path) -> tuple[Path, Path]:
    """An ffmpeg wrapper (for LISTEN_FFMPEG) that logs every run, and its log."""
    from listen.audio.ffmpeg import ffmpeg_exe

    log = work / "ffmpeg-runs.log"
    wrapper = work / "ffmpeg-counting"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{ffmpeg_exe()}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


def _build(cmd_prefix: list[str], text: Path, out: Path, cache: Path, **env: str):
    done = run([*cmd_prefix, "build", str(text), "--engine", "espeak", "-o", str(out), "--json"],
               clean_env(LISTEN_CACHE_DIR=str(cache), **env))
    return done, json.loads(done.stdout.strip().splitlines()[-1])


def bench_article(report: Report, section: str, source: Path, work: Path, repeat: int) -> dict:
    from limit import requests_of

    name = source.stem
    print(f"[{section}] builds of {source.name}", file=sys.stderr, flush=True)
    listen = listen_command()
    variant_cmd = {v: [sys.executable, str(BENCH / "variant.py"), v] for v in VARIANTS}
    times: dict[str, list[float]] = {k: [] for k in ("first", "cold", "warm", "edit", "limit", "engine", "loudness",
                                                      "encode", *(f"cold {v}" for v in VARIANTS))}
    cpu: dict[str, list[float]] = {"cold": [], "limit": []}
    counts = {}
    for rep in range(repeat):
        base = work / f"run{rep}"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        text = base / source.name
        shutil.copyfile(source, text)
        # Interleaved: the limit, the build, and the variants meet the same load.
        limit = run([sys.executable, str(BENCH / "limit.py"), str(text)], clean_env())
        spec = json.loads(limit.stdout)
        times["limit"].append(spec["limit_s"])
        times["engine"].append(spec["engine_s"])
        times["encode"].append(spec["encode_s"])
        times["loudness"].append(spec["loudness_s"])
        cpu["limit"].append(limit.cpu)
        # The first build on a machine also builds the alignment dictionary's index (kept in the
        # cache folder for every later article); a new article finds it there.
        first, _ = _build(listen, text, base / "out-first", base / "cache-first")
        times["first"].append(first.seconds)
        shutil.copytree(base / "cache-first" / "dictionaries", base / "cache" / "dictionaries")
        cold, summary = _build(listen, text, base / "out", base / "cache")
        times["cold"].append(cold.seconds)
        cpu["cold"].append(cold.cpu)
        warm, again = _build(listen, text, base / "out", base / "cache")
        times["warm"].append(warm.seconds)
        before = {(r.text, r.language) for r in requests_of(str(text))[1]}
        edit_label = edit_one_paragraph(text)
        expected = len({(r.text, r.language) for r in requests_of(str(text))[1]} - before)
        edit, edited = _build(listen, text, base / "out", base / "cache")
        times["edit"].append(edit.seconds)
        for v in VARIANTS:
            shutil.copytree(base / "cache-first" / "dictionaries", base / f"cache-{v}" / "dictionaries")
            done, _ = _build(variant_cmd[v], text, base / f"out-{v}", base / f"cache-{v}")
            times[f"cold {v}"].append(done.seconds)
        if rep == 0:
            counts = {"segments": spec["segments"], "audio_s": spec["audio_s"], "cold": summary, "warm": again,
                      "edit": edited, "edit_expected": expected, "edit_label": edit_label}
    # ffmpeg processes per cold build, counted through a logging wrapper (not in the timed runs).
    wrapper, log = _ffmpeg_counter(work)
    processes = {}
    for v in VARIANTS:
        log.unlink(missing_ok=True)
        text = work / "count" / source.name
        shutil.rmtree(text.parent, ignore_errors=True)
        text.parent.mkdir(parents=True)
        shutil.copyfile(source, text)
        _build(variant_cmd[v], text, text.parent / "out", text.parent / "cache", LISTEN_FFMPEG=str(wrapper))
        processes[v] = len(log.read_text().splitlines()) if log.exists() else 0

    m = {k: median(v) for k, v in times.items() if v}
    n = counts["segments"]
    span = lambda k: f"{secs(m[k])} ({secs(min(times[k]))}–{secs(max(times[k]))})"  # noqa: E731
    report.add(section, f"{name}: first build on the machine (the alignment dictionary's index made and cached), "
               "whole process", span("first"))
    report.add(section, f"{name}: cold build of a new article, whole process ({n} segments, "
               f"{counts['audio_s']:.0f} s of speech)", span("cold"))
    report.add(section, f"{name}: physical limit = espeak + one loudness measurement of each segment + one encode "
               "of the same audio",
               f"{secs(m['limit'])} = {secs(m['engine'])} + {secs(m['loudness'])} + {secs(m['encode'])}")
    ratio = m["cold"] / m["limit"]
    report.add(section, f"{name}: cold / physical limit", f"{ratio:.2f}x", "<= 1.3x" if section == "2" else "",
               ok=ratio <= 1.3 if section == "2" else None)
    report.add(section, f"{name}: CPU of the cold build / of the limit",
               f"{secs(median(cpu['cold']))} / {secs(median(cpu['limit']))}")
    report.add(section, f"{name}: warm rebuild (nothing changed), whole process", span("warm"),
               "<= 0.15 s" if section == "2" else "", ok=m["warm"] <= 0.15 if section == "2" else None)
    warm = counts["warm"]
    report.add(section, f"{name}: warm: synthesized / tracks written", f"{warm['synthesized']} / {warm['tracks']['written']}",
               "0 / 0", ok=warm["synthesized"] == 0 and warm["tracks"]["written"] == 0, flag=True)
    report.add(section, f"{name}: one paragraph edited ({counts['edit_label']}), whole process", span("edit"))
    report.add(section, f"{name}: edited: synthesized", str(counts["edit"]["synthesized"]),
               f"{counts['edit_expected']} (plan diff)", ok=counts["edit"]["synthesized"] == counts["edit_expected"],
               flag=True)
    for v, what in VARIANTS.items():
        report.add(section, f"{name}: cold, {what}: time / ffmpeg processes",
                   f"{span(f'cold {v}')} / {processes[v]}")
    return {"times": times, "cpu": cpu, "counts": counts, "processes": processes}


def note(report: Report, repeat: int) -> None:
    report.note(
        f"2, 3: `listen build FILE --engine espeak -o OUT --json` as a whole process (the console script; "
        f"interpreter start-up, imports, espeak, encoding, tracks, tags and the commit all included), {repeat} runs, "
        "median (min–max); each run has a fresh output folder: first (an empty cache: the first build on a "
        "machine, which also makes the alignment dictionary's index), cold (a cache holding only that index, as "
        "any article after the first finds it), then warm (nothing changed), then one paragraph edited and "
        "rebuilt. The physical limit (bench/limit.py, in the same runs, interleaved) is the espeak time for every "
        "distinct piece the build speaks (listen.build.builder.speech_requests), one BS.1770 loudness measurement "
        "of each (the least that -16 LUFS segments need) and one ffmpeg process encoding all that audio with the "
        "canonical settings: no start-up, limiter, trimming, joining, tags, romanisation or files. The encoder variants "
        "(bench/variant.py) build the same article cold with another encoding path; ffmpeg processes are counted "
        "in a separate build through a logging LISTEN_FFMPEG wrapper (without it, imageio-ffmpeg also runs "
        "`ffmpeg -version` once per process to check its binary: one more, off the critical path). Expected synthesized segments after the edit "
        "come from diffing the two texts' speech requests."
    )
