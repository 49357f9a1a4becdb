"""The benchmark report (bench/run.py): result rows, the plain and Markdown tables, number
formatting, the machine description and bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
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
        from listen.engines.espeak import EspeakEngine

        info["espeak-ng"] = EspeakEngine().version.replace("espeak-ng ", "") + " (espeakng-loader)"
    except Exception as exc:  # noqa: BLE001 - reported, not fatal here
        info["espeak-ng"] = f"unavailable ({exc})"
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        info["listen"] = f"commit {commit.stdout.strip()}" if commit.returncode == 0 else "unknown"
    except OSError:
        info["listen"] = "unknown"
    info["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        info["uptime at start"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def write_results(path: Path, info: dict, report: Report, args, total_s: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Rerun with (from a clone, after `pip install -e '.[bench]'`):",
        "",
        "```sh",
        f"{COMMAND}",
        "```",
        "",
        f"`{COMMAND} --quick` is a fast run (one run of each, 40 articles, a 5 min track). Everything is measured "
        "as whole processes, start-up included, on this machine (espeak offline) with fresh temporary caches.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        f"| run | {args.repeat} runs of sections 1-4 (medians), {args.articles} articles, {args.long_minutes:g} min "
        f"track; {total_s / 60:.1f} min in all. The 2 cores are shared with other work: see the load above |",
        "",
        "## Results",
        "",
        table(report.rows),
        "",
        "## How each number is measured",
        "",
        *(f"- {n}" for n in report.notes),
        "",
        "Where the time goes, and what limits what is left: bench/FINDINGS.md (written for the run committed with it).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
