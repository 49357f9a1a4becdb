"""LRC lyrics files: one timed line per segment, so players show the text being spoken."""

from __future__ import annotations

import re

__all__ = ["format_time", "lrc_text", "parse_lrc"]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def format_time(seconds: float) -> str:
    """`mm:ss.xx` (centiseconds, rounded; minutes may exceed 59)."""
    cs = max(0, int(round(seconds * 100)))
    minutes, cs = divmod(cs, 6000)
    return f"{minutes:02d}:{cs // 100:02d}.{cs % 100:02d}"


def lrc_text(
    lines: list[tuple[float, str]],
    *,
    title: str | None = None,
    album: str | None = None,
    length: str | None = None,
) -> str:
    """LRC text: optional `[ti:]`, `[al:]`, `[length:m:ss]` headers, then `[mm:ss.xx]text` lines.

    `length` is the track's duration as it is shown everywhere (`listen.output.manifest.duration_label`);
    the tag is written as LRC tools write it, with no space after the colon (pylrc reads it back).

    Multi-line text is flattened to one line; times never go backwards (a time earlier than
    the previous line's is raised to it). Every line ends with "\\n".
    """
    out: list[str] = []
    if title:
        out.append(f"[ti:{_one_line(title)}]")
    if album:
        out.append(f"[al:{_one_line(album)}]")
    if length:
        out.append(f"[length:{length}]")
    previous = 0.0
    for start, text in lines:
        start = max(float(start), previous)
        previous = start
        out.append(f"[{format_time(start)}]{_one_line(text)}")
    return "".join(line + "\n" for line in out)


_TIME = re.compile(r"\[(\d+):(\d{1,2}(?:[.:]\d{1,3})?)\]")


def parse_lrc(text: str) -> list[tuple[float, str]]:
    """(seconds, text) of each timed line, in time order; header tags are ignored."""
    result: list[tuple[float, str]] = []
    for line in text.splitlines():
        stamps: list[float] = []
        pos = 0
        while True:
            m = _TIME.match(line, pos)
            if not m:
                break
            stamps.append(int(m.group(1)) * 60 + float(m.group(2).replace(":", ".")))
            pos = m.end()
        for t in stamps:
            result.append((t, line[pos:]))
    result.sort(key=lambda item: item[0])
    return result
