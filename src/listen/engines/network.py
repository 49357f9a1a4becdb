"""What online engines share about the network: whether a server is there, and what happened to a
connection, in words."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

__all__ = ["can_connect", "connection_cause"]

_DEFAULT_PORTS = {"https": 443, "wss": 443, "http": 80, "ws": 80}
_PROXY_SCHEME = {"wss": "https", "ws": "http"}  # the proxy variable that carries each scheme


def can_connect(url: str, timeout: float) -> bool:
    """True when the host of `url` (or the proxy the environment names for it) accepts a TCP
    connection within `timeout` seconds, name resolution included. Spends no request."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port
    if not host:
        return False
    if port is None:
        port = _DEFAULT_PORTS.get(parts.scheme, 80)
    scheme = _PROXY_SCHEME.get(parts.scheme, parts.scheme)
    proxy = _environment_proxy(scheme, host)
    if proxy:
        proxy_parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if proxy_parts.hostname:
            host, port = proxy_parts.hostname, proxy_parts.port or 80
    timeout = max(0.01, float(timeout))
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except (OSError, ValueError):
            result.append(False)

    # getaddrinfo ignores socket timeouts; a thread bounds the whole check.
    thread = threading.Thread(target=probe, name="listen-reachable", daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def _environment_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme` requests to `host` (HTTPS_PROXY, ALL_PROXY,
    NO_PROXY ...), as requests and urllib find it; None for none."""
    import urllib.request

    proxies = urllib.request.getproxies_environment()
    if not proxies or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    return proxies.get(scheme) or proxies.get("all")


def connection_cause(exc: BaseException) -> str:
    """What happened to a connection, in words (not Python's exception text)."""
    import http.client

    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    texts = []
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ConnectionRefusedError):
            return "the connection was refused"
        if isinstance(e, socket.gaierror):
            return "the host name could not be resolved"
        if isinstance(e, http.client.RemoteDisconnected):  # a ConnectionResetError too
            return "the server closed the connection without answering"
        if isinstance(e, (ConnectionResetError, BrokenPipeError)):
            return "the server reset the connection"
        if isinstance(e, http.client.IncompleteRead):
            return "the answer was cut short"
        if isinstance(e, (socket.timeout, TimeoutError)):
            return "the connection timed out"
        texts.append(str(e).lower())
        stack.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        for attr in ("reason", "os_error"):  # urllib3's reason; aiohttp's ClientConnectorError
            inner = getattr(e, attr, None)
            if isinstance(inner, BaseException):
                stack.append(inner)
    text = " ".join(texts)
    for needle, words in (
        ("refused", "the connection was refused"),
        ("name or service not known", "the host name could not be resolved"),
        ("nodename nor servname", "the host name could not be resolved"),
        ("failed to resolve", "the host name could not be resolved"),
        ("reset by peer", "the server reset the connection"),
        ("incomplete", "the answer was cut short"),
        ("remote end closed", "the server closed the connection without answering"),
        ("connection aborted", "the server closed the connection"),
        ("network is unreachable", "the network is unreachable"),
        ("no route to host", "there is no route to the host"),
        ("timed out", "the connection timed out"),
    ):
        if needle in text:
            return words
    return "the connection failed"
