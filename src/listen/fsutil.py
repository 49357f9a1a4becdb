"""Atomic file writes: a reader sees the old file or the complete new one, never a partial file.

A temporary file is named `.<name>.<pid>.<random>.tmp` beside its target and renamed over it when
complete. Nothing here calls fsync: files written this way are derived (indexes, feeds) or
checked on use (cache entries); an article's files are made durable once, at their commit point
(`listen.output.commit`). A process killed mid-write leaves its temporary file behind;
`sweep_temp` removes the ones whose process is gone.
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

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "explain_os_error", "sweep_temp"]


def explain_os_error(exc: OSError, path: Path, *, folder_kind: str = "output") -> OutputError:
    """An OSError from writing `path` as one readable line (full disk, permissions...)."""
    if exc.errno == errno.ENOSPC:
        return OutputError(f"Cannot write {path}: the disk is full. Free some space and run again.",
                           folder_kind=folder_kind)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "read-only" if exc.errno == errno.EROFS else "permission denied"
        return OutputError(f"Cannot write {path}: {what}.", folder_kind=folder_kind)
    return OutputError(f"Cannot write {path}: {exc.strerror or exc}.", folder_kind=folder_kind)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, folder_kind: str = "output") -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`.

    On any exception the temporary file is removed and `path` is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise explain_os_error(exc, path, folder_kind=folder_kind) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:
        _unlink_quietly(tmp_path)
        raise explain_os_error(exc, path, folder_kind=folder_kind) from exc
    except BaseException:
        _unlink_quietly(tmp_path)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, folder_kind: str = "output") -> None:
    with atomic_path(path, folder_kind=folder_kind) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | os.PathLike, text: str, *, folder_kind: str = "output") -> None:
    atomic_write_bytes(path, text.encode("utf-8"), folder_kind=folder_kind)


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
