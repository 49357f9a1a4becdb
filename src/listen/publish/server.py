"""A small HTTP server for built articles: library page, web player, podcast feed, the files.

URL scheme (everything relative to the served folder, default `audio/`):

    /                          library page: articles newest first
    /a/<rel>/                  article page with the player (<rel> = article folder, may be nested)
    /a/<rel>/transcript.txt    the article as plain text
    /feed.xml, /feed-*.xml     podcast feeds (listen.publish.site); URLs use the request's Host header
    /covers/<key>.png          the feeds' cover art, drawn on request
    /<rel>/<file>              the built files (MP3 with Range support, sidecars, .m3u8, manifest.json),
                               where a static site (`listen build --base-url`) has them too
    /files/<rel>/<file>        the same files (the player's URLs)
    /static/<file>             player.js, player.css, offline.js, icon.svg (shipped with the package)
    /sw.js                     the service worker (offline playback of downloaded articles)
    /manifest.webmanifest      the web app manifest; /icons/icon-192.png, /icons/icon-512.png its icons

GET and HEAD only. Nothing outside the served folder is reachable: `..`, encoded or double-encoded
dots and slashes, backslashes, NUL bytes, hidden files and symlinks that resolve outside -> 404.
Only requests for this server's own host names are answered (`publish.hosts`: IP addresses,
localhost, this machine's name, names allowed by the caller); others get 421, so a web page cannot
read the library through DNS rebinding. The wildcard IPv6 address `::` is bound dual-stack (IPv4
too) where the system allows it. Standard library only; `make_server` / `running` start it from
code and tests.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

from ..config import FeedSettings
from ..output.library import Entry, load_entry, scan
from ..output.manifest import ManifestError
from .feed import transcript_text, url_join
from .app import ICON_SIZES, MANIFEST_PATH, SERVICE_WORKER, icon_png, web_manifest
from .hosts import HostPolicy
from .pages import _path_url, render_article, render_library
from .site import COVERS, FEEDS, Site
from .paths import (
    FEED_TYPE,
    MIME_TYPES,
    RangeNotSatisfiable,
    contained,
    mime_type,
    parse_range,
    safe_segments,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
CHUNK = 64 * 1024

_FEED_FILES = {f.file for f in FEEDS}
_ICON_NAMES = {f"icon-{n}.png": n for n in ICON_SIZES}
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


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
        if self._host_allowed(head=False):
            self._dispatch(head=False)

    def do_HEAD(self) -> None:
        if self._host_allowed(head=True):
            self._dispatch(head=True)

    def _host_allowed(self, head: bool) -> bool:
        """Answer only requests for this server's own names (DNS rebinding); 400/421 otherwise."""
        verdict = self.server.hosts.judge(self.headers.get_all("Host") or [], self.path, self.request_version)
        if verdict.status == 200:
            return True
        self.close_connection = True
        if verdict.status == 400:
            body = b"Bad request: the Host header is missing, repeated or not a host name.\n"
        else:
            self.server.refused(verdict.host or "")
            body = (f"Misdirected request: this server does not answer for the name {verdict.host}. If that "
                    f"is how you reach it, start it with: listen serve --allow-host {verdict.host}\n").encode()
        self._send_bytes(verdict.status, body, "text/plain; charset=utf-8", head, headers={"Connection": "close"})
        return False

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
            site = self._site()
            page = render_library(site.entries, self.server.title, feeds=[(f.file, f.label) for f in site.feeds()])
            return self._send_bytes(200, page.encode(), MIME_TYPES[".html"], head)
        first, rest = segments[0], segments[1:]
        if first in _FEED_FILES and not rest and not trailing:
            return self._feed(first, head)
        if first == COVERS and len(rest) == 1 and not trailing:
            picture = self._cover(f"{COVERS}/{rest[0]}")
            if picture is not None:
                return self._send_bytes(200, picture, mime_type(rest[0]), head, {"Cache-Control": "max-age=86400"})
        if first == SERVICE_WORKER and not rest and not trailing:
            return self._file(STATIC_DIR / SERVICE_WORKER, head)
        if first == MANIFEST_PATH and not rest and not trailing:
            return self._send_bytes(200, web_manifest(self.server.title).encode(), "application/manifest+json", head)
        if first == "icons" and len(rest) == 1 and not trailing:
            size = _ICON_NAMES.get(rest[0])
            if size is not None:
                return self._send_bytes(200, icon_png(size), "image/png", head, {"Cache-Control": "max-age=86400"})
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
                return self._send_bytes(200, transcript_text(article.article).encode(), MIME_TYPES[".txt"], head)
            article = self._article(rest)
            if article is None:
                return self._not_found(head)
            if not trailing:
                location = "/a/" + _path_url(*rest) + "/"
                return self._send_bytes(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, {"Location": location})
            return self._send_bytes(200, render_article(article).encode(), MIME_TYPES[".html"], head)
        if not trailing:  # a built file at its place in the folder, as a static site has it
            found = contained(root, segments)
            if found is not None and found.is_file():
                return self._file(found, head)
        return self._not_found(head)

    def _article(self, rel: list[str]) -> Entry | None:
        folder = contained(self.server.root, rel)
        if folder is None or not folder.is_dir():
            return None
        try:
            return load_entry(self.server.root.joinpath(*rel), self.server.root)
        except ManifestError as exc:
            self.server.warn(f"cannot read the manifest in {folder}: {exc}")
            return None

    def _base(self) -> str:
        host = (self.headers.get("Host") or "").strip()
        if not _HOST_RE.match(host):
            addr, port = self.server.server_address[:2]
            host = f"[{addr}]:{port}" if ":" in str(addr) else f"{addr}:{port}"
        return f"http://{host}/"

    def _site(self) -> Site:
        base = self._base()
        return Site(scan(self.server.root, on_warning=self.server.warn), self.server.feed_settings, base,
                    page_base=url_join(base, "a") + "/")

    def _feed(self, file: str, head: bool) -> None:
        xml = self._site().feed(file)
        if xml is None:
            return self._not_found(head)
        self._send_bytes(200, xml.encode("utf-8"), FEED_TYPE, head)

    def _cover(self, rel: str) -> bytes | None:
        cache = self.server.covers
        if rel not in cache:
            picture = self._site().cover_bytes(rel)
            if picture is None:
                return None
            if len(cache) >= 512:  # a long-running server over a changing library
                cache.clear()
            cache[rel] = picture  # the name is a hash of what is drawn: never stale
        return cache[rel]

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
                 feed: FeedSettings | None = None, warn=None, allow_hosts=(), on_refused=None):
        self.root = Path(root).resolve()
        self.quiet = quiet
        self.feed_settings = feed or FeedSettings()
        self.title = self.feed_settings.title
        self.covers: dict[str, bytes] = {}
        self._warn = warn
        self.hosts = HostPolicy(allow_hosts, bound=address[0])
        self._on_refused = on_refused
        self._refused: set[str] = set()
        self.dual_stack = False
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6 and self.server_address[0] == "::":
            # The IPv6 wildcard serves IPv4 too (as `python -m http.server` does), where allowed.
            with contextlib.suppress(AttributeError, OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                self.dual_stack = True
        super().server_bind()

    def refused(self, host: str) -> None:
        """Tell `on_refused` once per host name refused (at most 100 names are remembered)."""
        if self._on_refused is None or host in self._refused or len(self._refused) >= 100:
            return
        self._refused.add(host)
        self._on_refused(host)

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
        if host in ("0.0.0.0", "") or (host == "::" and self.dual_stack):
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

    `allow_hosts` adds host names the server answers for (see `publish.hosts`; ValueError for one
    that is not a name); `on_refused(host)` is told, once per name, of requests refused with 421.
    For the LAN, bind `lan_host()`: every interface, IPv4 and IPv6 where the system allows it.

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


def lan_host() -> str:
    """The address to bind for the LAN: `::` dual-stack (IPv4 and IPv6) where the system has it,
    else `0.0.0.0` (IPv4 only)."""
    return "::" if socket.has_dualstack_ipv6() else "0.0.0.0"


def lan_address() -> str | None:
    """This machine's LAN IPv4 address, or None.

    Uses a UDP socket `connect` to a TEST-NET address: that only asks the kernel for the route
    (and so the source address); no packet is sent.
    """
    return _route_source(socket.AF_INET, "192.0.2.1")


def lan_address6() -> str | None:
    """This machine's IPv6 address on the LAN (global or unique-local, not link-local), or None;
    found like `lan_address`, through the route to a documentation address (2001:db8::/32)."""
    return _route_source(socket.AF_INET6, "2001:db8::1")


def _route_source(family: int, probe: str) -> str | None:
    import ipaddress

    try:
        sock = socket.socket(family, socket.SOCK_DGRAM)
    except OSError:
        return None
    try:
        sock.connect((probe, 9))
        address = sock.getsockname()[0]
    except OSError:
        return None
    finally:
        sock.close()
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return None
    if ip.is_loopback or ip.is_unspecified or ip.is_link_local:
        return None
    return str(ip)
