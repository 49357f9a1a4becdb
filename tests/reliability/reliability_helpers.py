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


def in_staging(path: Path, folder: Path) -> bool:
    """Under an article's staging folder: not yet visible to any reader."""
    return ".listen-staging" in path.relative_to(folder).parts


def assert_only_complete_files(*folders: Path) -> int:
    """Every visible file under `folders` is complete: MP3s decode cleanly, JSON parses, text
    files are UTF-8 (temporary files and staging folders, which no reader sees, aside). Returns
    the number of MP3s checked."""
    from support.probe import decode_ok

    checked = 0
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or is_temp(path) or in_staging(path, folder):
                continue
            if path.name == ".listen.lock":
                assert path.stat().st_size == 0  # the build lock of an article folder
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


FRAME_S = 0.024


def assert_consistent(folder: Path) -> dict:
    """What a reader sees agrees with itself: every track the manifest lists exists, decodes to the
    manifest's duration (to the frame), and carries, in its own ID3 chapters and its LRC, exactly
    the manifest's segment times; the playlist lists the manifest's tracks. No switch is half done
    (a staging folder without a journal, left by a build killed before its commit point, is
    invisible and removed by the next build)."""
    import mutagen.id3

    from listen.audio.lrc import parse_lrc
    from support.probe import decoded_duration

    assert not (folder / ".listen-staging" / "COMMIT").exists()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for track in manifest["tracks"]:
        path = folder / track["file"]
        assert path.is_file(), track["file"]
        assert abs(decoded_duration(path) - track["duration_s"]) <= FRAME_S / 2, track["file"]
        chapters = sorted(mutagen.id3.ID3(path).getall("CHAP"), key=lambda c: c.start_time)
        assert [(c.start_time, c.end_time) for c in chapters] == [
            (round(s["start_s"] * 1000), round(s["end_s"] * 1000)) for s in track["segments"]], track["file"]
        from support.timed_text import lrc_matches

        lrc = parse_lrc((folder / track["lrc"]).read_text("utf-8"))
        assert lrc_matches(lrc, track), track["lrc"]
    listed = [line for line in (folder / "playlist.m3u8").read_text("utf-8").splitlines() if line and line[0] != "#"]
    assert listed == [t["file"] for t in manifest["tracks"] if t["kind"] in ("alternating", "sentences", "english",
                                                                              "chinese", "glossary", "pair", "drill")]
    return manifest
