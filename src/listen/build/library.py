"""Build a folder of editorials: one article folder each, unchanged ones skipped, and an index.

`build_library(root, config)` finds every text file under `root` (recursively), builds the
ones whose input or settings changed since their last build (a stamp in each manifest records
both), reports failures at the end without stopping the others, and writes
`<output>/library.json` and `<output>/library.m3u8` (main tracks, newest first). Articles are
built one per worker process with `jobs > 1`; the parent keeps only summaries, so memory stays
flat in the number of files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ..config import Config
from ..engines.base import Engine
from ..errors import InputError, ListenError
from ..events import Listener
from ..output.commit import ArticleFolder
from ..output.library import write_index

__all__ = ["INPUT_SUFFIXES", "ArticleOutcome", "LibraryResult", "article_names", "build_library", "find_inputs", "stamp"]

INPUT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


@dataclass
class ArticleOutcome:
    source: str
    name: str
    status: str  # built | skipped | failed
    message: str = ""
    synthesized: int = 0
    cached: int = 0
    duration_s: float = 0.0
    warnings: list[str] = field(default_factory=list)


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
            "warnings": [f"{o.source}: {w}" for o in self.outcomes for w in o.warnings],
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
        # Regular files only: a FIFO would block the whole run, a device (a link to /dev/zero) never ends.
        found += [here / f for f in sorted(filenames)
                  if f.lower().endswith(INPUT_SUFFIXES) and not f.startswith(".") and (here / f).is_file()]
    return found


def article_names(paths: list[Path], root: Path) -> dict[Path, str]:
    """An output folder name per input: its stem, made unique with its parent folders if needed."""
    from ..model import Document

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


def stamp(path: Path, config: Config, engines: Mapping[str, Engine], **options: object) -> str:
    """What an article's output depends on: the input's bytes and its .pairs sidecar, every
    setting that can change the output (`Config.output_identity`), the engines and their
    versions, the build options, and the versions of listen and of its audio processing."""
    from .. import __version__
    from ..synth.cache import PIPELINE_VERSION
    from ..text.read import read_bytes
    from .builder import TRACK_FORMAT

    limit = config.input.max_bytes  # a file past it fails here, unread, as its build would
    h = hashlib.sha256(read_bytes(path, limit))
    h.update(f"listen {__version__} pipeline {PIPELINE_VERSION} tracks {TRACK_FORMAT}".encode())
    sidecar = Path(str(path) + ".pairs")
    if sidecar.exists():
        h.update(b"pairs:" + read_bytes(sidecar, limit))
    settings = config.output_identity()
    for key in ("voice.engine", "voice.engine_en", "voice.engine_zh"):
        settings.pop(key, None)  # the engines actually used stand for them
    used = {lang: f"{e.name} {e.version}" for lang, e in sorted(engines.items())}
    h.update(json.dumps([settings, used, options], sort_keys=True, default=str).encode())
    return h.hexdigest()


def is_current(out_dir: Path, expected: str) -> bool:
    article = ArticleFolder(out_dir).read() if out_dir.is_dir() else None
    if article is None or article.stamp != expected:
        return False
    return all((out_dir / f).exists() for f in article.files())


def _pinned(config: Config, engines: Mapping[str, Engine], jobs: int) -> Config:
    """The config a worker builds with: the engines chosen once here instead of "auto"."""
    en = engines.get("en")
    zh = engines.get("yue") or engines.get("cmn")
    voice = dataclasses.replace(
        config.voice,
        engine_en=en.name if en else config.voice.engine_en,
        engine_zh=zh.name if zh else config.voice.engine_zh,
    )
    output = dataclasses.replace(config.output, jobs=1) if jobs > 1 else config.output
    return dataclasses.replace(config, voice=voice, output=output)


def build_library(
    root: Path,
    config: Config,
    *,
    jobs: int = 1,
    report: Callable[[ArticleOutcome], None] | None = None,
    on_event: Listener | None = None,
    encoding: str | None = None,
    drills: bool = False,
) -> LibraryResult:
    from ..engines.auto import select
    from ..events import Emitter

    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root} is not a folder.")
    out_root = Path(config.output.dir)
    inputs = find_inputs(root, exclude=out_root)
    if not inputs:
        raise InputError(f"No text files ({', '.join(INPUT_SUFFIXES)}) found under {root}.")
    names = article_names(inputs, root)
    # Decide the engines once ("auto" checks the network once, not per file).
    emit = Emitter(on_event)
    engines = select(config, ["en", "cmn", "yue"], notify=emit.notice, strict=False)
    worker_config = _pinned(config, engines, jobs)

    result = LibraryResult(out_root)
    todo = []
    for path in inputs:
        name = names[path]
        try:
            expected = stamp(path, worker_config, engines, encoding=encoding, drills=drills)
        except InputError as exc:
            outcome = ArticleOutcome(str(path), name, "failed", str(exc))
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
            outcome = _build_one(source, name, expected, worker_config, engines=engines, encoding=encoding,
                                 drills=drills)
            result.outcomes.append(outcome)
            if report:
                report(outcome)
    write_index(out_root)
    return result


def _build_one(
    source: str, name: str, expected: str, config: Config, engines=None, encoding=None, drills=False
) -> ArticleOutcome:
    from .builder import build
    from .documents import load_document_cached

    try:
        document = load_document_cached(source, encoding=encoding, cache_dir=config.output.cache_path,
                                        max_bytes=config.input.max_bytes)
        built = build(document, config, engines=engines, name=name, stamp=expected, drills=drills)
    except ListenError as exc:
        return ArticleOutcome(source, name, "failed", str(exc))
    except Exception as exc:  # one broken file must not stop the library  # noqa: BLE001
        return ArticleOutcome(source, name, "failed", f"internal error: {type(exc).__name__}: {exc}")
    return ArticleOutcome(source, name, "built", "", built.synthesized, built.cached, built.duration_s,
                          list(built.warnings))
