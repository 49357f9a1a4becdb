"""A content-addressed store of finished segment MP3s.

An entry's key hashes everything that changes its sound: the normalised text, the engine and
its version, the voice, the language and the audio options. Entries are written atomically, so
an interrupted or concurrent build never leaves a partial entry; a damaged entry (from outside
`listen`) is treated as missing and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from .fsutil import atomic_write_bytes

# Bump when the audio processing changes, so old entries are not reused.
PIPELINE_VERSION = "1"

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def cache_key(**parts: object) -> str:
    """A stable hex key for the given parts (order-independent)."""
    parts = dict(parts, pipeline=PIPELINE_VERSION)
    if "text" in parts:
        parts["text"] = normalise_text(str(parts["text"]))
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class SegmentCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / "segments" / key[:2] / f"{key}.mp3"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        try:
            with open(path, "rb") as fh:
                head = fh.read(4)
        except OSError:
            return None
        # Canonical segments start with an MPEG frame sync; anything else is damage.
        if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
            return None
        return path

    def put(self, key: str, data: bytes) -> Path:
        path = self.path(key)
        atomic_write_bytes(path, data)
        return path

    def size_bytes(self) -> int:
        seg = self.root / "segments"
        return sum(p.stat().st_size for p in seg.rglob("*.mp3")) if seg.exists() else 0
