"""Atomic file writes: a reader sees the old file or the complete new one, never a partial file.

A temporary file is named `.<name>.<pid>.<random>.tmp` beside its target. A process killed
mid-write (SIGKILL, power loss) leaves it behind; `sweep_temp` removes the ones whose process is
gone, and builds call it on their output and cache folders.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Iterator

from .errors import OutputError

_TEMP_OF = re.compile(r"^\.(.+)\.\d+\.[^.]+\.tmp$")  # .<name>.<pid>.<random>.tmp


def _shown(path: Path) -> Path:
    """The file a user knows: `.x.mp3.<pid>.<random>.tmp` (nested writes) is shown as `x.mp3`."""
    while True:
        match = _TEMP_OF.match(path.name)
        if not match:
            return path
        path = path.with_name(match.group(1))


def _explain(exc: OSError, path: Path) -> OutputError:
    path = _shown(path)
    if exc.errno == errno.ENOSPC:
        return OutputError(f"Cannot write {path}: the disk is full. Free some space and run again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"Cannot write {path}: permission denied. Choose another folder with -o.")
    return OutputError(f"Cannot write {path}: {exc.strerror or exc}.")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success fsync and rename it over `path`.

    On any exception the temporary file is removed and `path` is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _explain(exc, path) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:
        _unlink_quietly(tmp_path)
        raise _explain(exc, path) from exc
    except BaseException:
        _unlink_quietly(tmp_path)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


_TEMP = re.compile(r"^\..*\.tmp$")
_TEMP_PID = re.compile(r"\.(\d+)\.[^.]+\.tmp$")
ORPHAN_AGE_S = 3600.0  # a temporary file whose process cannot be told is stale after this


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: exists, another user's
        return True
    return True


def sweep_temp(folder: str | os.PathLike, *, recursive: bool = True) -> int:
    """Remove temporary files left in `folder` by killed processes; return how many.

    A `.<name>.<pid>.<random>.tmp` file goes when its process no longer runs (a concurrent build's
    files stay); one without a pid goes when it is older than an hour. Errors are ignored.
    """
    removed = 0
    now = time.time()
    try:
        walker = os.walk(folder) if recursive else [(os.fspath(folder), [], os.listdir(folder))]
        for dirpath, _dirs, files in walker:
            for name in files:
                if not _TEMP.match(name):
                    continue
                path = Path(dirpath) / name
                match = _TEMP_PID.search(name)
                try:
                    stale = (not _alive(int(match.group(1)))) if match else now - path.stat().st_mtime > ORPHAN_AGE_S
                    if stale:
                        path.unlink()
                        removed += 1
                except (OSError, ValueError, OverflowError):
                    continue
    except OSError:
        pass
    return removed


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
