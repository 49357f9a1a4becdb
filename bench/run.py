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
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

# The report and one module per benchmark, all in bench/.
from builds import bench_incremental  # (1)
from gtts_concurrency import bench_gtts  # (2)
from library import bench_library  # (4)
from report import Report, machine, plain_table, write_results
from track_join import bench_long_track  # (3)

DEFAULT_SAMPLE = REPO / "examples" / "harbour-ferries.txt"


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
