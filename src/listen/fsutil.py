"""Bounded reads, and atomic file writes: a reader sees the old file or the complete new one,
never a partial file.

`read_at_most` reads a file, a pipe or a device up to a limit: a regular file larger than the
limit is refused from its size, anything else is read in chunks and given up one chunk past it,
so an endless stream (/dev/zero) or a huge file never fills memory.

A temporary file is named `.<name>.<pid>.<random>.tmp` beside its target and renamed over it when
complete. Nothing here calls fsync: files written this way are derived (indexes, feeds) or
checked on use (cache entries); an article's files are made durable once, at their commit point
(`listen.output.commit`). A process killed mid-write leaves its temporary file behind;
`sweep_temp` removes the ones whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import OutputError

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "explain_os_error", "file_size", "read_at_most",
           "sweep_temp"]

_READ_CHUNK = 1 << 20


def file_size(fh: BinaryIO) -> int | None:
    """The size of `fh` when it is a regular file, else None (a pipe, a terminal, a device)."""
    try:
        st = os.fstat(fh.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def read_at_most(fh: BinaryIO, limit: int) -> bytes | None:
    """Everything `fh` holds, or None when that is more than `limit` bytes.

    A regular file is judged by its size first (a 1 GB file, sparse or not, is refused without
    reading it); the size is only a hint for how much to read at once, so a file that grows, or a
    /proc file that says 0, is still read to its end. Pipes and devices are read in 1 MiB chunks,
    at most `limit` + 1 bytes in all.
    """
    size = file_size(fh)
    if size is not None and size > limit:
        return None
    want = size + 1 if size is not None else _READ_CHUNK  # one read, and one more that sees the end
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = fh.read(min(want, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = _READ_CHUNK
    return None if total > limit else b"".join(chunks)


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
