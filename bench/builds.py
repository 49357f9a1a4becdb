"""Benchmark 1 (bench/run.py): incremental builds of the example (cold, warm, one paragraph
edited) with engine call and ffmpeg process counts."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

from instrument import CountingEngine, ProcessCounter, cache_dir
from report import Report, median, secs

# --- 1. incremental builds -----------------------------------------------------------------------


def edit_one_paragraph(raw: str, document, plan) -> tuple[str, int, str]:
    """`raw` with one word added to one English paragraph: (new text, paragraph index, word)."""
    examples = {s.text for s in plan.segments if s.role == "glossary"}
    order = sorted(range(len(document.en)), key=lambda i: abs(i - len(document.en) // 2))
    for index in order:
        for sentence in document.en[index].sentences or (document.en[index].text,):
            if sentence in examples:
                continue  # a glossary example sentence would change a second segment
            for word in re.findall(r"(?<= )[a-z]{5,}(?= )", sentence):
                needle = f" {word} "
                if raw.count(needle) == 1:
                    return raw.replace(needle, f" {word} really ", 1), index, word
    raise RuntimeError("found no English word to edit in the sample")


def bench_incremental(report: Report, sample: Path, work: Path, repeat: int) -> dict:
    from listen.build import build
    from listen.config import Config
    from listen.engines.base import create_engine
    from listen.plan import make_plan
    from listen.text import load_document

    section = "1"
    print("[1] incremental builds of the example with espeak", file=sys.stderr, flush=True)
    procs = ProcessCounter()
    t0 = time.perf_counter()
    engine = create_engine("espeak", Config(engine="espeak"))
    init_s = time.perf_counter() - t0
    counting = CountingEngine(engine)
    runs: list[dict] = []
    for rep in range(repeat):
        base = work / f"run-{rep + 1}"
        src = base / "input" / sample.name
        src.parent.mkdir(parents=True)
        shutil.copyfile(sample, src)
        out = base / "audio"
        config = Config(engine="espeak", output=str(out)).validate()
        results: dict = {}
        with cache_dir(base / "cache"):

            def one(label: str) -> dict:
                counting.reset()
                procs.count = 0
                before = {p: p.stat().st_mtime_ns for p in out.rglob("*.mp3")} if out.exists() else {}
                with procs.active():
                    t0 = time.perf_counter()
                    document = load_document(str(src))
                    result = build(document, config, engine=engine)
                    seconds = time.perf_counter() - t0
                after = {p: p.stat().st_mtime_ns for p in out.rglob("*.mp3")}
                results[label] = r = {
                    "seconds": seconds, "engine_calls": counting.calls, "engine_s": counting.seconds,
                    "stat_engine_calls": result.engine_calls, "synthesized": result.synthesized,
                    "cached": result.cached, "processes": procs.count,
                    "mp3_rewritten": sum(1 for p, m in after.items() if before.get(p) != m),
                    "mp3_files": len(after), "document": document,
                }
                return r

            cold = one("cold")
            one("warm")
            old_plan = make_plan(cold["document"], config)
            edited_text, index, word = edit_one_paragraph(src.read_text(encoding="utf-8"), cold["document"], old_plan)
            src.write_text(edited_text, encoding="utf-8")
            new_plan = make_plan(load_document(str(src)), config)
            changed = {(s.lang, s.text) for s in new_plan.segments} - {(s.lang, s.text) for s in old_plan.segments}
            one("edited")
        results["edit"] = {"paragraph": index, "word": word, "changed_segments": len(changed)}
        runs.append(results)
        if rep == 0:
            ctx = {"document": cold["document"], "config": config, "cache": base / "cache", "engine": engine}

    def med(label: str, key: str = "seconds") -> float:
        return median([r[label][key] for r in runs])

    def spread(label: str) -> str:
        values = [r[label]["seconds"] for r in runs]
        return secs(median(values)) + (f" ({secs(min(values))}–{secs(max(values))})" if len(values) > 1 else "")

    def counts(label: str, *keys: str) -> str:
        seen = sorted({" / ".join(str(r[label][k]) for k in keys) for r in runs})
        return ", ".join(seen)

    first = runs[0]
    segs = first["cold"]["synthesized"] + first["cold"]["cached"]
    report.add(section, f"cold build ({segs} segments, {first['cold']['mp3_files']} MP3 files)", spread("cold"))
    report.add(section, "cold: engine calls / segments synthesized", counts("cold", "engine_calls", "synthesized"),
               f"{segs} / {segs}",
               ok=all(r["cold"]["engine_calls"] == segs == r["cold"]["synthesized"] for r in runs), flag=True)
    report.add(section, "cold: ffmpeg processes / synthesized segment",
               f"{first['cold']['processes']} / {first['cold']['synthesized']} = "
               f"{first['cold']['processes'] / max(1, first['cold']['synthesized']):.2f}",
               "1 each (+1 for the silent frame)",
               ok=all(r["cold"]["processes"] <= r["cold"]["synthesized"] + 1 for r in runs), flag=True)
    report.add(section, "warm rebuild (nothing changed)", spread("warm"))
    report.add(section, "warm: engine calls / synthesized / MP3 files rewritten",
               counts("warm", "engine_calls", "synthesized", "mp3_rewritten"), "0 / 0 / 0",
               ok=all(r["warm"]["engine_calls"] == r["warm"]["synthesized"] == r["warm"]["mp3_rewritten"] == 0 for r in runs),
               flag=True)
    ratio = med("warm") / med("cold")
    report.add(section, "warm / cold time", f"{ratio:.3f} (warm {1 / ratio:.0f}x faster)")
    edit = first["edit"]
    report.add(section, f"one paragraph edited (EN {edit['paragraph'] + 1}: \"{edit['word']}\" -> \"{edit['word']} really\")",
               spread("edited"))
    report.add(section, "edited: engine calls / synthesized", counts("edited", "engine_calls", "synthesized"),
               f"1 / 1 (plan diff: {edit['changed_segments']} segment)",
               ok=all(r["edited"]["engine_calls"] == r["edited"]["synthesized"] == r["edit"]["changed_segments"] == 1 for r in runs),
               flag=True)
    report.add(section, "edited / cold time", f"{med('edited') / med('cold'):.3f}")
    report.details["incremental"] = {
        "espeak_init_s": init_s,
        "runs": [{k: ({kk: vv for kk, vv in v.items() if kk != "document"}) for k, v in r.items()} for r in runs],
    }
    report.note(
        f"1: {repeat} run{'s' if repeat > 1 else ''}, each with a fresh cache and output folder; times are medians (min–max). Builds run in "
        f"this process through the library API (`load_document` + `build`, what `listen build FILE` calls) with "
        f"the default jobs ({os.cpu_count()} segment workers); espeak is created once beforehand ({init_s * 1000:.0f} ms, "
        f"not in the times). In the first cold build {first['cold']['engine_s']:.2f} s (summed over workers) was "
        f"spent inside espeak. Engine calls are counted by wrapping the engine's `synthesize` and agree with "
        f"BuildResult.engine_calls; ffmpeg processes are counted by wrapping `subprocess.Popen`. The edit adds one "
        f"word to one English sentence that no glossary entry quotes, so exactly one segment's text changes "
        f"(checked by diffing the two plans)."
    )
    return ctx
