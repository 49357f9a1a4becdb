"""Reachability of online engines: through the proxy the environment names, as their clients go."""

from __future__ import annotations

import socket

import pytest

from listen.engines.network import can_connect


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    yield server.getsockname()[1]
    server.close()


def test_a_listening_host_is_reachable_and_a_closed_port_is_not(listener, monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert can_connect(f"http://127.0.0.1:{listener}/x", 2.0)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    assert not can_connect(f"http://127.0.0.1:{port}/x", 0.5)


def test_the_proxy_is_what_is_reached_unless_no_proxy_names_the_host(listener, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{listener}")
    monkeypatch.delenv("https_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    # The host itself does not resolve (.invalid): only the proxy can be reached.
    assert can_connect("https://speech.example.invalid/api", 2.0)
    monkeypatch.setenv("NO_PROXY", "example.invalid")
    assert not can_connect("https://speech.example.invalid/api", 0.5)
