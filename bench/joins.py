"""Section 4 (bench/run.py): assembling a track from its segment MP3s and gaps: listen's
frame-level join against a careful pydub user (bench/join_one.py), each a whole process, for the
sample's alternating track and for a 30 min track made of it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from proc import BENCH, clean_env, listen_command, run, run_tree
from report import Report, median, mib, secs


def alternating_parts(source: Path, cache: Path) -> list[dict]:
    """The alternating track of `source` as segment files (in `cache`, built) and gaps."""
    from listen.audio.canonical import FRAME_SECONDS
    from listen.audio.silence import frames_for
    from listen.config import load_config
    from listen.engines.registry import create
    from listen.plan.article import plan_article
    from listen.plan.items import Gap, Segment
    from listen.synth.cache import SegmentCache
    from listen.synth.synthesizer import Synthesizer
    from listen.text import load_document
    from listen.voicing import Voicing

    from listen.lexicon import load_lexicon

    document = load_document(str(source))
    config = load_config().with_options(engine="espeak", cache_dir=str(cache))
    voicing = Voicing.decide(document.script, config.voice, config.timing, load_lexicon())
    sentence_gap = frames_for(config.timing.sentence_gap_ms / 1000) * FRAME_SECONDS
    plan = next(p for p in plan_article(document, voicing, config.timing) if p.kind == "alternating")
    engine = create("espeak", config)
    synth = Synthesizer({lang: engine for lang in ("en", "cmn", "yue")}, config, cache=SegmentCache(cache))
    parts = []
    for item in plan.items:
        if isinstance(item, Segment):  # its pieces (sentences), as the build joins them
            for k, piece in enumerate(item.pieces):
                if k:
                    parts.append({"gap": sentence_gap})
                path = SegmentCache(cache).path(synth.key(voicing.request(piece, item.lang)))
                assert path.exists(), path
                parts.append({"path": str(path)})
        elif isinstance(item, Gap):  # in whole frames, as listen writes it, so both tracks last the same
            parts.append({"gap": frames_for(item.seconds) * FRAME_SECONDS})
    return parts


def _decoded_seconds(path: Path) -> float:
    sys.path.insert(0, str(BENCH.parent / "tests"))
    from support.probe import decoded_duration

    return decoded_duration(path)


def bench_joins(report: Report, source: Path, work: Path, minutes: float, repeat: int) -> dict:
    section = "4"
    print(f"[4] track assembly: listen join vs careful pydub ({source.name}, {minutes:g} min)", file=sys.stderr, flush=True)
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    run([*listen_command(), "build", str(source), "--engine", "espeak", "-o", str(work / "out"), "--json"],
        clean_env(LISTEN_CACHE_DIR=str(cache)))
    parts = alternating_parts(source, cache)
    one = sum(p["gap"] for p in parts if "gap" in p)
    from listen.audio.frames import mp3_duration

    lengths = {p["path"]: mp3_duration(p["path"]) for p in parts if "path" in p}
    track_s = one + sum(lengths[p["path"]] for p in parts if "path" in p)
    long_parts: list[dict] = []
    while sum(p.get("gap", 0) + lengths.get(p.get("path"), 0) for p in long_parts) < minutes * 60:
        long_parts += parts + [{"gap": 1.512}]  # 63 frames
    results = {}
    for label, spec in (("alternating", parts), (f"{minutes:g} min", long_parts)):
        spec_path = work / f"parts-{len(spec)}.json"
        spec_path.write_text(json.dumps({"parts": spec}))
        runs: dict[str, list] = {"listen": [], "pydub": []}
        for _ in range(repeat):
            for method in runs:
                out = work / f"{method}-{len(spec)}.mp3"
                done = run_tree([sys.executable, str(BENCH / "join_one.py"), method, str(spec_path), str(out)],
                                clean_env())
                if done.returncode != 0:
                    raise RuntimeError(f"join_one {method} failed: {done.stderr[-1500:]}")
                runs[method].append((done, json.loads(done.stdout.strip().splitlines()[-1]), out))
        t = {m: median([r[0].seconds for r in v]) for m, v in runs.items()}
        durations = {m: _decoded_seconds(v[-1][2]) for m, v in runs.items()}
        distinct = len({p["path"] for p in spec if "path" in p})
        segments = sum(1 for p in spec if "path" in p)
        detail = runs["pydub"][0][1]
        report.add(section, f"{label} track ({durations['listen'] / 60:.1f} min, {segments} segments, {distinct} distinct): "
                   "listen join, whole process", secs(t["listen"]))
        report.add(section, f"{label}: careful pydub, whole process (decode {detail['decodes']} files + one "
                   "concatenation + one export)",
                   f"{secs(t['pydub'])} ({detail['decode_s']:.2f} + {detail['concatenate_s']:.2f} + {detail['export_s']:.2f} s)")
        report.add(section, f"{label}: careful pydub / listen", f"{t['pydub'] / t['listen']:.0f}x")
        report.add(section, f"{label}: decoded duration listen / pydub",
                   f"{durations['listen']:.3f} s / {durations['pydub']:.3f} s",
                   "equal within 0.1 s", ok=abs(durations["listen"] - durations["pydub"]) <= 0.1, flag=True)
        report.add(section, f"{label}: peak memory listen / pydub (VmHWM)",
                   f"{mib(runs['listen'][0][1]['hwm_kb'])} / {mib(runs['pydub'][0][1]['hwm_kb'])}")
        results[label] = {"seconds": t, "durations": durations}
    report.note(
        f"4: each method is a whole process (bench/join_one.py: interpreter, imports, the work), {repeat} runs, "
        "median. The parts are the sample's alternating track (its segment MP3s from a real build's cache and its "
        "gaps, in whole frames as listen writes them); the long track repeats it with a 1.512 s gap (63 frames) until it lasts the length given. The careful pydub user "
        "decodes each distinct file once (`AudioSegment.from_file(path, format='mp3', codec='mp3')`: one ffmpeg, no "
        "ffprobe), concatenates once (a bytes join into one AudioSegment, not `a + b` in a loop) and exports once "
        "with listen's encoder settings (48 kbit/s, -compression_level 7); listen joins frames and decodes nothing."
    )
    return results
