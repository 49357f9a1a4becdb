"""Switch an article folder over to a new version as a whole.

A build writes every new or changed file of an article (tracks, their sidecars, the playlist and
the manifest) into a staging folder inside the article folder (`.listen-staging/`), where no
reader looks. Then:

1. the journal (`.listen-staging/COMMIT.tmp`, listing the staged files and the files to delete)
   is written, and it and every staged file are made durable: one syncfs(2) of the file system
   on Linux, else one fsync per file;
2. the journal is renamed into place (`.listen-staging/COMMIT`): this rename is the commit point;
3. each staged file is renamed over the live one, the manifest last; stale files are deleted;
   the staging folder is removed.

A build whose staged files are byte for byte the live ones (a rebuild that changed nothing) skips
all three steps: it removes its staging folder, and nothing is synced or switched.

A build killed before the commit point leaves the old version whole (its staging folder is
removed by the next build). Killed after it, it leaves a journal, and the next command that
reads or builds the folder finishes the switch before it reads anything (`read`, `ArticleFolder`).
Readers take a shared lock on the article folder itself while they read the manifest; the switch
holds it exclusively, so a reader sees the old version or the new one, never a mix. Builds of one
article are serialised by a lock on `.listen.lock`, the one file of its own that listen leaves in
an article folder (empty, hidden). Locks are advisory `flock`s (POSIX); where there is none, or
the lock file cannot be made (a read-only folder), work goes on unlocked.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import sys
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import OutputError
from ..events import Committed, Emitter, FileSwitched, Staged, Switched
from ..fsutil import explain_os_error
from .manifest import MANIFEST, PLAYLIST, Article, ManifestError, dumps, load, playlist_text

__all__ = ["STAGING", "JOURNAL", "BUILD_LOCK", "ArticleFolder", "Staging", "read", "recover"]

STAGING = ".listen-staging"
JOURNAL = "COMMIT"
BUILD_LOCK = ".listen.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def _flock(path: Path, exclusive: bool) -> Iterator[int | None]:
    """Hold an advisory lock on `path` (a folder, or a lock file made if missing); yields the locked
    file descriptor, or None when no lock could be taken (no fcntl, or a read-only folder), so the
    caller goes on unlocked."""
    if fcntl is None:
        yield None
        return
    try:
        fd = os.open(path, os.O_RDONLY if path.is_dir() else (os.O_RDWR | os.O_CREAT), 0o644)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield None
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def _names(path: Path, fd: int) -> bool:
    """True while `path` is still the file open as `fd` (not removed, nor replaced)."""
    try:
        st, held = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """OSErrors inside become one OutputError line about `path`."""
    try:
        yield
    except OSError as exc:
        raise explain_os_error(exc, path) from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        _fsync(path)


@functools.lru_cache(maxsize=1)
def _syncfs_call():
    """libc's syncfs(2) (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int
    return call


def _syncfs(folder: Path) -> bool:
    """Everything written to the file system holding `folder` made durable by one syncfs(2):
    one journal commit instead of one per file. False where there is no syncfs (then each file
    is fsynced); a write-back error (reported since Linux 5.8) raises OSError."""
    call = _syncfs_call()
    if call is None:
        return False
    import ctypes

    fd = os.open(folder, os.O_RDONLY)
    try:
        if call(fd) == 0:
            return True
        err = ctypes.get_errno()
    finally:
        os.close(fd)
    if err in (errno.ENOSYS, errno.EINVAL, errno.EPERM):  # no syncfs here (old kernel, sandbox)
        return False
    raise OSError(err, os.strerror(err), str(folder))


def _make_durable(folder: Path, staging: Path, files: list[str], journal: Path) -> None:
    """The staged files and the journal on disk, before the journal is renamed into place."""
    with _naming(folder):
        if _syncfs(staging):
            return
    for rel in files:
        with _naming(folder / rel):
            _fsync(staging / rel)
    with _naming(folder):
        _fsync(journal)


def _apply(folder: Path, journal: dict, emit: Emitter | None) -> None:
    """Rename the staged files into place (the manifest last), delete stale ones, remove the
    staging folder. Idempotent: a file already moved is skipped, so a killed switch can be run again."""
    staging = folder / STAGING
    files = [str(f) for f in journal.get("files", [])]
    for rel in files:
        src = staging / rel
        if not src.exists():
            continue
        dst = folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        if emit is not None:
            emit(FileSwitched(rel))
    keep = set(files)
    for rel in journal.get("delete", []):
        if rel in keep or rel.startswith("/") or ".." in rel.split("/"):
            continue
        with contextlib.suppress(OSError):
            (folder / rel).unlink()
    _fsync_dir(folder)
    shutil.rmtree(staging, ignore_errors=True)


def _journal_text(journal: dict) -> str:
    """One line per entry: "file <rel>" to switch, "delete <rel>" to remove."""
    lines = [f"file {rel}" for rel in journal["files"]] + [f"delete {rel}" for rel in journal["delete"]]
    return "".join(line + "\n" for line in lines)


def _journal(folder: Path) -> dict | None:
    try:
        text = (folder / STAGING / JOURNAL).read_text("utf-8", errors="surrogateescape")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ManifestError(f"the commit journal of {folder} is unreadable ({exc.strerror or exc})") from None
    journal: dict[str, list[str]] = {"files": [], "delete": []}
    for line in text.splitlines():
        what, _, rel = line.partition(" ")
        if what in ("file", "delete") and rel:
            journal["files" if what == "file" else "delete"].append(rel)
    return journal


def recover(folder: Path) -> bool:
    """Finish a switch that a killed build left half done (a journal is present); True if it did.
    A staging folder without a journal (a build killed before its commit point) is left to the next
    build, which removes it: readers do not see it."""
    folder = Path(folder)
    if not (folder / STAGING / JOURNAL).exists():
        return False
    with _flock(folder, exclusive=True):
        journal = _journal(folder)  # again, under the lock: another reader may have finished it
        if journal is None:
            return False
        try:
            _apply(folder, journal, None)
        except OSError as exc:
            raise ManifestError(f"{folder} holds a build that was interrupted while switching over and "
                                f"cannot be finished here ({exc.strerror or exc}); run listen build again") from None
        return True


def read(folder: Path) -> Article | None:
    """The article in `folder` as the last complete build left it, or None when there is no
    manifest. An interrupted switch is finished first. Raises ManifestError for a broken one."""
    folder = Path(folder)
    recover(folder)
    with _flock(folder, exclusive=False):
        try:
            return load(folder)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ManifestError(f"cannot read {folder / MANIFEST} ({exc.strerror or exc})") from None


class Staging:
    """The files of one new version of an article, written where no reader looks."""

    def __init__(self, folder: Path, emit: Emitter | None = None):
        self.folder = Path(folder)
        self.dir = self.folder / STAGING
        self.emit = emit or Emitter()
        self.committed = False  # past the commit point: the switch is finished, now or by the next command
        self._files: list[str] = []
        shutil.rmtree(self.dir, ignore_errors=True)  # a build killed before its commit point
        try:
            self.dir.mkdir(parents=True)
        except OSError as exc:
            raise explain_os_error(exc, self.folder) from exc

    def path(self, rel: str) -> Path:
        """Where to write the new version of `rel` (a path relative to the article folder)."""
        target = self.dir / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise explain_os_error(exc, self.folder / rel) from exc
        if rel not in self._files:
            self._files.append(rel)
        return target

    def write_text(self, rel: str, text: str) -> None:
        try:
            self.path(rel).write_bytes(text.encode("utf-8", "replace"))
        except OSError as exc:
            raise explain_os_error(exc, self.folder / rel) from exc

    @property
    def files(self) -> list[str]:
        return list(self._files)

    def commit(self, article: Article, *, delete: Iterable[str] = ()) -> None:
        """Stage the playlist and manifest of `article`, pass the commit point and switch over."""
        self.write_text(PLAYLIST, playlist_text(article))
        self.write_text(MANIFEST, dumps(article))
        files = [f for f in self._files if f not in (PLAYLIST, MANIFEST)] + [PLAYLIST, MANIFEST]
        self.emit(Staged(article.name, len(files)))
        journal = {"files": files, "delete": sorted(set(delete) - set(files))}
        if not journal["delete"] and self._same_as_live(files):
            # Nothing changed (a rebuild that kept every track): the live version is already this
            # one, and durable since its own commit; no sync, no switch.
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        tmp = self.dir / (JOURNAL + ".tmp")
        with _naming(self.folder):
            tmp.write_text(_journal_text(journal), "utf-8", errors="surrogateescape")
        _make_durable(self.folder, self.dir, files, tmp)
        with _flock(self.folder, exclusive=True):
            with _naming(self.folder):
                os.replace(tmp, self.dir / JOURNAL)  # the commit point
                self.committed = True
                _fsync_dir(self.dir)
            self.emit(Committed(article.name))
            try:
                _apply(self.folder, journal, self.emit)
            except OSError as exc:
                # Past the commit point: the next command finishes the switch.
                raise explain_os_error(exc, Path(exc.filename or self.folder)) from exc
        self.emit(Switched(article.name))

    def _same_as_live(self, files: list[str]) -> bool:
        """True when every staged file has the bytes of the live one (manifest first: it differs
        whenever anything does)."""
        for rel in reversed(files):
            live, staged = self.folder / rel, self.dir / rel
            try:
                if live.stat().st_size != staged.stat().st_size or live.read_bytes() != staged.read_bytes():
                    return False
            except OSError:
                return False
        return True

    def abort(self) -> None:
        """Drop what was staged, unless the commit point was passed (then it must be finished)."""
        if not self.committed:
            shutil.rmtree(self.dir, ignore_errors=True)


def _missing(path: Path) -> list[Path]:
    """`path` and those of its parents that do not exist yet, deepest first."""
    missing = []
    for p in (path, *path.parents):
        if p.exists() or p == p.parent:
            break
        missing.append(p)
    return missing


def _remove_unused(created: list[Path]) -> None:
    """Remove the folders a failed build created, deepest first, while they hold nothing but the
    build lock (anything else, e.g. a concurrent build's files, keeps them)."""
    for folder in created:
        with contextlib.suppress(OSError):
            if {p.name for p in folder.iterdir()} <= {BUILD_LOCK}:
                with contextlib.suppress(FileNotFoundError):
                    (folder / BUILD_LOCK).unlink()
            folder.rmdir()  # fails, and so keeps the folder, when it is not empty
        if folder.exists():
            return


class ArticleFolder:
    """An article's output folder, held by one build at a time."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def building(self) -> Iterator["ArticleFolder"]:
        """Create the folder, wait for any other build of it, finish an interrupted switch.

        A build that fails before its first commit removes the folders it created (they hold
        nothing but the build lock), so a failed first build leaves no empty article folder."""
        while True:
            created = _missing(self.path)
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise explain_os_error(exc, self.path) from exc
            if not os.access(self.path, os.W_OK):
                _remove_unused(created)
                raise OutputError(f"Cannot write to the output folder {self.path}: permission denied.")
            with _flock(self.path / BUILD_LOCK, exclusive=True) as fd:
                if fd is not None and not _names(self.path / BUILD_LOCK, fd):
                    continue  # the build we waited for failed and removed the folder: start again
                recover(self.path)
                try:
                    yield self
                except BaseException:
                    _remove_unused(created)  # under the lock (see `_names`)
                    raise
                return

    def read(self) -> Article | None:
        """The current version, or None; a manifest that cannot be read counts as none (rebuilt)."""
        try:
            return read(self.path)
        except ManifestError:
            return None
