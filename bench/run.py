"""Measure listen as a user runs it, against fair baselines, in one run anyone can repeat (issue 10).

    python bench/run.py              # full run (~15 min on 2 cores); writes bench/RESULTS.md
    python bench/run.py --quick      # one run of each, 40 articles, a 5 min track; prints only
    python bench/run.py --only 1,2 --repeat 9

Run from a clone after ``pip install -e '.[bench]'``. Every number is a whole process, start-up included
(the `listen` console script, or a helper script in bench/), with fresh temporary caches and
output folders; everything stays on this machine (espeak offline, ffmpeg from imageio-ffmpeg).

1. start-up: `listen --version`, `--help`, `inspect` against a bare interpreter; heavy imports;
2. the shared sample (real size): cold, warm, one edit, against its physical limit (espeak + one
   encode of the same audio, same run), and the ways of encoding segments side by side;
3. the same for examples/harbour-ferries.txt;
4. assembling a track: listen's frame join against a careful pydub user, sample-size and 30 min;
5. a year of real-size generated editorials: time per article at 40/120/365, peak memory.
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

from builds import bench_article, note as builds_note  # (2, 3)
from joins import bench_joins  # (4)
from report import Report, machine, plain_table, write_results
from startup import bench_startup  # (1)
from year import bench_year  # (5)

SAMPLE = REPO.parent / "shared" / "samples" / "mingpao-2025-05-12.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, 40 articles, a 5 min track")
    parser.add_argument("--articles", type=int, help="editorials in section 5 (default 365; 40 with --quick)")
    parser.add_argument("--long-minutes", type=float, help="length of the long track in section 4 (default 30; 5 with --quick)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the real-size article (default ../shared/samples/mingpao-2025-05-12.txt)")
    parser.add_argument("--only", default="1,2,3,4,5", help="sections to run, e.g. 1,2")
    parser.add_argument("--repeat", type=int, help="runs of sections 1-4, medians reported (default 5; 1 with --quick)")
    parser.add_argument("--results", type=Path, help="write the Markdown results here (default bench/RESULTS.md for a full run)")
    parser.add_argument("--json", type=Path, help="also write every raw number as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.articles = args.articles or (40 if args.quick else 365)
    args.long_minutes = args.long_minutes or (5.0 if args.quick else 30.0)
    args.repeat = args.repeat or (1 if args.quick else 5)
    if args.results is None and not args.quick and args.only == "1,2,3,4,5":
        args.results = BENCH / "RESULTS.md"
    only = {s.strip() for s in args.only.split(",")}
    if only & {"2", "4"} and not args.sample.exists():
        parser.error(f"the sample {args.sample} does not exist (give another with --sample, or --only 1,3,5)")
    warnings.simplefilter("ignore")  # pydub's import-time warnings

    info = machine()
    for k, v in info.items():
        print(f"{k}: {v}", file=sys.stderr)
    report = Report()
    start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="listen-bench-"))
    details: dict = {}
    try:
        if "1" in only:
            details["startup"] = bench_startup(report, max(10, 4 * args.repeat))
        if "2" in only:
            details["sample"] = bench_article(report, "2", args.sample, root / "2", args.repeat)
        if "3" in only:
            details["example"] = bench_article(report, "3", EXAMPLE, root / "3", args.repeat)
        if only & {"2", "3"}:
            builds_note(report, args.repeat)
        if "4" in only:
            details["joins"] = bench_joins(report, args.sample, root / "4", args.long_minutes, args.repeat)
        if "5" in only:
            (root / "5").mkdir()
            details["year"] = bench_year(report, root / "5", args.articles)
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - start
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    print(plain_table(report.rows))
    print()
    for line in report.notes:
        print(f"- {line}")
    if args.results:
        write_results(args.results, info, report, args, total)
        print(f"\nWrote {args.results}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "details": details}, indent=1, default=str))
    missed = [f"{r.section}: {r.metric}" for r in report.rows if r.status in ("MISSED", "FLAG")]
    if missed:
        print("\nMissed targets / unexpected counts:\n  " + "\n  ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
