"""Extended M3U playlists (UTF-8, `.m3u8`)."""

from __future__ import annotations

__all__ = ["m3u8_text"]


def m3u8_text(entries: list[tuple[str, int, str]]) -> str:
    """`#EXTM3U` then `#EXTINF:<seconds>,<title>` + relative path per (relpath, seconds, title).

    `seconds` are whole seconds as every duration is shown (`listen.output.manifest.whole_seconds`);
    paths use forward slashes; titles are one line.
    """
    out = ["#EXTM3U"]
    for relpath, duration_s, title in entries:
        path = str(relpath).replace("\\", "/")
        out.append(f"#EXTINF:{int(duration_s)},{' '.join(str(title).split())}")
        out.append(path)
    return "\n".join(out) + "\n"
