"""Run the real `listen` command line and kill (or interrupt, or stall) it at a named build event.

    python tests/support/killer.py --at track:2 [--do kill|interrupt|sleep] -- build FILE -o OUT

`--at NAME:N` acts the N-th time the event NAME is emitted (names: `listen.events`, e.g. segment,
track, staged, committed, switch, switched). `kill` is SIGKILL (nothing runs after it), `interrupt`
is SIGINT (Ctrl-C), `sleep` stalls the build in the listener so a test can signal it from outside.
It subscribes to the same progress events the CLI's progress bar reads; nothing in `listen`
knows it is being tested.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True, help="NAME:N, e.g. track:2")
    parser.add_argument("--do", default="kill", choices=("kill", "interrupt", "sleep"))
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    name, _, nth = options.at.partition(":")
    target = int(nth or 1)
    args = options.args[1:] if options.args[:1] == ["--"] else options.args

    from listen import events
    from listen.cli import main as listen_main

    seen = 0
    lock = threading.Lock()

    def listener(event: events.Event) -> None:
        nonlocal seen
        if event.name != name:
            return
        with lock:
            seen += 1
            hit = seen == target
        if not hit:
            return
        if options.do == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif options.do == "interrupt":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)  # the signal is delivered to the main thread meanwhile
        else:
            sys.stderr.write(f"killer: stalled at {name}:{target}\n")
            sys.stderr.flush()
            time.sleep(60)

    events.subscribe(listener)
    listen_main(args)


if __name__ == "__main__":
    main()
