"""What three independent ID3 readers see in an MP3: mutagen, eyed3 and ffmpeg (libavformat).

Each reader returns the same shape, so a test can hold them to one expectation::

    {"version", "title", "album", "artist", "track", "date", "lyrics", "chapters": [(start_ms, title), ...]}

`chapters` is in the order the reader lists them (ffmpeg: frame order, as its players show them).
"""

from __future__ import annotations

import logging
import os
import subprocess

from listen.audio.ffmpeg import ffmpeg_exe

__all__ = ["READERS", "read_eyed3", "read_ffmpeg", "read_mutagen", "parse_ffmetadata"]


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
