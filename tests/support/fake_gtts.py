"""A scriptable fake of Google Translate's TTS endpoint (gTTS's batchexecute RPC) on 127.0.0.1.

Usage::

    from support.fake_gtts import FakeGtts, Reply

    with FakeGtts() as server:                       # answers every request with `server.audio`
        config.gtts_url = server.url                 # ".../{tld}/_/TranslateWebserverUi/data/batchexecute"
        server.script(Reply(status=429, headers={"Retry-After": "3"}), Reply())  # then default again
        ...
        server.requests[0].text, server.requests[0].lang, server.requests[0].tld

A `Reply` sets status, headers, body (bytes/str; None = gTTS's response format wrapping `audio`,
or `server.audio` when `audio` is None too), a delay before answering, `drop=True` to close the
connection without any reply, or `reset=True` to abort it (the client sees a reset). Scripted replies are used in order, one per request; when they run
out, `server.default` (a `Reply`) answers. `server.handler = fn` (fn(RecordedRequest) -> Reply)
takes precedence over both. Every request is recorded in `server.requests` with its decoded
`f.req` (rpcid, text, lang, speed).
"""

from __future__ import annotations

import base64
import functools
import json
import socket
import struct
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs

PATH = "/_/TranslateWebserverUi/data/batchexecute"
RPC_ID = "jQ1olc"


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str | None = None
    audio: bytes | None = None
    delay: float = 0.0
    drop: bool = False
    trickle: float = 0.0  # seconds between 16-byte pieces of the body (a server that drips)
    cut: bool = False  # send half the body, then close the connection
    reset: bool = False  # abort the connection (TCP RST) instead of answering


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    rpcid: str | None = None
    text: str | None = None
    lang: str | None = None
    speed: object = None

    @property
    def tld(self) -> str | None:
        """The first path segment when the URL template is ``/{tld}/...`` (FakeGtts.url)."""
        first = self.path.lstrip("/").split("/", 1)[0]
        return None if first == "_" else first


def decode_f_req(body: bytes | str) -> tuple[str, list]:
    """(rpcid, [text, lang, speed, "null"]) from a gTTS form body ``f.req=...&``."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    outer = json.loads(parse_qs(body)["f.req"][0])
    rpcid, params, _, _ = outer[0][0]
    return rpcid, json.loads(params)


def gtts_response(audio: bytes) -> bytes:
    """A batchexecute response as Google sends it, carrying `audio` base64-encoded."""
    payload = json.dumps([base64.b64encode(audio).decode("ascii")])
    line = json.dumps(
        [["wrb.fr", RPC_ID, payload, None, None, None, "generic"], ["di", 52], ["af.httprm", 51, "-4735", 12]],
        separators=(",", ":"),
    )
    tail = '[["e",4,null,null,%d]]' % (len(line) + 40)
    return f")]}}'\n\n{len(line) + 2}\n{line}\n{len(tail)}\n{tail}\n".encode("utf-8")


def gtts_response_without_audio() -> bytes:
    """What Google answers for an unsupported language: the RPC line without an audio stream."""
    line = json.dumps([["wrb.fr", RPC_ID, None, None, None, [3], "generic"]], separators=(",", ":"))
    return f")]}}'\n\n{len(line)}\n{line}\n".encode("utf-8")


@functools.lru_cache(maxsize=None)
def tiny_mp3() -> bytes:
    """0.5 s of a 440 Hz tone as MP3 (24 kHz mono, 32 kbps), made once with imageio-ffmpeg."""
    import imageio_ffmpeg

    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.5",
        "-ac", "1", "-ar", "24000", "-b:a", "32k", "-f", "mp3", "-",
    ]
    return subprocess.run(cmd, check=True, capture_output=True, timeout=30).stdout


class FakeGtts:
    def __init__(self, audio: bytes | None = None):
        self.audio = audio if audio is not None else tiny_mp3()
        self.default = Reply()
        self.handler: Callable[[RecordedRequest], Reply] | None = None
        self.requests: list[RecordedRequest] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control --------------------------------------------------------------------------
    def script(self, *replies: Reply) -> "FakeGtts":
        with self._lock:
            self._script.extend(replies)
        return self

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Endpoint template with "{tld}" as the first path segment (see RecordedRequest.tld)."""
        return f"http://127.0.0.1:{self.port}/{{tld}}{PATH}"

    @property
    def plain_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def start(self) -> "FakeGtts":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

            def do_HEAD(self):
                fake._handle(self)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):  # client gave up (timeouts): ignore
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> "FakeGtts":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- serving --------------------------------------------------------------------------
    def _next_reply(self, request: RecordedRequest) -> Reply:
        if self.handler is not None:
            return self.handler(request)
        with self._lock:
            if self._script:
                return self._script.pop(0)
        return self.default

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        request = RecordedRequest(h.command, h.path, dict(h.headers.items()), body)
        if h.command == "POST" and body:
            try:
                request.rpcid, params = decode_f_req(body)
                request.text, request.lang, request.speed = params[0], params[1], params[2]
            except (KeyError, ValueError, IndexError, TypeError):
                pass
        with self._lock:
            self.requests.append(request)
        reply = self._next_reply(request)
        if reply.delay:
            self._stopping.wait(reply.delay)
        if reply.drop:
            h.close_connection = True
            return  # the handler closes the socket without writing anything
        if reply.reset:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            h.wfile.close()
            h.rfile.close()
            h.connection.close()  # closed now, before any FIN, with a zero linger time: RST
            return
        if reply.body is not None:
            data = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        elif reply.status == 200:
            data = gtts_response(reply.audio if reply.audio is not None else self.audio)
        else:
            data = b""
        h.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        for name, value in headers.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if h.command != "HEAD" and reply.trickle:
            for i in range(0, len(data), 16):
                if self._stopping.wait(reply.trickle):
                    return
                try:
                    h.wfile.write(data[i:i + 16])
                    h.wfile.flush()
                except OSError:
                    return  # the client gave up
        elif h.command != "HEAD" and reply.cut:
            h.wfile.write(data[: len(data) // 2])
            h.wfile.flush()
            h.close_connection = True
        elif h.command != "HEAD":
            h.wfile.write(data)
