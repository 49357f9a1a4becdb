"""Give a fresh cache folder the alignment dictionary's index, built once per test session.

Building the CC-CEDICT index takes a couple of seconds; every test has its own cache folder, and
subprocess tests would each build it again. The index does not depend on the cache it lives in,
so tests share one copy through a symlink.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

_shared: Path | None = None


def shared_index_dir() -> Path:
    global _shared
    if _shared is None:
        from listen.text.align.dictionary import Dictionary, _data_path

        root = Path(tempfile.mkdtemp(prefix="listen-dictionary-"))
        data = _data_path()
        if data is not None:
            Dictionary._index_for(data, root)
        _shared = root / "dictionaries"
        _shared.mkdir(exist_ok=True)
    return _shared


def seed_cache(cache: Path) -> Path:
    """`cache` with the shared dictionary index in it (made if missing); returns `cache`."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    link = cache / "dictionaries"
    if not link.exists():
        link.symlink_to(shared_index_dir(), target_is_directory=True)
    return cache
