"""What three independent ID3 readers see in an MP3: mutagen, eyed3 and ffmpeg (libavformat).

Each reader returns the same shape, so a test can hold them to one expectation::

    {"version", "title", "album", "artist", "track", "date", "lyrics", "chapters": [(start_ms, title), ...]}

`chapters` is in the order the reader lists them (ffmpeg: frame order, as its players show them).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess

from listen.audio.ffmpeg import ffmpeg_exe
from listen.output.manifest import chapter_title

__all__ = ["READERS", "assert_matrix", "read_eyed3", "read_ffmpeg", "read_mutagen", "parse_ffmetadata"]


def read_mutagen(path: str | os.PathLike) -> dict:
    from mutagen.id3 import ID3

    tag = ID3(path)
    text = lambda fid: str(tag[fid].text[0]) if fid in tag else ""  # noqa: E731
    lyrics = tag.getall("USLT")
    chapters = sorted(tag.getall("CHAP"), key=lambda c: c.start_time)
    return {
        "version": f"2.{tag.version[1]}", "title": text("TIT2"), "album": text("TALB"), "artist": text("TPE1"),
        "track": text("TRCK"), "date": text("TDRC"), "lyrics": lyrics[0].text if lyrics else None,
        "chapters": [(c.start_time, str(c.sub_frames["TIT2"].text[0]) if "TIT2" in c.sub_frames else None)
                     for c in chapters],
    }


def read_eyed3(path: str | os.PathLike) -> dict:
    import eyed3

    logging.getLogger("eyed3").setLevel(logging.CRITICAL)
    tag = eyed3.load(os.fspath(path)).tag
    number, total = tag.track_num
    date = tag.getBestDate()
    return {
        "version": ".".join(map(str, tag.version[:2])), "title": tag.title or "", "album": tag.album or "",
        "artist": tag.artist or "", "track": f"{number}/{total}" if number else "", "date": str(date) if date else "",
        "lyrics": tag.lyrics[0].text if len(tag.lyrics) else None,
        "chapters": sorted((c.times[0], c.title) for c in tag.chapters),
    }


def parse_ffmetadata(text: str) -> tuple[dict, list[dict]]:
    """The global keys and the chapters of ffmpeg's `-f ffmetadata` output ('=', ';', '#', '\\'
    and newlines inside values are escaped with a backslash)."""
    lines: list[list[tuple[bool, str]]] = [[]]  # (escaped?, char)
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            lines[-1].append((True, text[i + 1]))
            i += 2
            continue
        if ch == "\n":
            lines.append([])
        else:
            lines[-1].append((False, ch))
        i += 1
    glob: dict = {}
    chapters: list[dict] = []
    current = glob
    for chars in lines:
        raw = "".join(c for _, c in chars)
        if not chars or (raw.startswith((";", "#")) and not chars[0][0]):
            continue
        if raw == "[CHAPTER]":
            current = {}
            chapters.append(current)
            continue
        split = next((k for k, (escaped, c) in enumerate(chars) if c == "=" and not escaped), None)
        if split is not None:
            current["".join(c for _, c in chars[:split])] = "".join(c for _, c in chars[split + 1:])
    return glob, chapters


def read_ffmpeg(path: str | os.PathLike) -> dict:
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-copyts", "-i", os.fspath(path), "-f", "ffmetadata", "-"],
        capture_output=True, timeout=60,
    )  # -copyts: the ffmetadata muxer would shift chapter times by the input's start time
    glob, chapters = parse_ffmetadata(done.stdout.decode("utf-8", "replace"))
    listed = []
    for c in chapters:
        num, den = map(int, c.get("TIMEBASE", "1/1000").split("/"))
        listed.append((round(int(c["START"]) * 1000 * num / den), c.get("title")))
    lyrics = [v for k, v in glob.items() if k.startswith("lyrics")]
    return {
        "version": None, "title": glob.get("title", ""), "album": glob.get("album", ""),
        "artist": glob.get("artist", ""), "track": glob.get("track", ""), "date": glob.get("date", ""),
        "lyrics": lyrics[0] if lyrics else None, "chapters": listed,
    }


READERS = {"mutagen": read_mutagen, "eyed3": read_eyed3, "ffmpeg": read_ffmpeg}


def expected_tag(manifest: dict, track: dict) -> dict:
    segments = track["segments"]
    langs = {s["lang"] for s in segments}
    return {
        "title": track["title"],
        "album": f"{manifest['date']} {manifest['title']['zh'] or manifest['title']['en']}",
        "artist": "listen",
        "date": manifest["date"],
        "lyrics": "\n".join(s["text"] for s in segments),
        "chapters": [(round(s["start_s"] * 1000), chapter_title(s["text"])) for s in segments],
        "langs": langs,
    }


def check_track(reader: str, path, manifest: dict, track: dict) -> None:
    got = READERS[reader](path)
    want = expected_tag(manifest, track)
    where = f"{reader}: {track['file']}"
    assert got["title"] == want["title"], where
    assert got["album"] == want["album"], where
    assert got["artist"] == want["artist"], where
    assert got["date"] == want["date"], where
    assert got["lyrics"] == want["lyrics"], where
    assert got["chapters"] == want["chapters"], where  # every chapter, exact title, in time order
    if reader != "ffmpeg":
        assert got["version"] == "2.3", where


def assert_matrix(folder, readers=tuple(READERS)) -> int:
    """Every track of the article in `folder`, every reader; returns the number of chapters checked."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    checked = 0
    for track in manifest["tracks"]:
        for reader in readers:
            check_track(reader, folder / track["file"], manifest, track)
        checked += len(track["segments"])
    return checked
