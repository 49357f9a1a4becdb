"""Measure listen's performance claims side by side, in one run anyone can repeat (issue 6).

    python bench/run.py                 # full run (365 articles, 30 min track); writes bench/RESULTS.md
    python bench/run.py --quick         # 30 articles, 5 min track, 1 run each; prints only (unless --results)
    python bench/run.py --articles 100 --long-minutes 10 --only 3,4

Run from a clone after ``pip install -e .``. Everything stays on this machine: the offline
espeak engine, ffmpeg from imageio-ffmpeg, and a fake gTTS server on 127.0.0.1. Every stage
gets fresh temporary caches and output folders (your ~/.cache/listen and config are not used).

1. incremental builds of the example (cold, warm, one paragraph edited) with engine call counts;
2. gTTS requests in flight (listen's concurrent synthesis) vs one at a time, 200 ms latency;
3. a long track by listen's frame-level join vs pydub decode + concatenate + export;
4. a generated library of editorials built with ``listen build DIR --engine espeak --jobs 2``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402  (bench/generate.py)

DEFAULT_SAMPLE = REPO / "examples" / "harbour-ferries.txt"
COMMAND = "python bench/run.py"


# --- results -----------------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    metric: str
    value: str
    target: str = ""
    status: str = ""  # "ok", "MISSED", "FLAG" (differs from the expectation) or ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def add(self, section: str, metric: str, value: str, target: str = "", ok: bool | None = None, flag: bool = False) -> None:
        status = "" if ok is None else ("ok" if ok else ("FLAG" if flag else "MISSED"))
        self.rows.append(Row(section, metric, value, target, status))
        print(f"  {metric}: {value}" + (f"  (target {target}: {status})" if target else ""), file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)


def table(rows: list[Row]) -> str:
    header = ["#", "measurement", "result", "target / expected", "status"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    for r in rows:
        lines.append(f"| {r.section} | {r.metric} | {r.value} | {r.target} | {r.status} |")
    return "\n".join(lines)


def plain_table(rows: list[Row]) -> str:
    cols = [("#", [r.section for r in rows]), ("measurement", [r.metric for r in rows]),
            ("result", [r.value for r in rows]), ("target", [r.target for r in rows]), ("status", [r.status for r in rows])]
    widths = [max(len(h), *(len(v) for v in vals)) for h, vals in cols]
    out = ["  ".join(h.ljust(w) for (h, _), w in zip(cols, widths))]
    out.append("  ".join("-" * w for w in widths))
    for i in range(len(rows)):
        out.append("  ".join(vals[i].ljust(w) for (_, vals), w in zip(cols, widths)).rstrip())
    return "\n".join(out)


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def secs(s: float) -> str:
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def mib(kb: float) -> str:
    return f"{kb / 1024:.0f} MiB"


# --- machine -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["CPU"] = model.group(1).strip() if model else platform.processor() or "unknown"
    except OSError:
        info["CPU"] = platform.processor() or "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{os.cpu_count()} logical ({usable} usable by this process)"
    try:
        kb = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
        info["RAM"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["RAM"] = "unknown"
    info["Python"] = f"{platform.python_implementation()} {platform.python_version()}"
    os_name = platform.system()
    try:
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        os_name = pretty.group(1) if pretty else os_name
    except OSError:
        pass
    info["OS"] = f"{os_name} (kernel {platform.release()}, {platform.machine()})"
    from listen.audio.ffmpeg import ffmpeg_exe

    try:
        first = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True).stdout.splitlines()[0]
        info["ffmpeg"] = f"{first.replace('ffmpeg version ', '').split(' Copyright')[0]} (imageio-ffmpeg)"
    except (OSError, IndexError):
        info["ffmpeg"] = "unknown"
    try:
        from listen.config import Config
        from listen.engines.espeak import EspeakEngine

        info["espeak-ng"] = EspeakEngine(Config()).version.replace("espeak-ng ", "") + " (espeakng-loader)"
    except Exception as exc:  # noqa: BLE001 - reported, not fatal here
        info["espeak-ng"] = f"unavailable ({exc})"
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        info["listen"] = f"commit {commit.stdout.strip()}" if commit.returncode == 0 else "unknown"
    except OSError:
        info["listen"] = "unknown"
    info["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


# --- instrumentation -----------------------------------------------------------------------------


class ProcessCounter:
    """Counts processes started through `subprocess` (ffmpeg runs) while active."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def active(self):
        original = subprocess.Popen
        counter = self

        class Counting(original):  # type: ignore[misc, valid-type]
            def __init__(self, args, *a, **k):
                with counter._lock:
                    counter.count += 1
                super().__init__(args, *a, **k)

        subprocess.Popen = Counting  # type: ignore[misc]
        try:
            yield self
        finally:
            subprocess.Popen = original  # type: ignore[misc]


class CountingEngine:
    """Wraps an engine instance's synthesize to count calls and time spent in it."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.calls = 0
        self.seconds = 0.0
        self._lock = threading.Lock()
        original = engine.synthesize

        def synthesize(request):
            t0 = time.perf_counter()
            try:
                return original(request)
            finally:
                with self._lock:
                    self.calls += 1
                    self.seconds += time.perf_counter() - t0

        engine.synthesize = synthesize

    def reset(self) -> None:
        self.calls, self.seconds = 0, 0.0


@contextlib.contextmanager
def cache_dir(path: Path):
    """LISTEN_CACHE_DIR set to `path` (it overrides Config.cache_dir)."""
    old = os.environ.get("LISTEN_CACHE_DIR")
    os.environ["LISTEN_CACHE_DIR"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("LISTEN_CACHE_DIR", None)
        else:
            os.environ["LISTEN_CACHE_DIR"] = old


def unique_segments(plan) -> list:
    seen, out = set(), []
    for segment in [*plan.segments, *(s for t in plan.tracks for s in t.segments)]:
        if segment.id not in seen:
            seen.add(segment.id)
            out.append(segment)
    return out


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


# --- 2. gTTS concurrency -------------------------------------------------------------------------


def load_fake_gtts():
    path = REPO / "tests" / "engines" / "fake_gtts.py"
    spec = importlib.util.spec_from_file_location("bench_fake_gtts", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def schedule(durations: list[float], workers: int) -> float:
    """Makespan of running `durations` in order on `workers` (each takes the next when free)."""
    import heapq

    free = [0.0] * workers
    for d in durations:
        heapq.heappush(free, heapq.heappop(free) + d)
    return max(free)


def bench_gtts(report: Report, document, work: Path, repeat: int, latency: float = 0.2) -> None:
    from listen.cache import SegmentCache
    from listen.chunk import split_for_tts
    from listen.config import Config
    from listen.engines.gtts import GttsEngine, gtts_lang
    from listen.plan import make_plan
    from listen.synth import Synthesizer, speech_request

    section = "2"
    print(f"[2] gTTS against a fake server with {latency * 1000:.0f} ms latency", file=sys.stderr, flush=True)
    fake = load_fake_gtts()
    with fake.FakeGtts() as server:
        server.default = fake.Reply(delay=latency)
        base = Config(engine="gtts", gtts_url=server.url).validate()
        plan = make_plan(document, base)
        segments = unique_segments(plan)
        requests = [speech_request(s.text, s.lang, base, chinese=plan.chinese, script=document.script) for s in segments]
        pieces = [len(split_for_tts(r.text, GttsEngine.MAX_CHARS) or [r.text]) for r in requests]

        procs = ProcessCounter()

        def run(config: Config, label: str) -> tuple[float, int, int]:
            engine = GttsEngine(config)
            synth = Synthesizer(engine, config, cache=SegmentCache(work / label))
            first = len(server.requests)
            procs.count = 0
            with procs.active():
                t0 = time.perf_counter()
                synth.run(requests)
                seconds = time.perf_counter() - t0
            return seconds, len(server.requests) - first, synth.workers

        # Warm up: imports, the first connection, ffmpeg in the page cache.
        Synthesizer(GttsEngine(base), base, cache=SegmentCache(work / "warmup")).run(requests[:1])
        serial_cfg = Config(engine="gtts", gtts_url=server.url, gtts_concurrency=1, jobs=1).validate()
        import gtts.tts

        wide_cfg = Config(engine="gtts", gtts_url=server.url, jobs=8).validate()
        times: dict[str, list[float]] = {"concurrent": [], "serial": [], "gtts": [], "wide": []}
        counts: dict[str, set[int]] = {"concurrent": set(), "serial": set(), "gtts": set()}
        for rep in range(repeat):
            t, n, workers = run(base, f"concurrent-{rep}")
            ffmpeg_runs = procs.count
            times["concurrent"].append(t)
            counts["concurrent"].add(n)
            # Diagnostic: the same 4 requests in flight, but 8 workers, so converting never holds a slot.
            t, _, wide_workers = run(wide_cfg, f"wide-{rep}")
            times["wide"].append(t)
            t, n, _ = run(serial_cfg, f"serial-{rep}")
            times["serial"].append(t)
            counts["serial"].add(n)
            # What the gTTS library / gtts-cli does: one request at a time, audio kept as Google sends it.
            original = gtts.tts._translate_url
            gtts.tts._translate_url = lambda tld="com", path="": server.plain_url
            try:
                first = len(server.requests)
                t0 = time.perf_counter()
                for r in requests:
                    gtts.tts.gTTS(r.text, lang=gtts_lang(r), lang_check=False).write_to_fp(io.BytesIO())
                times["gtts"].append(time.perf_counter() - t0)
                counts["gtts"].add(len(server.requests) - first)
            finally:
                gtts.tts._translate_url = original
    concurrent_s, serial_s, gtts_s = (median(times[k]) for k in ("concurrent", "serial", "gtts"))
    concurrent_n, serial_n, gtts_n = (",".join(map(str, sorted(counts[k]))) for k in ("concurrent", "serial", "gtts"))

    def spread(key: str) -> str:
        v = times[key]
        return secs(median(v)) + (f" ({secs(min(v))}–{secs(max(v))})" if len(v) > 1 else "")

    total = sum(pieces)
    ideal = total * latency / base.gtts_concurrency
    critical = max(pieces) * latency
    by_segment = schedule([n * latency for n in pieces], workers)
    report.add(section, f"HTTP requests ({len(requests)} segments, {total} pieces <= 100 chars)",
               f"{concurrent_n} concurrent / {serial_n} serial / {gtts_n} gTTS library")
    report.add(section, "listen: ffmpeg processes (one decode + one encode per segment)",
               f"{ffmpeg_runs} for {len(requests)} segments")
    report.add(section, f"listen, gtts_concurrency {base.gtts_concurrency}, jobs default ({workers} workers)", spread("concurrent"))
    report.add(section, "listen, one request at a time (gtts_concurrency 1, jobs 1)", spread("serial"))
    report.add(section, "gTTS library, one request at a time (as gtts-cli; no conversion)", spread("gtts"))
    ratio = serial_s / concurrent_s
    report.add(section, "speed-up: one-at-a-time / concurrent", f"{ratio:.2f}x", ">= 4x", ok=ratio >= 4)
    report.add(section, "speed-up vs the gTTS library", f"{gtts_s / concurrent_s:.2f}x")
    report.add(section, f"diagnostic: gtts_concurrency 4, jobs 8 ({wide_workers} workers)",
               f"{spread('wide')} = {serial_s / median(times['wide']):.2f}x")
    report.add(section, "latency-only bound: pieces spread over 4 / whole segments per worker",
               f"{ideal:.2f} s / {by_segment:.2f} s (max {serial_s / ideal:.2f}x / {serial_s / by_segment:.2f}x)")
    report.details["gtts"] = {
        "latency_s": latency, "segments": len(requests), "pieces": pieces, "concurrent_s": concurrent_s,
        "serial_s": serial_s, "gtts_library_s": gtts_s, "times": times, "requests": [concurrent_n, serial_n, gtts_n],
        "ideal_s": ideal, "critical_path_s": critical, "segment_schedule_s": by_segment,
    }
    report.note(
        f"2: {repeat} run{'s' if repeat > 1 else ''} of each, medians (min–max), fresh caches. Fake server = tests/engines/fake_gtts.py (imported by path), every answer delayed "
        f"{latency * 1000:.0f} ms, audio a 0.5 s MP3. Lower bound at {base.gtts_concurrency} requests in "
        f"flight: {total} x {latency:.1f} s / {base.gtts_concurrency} = {ideal:.2f} s; the longest segment has "
        f"{max(pieces)} pieces, requested side by side through the request pool. With "
        f"gtts_concurrency = 4 the speed-up over one request at a time exceeds 4x only because the "
        f"ffmpeg work (one decode + one encode per segment) overlaps the waiting, on "
        f"{os.cpu_count()} cores: the synthesizer keeps the request pool (4) apart from its conversion "
        f"workers. The diagnostic row adds more workers (`jobs = 8`) to show the defaults are not "
        f"short of them; see bench/FINDINGS.md."
    )


# --- 3. long track -------------------------------------------------------------------------------


def bench_long_track(report: Report, ctx: dict, work: Path, minutes: float, repeat: int) -> None:
    from listen.audio.format import FRAME_SECONDS
    from listen.audio.mp3 import Silence, mp3_duration
    from listen.audio.probe import decoded_duration
    from listen.plan import Gap, make_plan
    from listen.synth import Synthesizer, speech_request

    section = "3"
    print(f"[3] {minutes:g} min track: frame join vs pydub", file=sys.stderr, flush=True)
    document, config = ctx["document"], ctx["config"]
    plan = make_plan(document, config)
    track = plan.track("alternating")
    with cache_dir(ctx["cache"]):
        synth = Synthesizer(ctx["engine"], config)
        segs = track.segments
        paths = synth.run([speech_request(s.text, s.lang, config, chinese=plan.chinese, script=document.script) for s in segs])
        if synth.stats.engine_calls:
            report.note(f"3: WARNING: {synth.stats.engine_calls} engine calls while collecting cached segments")
    path_of = {s.id: str(p) for s, p in zip(segs, paths)}
    unit = [["gap", Silence(i.seconds).frames] if isinstance(i, Gap) else ["seg", path_of[i.id]] for i in track.items]
    unit_frames = sum(v if k == "gap" else round(mp3_duration(v) / FRAME_SECONDS) for k, v in unit)
    pair_gap = Silence(config.pair_gap_ms / 1000).frames

    def spec(target_minutes: float) -> tuple[Path, int, int]:
        parts, frames = [], 0
        while not parts or frames * FRAME_SECONDS < target_minutes * 60:
            if parts:
                parts.append(["gap", pair_gap])
                frames += pair_gap
            parts.extend(unit)
            frames += unit_frames
        path = work / f"spec-{target_minutes:g}.json"
        path.write_text(json.dumps({"parts": parts}))
        return path, len(parts), sum(1 for k, _ in parts if k == "seg")

    def worker(method: str, spec_path: Path, out: Path, *extra: str) -> dict:
        cmd = [sys.executable, str(BENCH / "longtrack.py"), method, str(spec_path), str(out), *extra]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{method} worker failed: {done.stderr.strip()[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    long_spec, n_parts, n_segs = spec(minutes)
    short_spec, _, _ = spec(0)  # one copy of the example's track
    res: dict[str, dict] = {}
    for method in ("join", "pydub"):
        runs = [worker(method, long_spec, work / f"{method}.mp3") for _ in range(repeat)]
        res[method] = min(runs, key=lambda r: abs(r["seconds"] - median([x["seconds"] for x in runs])))
        res[method]["all_seconds"] = [r["seconds"] for r in runs]
        res[method]["decoded_s"] = decoded_duration(work / f"{method}.mp3")
        res[method]["traced"] = worker(method, long_spec, work / f"{method}-t.mp3", "--tracemalloc")["tracemalloc_peak_bytes"]
        res[method]["short"] = worker(method, short_spec, work / f"{method}-short.mp3")
    frames_s = mp3_duration(work / "join.mp3")
    short_s = mp3_duration(work / "join-short.mp3")
    j, p = res["join"], res["pydub"]

    def spread(r: dict) -> str:
        v = r["all_seconds"]
        return secs(median(v)) + (f" ({secs(min(v))}–{secs(max(v))})" if len(v) > 1 else "")

    length = f"{frames_s / 60:.1f} min: {n_segs} segments + {n_parts - n_segs} gaps"
    report.add(section, f"listen join_mp3 ({length})", spread(j))
    b = p["breakdown"]
    report.add(section, "pydub: ffmpeg decode + concatenate + export",
               f"{spread(p)}; {b['decode_s']:.1f} + {b['concatenate_s']:.1f} + {b['export_s']:.1f} s")
    ratio = median(p["all_seconds"]) / median(j["all_seconds"])
    report.add(section, "speed-up: pydub / join", f"{ratio:.0f}x", ">= 20x", ok=ratio >= 20)
    diff = abs(j["decoded_s"] - p["decoded_s"])
    report.add(section, "decoded durations join / pydub (ffmpeg)",
               f"{j['decoded_s']:.3f} s / {p['decoded_s']:.3f} s (diff {diff:.3f} s)", "diff <= 0.1 s", ok=diff <= 0.1)
    for method in ("join", "pydub"):
        r = res[method]
        report.add(section, f"{method}: peak RSS, {short_s / 60:.1f} min -> {frames_s / 60:.1f} min track (growth over start)",
                   f"{mib(r['short']['maxrss_kb'])} -> {mib(r['maxrss_kb'])} "
                   f"(+{mib(r['short']['maxrss_kb'] - r['short']['rss_before_kb'])} -> +{mib(r['maxrss_kb'] - r['rss_before_kb'])})")
        report.add(section, f"{method}: tracemalloc peak ({frames_s / 60:.1f} min)", f"{r['traced'] / 1024 / 1024:.1f} MiB")
    report.details["long_track"] = res | {"frames_s": frames_s}
    report.note(
        f"3: the track repeats the example's alternating track (its {len(segs)} canonical segment MP3s from "
        f"the cache and its gaps, whole frames, a pair gap between copies) until it lasts {minutes:g} min; {repeat} run{'s' if repeat > 1 else ''} "
        f"of each, medians (min–max). Each method runs in its own "
        f"process (bench/longtrack.py); peak RSS is its VmHWM, \"growth\" is peak RSS minus RSS after imports. "
        f"pydub decodes every segment occurrence (as it would for a track of distinct segments), gaps are "
        f"`AudioSegment.silent` of the same whole-frame lengths, concatenation is `a + b` in a loop, export is "
        f"one ffmpeg/libmp3lame run at 48 kbit/s. tracemalloc peaks come from a second run of each (tracing "
        f"slows Python code, so times come from the untraced run); join memory-maps its inputs, which "
        f"tracemalloc does not see but RSS does."
    )


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


# --- main --------------------------------------------------------------------------------------


def write_results(path: Path, info: dict, report: Report, args, total_s: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Rerun with (from a clone, after `pip install -e .`):",
        "",
        "```sh",
        f"{COMMAND}{' --quick' if args.quick else ''}" + (f" --articles {args.articles}" if args.articles != (30 if args.quick else 365) else ""),
        "```",
        "",
        f"`{COMMAND} --quick` is a fast run (30 articles, a 5 min track, one run each). Everything runs on this machine "
        "(espeak offline, a fake gTTS server on 127.0.0.1) with fresh temporary caches.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        f"| load average at end | {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min; other work on the machine adds noise) |",
        f"| run | {args.articles} articles, {args.long_minutes:g} min track, {args.repeat} runs of 1-3, {total_s / 60:.1f} min in all |",
        "",
        "## Results",
        "",
        table(report.rows),
        "",
        "## How each number is measured",
        "",
        *(f"- {n}" for n in report.notes),
        "",
    ]
    lines += ["What limits the missed targets, with profiles: bench/FINDINGS.md (written for the run committed with it).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="30 articles and a 5 min track")
    parser.add_argument("--articles", type=int, help="editorials in the library benchmark (default 365; 30 with --quick)")
    parser.add_argument("--long-minutes", type=float, help="length of the long track (default 30; 5 with --quick)")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE, help="the example article (default examples/harbour-ferries.txt)")
    parser.add_argument("--only", default="1,2,3,4", help="benchmarks to run, e.g. 1,3 (2 and 3 need 1)")
    parser.add_argument("--results", type=Path, help="write the Markdown results here (default bench/RESULTS.md for full runs)")
    parser.add_argument("--json", type=Path, help="also write every raw number as JSON here")
    parser.add_argument("--repeat", type=int, help="runs of benchmarks 1-3; medians are reported (default 3; 1 with --quick)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.articles = args.articles or (30 if args.quick else 365)
    args.long_minutes = args.long_minutes or (5.0 if args.quick else 30.0)
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.results is None and not args.quick and args.only == "1,2,3,4":
        args.results = BENCH / "RESULTS.md"
    only = {s.strip() for s in args.only.split(",")}
    if not args.sample.exists():
        parser.error(f"the example {args.sample} does not exist (give another with --sample)")

    os.environ["LISTEN_CONFIG"] = str(Path(tempfile.gettempdir()) / "listen-bench-no-config.toml")
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    os.environ.pop("LISTEN_ENGINE", None)
    os.environ.pop("LISTEN_GTTS_URL", None)
    warnings.simplefilter("ignore")  # pydub's import-time warnings

    info = machine()
    for k, v in info.items():
        print(f"{k}: {v}", file=sys.stderr)
    report = Report()
    start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="listen-bench-"))
    try:
        ctx = None
        if only & {"1", "2", "3"}:
            (root / "1").mkdir()
            ctx = bench_incremental(report, args.sample, root / "1", args.repeat)
        if "2" in only:
            (root / "2").mkdir()
            bench_gtts(report, ctx["document"], root / "2", args.repeat)
        if "3" in only:
            (root / "3").mkdir()
            bench_long_track(report, ctx, root / "3", args.long_minutes, args.repeat)
        if "4" in only:
            (root / "4").mkdir()
            bench_library(report, root / "4", args.articles)
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - start
    print()
    print(plain_table(report.rows))
    print()
    for note in report.notes:
        print(f"- {note}")
    if args.results:
        write_results(args.results, info, report, args, total)
        print(f"\nWrote {args.results}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "details": report.details}, indent=1, default=str))
    missed = [f"{r.section}: {r.metric}" for r in report.rows if r.status in ("MISSED", "FLAG")]
    if missed:
        print("\nMissed targets / unexpected counts:\n  " + "\n  ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
