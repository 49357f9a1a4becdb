"""A scriptable fake of Microsoft Edge's read-aloud WebSocket service on 127.0.0.1.

It speaks the protocol edge-tts 7 speaks (``edge_tts/communicate.py``): the client opens
``/edge/v1?TrustedClientToken=...&ConnectionId=...&Sec-MS-GEC=...``, sends a ``Path:speech.config``
text frame and a ``Path:ssml`` text frame; the service answers ``Path:turn.start``, binary frames
(2-byte big-endian header length, the header lines ending in CRLF, then MP3 bytes) with
``Path:audio`` and ``Content-Type:audio/mpeg``, an empty closing audio frame without Content-Type,
and ``Path:turn.end``.

Usage::

    with FakeEdge() as server:
        monkeypatch.setattr(edge_tts.communicate, "WSS_URL", server.url)   # tests only
        server.mode = "no-audio"      # or "ok", "handshake-403", "handshake-503", "hang", "drop"
        server.requests[0].voice, .text, .rate, .config

Every request is recorded with the voice, rate and text parsed from its SSML.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from dataclasses import dataclass, field
from xml.sax.saxutils import unescape

from aiohttp import WSMsgType, web

from .fake_gtts import tiny_mp3

TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"


@dataclass
class EdgeRequest:
    query: dict[str, str]
    headers: dict[str, str]
    config: dict = field(default_factory=dict)  # the speech.config JSON
    config_headers: dict[str, str] = field(default_factory=dict)
    ssml_headers: dict[str, str] = field(default_factory=dict)
    ssml: str = ""

    @property
    def voice(self) -> str | None:
        m = re.search(r"<voice name='([^']*)'>", self.ssml)
        return m.group(1) if m else None

    @property
    def rate(self) -> str | None:
        m = re.search(r"rate='([^']*)'", self.ssml)
        return m.group(1) if m else None

    @property
    def text(self) -> str | None:
        m = re.search(r"<prosody [^>]*>(.*)</prosody>", self.ssml, re.S)
        return unescape(m.group(1)) if m else None


def split_frame(text: str) -> tuple[dict[str, str], str]:
    head, _, body = text.partition("\r\n\r\n")
    headers = dict(line.split(":", 1) for line in head.split("\r\n") if line)
    return headers, body


def audio_frame(request_id: str, data: bytes, content_type: str | None = "audio/mpeg") -> bytes:
    lines = [f"X-RequestId:{request_id}"]
    if content_type:
        lines.append(f"Content-Type:{content_type}")
    lines += ["X-StreamId:ABCDEF", "Path:audio"]
    header = ("\r\n".join(lines) + "\r\n").encode("ascii")
    return len(header).to_bytes(2, "big") + header + data


def text_frame(request_id: str, path: str, body: str = "") -> str:
    return (f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
            f"Path:{path}\r\n\r\n{body}")


class FakeEdge:
    def __init__(self, audio: bytes | None = None, chunk: int = 400):
        self.audio = audio if audio is not None else tiny_mp3()
        self.chunk = chunk  # bytes of MP3 per binary frame
        self.mode = "ok"
        self.requests: list[EdgeRequest] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/edge/v1?TrustedClientToken={TOKEN}"

    async def _handle(self, request: web.Request):
        if self.mode.startswith("handshake-"):
            status = int(self.mode.split("-")[1])
            return web.Response(status=status, headers={"Date": "Wed, 02 Dec 2026 18:00:00 GMT"})
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        record = EdgeRequest(dict(request.query), dict(request.headers))
        self.requests.append(record)
        if self.mode == "drop":
            await ws.close()
            return ws
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            headers, body = split_frame(message.data)
            if headers.get("Path") == "speech.config":
                record.config_headers, record.config = headers, json.loads(body)
            elif headers.get("Path") == "ssml":
                record.ssml_headers, record.ssml = headers, body
                break
        if self.mode == "hang":
            await asyncio.sleep(30)
            return ws
        rid = record.ssml_headers.get("X-RequestId", "0")
        await ws.send_str(text_frame(rid, "turn.start", '{"context":{"serviceTag":"fake"}}'))
        if self.mode == "ok":
            for i in range(0, len(self.audio), self.chunk):
                await ws.send_bytes(audio_frame(rid, self.audio[i:i + self.chunk]))
            await ws.send_bytes(audio_frame(rid, b"", content_type=None))
        await ws.send_str(text_frame(rid, "turn.end", "{}"))
        await ws.close()
        return ws

    def _serve(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/edge/v1", self._handle)
        runner = web.AppRunner(app, shutdown_timeout=0.2)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._runner = runner
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def __enter__(self) -> "FakeEdge":
        self._thread = threading.Thread(target=self._serve, name="fake-edge", daemon=True)
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *exc) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
