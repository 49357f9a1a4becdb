"""Build a folder of editorials: one article folder each, unchanged ones skipped, and an index.

`build_library(root, config)` finds every text file under `root` (recursively), builds the
ones whose input or options changed since their last build (a stamp in each manifest records
both), reports failures at the end without stopping the others, and writes
`<output>/library.json` and `<output>/library.m3u8` (alternating tracks, newest first).
Articles are built one per worker process with `jobs > 1`; the parent keeps only summaries, so
memory stays flat in the number of files.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from .build import read_manifest
from .config import Config
from .errors import InputError, ListenError
from .fsutil import atomic_write_text

INPUT_SUFFIXES = (".txt", ".text")
INDEX_JSON = "library.json"
INDEX_M3U8 = "library.m3u8"


@dataclass
class ArticleOutcome:
    source: str
    name: str
    status: str  # built | skipped | failed
    message: str = ""
    synthesized: int = 0
    cached: int = 0
    duration_s: float = 0.0


@dataclass
class LibraryResult:
    output: Path
    outcomes: list[ArticleOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[ArticleOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> dict:
        return {
            "output": str(self.output),
            "built": self.count("built"),
            "skipped": self.count("skipped"),
            "failed": [{"source": o.source, "error": o.message} for o in self.failed],
            "synthesized": sum(o.synthesized for o in self.outcomes),
            "cached": sum(o.cached for o in self.outcomes),
        }


def find_inputs(root: Path, exclude: Path | None = None) -> list[Path]:
    """Text files under root, sorted; hidden folders and the output folder are skipped."""
    root = Path(root)
    excluded = exclude.resolve() if exclude else None
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and (excluded is None or (here / d).resolve() != excluded)
        )
        found += [here / f for f in sorted(filenames) if f.lower().endswith(INPUT_SUFFIXES) and not f.startswith(".")]
    return found


def article_names(paths: list[Path], root: Path) -> dict[Path, str]:
    """An output folder name per input: its stem, made unique with its parent folders if needed."""
    from .model import Document

    def stem(p: Path) -> str:
        return Document(str(p), None, None, None, [], [], []).name

    names = {p: stem(p) for p in paths}
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1
    for p, n in list(names.items()):
        if counts[n] > 1:
            rel = p.relative_to(root).with_suffix("")
            names[p] = stem(Path("-".join(rel.parts) + ".txt"))
    return names


def stamp(path: Path, config: Config, engine: str, **options: object) -> str:
    """What an article's output depends on: input bytes, its .pairs sidecar, options, engine,
    and the versions of listen and of its audio processing."""
    from . import __version__
    from .cache import PIPELINE_VERSION

    h = hashlib.sha256(path.read_bytes())
    h.update(f"listen {__version__} pipeline {PIPELINE_VERSION}".encode())
    sidecar = Path(str(path) + ".pairs")
    if sidecar.exists():
        h.update(b"pairs:" + sidecar.read_bytes())
    settings = asdict(config)
    for volatile in ("output", "jobs", "cache_dir", "gtts_timeout", "retries", "backoff_s", "max_backoff_s",
                     "reachability_timeout", "gtts_concurrency", "engine"):
        settings.pop(volatile, None)
    h.update(json.dumps([settings, engine, options], sort_keys=True, default=str).encode())
    return h.hexdigest()


def is_current(out_dir: Path, expected: str) -> bool:
    manifest = read_manifest(out_dir)
    if not manifest or manifest.get("stamp") != expected:
        return False
    return all((out_dir / t["file"]).exists() for t in manifest.get("tracks", []))


def build_library(
    root: Path,
    config: Config,
    *,
    jobs: int = 1,
    report: Callable[[ArticleOutcome], None] | None = None,
    notify: Callable[[str], None] | None = None,
    encoding: str | None = None,
    drills: bool = False,
) -> LibraryResult:
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root} is not a folder.")
    out_root = Path(config.output)
    inputs = find_inputs(root, exclude=out_root)
    if not inputs:
        raise InputError(f"No text files ({', '.join(INPUT_SUFFIXES)}) found under {root}.")
    names = article_names(inputs, root)
    # Decide the engine once ("auto" checks the network once, not per file).
    from .engines.base import create_engine

    engine = create_engine(config.engine, config, notify=notify)
    engine_id = f"{engine.NAME} {engine.version}"
    worker_config = replace(config, engine=engine.NAME, jobs=1 if jobs > 1 else config.jobs)

    result = LibraryResult(out_root)
    todo = []
    for path in inputs:
        name = names[path]
        try:
            expected = stamp(path, worker_config, engine_id, encoding=encoding, drills=drills)
        except OSError as exc:
            outcome = ArticleOutcome(str(path), name, "failed", f"Cannot read {path}: {exc.strerror or exc}.")
        else:
            if is_current(out_root / name, expected):
                outcome = ArticleOutcome(str(path), name, "skipped", "unchanged")
            else:
                todo.append((str(path), name, expected))
                continue
        result.outcomes.append(outcome)
        if report:
            report(outcome)

    if jobs > 1 and len(todo) > 1:
        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [
                pool.submit(_build_one, source, name, expected, worker_config, encoding=encoding, drills=drills)
                for source, name, expected in todo
            ]
            for future in as_completed(futures):
                outcome = future.result()
                result.outcomes.append(outcome)
                if report:
                    report(outcome)
    else:
        for source, name, expected in todo:
            outcome = _build_one(source, name, expected, worker_config, engine=engine, encoding=encoding, drills=drills)
            result.outcomes.append(outcome)
            if report:
                report(outcome)
    write_index(out_root)
    return result


def _build_one(
    source: str, name: str, expected: str, config: Config, engine=None, encoding=None, drills=False
) -> ArticleOutcome:
    from .build import build
    from .text import load_document

    try:
        document = load_document(source, encoding=encoding)
        built = build(document, config, engine=engine, name=name, stamp=expected, drills=drills)
    except ListenError as exc:
        return ArticleOutcome(source, name, "failed", str(exc))
    except Exception as exc:  # one broken file must not stop the library  # noqa: BLE001
        return ArticleOutcome(source, name, "failed", f"internal error: {type(exc).__name__}: {exc}")
    return ArticleOutcome(source, name, "built", "", built.synthesized, built.cached, built.duration_s)


def write_index(out_root: Path) -> list[dict]:
    """library.json and library.m3u8 from every finished article folder, newest first."""
    from .audio.playlist import m3u8_text
    from .publish.library import scan

    articles = []
    for article in scan(out_root):
        main = article.main_track
        articles.append(
            {
                "name": article.rel,
                "date": article.date,
                "title": article.manifest.get("title"),
                "source": article.manifest.get("source"),
                "main": f"{article.rel}/{main['file']}" if main else None,
                "duration_s": main.get("duration_s", 0.0) if main else 0.0,
                "tracks": len(article.tracks),
            }
        )
    atomic_write_text(out_root / INDEX_JSON, json.dumps({"articles": articles}, ensure_ascii=False, indent=1) + "\n")
    entries = [
        (a["main"], a["duration_s"], " ".join(filter(None, [a["date"], (a["title"] or {}).get("zh") or (a["title"] or {}).get("en") or a["name"]])))
        for a in articles
        if a["main"]
    ]
    atomic_write_text(out_root / INDEX_M3U8, m3u8_text(entries))
    return articles
