"""Section 1 (bench/run.py): start-up. `listen --version`, `--help` and `inspect` as whole
processes against a bare interpreter, and which modules each command path imports."""

from __future__ import annotations

import sys

from proc import REPO, clean_env, listen_command, run
from report import Report, median, secs

# Modules a command that makes no audio must not load.
HEAVY = ("pydub", "mutagen", "listen.audio", "listen.engines.espeak", "listen.engines.gtts", "listen.synth",
         "listen.build", "listen.publish.server", "requests", "gtts", "http.server", "segno", "ctypes")
INSPECT_NEEDS = ("listen.engines.espeak", "ctypes")


def imported(args: list[str], env: dict) -> set[str]:
    """Every module `listen ARGS` imports (python -X importtime, whole process)."""
    script = listen_command()
    cmd = [sys.executable, "-X", "importtime", *(script if script[0] != sys.executable else script[1:]), *args]
    done = run(cmd, env, check=False)
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def bench_startup(report: Report, repeat: int) -> dict:
    section = "1"
    print("[1] start-up", file=sys.stderr, flush=True)
    env = clean_env()
    listen = listen_command()
    example = str(REPO / "examples" / "harbour-ferries.txt")
    run([*listen, "--version"], env)  # bytecode written once, as after an install
    cases = {
        "bare interpreter (python -c pass)": [sys.executable, "-c", "pass"],
        "bare interpreter importing click": [sys.executable, "-c", "import click"],
        "listen --version": [*listen, "--version"],
        "listen --help": [*listen, "--help"],
        "listen inspect (the example)": [*listen, "inspect", example],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, cmd in cases.items():  # interleaved, so load changes hit every case alike
            times[name].append(run(cmd, env).seconds)
    for name, values in times.items():
        target = ok = None
        if name == "listen --version":
            target, ok = "<= 0.08 s", median(values) <= 0.08
        report.add(section, f"{name}, whole process", f"{secs(median(values))} (min {secs(min(values))})",
                   target or "", ok=ok)
    bare = median(times["bare interpreter (python -c pass)"])
    report.add(section, "listen --version / bare interpreter", f"{median(times['listen --version']) / bare:.1f}x")
    for args in (["--version"], ["--help"], ["inspect", example], ["build", "--help"], ["serve", "--help"]):
        # inspect names each language's engine and voice (issue 12): the offline engine it names
        # is loaded for its version; nothing that makes or writes audio is.
        allowed = INSPECT_NEEDS if args[0] == "inspect" else ()
        heavy = sorted(m for m in imported(args, env) if m.startswith(HEAVY) and not m.startswith(allowed))
        label = " ".join(a if a != example else "EXAMPLE" for a in args)
        report.add(section, f"heavy modules imported by `listen {label}`", ", ".join(heavy) or "none", "none",
                   ok=not heavy)
    report.note(
        f"1: each command is a whole process (`{' '.join(listen)} ...`, the console script), {repeat} runs "
        "interleaved, median (min). Bytecode is written once before (PYTHONDONTWRITEBYTECODE is unset), as after "
        "any install. Heavy modules: " + ", ".join(HEAVY) + ", found with `python -X importtime` (`inspect` may "
        "load " + ", ".join(INSPECT_NEEDS) + ": it names the voice of each language, with the engine's version)."
    )
    return {name: values for name, values in times.items()}
