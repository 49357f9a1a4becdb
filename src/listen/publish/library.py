"""Find built articles: every `manifest.json` below a folder (see docs/DESIGN.md for the schema)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

log = logging.getLogger("listen.publish")

MANIFEST = "manifest.json"
MAX_DEPTH = 4  # audio/<name>/ is depth 1; allow a few levels of grouping folders (audio/2025/05/<name>/)


@dataclass
class Article:
    """One built article folder."""

    name: str  # manifest "name", else the folder name
    dir: Path
    date: str | None  # ISO yyyy-mm-dd, or None when the manifest has no date
    title: str  # "zh / en" title, whichever exist, else the name
    manifest: dict = field(repr=False)
    rel: str = ""  # folder relative to the scanned root, POSIX separators ("mingpao-2025-05-12")

    @property
    def title_zh(self) -> str | None:
        return _text(self.manifest.get("title"), "zh")

    @property
    def title_en(self) -> str | None:
        return _text(self.manifest.get("title"), "en")

    @property
    def tracks(self) -> list[dict]:
        return [t for t in self.manifest.get("tracks") or [] if isinstance(t, dict) and t.get("file")]

    def track(self, *kinds: str) -> dict | None:
        """The first track of the first kind present (e.g. track("alternating", "english"))."""
        for kind in kinds:
            for t in self.tracks:
                if t.get("kind") == kind:
                    return t
        return None

    @property
    def main_track(self) -> dict | None:
        """The track a podcast episode or a first visit plays: alternating, else the first main one."""
        return self.track("alternating", "english", "chinese", "glossary") or (self.tracks[0] if self.tracks else None)


def _text(title, lang: str) -> str | None:
    if isinstance(title, dict):
        value = title.get(lang)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def load(manifest_path: Path, root: Path | None = None) -> Article:
    """Read one manifest; raises ValueError (or OSError) when it is unreadable or not a manifest."""
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if not isinstance(data.get("tracks"), list):
        raise ValueError('no "tracks" list')
    folder = manifest_path.parent
    name = data.get("name") if isinstance(data.get("name"), str) and data.get("name") else folder.name
    date = data.get("date") if isinstance(data.get("date"), str) and data.get("date") else None
    zh, en = _text(data.get("title"), "zh"), _text(data.get("title"), "en")
    title = " / ".join(t for t in (zh, en) if t) or name
    rel = folder.relative_to(root).as_posix() if root is not None else folder.name
    return Article(name=name, dir=folder, date=date, title=title, manifest=data, rel=rel)


def scan(root: str | os.PathLike, on_warning: Callable[[str], None] | None = None) -> list[Article]:
    """Every built article below `root`, newest date first (undated last, then by name).

    Looks for `*/manifest.json` (and deeper, up to MAX_DEPTH folders, skipping hidden folders and
    symlinked folders). A manifest that cannot be read is skipped with a warning, passed to
    `on_warning` (default: the `listen.publish` logger).
    """
    root = Path(root)
    warn = on_warning or log.warning
    found: list[Article] = []
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
        path = here / MANIFEST
        try:
            found.append(load(path, root))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            warn(f"skipping {path}: unreadable manifest ({exc})")
            continue
        dirnames[:] = []  # an article folder's subfolders (pairs/, drills/) hold no articles
    found.sort(key=lambda a: a.rel)
    found.sort(key=lambda a: a.date or "", reverse=True)  # stable: same date keeps name order
    return found
