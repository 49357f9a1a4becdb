"""Fault injection for crash tests: make this process die at a named point of a build.

`LISTEN_FAULT="kill@assemble:3"` sends SIGKILL to the process the 3rd time it reaches the
checkpoint `assemble`; `interrupt@synth:2` raises SIGINT (Ctrl-C) there instead, and
`sleep@tag:1` pauses 60 s so a test can signal the process from outside. Several faults may be
given, separated by commas. Without the variable every checkpoint is a no-op.

Checkpoints: `synth` (a segment was just cached), `assemble` (a track's frames are joined into
its temporary file), `tag` (the temporary file is tagged, not yet renamed), `manifest` (all
tracks are written, the manifest is not).
"""

from __future__ import annotations

import os
import signal
import threading
import time

_lock = threading.Lock()
_counts: dict[str, int] = {}
_plan: list[tuple[str, str, int]] | None = None


def _parse(spec: str) -> list[tuple[str, str, int]]:
    plan = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        action, _, where = item.partition("@")
        name, _, nth = where.partition(":")
        if nth.isdigit() or not nth:  # a malformed entry is ignored: this is a test hook, not input
            plan.append((action, name, int(nth or 1)))
    return plan


def checkpoint(name: str) -> None:
    global _plan
    spec = os.environ.get("LISTEN_FAULT")
    if not spec:
        return
    with _lock:
        if _plan is None:
            _plan = _parse(spec)
        _counts[name] = count = _counts.get(name, 0) + 1
    for action, where, nth in _plan:
        if where == name and nth == count:
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            elif action == "interrupt":
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(5)  # the signal is delivered to the main thread meanwhile
            elif action == "sleep":
                time.sleep(60)
