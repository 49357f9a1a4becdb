"""Whole-process measurements for bench/run.py: wall time with start-up included, the CPU time
of the process and its children, the peak memory of the whole process tree."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def listen_command() -> list[str]:
    """The console script a user runs (`listen` beside this interpreter), else `python -m listen`."""
    script = Path(sys.executable).parent / "listen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "listen"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: no user config, offline engines, bytecode cached
    as after any install (PYTHONDONTWRITEBYTECODE would make every start-up compile)."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "LISTEN_ENGINE", "LISTEN_GTTS_URL", "LISTEN_FFMPEG"):
        env.pop(name, None)
    env.update(LISTEN_CONFIG=str(Path(os.environ.get("TMPDIR", "/tmp")) / "listen-bench-no-config.toml"),
               NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


@dataclass
class Run:
    seconds: float  # wall, from fork to exit
    cpu: float  # user + system of the process and everything it waited for
    returncode: int
    stdout: str
    stderr: str
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, stdout line)
    peak_rss_sum_kb: int = 0
    peak_pss_sum_kb: int = 0
    peak_single_hwm_kb: int = 0
    peak_processes: int = 0
    samples: int = 0
    cpu_samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, CPU of the tree)

    def cpu_at(self, t: float) -> float:
        """CPU seconds the tree had used by `t` (the last sample before it)."""
        best = 0.0
        for when, cpu in self.cpu_samples:
            if when > t:
                break
            best = cpu
        return best


def run(cmd: list[str], env: dict, cwd: Path | None = None, check: bool = True) -> Run:
    """Run `cmd` to the end; wall and CPU time from wait4 (nothing sampled: no overhead)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    usage = _children_cpu()
    result = Run(seconds, usage, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {result.stderr[-1500:]}")
    return result


_last_cpu = [0.0]


def _children_cpu() -> float:
    """CPU seconds of the children reaped since the last call."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = ru.ru_utime + ru.ru_stime
    spent, _last_cpu[0] = total - _last_cpu[0], total
    return spent


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


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_s(pid: int) -> float:
    """CPU seconds of a process and of its children it has reaped (utime+stime+cutime+cstime)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / _TICK


def _memory_kb(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS, VmHWM) of a process in KiB; zeros if it is gone."""
    rss = pss = hwm = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, pss, hwm


def run_tree(cmd: list[str], env: dict, cwd: Path | None = None, interval: float = 0.05) -> Run:
    """Run `cmd`, timestamping each stdout line and sampling the memory of its whole process
    tree every `interval` seconds (Linux /proc)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[tuple[float, str]] = []
    err_chunks: list[bytes] = []

    def read_out() -> None:
        for raw in proc.stdout:  # type: ignore[union-attr]
            lines.append((time.perf_counter() - t0, raw.decode("utf-8", "replace").rstrip("\n")))

    readers = [threading.Thread(target=read_out, daemon=True),
               threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)]  # type: ignore[union-attr]
    for r in readers:
        r.start()
    peak_rss = peak_pss = peak_hwm = peak_n = samples = 0
    cpu_samples: list[tuple[float, float]] = []
    while proc.poll() is None:
        kids = _children_map()
        tree, todo = [], [proc.pid]
        while todo:
            p = todo.pop()
            tree.append(p)
            todo.extend(kids.get(p, []))
        mems = [_memory_kb(p) for p in tree]
        peak_rss = max(peak_rss, sum(m[0] for m in mems))
        peak_pss = max(peak_pss, sum(m[1] for m in mems))
        peak_hwm = max([peak_hwm, *(m[2] for m in mems)])
        peak_n = max(peak_n, len(tree))
        samples += 1
        cpu_samples.append((time.perf_counter() - t0, sum(_cpu_s(p) for p in tree)))
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    for r in readers:
        r.join()
    cpu = _children_cpu()
    stdout = "\n".join(text for _, text in lines)
    return Run(seconds, cpu, proc.returncode, stdout, b"".join(err_chunks).decode("utf-8", "replace"), lines,
               peak_rss, peak_pss, peak_hwm, peak_n, samples, cpu_samples)
