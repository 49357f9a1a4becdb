"""A content-addressed store of finished segment MP3s.

An entry's key hashes everything that changes its sound: the normalised text, the engine and
its version, the voice, the language, the speed and the version of the audio processing.

Each entry is an MP3 file: a small ID3v2.3 tag whose PRIV frame records the size and hash of the
frames that follow (players and `listen.audio` skip the tag). Entries are
written to a temporary name and renamed, so a killed or concurrent build never leaves a partial
entry under a key; an entry damaged afterwards (truncated, overwritten, junk) fails the check on
reuse and is made again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import struct
import tempfile
from pathlib import Path

from ..errors import OutputError
from ..fsutil import atomic_write_bytes, explain_os_error

__all__ = ["PIPELINE_VERSION", "SegmentCache", "cache_key"]

# Bump when the audio processing changes, so old entries are not reused.
# 3: segments cut from one encoded stream (listen.audio.encode), LAME -q 7.
# 4: -16 LUFS with true peaks limited (was RMS); edges trimmed to the sound, fixed edge frames.
PIPELINE_VERSION = "4"

_OWNER = b"listen-segment\x00"
_PAYLOAD = struct.Struct(">Q16s")  # size of the frames, blake2b-128 of the frames
_FRAME_SIZE = len(_OWNER) + _PAYLOAD.size
_HEADER = b"ID3\x03\x00\x00" + bytes((0, 0, 0, 10 + _FRAME_SIZE)) + b"PRIV" + struct.pack(">IH", _FRAME_SIZE, 0) + _OWNER
_TAG_SIZE = len(_HEADER) + _PAYLOAD.size


def cache_key(**parts: object) -> str:
    """A stable hex key for the given parts (order-independent)."""
    parts = dict(parts, pipeline=PIPELINE_VERSION)
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _digest(data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class SegmentCache:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.damaged = 0  # entries found damaged (and so treated as missing) by `get`

    def path(self, key: str) -> Path:
        return self.root / "segments" / key[:2] / f"{key}.mp3"

    def get(self, key: str) -> Path | None:
        """The entry's path when it is present and intact, else None."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if self._intact(data):
            return path
        self.damaged += 1
        return None

    @staticmethod
    def _intact(data: bytes) -> bool:
        if len(data) <= _TAG_SIZE or not data.startswith(_HEADER):
            return False
        size, digest = _PAYLOAD.unpack_from(data, len(_HEADER))
        frames = memoryview(data)[_TAG_SIZE:]
        return size == len(frames) and _digest(frames) == digest

    def put(self, key: str, frames: bytes) -> Path:
        """Store a segment's MP3 frames (no tag) under `key`."""
        path = self.path(key)
        record = _HEADER + _PAYLOAD.pack(len(frames), _digest(frames))
        atomic_write_bytes(path, record + frames, folder_kind="cache")
        return path

    def check_writable(self) -> None:
        """OutputError (about the cache, not the output) unless entries can be written here."""
        folder = self.root / "segments"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC):
                raise explain_os_error(exc, folder, folder_kind="cache") from exc
            raise OutputError(f"Cannot use the cache folder {folder}: {exc.strerror or exc}.",
                              folder_kind="cache") from exc

    def size_bytes(self) -> int:
        seg = self.root / "segments"
        return sum(p.stat().st_size for p in seg.rglob("*.mp3")) if seg.exists() else 0
