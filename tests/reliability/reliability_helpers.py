"""Helpers for reliability tests: run `listen` in a subprocess, check that folders hold only
complete files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def run_listen(*args: str, env: dict, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "listen", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, **kw)


def is_temp(path: Path) -> bool:
    """A temporary file of fsutil.atomic_path: `.<name>.<pid>.<random>.tmp`."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def temp_files(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file() and is_temp(p))


def assert_only_complete_files(*folders: Path) -> int:
    """Every non-temporary file under `folders` is complete: MP3s decode cleanly, JSON parses,
    text files are UTF-8. Returns the number of MP3s checked."""
    from listen.audio.probe import decode_ok

    checked = 0
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or is_temp(path):
                continue
            assert not path.name.startswith("."), f"unexpected hidden file {path}"
            if path.suffix == ".mp3":
                assert path.stat().st_size > 0 and decode_ok(path), f"corrupt MP3 {path}"
                checked += 1
            elif path.suffix == ".json":
                json.loads(path.read_text("utf-8"))
            elif path.suffix in (".lrc", ".m3u8"):
                text = path.read_text("utf-8")
                assert text.endswith("\n"), f"truncated {path}"
    return checked


def assert_valid_build(folder: Path) -> dict:
    """A finished build: manifest.json lists tracks that all exist and decode; no temp files."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["tracks"]
    for track in manifest["tracks"]:
        assert (folder / track["file"]).is_file(), track["file"]
        assert (folder / track["lrc"]).is_file(), track["lrc"]
    assert_only_complete_files(folder)
    assert temp_files(folder) == []
    return manifest


def cache_entries(cache: Path) -> list[Path]:
    seg = cache / "segments"
    return sorted(p for p in seg.rglob("*.mp3") if not is_temp(p)) if seg.exists() else []
