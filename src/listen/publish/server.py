"""A small HTTP server for built articles: library page, web player, podcast feed, the files.

URL scheme (everything relative to the served folder, default `audio/`):

    /                          library page: articles newest first
    /a/<rel>/                  article page with the player (<rel> = article folder, may be nested)
    /a/<rel>/transcript.txt    the article as plain text (linked from the feed)
    /files/<rel>/<file>        the built files (MP3 with Range support, .lrc, .m3u8, manifest.json)
    /feed.xml                  podcast feed; URLs use the request's Host header
    /static/<file>             player.js, player.css, icon.svg (shipped with the package)

GET and HEAD only. Nothing outside the served folder is reachable: `..`, encoded or double-encoded
dots and slashes, backslashes, NUL bytes, hidden files and symlinks that resolve outside -> 404.
Standard library only; `make_server` / `running` start it from code and tests.
"""

from __future__ import annotations

import contextlib
import email.utils
import html
import json
import os
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote

from .feed import feed_xml, transcript_text, url_join
from .library import Article, load, scan

STATIC_DIR = Path(__file__).resolve().parent / "static"
CHUNK = 64 * 1024

MIME_TYPES = {
    ".mp3": "audio/mpeg",
    ".json": "application/json",
    ".lrc": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
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

KIND_LABELS = {
    "alternating": "EN ⇄ 中 alternating",
    "english": "English",
    "chinese": "中文 Chinese",
    "glossary": "Glossary",
}

_HOST_RE = re.compile(r"^(?:[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
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


# ----------------------------------------------------------------------------- pages


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _path_url(*parts: str) -> str:
    return "/".join(quote(p, safe="") for p in parts)


def _head(title: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="theme-color" content="#f6f4ef" media="(prefers-color-scheme: light)">\n'
        '<meta name="theme-color" content="#16181d" media="(prefers-color-scheme: dark)">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="icon" href="/static/icon.svg" type="image/svg+xml">\n'
        '<link rel="stylesheet" href="/static/player.css">\n</head>\n'
    )


def _fmt_duration(seconds) -> str:
    if not isinstance(seconds, (int, float)):
        return ""
    total = int(round(seconds))
    m, s = divmod(total, 60)
    return f"{m}:{s:02d}"


def render_library(articles: list[Article], title: str = "listen") -> str:
    rows = []
    for a in articles:
        track = a.main_track or {}
        pairs = len(a.manifest.get("pairs") or [])
        meta = " · ".join(x for x in (a.date or "", f"{pairs} pair{'s' if pairs != 1 else ''}" if pairs else "", _fmt_duration(track.get("duration_s"))) if x)
        zh, en = a.title_zh, a.title_en
        names = "".join(
            f'<span class="{cls}" lang="{lang}">{_e(t)}</span>' for cls, lang, t in (("zh", "zh", zh), ("en", "en", en)) if t
        ) or f'<span class="en">{_e(a.name)}</span>'
        rows.append(
            f'<li class="article" data-article="{_e(a.rel)}" data-date="{_e(a.date or "")}">'
            f'<a href="/a/{_path_url(*a.rel.split("/"))}/"><span class="date">{_e(meta)}</span>{names}</a></li>'
        )
    body = "\n".join(rows) or '<li class="empty">No built articles yet: run <code>listen build FILE</code>.</li>'
    return (
        _head(title)
        + '<body class="library">\n<main class="wrap">\n'
        f'<header class="lib-head"><h1>{_e(title)}</h1>'
        '<p class="sub">Bilingual listening · tap an article to open the player</p></header>\n'
        f'<ol id="articles" class="articles">\n{body}\n</ol>\n'
        '<footer class="lib-foot"><a href="/feed.xml">Podcast feed</a> · subscribe in a podcast app with this link</footer>\n'
        "</main>\n</body>\n</html>\n"
    )


def _paras(manifest: dict, lang: str) -> list[str]:
    value = (manifest.get("paragraphs") or {}).get(lang) or []
    return [str(p) for p in value]


def _track_label(track: dict) -> str:
    kind = track.get("kind", "")
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    return str(track.get("title") or track.get("file"))


def render_article(article: Article) -> str:
    m = article.manifest
    en, zh = _paras(m, "en"), _paras(m, "zh")
    pairs = m.get("pairs") or []
    files = "/files/" + _path_url(*article.rel.split("/")) + "/"
    out = [_head(article.title), f'<body class="article" data-files="{_e(files)}" data-name="{_e(article.name)}">\n']
    out.append(
        '<header class="top"><a class="back" href="/" aria-label="Library">'
        '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 5l-7 7 7 7"/></svg>Library</a>'
        f'<span class="meta">{_e(article.date or "")}</span></header>\n<main id="text" class="wrap">\n'
    )
    title_parts = "".join(
        f'<span class="t-{lang}" lang="{lang}" data-lang="{lang}" data-title="{lang}">{_e(t)}</span>'
        for lang, t in (("zh", article.title_zh), ("en", article.title_en))
        if t
    )
    if title_parts:
        out.append(f'<h1 class="title unit" data-unit="t" tabindex="0">{title_parts}</h1>\n')
    out.append('<ol class="pairs" id="pairs">\n')
    for i, pair in enumerate(pairs):
        paras = []
        for lang, texts in (("en", en), ("zh", zh)):
            for idx in pair.get(lang) or []:
                if isinstance(idx, int) and 0 <= idx < len(texts):
                    paras.append(f'<p class="para {lang}" lang="{lang}" data-lang="{lang}" data-para="{idx}">{_e(texts[idx])}</p>')
        out.append(
            f'<li class="pair unit" id="pair-{i + 1}" data-pair="{i}" data-unit="p{i}" tabindex="0">'
            f'<span class="num" aria-hidden="true">{i + 1}</span><div class="texts">{"".join(paras)}</div></li>\n'
        )
    out.append("</ol>\n")
    glossary = [g for g in m.get("glossary") or [] if isinstance(g, dict)]
    if glossary:
        out.append('<section class="glossary"><h2>Glossary</h2><dl>\n')
        for k, g in enumerate(glossary):
            zh_term = f' <span class="g-zh" lang="zh">{_e(g["zh"])}</span>' if g.get("zh") else ""
            out.append(
                f'<div class="gloss unit" data-gloss="{k}" data-unit="g{k}" tabindex="0">'
                f'<dt lang="en">{_e(g.get("term", ""))}{zh_term}</dt><dd>{_e(g.get("definition", ""))}</dd></div>\n'
            )
        out.append("</dl></section>\n")
    links = [f'<a href="{_e(files + _path_url(*t["file"].split("/")))}" download>{_e(_track_label(t))}</a>'
             for t in article.tracks if t.get("kind") in KIND_LABELS]
    if (article.dir / "playlist.m3u8").is_file():
        links.append(f'<a href="{_e(files)}playlist.m3u8">playlist.m3u8</a>')
    links.append('<a href="transcript.txt">transcript.txt</a>')
    out.append(f'<p class="downloads">Files: {" · ".join(links)}</p>\n</main>\n')
    out.append(_PLAYER_BAR)
    data = json.dumps(m, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    out.append(f'<script type="application/json" id="manifest">{data}</script>\n')
    out.append('<script src="/static/player.js"></script>\n</body>\n</html>\n')
    return "".join(out)


_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true">{}</svg>'
_PLAYER_BAR = f"""<footer id="player" class="player" aria-label="Player">
<audio id="audio" preload="metadata"></audio>
<div class="row info"><select id="track" aria-label="Track"></select><span id="where" class="where" aria-live="polite"></span></div>
<div class="row progress"><span id="time" class="time">0:00</span><input id="seek" type="range" min="0" max="0" step="0.1" value="0" aria-label="Position"><span id="duration" class="time">0:00</span></div>
<div class="row controls">
<label class="speed"><span class="sr">Speed</span><select id="speed" aria-label="Speed">
<option value="0.5">0.5×</option><option value="0.6">0.6×</option><option value="0.7">0.7×</option><option value="0.75">0.75×</option><option value="0.8">0.8×</option><option value="0.9">0.9×</option><option value="1" selected>1×</option><option value="1.1">1.1×</option><option value="1.25">1.25×</option><option value="1.5">1.5×</option>
</select></label>
<button id="prev" class="btn" type="button" aria-label="Previous pair">{_ICON.format('<path d="M6 5v14M19 5L9 12l10 7z"/>')}</button>
<button id="play" class="btn play" type="button" aria-label="Play"><span class="i-play">{_ICON.format('<path d="M8 5l11 7-11 7z"/>')}</span><span class="i-pause">{_ICON.format('<path d="M7 5h3v14H7zM14 5h3v14h-3z"/>')}</span></button>
<button id="next" class="btn" type="button" aria-label="Next pair">{_ICON.format('<path d="M18 5v14M5 5l10 7-10 7z"/>')}</button>
<button id="loop" class="btn loop" type="button" aria-pressed="false" aria-label="Loop this pair">{_ICON.format('<path d="M4 11V9a3 3 0 0 1 3-3h11l-3-3M20 13v2a3 3 0 0 1-3 3H6l3 3"/>')}<span class="lbl">Loop</span></button>
</div>
</footer>
"""


# ----------------------------------------------------------------------------- server


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "listen"
    sys_version = ""
    timeout = 120  # idle keep-alive connections give their thread back
    server: "ListenServer"

    def __getattr__(self, name: str):
        # Any method other than GET/HEAD (POST, PUT, DELETE, OPTIONS, made-up ones) -> 405.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # -- responses

    def _method_not_allowed(self) -> None:
        self.close_connection = True
        self._send_bytes(HTTPStatus.METHOD_NOT_ALLOWED, b"Method not allowed: use GET or HEAD.\n",
                         "text/plain; charset=utf-8", head=False, headers={"Allow": "GET, HEAD", "Connection": "close"})

    def _not_found(self, head: bool) -> None:
        self._send_bytes(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain; charset=utf-8", head)

    def _send_bytes(self, status, body: bytes, ctype: str, head: bool, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if status < 300:
            self.send_header("Cache-Control", "no-cache")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self._write(body)

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout):
            self.close_connection = True
            return False

    # -- routing

    def _dispatch(self, head: bool) -> None:
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request target
            rest = target.split("://", 1)[1]
            target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        path = target.split("?", 1)[0].split("#", 1)[0]
        parsed = safe_segments(path)
        if parsed is None:
            return self._not_found(head)
        segments, trailing = parsed
        root = self.server.root
        if not segments:
            articles = scan(root, on_warning=self.server.warn)
            return self._send_bytes(200, render_library(articles, self.server.title).encode(), MIME_TYPES[".html"], head)
        first, rest = segments[0], segments[1:]
        if first == "feed.xml" and not rest and not trailing:
            return self._feed(head)
        if first == "static" and len(rest) == 1 and not trailing:
            path = STATIC_DIR / rest[0]
            return self._file(path, head) if path.is_file() else self._not_found(head)
        if first == "files" and rest and not trailing:
            found = contained(root, rest)
            return self._file(found, head) if found is not None and found.is_file() else self._not_found(head)
        if first == "a" and rest:
            if not trailing and rest[-1] == "transcript.txt" and len(rest) > 1:
                article = self._article(rest[:-1])
                if article is None:
                    return self._not_found(head)
                return self._send_bytes(200, transcript_text(article.manifest).encode(), MIME_TYPES[".txt"], head)
            article = self._article(rest)
            if article is None:
                return self._not_found(head)
            if not trailing:
                location = "/a/" + _path_url(*rest) + "/"
                return self._send_bytes(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, {"Location": location})
            return self._send_bytes(200, render_article(article).encode(), MIME_TYPES[".html"], head)
        return self._not_found(head)

    def _article(self, rel: list[str]) -> Article | None:
        folder = contained(self.server.root, rel)
        if folder is None or not (folder / "manifest.json").is_file():
            return None
        try:
            article = load(self.server.root.joinpath(*rel, "manifest.json"), self.server.root)
        except (OSError, ValueError) as exc:
            self.server.warn(f"cannot read {folder / 'manifest.json'}: {exc}")
            return None
        return article

    def _base(self) -> str:
        host = (self.headers.get("Host") or "").strip()
        if not _HOST_RE.match(host):
            addr, port = self.server.server_address[:2]
            host = f"[{addr}]:{port}" if ":" in str(addr) else f"{addr}:{port}"
        return f"http://{host}/"

    def _feed(self, head: bool) -> None:
        base = self._base()
        articles = scan(self.server.root, on_warning=self.server.warn)
        xml = feed_xml(
            articles,
            url_join(base, "files") + "/",
            self.server.title,
            page_base=url_join(base, "a") + "/",
            link=base,
            feed_url=url_join(base, "feed.xml"),
            image_url=url_join(base, "static/icon.png") if (STATIC_DIR / "icon.png").is_file() else None,
        )
        self._send_bytes(200, xml.encode("utf-8"), FEED_TYPE, head)

    # -- files

    def _file(self, path: Path, head: bool) -> None:
        try:
            fh = open(path, "rb")
        except OSError:
            return self._not_found(head)
        with fh:
            st = os.fstat(fh.fileno())
            size = st.st_size
            etag = f'"{st.st_mtime_ns:x}-{size:x}"'
            last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
            common = {"Accept-Ranges": "bytes", "ETag": etag, "Last-Modified": last_modified}
            if self._not_modified(etag, st.st_mtime):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                for key, value in common.items():
                    self.send_header(key, value)
                self.end_headers()
                return
            ctype = mime_type(path)
            span = None
            range_header = self.headers.get("Range")
            if range_header and self._if_range_ok(etag, st.st_mtime):
                try:
                    span = parse_range(range_header, size)
                except RangeNotSatisfiable:
                    return self._send_bytes(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", ctype, head,
                                            {**common, "Content-Range": f"bytes */{size}"})
            if span is None:
                start, length = 0, size
                self.send_response(HTTPStatus.OK)
            else:
                start, length = span[0], span[1] - span[0] + 1
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {span[0]}-{span[1]}/{size}")
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            for key, value in common.items():
                self.send_header(key, value)
            self.end_headers()
            if head:
                return
            fh.seek(start)
            remaining = length
            while remaining > 0:
                chunk = fh.read(min(CHUNK, remaining))
                if not chunk:
                    self.close_connection = True  # file shrank under us; the client sees a short body
                    break
                if not self._write(chunk):
                    break
                remaining -= len(chunk)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return inm.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return int(mtime) <= since
        return False

    def _if_range_ok(self, etag: str, mtime: float) -> bool:
        value = self.headers.get("If-Range")
        if not value:
            return True
        value = value.strip()
        if value.startswith(('"', "W/")):
            return value == etag
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False


class ListenServer(ThreadingHTTPServer):
    """The HTTP server; `root` is the resolved served folder."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: str | os.PathLike, address: tuple[str, int], *, quiet: bool = True,
                 title: str = "listen", warn=None):
        self.root = Path(root).resolve()
        self.quiet = quiet
        self.title = title
        self._warn = warn
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def warn(self, message: str) -> None:
        if self._warn is not None:
            self._warn(message)
        elif not self.quiet:
            sys.stderr.write(f"listen: warning: {message}\n")

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        """The URL to open on this machine (loopback for wildcard binds)."""
        host = self.server_address[0]
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout)):
            return  # players drop media connections all the time
        super().handle_error(request, client_address)


def make_server(root: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000, **options) -> ListenServer:
    """Bind a server for `root` (not yet serving). port 0 picks a free port; see `.server_address`/`.url`.

    Run it with `server.serve_forever()` (or `start(server)` for a background thread); stop with
    `server.shutdown()` then `server.server_close()`. Raises OSError when the address cannot be bound.
    """
    return ListenServer(root, (host, port), **options)


def start(server: ListenServer) -> threading.Thread:
    """Serve in a daemon thread; returns the thread."""
    thread = threading.Thread(target=server.serve_forever, name="listen-serve", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def running(root: str | os.PathLike, host: str = "127.0.0.1", port: int = 0, **options) -> Iterator[ListenServer]:
    """A started server for the duration of a `with` block (tests, scripts)."""
    server = make_server(root, host, port, **options)
    thread = start(server)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def lan_address() -> str | None:
    """This machine's LAN IPv4 address, or None.

    Uses a UDP socket `connect` to a TEST-NET address: that only asks the kernel for the route
    (and so the source address); no packet is sent.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect(("192.0.2.1", 9))
        address = sock.getsockname()[0]
    except OSError:
        return None
    finally:
        sock.close()
    if not address or address.startswith("127.") or address == "0.0.0.0":
        return None
    return address
