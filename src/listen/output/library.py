"""A folder of built articles: find them, and write its index (`library.json`, `library.m3u8`)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..fsutil import atomic_write_text
from .commit import read
from .manifest import MANIFEST, Article, ManifestError, TrackRecord, whole_seconds

__all__ = ["Entry", "INDEX_JSON", "INDEX_M3U8", "MAX_DEPTH", "scan", "load_entry", "write_index"]

log = logging.getLogger("listen.output")

INDEX_JSON = "library.json"
INDEX_M3U8 = "library.m3u8"
MAX_DEPTH = 4  # audio/<name>/ is depth 1; allow a few levels of grouping folders (audio/2025/05/<name>/)


@dataclass(frozen=True)
class Entry:
    """One built article folder below a library root."""

    article: Article
    dir: Path
    rel: str  # folder relative to the root, POSIX separators ("mingpao-2025-05-12", "2024/op-ed")

    @property
    def main_track(self) -> TrackRecord | None:
        return self.article.main_track

    def url_path(self, file: str) -> str:
        """`file` of this article relative to the root."""
        return f"{self.rel}/{file}"


def load_entry(folder: Path, root: Path) -> Entry | None:
    """The article in `folder` (None when it has no manifest). Raises ManifestError."""
    article = read(folder)
    if article is None:
        return None
    return Entry(article, folder, folder.relative_to(root).as_posix())


def scan(root: str | os.PathLike, on_warning: Callable[[str], None] | None = None) -> list[Entry]:
    """Every built article below `root`, newest date first (undated last, then by folder).

    Looks for `*/manifest.json` (and deeper, up to MAX_DEPTH folders, skipping hidden folders and
    symlinked folders). A manifest that cannot be read is skipped with a warning, passed to
    `on_warning` (default: the `listen.output` logger).
    """
    root = Path(root)
    warn = on_warning or log.warning
    found: list[Entry] = []
    if not root.is_dir():
        return found
    base_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        depth = len(here.parts) - base_depth
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
        )
        if depth >= MAX_DEPTH:
            dirnames[:] = []
        if depth == 0 or MANIFEST not in filenames:
            continue
        try:
            entry = load_entry(here, root)
        except ManifestError as exc:
            warn(f"skipping {here / MANIFEST}: unreadable manifest ({exc})")
            continue
        if entry is not None:
            found.append(entry)
        dirnames[:] = []  # an article folder's subfolders (pairs/, drills/) hold no articles
    found.sort(key=lambda e: e.rel)
    found.sort(key=lambda e: e.article.date or "", reverse=True)  # stable: same date keeps folder order
    return found


def write_index(root: Path) -> list[dict]:
    """library.json and library.m3u8 from every finished article folder, newest first."""
    from ..audio.playlist import m3u8_text

    articles = []
    playlist = []
    for entry in scan(root):
        a, main = entry.article, entry.main_track
        articles.append({
            "name": entry.rel,
            "date": a.date,
            "title": {"zh": a.titles.zh, "en": a.titles.en},
            "label": a.label,
            "source": a.source,
            "main": entry.url_path(main.file) if main else None,
            "duration_s": main.duration_s if main else 0.0,
            "tracks": len(a.tracks),
        })
        if main:
            playlist.append((entry.url_path(main.file), whole_seconds(main.duration_s), a.label))
    atomic_write_text(root / INDEX_JSON, json.dumps({"articles": articles}, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(root / INDEX_M3U8, m3u8_text(playlist))
    return articles
