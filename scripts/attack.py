#!/usr/bin/env python3
"""Attack this checkout of `listen` the way issue 14 did, and print what held.

    .venv/bin/python scripts/attack.py --quick      # 1-2 minutes: a few attacks of each class
    .venv/bin/python scripts/attack.py              # the full run (several hundred attacks)
    .venv/bin/python scripts/attack.py --only server,cache --seed 7 -v

Classes (`--only` takes their names):
  input   bad input through the real CLI: /dev/zero, a 1 GB sparse file, endless pipes, a FIFO in a
          folder, hostile config files, random and mutated bytes in every encoding; and an
          in-process fuzz of the reader, parser and aligner
  cache   a damaged segment cache: entries truncated, overwritten, emptied, junk after a frame
          header, deleted, a folder in their place; then rebuilds into new folders
  kill    the real CLI killed (SIGKILL) or interrupted (SIGINT) at named build events
          (tests/support/killer.py) and at random moments; then readers and reruns
  faults  a fake gTTS server (tests/support/fake_gtts.py) answering 429/5xx/403/404, dropping,
          resetting, cutting or stalling connections, bad audio, and random mixes of those
  server  `listen serve` probed: foreign Host names (DNS rebinding), traversal, methods, Range,
          oversized and garbage requests, slow clients

Everything stays on this machine: the real `listen` command in subprocesses with their own
temporary cache and config, the offline espeak engine, the fake gTTS server and `listen serve`
on 127.0.0.1 only. Every subprocess has a timeout and a memory cap; the whole run has a time
budget (`--budget`), after which the attacks left are counted as skipped. Exit code 0 when every
attack held, 1 when one did not (each failure is listed).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "reliability")]

from reliability_helpers import (  # noqa: E402
    assert_consistent,
    assert_only_complete_files,
    assert_valid_build,
    cache_entries,
    temp_files,
)
from support.fake_gtts import FakeGtts, Reply  # noqa: E402

KILLER = TESTS / "support" / "killer.py"
DATA = TESTS / "reliability" / "data"
TEA = DATA / "tea.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"
CLASSES = ("input", "cache", "kill", "faults", "server")
GB = 1 << 30
CLOSED_PORT_URL = "http://127.0.0.1:9/{tld}/_/TranslateWebserverUi/data/batchexecute"
INTERRUPTED = "listen: interrupted; finished work is kept, run again to continue."
# What a Python exception looks like when it leaks into a message meant for people.
PYTHON_TEXT = ("Traceback", "Errno", "Error(", "HTTPConnectionPool", "urllib3", "Max retries", "object at 0x")


# -- running attacks ------------------------------------------------------------------------------


@dataclass
class Tally:
    held: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    seconds: float = 0.0


class Run:
    def __init__(self, options: argparse.Namespace):
        self.quick = options.quick
        self.verbose = options.verbose
        self.seed = options.seed
        self.rng = random.Random(options.seed)
        self.started = time.monotonic()
        self.deadline = self.started + options.budget
        self.base = Path(tempfile.mkdtemp(prefix="listen-attack-"))
        self.tallies: dict[str, Tally] = {}

    def n(self, quick: int, full: int) -> int:
        return quick if self.quick else full

    def over_budget(self) -> bool:
        return time.monotonic() > self.deadline

    def attack(self, klass: str, label: str, fn: Callable[[], object]) -> bool:
        """Run one attack: it held when `fn` returns, failed when it raises (or hangs)."""
        tally = self.tallies.setdefault(klass, Tally())
        if self.over_budget():
            tally.skipped += 1
            return False
        started = time.monotonic()
        try:
            fn()
        except subprocess.TimeoutExpired as exc:
            outcome = f"hung: no answer within {exc.timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - an attack that broke something: report it, go on
            text = " ".join(str(exc).split())
            outcome = f"{type(exc).__name__}: {text[:400]}"
        else:
            outcome = None
        tally.seconds += time.monotonic() - started
        if outcome is None:
            tally.held += 1
        else:
            tally.failed.append(f"{label}: {outcome}")
        if self.verbose or outcome is not None:
            print(f"  {klass:<7} {'held  ' if outcome is None else 'FAILED'} {label}"
                  + (f"\n          {outcome}" if outcome else ""), flush=True)
        return outcome is None

    def count(self, klass: str, held: int, failures: list[str], seconds: float) -> None:
        """Add a batch run elsewhere (the in-process fuzz)."""
        tally = self.tallies.setdefault(klass, Tally())
        tally.held += held
        tally.failed += failures
        tally.seconds += seconds

    def folder(self, name: str) -> Path:
        path = self.base / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def env(self, name: str, **extra: str) -> dict[str, str]:
        """A `listen` environment of its own: cache and config under the run's folder, no network."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("LISTEN_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        home = self.folder(f"env-{name}")
        env.update(LISTEN_CACHE_DIR=str(home / "cache"), LISTEN_CONFIG=str(home / "config.toml"),
                   LISTEN_GTTS_URL=CLOSED_PORT_URL, NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def summary(self) -> int:
        total = Tally()
        print(f"\nlisten attack run: seed {self.seed}, {'quick' if self.quick else 'full'}, "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
              f"{time.monotonic() - self.started:.0f} s")
        print(f"{'class':<8} {'attacks':>8} {'held':>7} {'failed':>7} {'skipped':>8} {'time':>8}")
        for klass in CLASSES:
            if klass not in self.tallies:
                continue
            t = self.tallies[klass]
            attacks = t.held + len(t.failed)
            print(f"{klass:<8} {attacks:>8} {t.held:>7} {len(t.failed):>7} {t.skipped:>8} {t.seconds:>7.1f}s")
            total.held += t.held
            total.failed += t.failed
            total.skipped += t.skipped
        print(f"{'total':<8} {total.held + len(total.failed):>8} {total.held:>7} {len(total.failed):>7} "
              f"{total.skipped:>8}")
        if total.skipped:
            print(f"({total.skipped} attacks skipped: the time budget was spent; raise --budget)")
        for failure in total.failed:
            print(f"FAILED {failure}")
        return 1 if total.failed else 0


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def listen(*args, env: dict, timeout: float = 90, memory: int = 2 * GB, stdin=None,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command line in a process: its address space capped, a hang guard."""
    return subprocess.run([sys.executable, "-m", "listen", *map(os.fsdecode, args)], capture_output=True,
                          text=True, errors="replace", env=env, timeout=timeout, cwd=cwd,
                          stdin=subprocess.DEVNULL if stdin is None else stdin, preexec_fn=_limit_memory(memory))


def expect(done: subprocess.CompletedProcess, codes: tuple[int, ...] = (0,), error: str | None = None) -> None:
    """Exit code among `codes`; no Python text anywhere; a failure ends with one `listen: error:`
    line (after warnings, retries or per-file lines only), containing `error` when given."""
    where = f"exit {done.returncode}, stderr {done.stderr[-400:]!r}"
    for text in (done.stdout, done.stderr):
        assert not any(p in text for p in PYTHON_TEXT), f"Python text in the output: {where}"
    assert done.returncode in codes, where
    if done.returncode not in (0, 130):
        lines = done.stderr.splitlines()
        assert lines and lines[-1].startswith("listen: error: "), where
        assert all(line.startswith(("warning: ", "retry ", "failed   ", "listen: warning: ")) for line in lines[:-1]), where
        if error is not None:
            assert error in lines[-1], where


def durations(folder: Path) -> dict[str, float]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {t["file"]: t["duration_s"] for t in manifest["tracks"]}


# espeak-ng's output varies by a few milliseconds from call to call (its wave generator carries state
# between calls), so a segment made again may differ from the first by a frame or two; a segment
# reused from a damaged entry would be seconds short.
SEGMENT_TOLERANCE_S = 0.1


def assert_as_long(folder: Path, first: Path) -> None:
    """Every segment of every track as long as in the first build, to SEGMENT_TOLERANCE_S."""
    def lengths(f: Path) -> dict[tuple[str, str], float]:
        manifest = json.loads((f / "manifest.json").read_text("utf-8"))
        return {(t["file"], s["id"]): s["end_s"] - s["start_s"]
                for t in manifest["tracks"] for s in t["segments"]}

    now, then = lengths(folder), lengths(first)
    assert now.keys() == then.keys(), "not the same tracks and segments as the first build"
    worst = max(((abs(now[k] - then[k]), k) for k in now), default=(0.0, None))
    assert worst[0] <= SEGMENT_TOLERANCE_S, f"{worst[1]} is {worst[0]:.3f} s off the first build's length"


# -- random inputs ------------------------------------------------------------------------------

WORDS = ("the ferry harbour tea house morning crowd price rose regulars stayed talk worth more than "
         "Mr. Dr. e.g. 3.5 U.S. ... ? ! ; : — – \" ' ( ) [ ] www.example.com 10:30 2025-05-12").split()
HANZI = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處理府研"
ODD = ["\x00", "\x01", "\x1b[31m", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2028", "\u2029", "\u3000", "\xa0",
       "\U0001f600", "e\u0301", "\ud800", "\r", "\r\n", "\t", "\x0c", "■ Glossary 生字", "明報社評", "2025年5月12日",
       "■", ":", "-:1", "\\", "%s", "{}", "<script>", "&amp;"]
CODECS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "big5hkscs", "gb18030", "latin-1",
          "shift_jis", "cp1252")


def random_text(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        kind = rng.random()
        if kind < 0.35:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) + rng.choice([".", "", "?"]))
        elif kind < 0.65:
            parts.append("".join(rng.choice(HANZI) for _ in range(rng.randint(1, 60))) + rng.choice(["。", "，", ""]))
        elif kind < 0.8:
            parts.append(rng.choice(ODD))
        else:
            parts.append("\n" * rng.randint(1, 3))
    return "".join(parts)


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        if not data:
            data += b"x"
        pos = rng.randrange(len(data))
        if op < 0.3:
            data[pos] = rng.randrange(256)
        elif op < 0.5:
            data[pos:pos] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\n\n", "■ Glossary 生字\n".encode()])
        elif op < 0.7:
            del data[pos:pos + rng.randint(1, 200)]
        elif op < 0.85:
            end = min(len(data), pos + rng.randint(1, 400))
            data[pos:pos] = data[pos:end] * rng.randint(1, 5)
        else:
            data = data[:pos]
    return bytes(data)


def random_input(rng: random.Random) -> tuple[str, bytes]:
    """(kind, bytes) of a hostile or careless input file."""
    kind = rng.choice(["bytes", "text", "text", "mutated", "mutated", "long-line", "structure", "wrong-codec"])
    if kind == "bytes":
        return kind, rng.randbytes(rng.randint(0, 6000))
    if kind == "text":
        codec = rng.choice(CODECS)
        errors = "surrogatepass" if codec.startswith("utf") else "ignore"  # lone surrogates too
        return f"text/{codec}", random_text(rng, rng.randint(0, 5000)).encode(codec, errors)
    if kind == "mutated":
        source = rng.choice([TEA, EXAMPLE, DATA / "chinese.txt", DATA / "english.txt"])
        return f"mutated/{source.name}", mutate(rng, source.read_bytes())
    if kind == "long-line":
        return kind, (("The ferry leaves at seven. " * 4 + "渡輪七時開出。" * 4) * rng.randint(100, 1500)).encode()
    if kind == "structure":
        lines = []
        for k in range(rng.randint(1, 400)):
            en = rng.random() < 0.5
            lines.append(f"Paragraph {k} about the harbour." if en else f"第{k}段講述海港。")
            lines.append("" if rng.random() < 0.8 else rng.choice(ODD))
        return kind, "\n".join(lines).encode(rng.choice(["utf-8", "utf-16", "gb18030"]), "ignore")
    text = TEA.read_text("utf-8")
    return kind, text.encode(rng.choice(["utf-16-le", "utf-32-be", "big5hkscs", "gb18030"]), "ignore")[1:]


# An input is slow beyond reason (quadratic somewhere) when it takes longer than this to read and
# align. The aligner is linear, and slowest on text of many one-line paragraphs: 83 KB of 431
# paragraphs a side took 5.1 s on a quiet 2-core machine (62 ms per KB; the paragraph DP stops
# searching above 500 x 500 paragraphs and pairs in order). Under CI's load that was 8.5 s, so the
# allowance is twice the quiet rate, plus a fixed part. A quadratic step would still exceed it
# several times over at the long-line inputs' 290 KB.
FUZZ_SECONDS_BASE = 3.0
FUZZ_SECONDS_PER_KB = 0.125


def fuzz_worker(seed: int, count: int) -> None:
    """In-process: `count` random inputs through decode, parse and align; prints JSON results."""
    from listen.errors import ListenError
    from listen.text.align.dictionary import Dictionary
    from listen.text.read import decode
    from listen.text.load import load_text

    Dictionary.load()  # built once per process, before the clock starts
    rng = random.Random(seed)
    failures = []
    for i in range(count):
        kind, data = random_input(rng)
        started = time.monotonic()
        try:
            text, _ = decode(data)
            doc = load_text(text, "fuzz.txt")
            assert [k for p in doc.pairs for k in p.en] == list(range(len(doc.en))), "English paired twice or never"
            assert [k for p in doc.pairs for k in p.zh] == list(range(len(doc.zh))), "Chinese paired twice or never"
        except ListenError as exc:
            if "\n" in str(exc):
                failures.append(f"#{i} {kind}: a message of several lines: {str(exc)[:200]!r}")
        except Exception as exc:  # noqa: BLE001
            failures.append(f"#{i} {kind}: {type(exc).__name__}: {str(exc)[:200]}")
        spent, limit = time.monotonic() - started, FUZZ_SECONDS_BASE + FUZZ_SECONDS_PER_KB * len(data) / 1000
        if spent > limit:
            failures.append(f"#{i} {kind}: {spent:.1f} s for {len(data)} bytes (more than {limit:.1f} s)")
    print(json.dumps({"count": count, "failures": failures}))


# -- class: input ---------------------------------------------------------------------------------


def attack_input(run: Run) -> None:
    work = run.folder("input")
    env = run.env("input")
    memory = 512 * 1024 * 1024  # reading 1 GB, or an endless stream, whole cannot fit
    sparse = work / "sparse.txt"
    with open(sparse, "wb") as fh:
        fh.truncate(GB)
    shutil.copy(TEA, work / "tea.txt")

    def refused(*args, stdin=None, error="is larger than 10 MB", code=2, env=env):
        done = listen(*args, env=env, cwd=work, memory=memory, stdin=stdin, timeout=60)
        expect(done, (code,), error)

    run.attack("input", "inspect /dev/zero", lambda: refused("inspect", "/dev/zero"))
    run.attack("input", "build /dev/zero", lambda: refused("build", "/dev/zero", "--engine", "espeak", "-o", work / "o"))
    run.attack("input", "inspect a 1 GB sparse file", lambda: refused("inspect", sparse))
    run.attack("input", "build a 1 GB sparse file", lambda: refused("build", sparse, "--engine", "espeak", "-o", work / "o"))

    def sparse_stdin():
        with open(sparse, "rb") as fh:
            refused("inspect", "-", stdin=fh)

    run.attack("input", "a 1 GB sparse file on stdin", sparse_stdin)

    def endless_pipe(chunk: bytes):
        def attack():
            proc = subprocess.Popen([sys.executable, "-m", "listen", "inspect", "-"], env=env, cwd=work,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    preexec_fn=_limit_memory(memory))

            def feed():
                with contextlib.suppress(OSError, ValueError):
                    while True:
                        proc.stdin.write(chunk)

            threading.Thread(target=feed, daemon=True).start()
            try:
                proc.wait(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            err = proc.stderr.read().decode("utf-8", "replace")
            proc.stdout.close()
            proc.stderr.close()
            assert proc.returncode == 2 and "Standard input is larger than 10 MB" in err, (proc.returncode, err)
        return attack

    run.attack("input", "an endless pipe of zeros on stdin", endless_pipe(bytes(65536)))
    run.attack("input", "an endless pipe of text on stdin", endless_pipe("The ferry leaves. 渡輪開出。\n\n".encode() * 2000))

    def folder_with_traps():
        folder = work / "traps"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        shutil.copy(TEA, folder / "tea.txt")
        os.mkfifo(folder / "fifo.txt")  # opening it would block for ever
        (folder / "zero.txt").symlink_to("/dev/zero")
        os.link(sparse, folder / "sparse.txt")
        done = listen("build", folder, "--engine", "espeak", "-o", work / "traps-out", env=env, cwd=work,
                      timeout=120)
        expect(done, (1,), "sparse.txt is larger than 10 MB")
        assert_valid_build(work / "traps-out" / "tea")

    run.attack("input", "a folder with a FIFO, a link to /dev/zero and a 1 GB file", folder_with_traps)

    configs = {
        "/dev/zero": ("/dev/zero", "larger than 1 MB"),
        "nested arrays": ("a = " + "[" * 50_000 + "]" * 50_000, "nests arrays or tables too deeply"),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "is not UTF-8 text"),
        "not TOML": ("engine = \n[[[", "Cannot read config file"),
        "wrong type": ("jobs = \"many\"", "must be int"),
        "unknown key": ("enigne = \"espeak\"", "Unknown key"),
        "out of range": ("max_input_mb = -5", "max_input_mb must be 1 or more"),
        "engine table not a table": ("gtts = 3", None),
    }
    for name, (content, error) in configs.items():
        def bad_config(content=content, error=error, name=name):
            path = content if content == "/dev/zero" else work / f"config-{len(name)}.toml"
            if path != "/dev/zero":
                Path(path).write_bytes(content if isinstance(content, bytes) else content.encode())
            done = listen("inspect", "tea.txt", env=dict(env, LISTEN_CONFIG=str(path)), cwd=work, memory=memory)
            expect(done, (0, 2), error)
        run.attack("input", f"config file: {name}", bad_config)

    plain = [("empty", b""), ("blank", b" \n\t\n" * 100), ("NUL bytes", bytes(1000)),
             ("a PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
             ("glossary only", "■ Glossary 生字\n\nterm : a definition\n".encode()),
             ("odd-length UTF-16", TEA.read_text("utf-8").encode("utf-16-le") + b"\x00"),
             ("CESU surrogates", b"\xed\xa0\x80\xed\xb0\x80 hello"), ("overlong UTF-8", b"\xc0\xaf\xe0\x80\xaf")]
    for name, data in plain:
        def plain_file(data=data):
            path = work / "plain.txt"
            path.write_bytes(data)
            expect(listen("inspect", path, env=env, cwd=work, memory=memory), (0, 2))
        run.attack("input", f"a file: {name}", plain_file)
    for name, args in [("a missing file", ["inspect", "nope.txt"]), ("a folder as FILE", ["inspect", "."]),
                       ("an unknown encoding", ["inspect", "tea.txt", "--encoding", "klingon"]),
                       ("the wrong encoding", ["inspect", "tea.txt", "--encoding", "utf-16"]),
                       ("a huge pair number", ["inspect", "tea.txt", "--pairs", "9" * 40 + ":1"]),
                       ("a zero read limit", ["inspect", "tea.txt", "--max-input-mb", "0"])]:
        run.attack("input", name, lambda args=args: expect(listen(*args, env=env, cwd=work, memory=memory), (2,)))

    def pairs_spec():
        spec = "".join(run.rng.choice("0123456789:+-, \n#x") for _ in range(run.rng.randint(0, 40)))
        expect(listen("inspect", "tea.txt", "--pairs", spec, env=env, cwd=work, memory=memory), (0, 2))

    for i in range(run.n(3, 20)):
        run.attack("input", f"a random --pairs spec #{i}", pairs_spec)

    def odd_name():
        name = os.fsencode(work) + b"/caf\xe9 \xff.txt"
        with open(name, "wb") as fh:
            fh.write(TEA.read_bytes())
        expect(listen("build", name, "--engine", "espeak", "-o", work / "names", env=env, cwd=work))

    run.attack("input", "a file name that is not UTF-8", odd_name)

    for i in range(run.n(12, 150)):
        kind, data = random_input(run.rng)
        path = work / f"random-{i}.txt"
        path.write_bytes(data)

        def random_file(path=path, build=i % 10 == 0 and len(data) < 4000):
            expect(listen("inspect", path, env=env, cwd=work, memory=memory), (0, 2))
            if build:
                done = listen("build", path, "--engine", "espeak", "-o", work / "random-out", env=env, cwd=work)
                expect(done, (0, 2))
                if done.returncode == 0:
                    assert_only_complete_files(work / "random-out")
        run.attack("input", f"random file #{i} ({kind}, {len(data)} bytes)", random_file)

    count = run.n(300, 5000)
    if not run.over_budget():
        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, __file__, "--fuzz-worker", str(run.seed), str(count)],
                                  capture_output=True, text=True, env=env, timeout=max(120, count * 1.0),
                                  preexec_fn=_limit_memory(2 * GB))
            result = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
        except subprocess.TimeoutExpired:
            result, done = None, None
        if result is None:
            why = "hung" if done is None else f"exit {done.returncode}: {done.stderr[-300:]}"
            run.count("input", 0, [f"in-process fuzz of {count} inputs: {why}"], time.monotonic() - started)
        else:
            run.count("input", result["count"] - len(result["failures"]),
                      [f"in-process fuzz {f}" for f in result["failures"]], time.monotonic() - started)


# -- class: cache ---------------------------------------------------------------------------------


def _tag_end(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size


FRAME_HEADER = b"\xff\xf3\x64\xc4"
DAMAGES: dict[str, Callable[[random.Random, bytes], bytes | None]] = {
    "truncated to half": lambda rng, d: d[: len(d) // 2],
    "truncated at random": lambda rng, d: d[: rng.randrange(len(d))],
    "empty": lambda rng, d: b"",
    "the tag only": lambda rng, d: d[:_tag_end(d)],
    "a frame header then junk": lambda rng, d: FRAME_HEADER + rng.randbytes(rng.randint(1, 3000)),
    "its tag, a frame header, then junk": lambda rng, d: d[:_tag_end(d)] + FRAME_HEADER + rng.randbytes(2000),
    "a random byte changed": lambda rng, d: (lambda i: d[:i] + bytes([d[i] ^ rng.randint(1, 255)]) + d[i + 1:])(
        rng.randrange(len(d))),
    "junk appended": lambda rng, d: d + rng.randbytes(rng.randint(1, 500)),
    "zeros": lambda rng, d: bytes(len(d)),
    "frames without the tag": lambda rng, d: d[_tag_end(d):],
    "deleted": lambda rng, d: None,  # missing, not damaged: made again without a warning
}


def attack_cache(run: Run) -> None:
    work = run.folder("cache")
    env = run.env("cache")
    cache = Path(env["LISTEN_CACHE_DIR"])
    shutil.copy(TEA, work / "tea.txt")
    first = listen("build", work / "tea.txt", "--engine", "espeak", "-o", work / "first", "--json", env=env)
    expect(first)
    total = len(cache_entries(cache))

    def round_(i: int):
        def attack():
            entries = cache_entries(cache)
            assert len(entries) == total, f"{len(entries)} cache entries, expected {total}"
            victims = run.rng.sample(entries, run.rng.randint(1, len(entries)))
            damaged = 0
            for path in victims:
                name = run.rng.choice(list(DAMAGES))
                data = DAMAGES[name](run.rng, path.read_bytes())
                if data is None:
                    path.unlink()
                else:
                    path.write_bytes(data)
                    damaged += 1
            out = work / f"round-{i}"
            done = listen("build", work / "tea.txt", "--engine", "espeak", "-o", out, "--json", env=env)
            expect(done)
            summary = json.loads(done.stdout)
            said = [w for w in summary["warnings"] if "damaged" in w]
            if damaged:
                noun = "segments were" if damaged != 1 else "segment was"
                assert said == [f"{damaged} cached {noun} damaged and {'are' if damaged != 1 else 'is'} made again."], said
            else:
                assert said == [], said
            assert (summary["synthesized"], summary["cached"]) == (len(victims), total - len(victims)), summary
            assert_as_long(out / "tea", work / "first" / "tea")
            assert_consistent(out / "tea")
        return attack

    for i in range(run.n(4, 30)):
        run.attack("cache", f"damage round {i}", round_(i))

    def folder_in_place():
        victim = cache_entries(cache)[0]
        victim.unlink()
        victim.mkdir()
        try:
            done = listen("build", work / "tea.txt", "--engine", "espeak", "-o", work / "dir-in-place", env=env)
            expect(done, (6,), "Is a directory")  # said in one line; the folder is the user's to remove
        finally:
            victim.rmdir()
        expect(listen("build", work / "tea.txt", "--engine", "espeak", "-o", work / "dir-in-place", env=env))

    run.attack("cache", "a folder in place of an entry", folder_in_place)


# -- class: kill ----------------------------------------------------------------------------------

# Events of a rebuild of an edited text whose segments are cached (so no `segment` events).
KILL_EVENTS = ["synthesis:1", "track:1", "track:2", "track:3", "kept:1", "kept:5", "staged:1", "committed:1",
               "switch:1", "switch:3", "switch:6", "switch:8", "switched:1"]


def killer(at: str, *args, env: dict, do: str = "kill", timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KILLER), "--at", at, "--do", do, "--", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout)


def attack_kill(run: Run) -> None:
    from listen.output.commit import read

    work = run.folder("kill")
    env = run.env("kill")
    source = work / "tea.txt"
    shutil.copy(TEA, source)
    args = lambda out: ("build", source, "--engine", "espeak", "-o", out, "--json")  # noqa: E731
    expect(listen(*args(work / "pristine"), env=env))
    old = json.loads((work / "pristine" / "tea" / "manifest.json").read_text("utf-8"))
    source.write_text(source.read_text("utf-8").replace("at six", "at half past five every morning"), "utf-8")
    expect(listen(*args(work / "edited"), env=env))
    new = json.loads((work / "edited" / "tea" / "manifest.json").read_text("utf-8"))

    def one_version(out: Path) -> str:
        read(out / "tea")  # what the next reader does first: finish or roll back
        manifest = assert_consistent(out / "tea")
        version = "new" if manifest["paragraphs"] == new["paragraphs"] else "old"
        expected = new if version == "new" else old
        assert {t["file"]: t["duration_s"] for t in manifest["tracks"]} == \
            {t["file"]: t["duration_s"] for t in expected["tracks"]}, f"a mix of versions ({version} text)"
        return version

    def rebuild_killed(i: int, at: str | None):
        def attack():
            out = work / f"k{i}"
            shutil.copytree(work / "pristine", out)
            if at is None:  # a random moment
                proc = subprocess.Popen([sys.executable, "-m", "listen", *map(str, args(out))], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(run.rng.uniform(0.05, 1.5))
                proc.send_signal(signal.SIGKILL)
                proc.wait(30)
            else:
                killed = killer(at, *args(out), env=env)
                assert killed.returncode == -signal.SIGKILL, f"not killed at {at}: {killed.stderr[-300:]}"
            one_version(out)
            done = listen(*args(out), env=env)
            expect(done)
            assert json.loads(done.stdout)["synthesized"] == 0
            assert one_version(out) == "new"
            assert temp_files(out) == []
        return attack

    events = list(KILL_EVENTS)
    run.rng.shuffle(events)
    for i, at in enumerate(events[: run.n(4, len(events))]):
        run.attack("kill", f"rebuild killed at {at}", rebuild_killed(i, at))
    for i in range(run.n(2, 10)):
        run.attack("kill", f"rebuild killed at a random moment #{i}", rebuild_killed(100 + i, None))

    def first_build(i: int, at: str, do: str):
        def attack():
            own = run.env(f"kill-first-{i}")
            own_cache = Path(own["LISTEN_CACHE_DIR"])
            out = work / f"first-{i}"
            done = killer(at, *args(out), env=own, do=do)
            if do == "kill":
                assert done.returncode == -signal.SIGKILL, done.stderr[-300:]
            else:
                assert (done.returncode, done.stderr.splitlines()) == (130, [INTERRUPTED]), done.stderr[-300:]
                assert not (out / "tea" / ".listen-staging").exists()
            assert_only_complete_files(out, own_cache)
            assert not (out / "tea" / "manifest.json").exists()
            kept = len(cache_entries(own_cache))
            again = listen(*args(out), env=own)
            expect(again)
            summary = json.loads(again.stdout)
            assert summary["cached"] == kept and summary["synthesized"] == len(cache_entries(own_cache)) - kept
            assert_valid_build(out / "tea")
        return attack

    firsts = [("segment:2", "kill"), ("track:3", "kill"), ("staged:1", "kill"), ("segment:3", "interrupt"),
              ("track:2", "interrupt")]
    for i, (at, do) in enumerate(firsts[: run.n(2, len(firsts))]):
        run.attack("kill", f"first build {do}ed at {at}", first_build(i, at, do))


# -- class: faults --------------------------------------------------------------------------------

TRANSIENT = {
    "429": Reply(status=429), "429 Retry-After 3600 (capped)": Reply(status=429, headers={"Retry-After": "3600"}),
    "500": Reply(status=500), "502": Reply(status=502), "503": Reply(status=503, headers={"Retry-After": "0"}),
    "dropped": Reply(drop=True), "reset": Reply(reset=True), "cut short": Reply(cut=True),
    "hung (timeout)": Reply(delay=2.0), "dripping": Reply(trickle=0.2), "empty body": Reply(body=b""),
    "empty audio": Reply(audio=b""), "not MP3": Reply(audio=b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)),
    "junk JSON": Reply(body=")]}'\n\n12\n[[\"wrb.fr\",\n"),
}
PERMANENT = {"403": Reply(status=403), "404": Reply(status=404), "400": Reply(status=400)}


def attack_faults(run: Run) -> None:
    work = run.folder("faults")
    source = work / "tea.txt"
    shutil.copy(TEA, source)
    config = "retries = 2\nbackoff_s = 0.01\nmax_backoff_s = 0.05\n\n[gtts]\ntimeout = 0.5\n"
    with FakeGtts() as fake:
        def env(name: str) -> dict:
            e = run.env(f"faults-{name}", LISTEN_GTTS_URL=fake.url)
            Path(e["LISTEN_CONFIG"]).write_text(config, "utf-8")
            return e

        def build(e: dict, out: str):
            return listen("build", source, "--engine", "gtts", "-o", work / out, "--json", env=e, timeout=120)

        def transient(i: int, name: str, reply: Reply):
            def attack():
                fake.handler, fake.default = None, Reply()
                fake.script(reply)
                e = env(f"t-{i}")
                done = build(e, f"t-{i}")
                expect(done)
                assert_valid_build(work / f"t-{i}" / "tea")
            return attack

        for i, (name, reply) in enumerate(TRANSIENT.items()):
            run.attack("faults", f"one {name}, then answers", transient(i, name, reply))

        def permanent(name: str, reply: Reply):
            def attack():
                target = "They say the talk"

                def handler(request):
                    return reply if target in (request.text or "") else Reply()

                fake.handler = handler
                e = env(f"p-{name}")
                done = listen("build", source, "--engine", "gtts", "-o", work / f"p-{name}", env=e, timeout=120)
                expect(done, (4,), "Probable cause")
                assert not (work / f"p-{name}" / "tea" / "manifest.json").exists()
                kept = len(cache_entries(Path(e["LISTEN_CACHE_DIR"])))
                assert kept >= 1, "nothing finished before the failure was kept"
                fake.handler = None
                fake.requests.clear()
                done = build(e, f"p-{name}")
                expect(done)
                summary = json.loads(done.stdout)
                made = len(cache_entries(Path(e["LISTEN_CACHE_DIR"]))) - kept
                assert (summary["cached"], summary["synthesized"]) == (kept, made) and made >= 1, summary
                assert len(fake.requests) >= made and all(r.text for r in fake.requests)  # only what was missing
                assert_valid_build(work / f"p-{name}" / "tea")
            return attack

        for name, reply in PERMANENT.items():
            run.attack("faults", f"{name} for one text, then healed", permanent(name, reply))
        run.attack("faults", "503 for ever for one text, then healed", permanent("503-always", Reply(status=503)))

        def chaos(i: int):
            def attack():
                rng = random.Random(run.rng.random())
                faults = list(TRANSIENT.values()) + list(PERMANENT.values())
                lock = threading.Lock()
                p = rng.uniform(0.1, 0.6)

                def handler(request):
                    with lock:
                        return rng.choice(faults) if rng.random() < p else Reply()

                fake.handler = handler
                e = env(f"chaos-{i}")
                done = listen("build", source, "--engine", "gtts", "-o", work / f"chaos-{i}", env=e, timeout=180)
                expect(done, (0, 4))
                assert_only_complete_files(work / f"chaos-{i}", Path(e["LISTEN_CACHE_DIR"]))
                fake.handler = None
                expect(build(e, f"chaos-{i}"))
                assert_valid_build(work / f"chaos-{i}" / "tea")
            return attack

        for i in range(run.n(2, 12)):
            run.attack("faults", f"random faults #{i}, then healed", chaos(i))
        fake.handler = None


# -- class: server --------------------------------------------------------------------------------

TRAVERSAL = [
    "/files/../../../../etc/passwd", "/files/tea/../../outside/secret.txt", "/../outside/secret.txt",
    "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/files/%2E%2E/outside/secret.txt",
    "/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd", "//etc/passwd", "/files//etc/passwd", "/files/%2fetc%2fpasswd",
    "/files/..\\..\\etc\\passwd", "/files/%5c..%5c..%5cetc%5cpasswd", "/files/tea/manifest.json%00",
    "/files/leak.txt", "/files/leakdir/secret.txt", "/files/.hidden.txt", "/static/../server.py",
    "/static/%2e%2e%2fserver.py", "/a/../../outside/", "/a/leakdir/", "/a/%2e%2e/", "/files/C:/Windows/win.ini",
    "/files/tea", "/files/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/files/tea/..;/..;/etc/passwd",
    "/files/tea/%u002e%u002e/secret.txt", "/a/tea/transcript.txt/../../../outside/secret.txt",
]
METHODS = ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "MKCOL", "BREW", "get"]
REBOUND = ["rebind.attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "attacker.localhost.example",
           "0x7f000001", "2130706433", "localhostx", "xn--80ak6aa92e.com", "nas", "evil"]


def _raw(port: int, data: bytes, timeout: float = 5) -> bytes:
    """Send raw bytes, return what comes back until the server closes (or `timeout` of silence)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(ConnectionError):
            sock.sendall(data)
        chunks = []
        with contextlib.suppress(socket.timeout, ConnectionError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _get(port: int, path: str, host: str = "localhost", method: str = "GET", headers: dict | None = None,
         address: str = "127.0.0.1"):
    conn = http.client.HTTPConnection(address, port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def attack_server(run: Run) -> None:
    work = run.folder("server")
    env = run.env("server")
    root = work / "audio"
    shutil.copy(TEA, work / "tea.txt")
    expect(listen("build", work / "tea.txt", "--engine", "espeak", "-o", root, env=env))
    outside = work / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret\n", "utf-8")
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "leakdir").symlink_to(outside, target_is_directory=True)
    (root / ".hidden.txt").write_text("hidden\n", "utf-8")
    mp3 = (root / "tea" / "alternating.mp3").read_bytes()
    title = "茶樓留住晨早熟客".encode()

    # Loopback only (never --lan): nothing of this run is reachable from the network.
    proc = subprocess.Popen([sys.executable, "-m", "listen", "serve", str(root), "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    port = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("Serving ") and " at http://127.0.0.1:" in line:
            port = int(line.rsplit(":", 1)[1].strip("/\n"))
        if line.startswith("Press Ctrl+C"):
            break
    assert port, "listen serve did not start"
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
    try:
        def alive():
            status, _, body = _get(port, "/")
            assert status == 200 and title in body, f"the server stopped answering ({status})"

        for host in REBOUND + [f"{run.rng.choice(['x', 'app', 'files'])}{run.rng.randint(0, 999)}.attacker.test"
                               for _ in range(run.n(3, 30))]:
            for path in ("/", "/feed.xml", "/files/tea/manifest.json", "/a/tea/"):
                def rebound(host=host, path=path):
                    status, _, body = _get(port, path, f"{host}:{port}")
                    assert status == 421 and title not in body and b"tracks" not in body, (status, body[:200])
                run.attack("server", f"Host {host} {path}", rebound)
        def status_is(expected: int, path: str, host: str):
            def attack():
                status, _, body = _get(port, path, host)
                assert status == expected, (status, body[:200])
                if expected != 200:
                    assert title not in body and b"tracks" not in body
            return attack

        for host in ("127.0.0.1", f"localhost:{port}", "[::1]", "192.168.1.23", socket.gethostname()):
            run.attack("server", f"Host {host} (own)", status_is(200, "/", host))
        for host in ('evil"><x', "a b", "", "[::1", "host:99999"):
            run.attack("server", f"malformed Host {host!r}", status_is(400, "/", host))
        run.attack("server", "absolute-form target with a foreign name",
                   status_is(421, "http://rebind.attacker.example/files/tea/manifest.json", "localhost"))

        for path in TRAVERSAL:
            def traversal(path=path):
                status, _, body = _get(port, path)
                assert status in (400, 404), (status, body[:100])
                assert b"secret" not in body and b"root:" not in body and b"hidden" not in body
            run.attack("server", f"traversal {path}", traversal)

        for method in METHODS:
            def wrong_method(method=method):
                status, headers, _ = _get(port, "/files/tea/manifest.json", method=method)
                assert status in (405, 501) if method != "get" else status in (400, 405, 501), status
            run.attack("server", f"method {method}", wrong_method)

        size = len(mp3)
        specs = ["bytes=0-0", f"bytes={size - 1}-", "bytes=-1", f"bytes=0-{size * 2}", f"bytes={size}-",
                 "bytes=5-1", "bytes=-0", "bytes=0-1,5-6", "bytes=abc", "bits=0-1", "bytes= 1-2", "bytes=1-2 "]
        for _ in range(run.n(10, 80)):
            a, b = sorted(run.rng.randrange(size + 50) for _ in range(2))
            specs.append(f"bytes={a}-{b}")
        for spec in specs:
            def range_probe(spec=spec):
                status, headers, body = _get(port, "/files/tea/alternating.mp3", headers={"Range": spec})
                if status == 206:
                    first, last = map(int, headers["Content-Range"].split()[1].split("/")[0].split("-"))
                    assert body == mp3[first:last + 1] and headers["Content-Range"].endswith(f"/{size}")
                elif status == 200:
                    assert body == mp3
                else:
                    assert status == 416 and body == b"" and headers["Content-Range"] == f"bytes */{size}", status
            run.attack("server", f"Range {spec}", range_probe)

        oversized = {
            "a 70 KB request line": b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "a 70 KB header": b"GET / HTTP/1.1\r\nHost: localhost\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
            "200 headers": b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"X-A: b\r\n" * 200 + b"\r\n",
            "garbage": bytes(run.rng.randrange(256) for _ in range(2000)),
            "a bare newline": b"\r\n\r\n",
            "HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "a NUL in the path": b"GET /files/tea/\x00manifest.json HTTP/1.1\r\nHost: localhost\r\n\r\n",
        }
        for name, data in oversized.items():
            def odd_request(data=data):
                answer = _raw(port, data)
                assert title not in answer
                if answer.startswith(b"HTTP/"):
                    assert answer.split(b" ", 2)[1] in (b"400", b"404", b"414", b"431", b"505"), answer[:80]
                elif answer:  # no usable request line: the standard library's error page, HTTP/0.9 style
                    assert b"Error code: 400" in answer or b"Error code: 505" in answer, answer[:200]
                alive()
            run.attack("server", f"request: {name}", odd_request)

        def slow_clients():
            socks = []
            try:
                for _ in range(run.n(20, 60)):
                    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: local")  # and never the rest
                    socks.append(sock)
                stalled = socket.create_connection(("127.0.0.1", port), timeout=5)
                stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                stalled.sendall(b"GET /files/tea/alternating.mp3 HTTP/1.1\r\nHost: localhost\r\n\r\n")  # never read
                socks.append(stalled)
                alive()  # others are still answered (a hang guard of 10 s)
            finally:
                for sock in socks:
                    sock.close()
            alive()

        run.attack("server", "slow and stalled clients", slow_clients)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err = proc.stderr.read() if proc.stderr else ""

    def stopped():
        assert proc.returncode == 0, f"exit {proc.returncode}"
        assert "Traceback" not in err, err[-500:]
        refusals = [line for line in err.splitlines() if "refused requests for the host name" in line]
        assert len(refusals) == len(set(refusals)), "a refused name was reported twice"

    run.attack("server", "Ctrl-C stops the server cleanly, each refused name said once", stopped)


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a few attacks of each class (1-2 minutes)")
    parser.add_argument("--only", help=f"comma-separated classes: {', '.join(CLASSES)}")
    parser.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    parser.add_argument("--budget", type=float, help="time budget in seconds (default 300, or 1800 in a full run)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every attack, not only failures")
    parser.add_argument("--fuzz-worker", nargs=2, type=int, metavar=("SEED", "COUNT"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.fuzz_worker:
        fuzz_worker(*options.fuzz_worker)
        return 0
    if options.budget is None:
        options.budget = 300.0 if options.quick else 1800.0
    only = CLASSES if not options.only else tuple(c.strip() for c in options.only.split(","))
    unknown = set(only) - set(CLASSES)
    if unknown:
        parser.error(f"unknown class {', '.join(sorted(unknown))}; choose from {', '.join(CLASSES)}")
    run = Run(options)
    print(f"Attacking listen ({'quick' if run.quick else 'full'} run, seed {run.seed}, budget {options.budget:g} s) "
          f"in {run.base}", flush=True)
    try:
        for klass in CLASSES:
            if klass in only:
                print(f"{klass} ...", flush=True)
                started = time.monotonic()
                run.tallies.setdefault(klass, Tally())
                try:
                    globals()[f"attack_{klass}"](run)
                except Exception as exc:  # noqa: BLE001 - the setup of a class failed: that is a finding too
                    run.tallies[klass].failed.append(f"setting up the {klass} attacks: {type(exc).__name__}: {exc}")
                print(f"{klass} done in {time.monotonic() - started:.0f} s", flush=True)
        return run.summary()
    finally:
        if options.keep:
            print(f"kept {run.base}")
        else:
            shutil.rmtree(run.base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
