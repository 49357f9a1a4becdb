"""Benchmark 2 (bench/run.py): gTTS requests in flight (listen's concurrent synthesis) vs one
at a time, against a fake gTTS server with 200 ms latency."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time
from pathlib import Path

from instrument import ProcessCounter, unique_segments
from report import Report, median, secs

REPO = Path(__file__).resolve().parent.parent


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
