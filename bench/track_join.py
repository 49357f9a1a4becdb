"""Benchmark 3 (bench/run.py): a long track by listen's frame-level join vs pydub decode +
concatenate + export. Each assembly runs in its own process through bench/longtrack.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from instrument import cache_dir
from report import Report, median, mib, secs

BENCH = Path(__file__).resolve().parent


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
