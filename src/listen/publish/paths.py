"""Request-path safety and byte ranges for the publish server.

Nothing outside the served folder is reachable: `..`, encoded or double-encoded dots and slashes,
backslashes, NUL bytes, hidden files and symlinks that resolve outside -> None (the server's 404).
Also the MIME types the server sends, and `Range` header parsing (single ranges; RFC 9110).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".json": "application/json",
    ".lrc": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".m3u8": "audio/x-mpegurl",
    ".m3u": "audio/x-mpegurl",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
FEED_TYPE = "application/rss+xml; charset=utf-8"

_DIGITS = re.compile(r"[0-9]+")


def mime_type(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if Path(path).name == "feed.xml":
        return FEED_TYPE
    return MIME_TYPES.get(suffix, "application/octet-stream")


# ----------------------------------------------------------------------------- paths


def safe_segments(raw_path: str) -> tuple[list[str], bool] | None:
    """Decode a request path into safe segments; None when it is not acceptable (-> 404).

    Returns (segments, trailing_slash). Rejected: no leading "/", backslashes, NUL bytes, empty
    segments ("//"), encoded slashes, "." / ".." / hidden names, ":" (drive letters), invalid
    UTF-8, and anything that still looks like one of those after decoding again (double encoding).
    """
    if not raw_path.startswith("/") or "\\" in raw_path or "\x00" in raw_path:
        return None
    body = raw_path[1:]
    trailing = body.endswith("/")
    if trailing:
        body = body[:-1]
    if not body:
        return None if trailing else ([], False)  # "//" -> None, "/" -> root
    segments = []
    for raw in body.split("/"):
        try:
            seg = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if not _segment_ok(seg):
            return None
        # Defence against double (or deeper) encoding: no decoding may reveal a forbidden form.
        deeper = seg
        for _ in range(3):
            nxt = unquote(deeper, errors="replace")
            if nxt == deeper:
                break
            if not _segment_ok(nxt):
                return None
            deeper = nxt
        segments.append(seg)
    return segments, trailing


def _segment_ok(seg: str) -> bool:
    return bool(seg) and not seg.startswith(".") and not any(c in seg for c in "/\\\x00:") and seg.isprintable()


def contained(root: Path, segments: list[str]) -> Path | None:
    """root/segments resolved (symlinks followed), or None when that lands outside `root`."""
    try:
        candidate = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if candidate != root and root not in candidate.parents:
        return None
    return candidate


# ----------------------------------------------------------------------------- ranges


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte positions, inclusive, for a `Range` header value.

    None means "send the whole file" (several ranges: we do not do multipart, which RFC 9110
    allows us to ignore). Raises RangeNotSatisfiable for an invalid or unsatisfiable range.
    """
    unit, sep, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not sep:
        raise RangeNotSatisfiable(header)
    specs = [s.strip() for s in spec.split(",")]
    if len(specs) > 1:
        if any(not s for s in specs):
            raise RangeNotSatisfiable(header)
        return None
    first, dash, last = specs[0].partition("-")
    first, last = first.strip(), last.strip()
    if not dash or (first and not _DIGITS.fullmatch(first)) or (last and not _DIGITS.fullmatch(last)):
        raise RangeNotSatisfiable(header)
    if not first:  # suffix: the last N bytes
        if not last or int(last) == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if end < start or start >= size:
        raise RangeNotSatisfiable(header)
    return start, min(end, size - 1)
