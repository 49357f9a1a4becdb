"""`listen serve`: errors are one line + exit code; the banner prints URLs (and a QR code with --lan)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

import listen.cli.serve as serve_cli
from listen.cli import cli


@pytest.fixture
def started(monkeypatch):
    """Replace serve_forever: record the server instead of blocking."""
    servers = []
    monkeypatch.setattr(serve_cli, "_serve_forever", servers.append)
    return servers


def run(*args):
    return CliRunner().invoke(cli, ["serve", *args])


def test_missing_dir_is_one_line_error(tmp_path, started):
    result = run(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "does not exist" in result.output
    assert started == []


def test_no_articles_is_an_error(tmp_path, started):
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "No built articles" in result.output


def test_banner_and_ephemeral_port(library, started):
    result = run(str(library), "--port", "0")
    assert result.exit_code == 0, result.output
    (server,) = started
    assert server.server_address[0] == "127.0.0.1" and server.port != 0
    assert f"http://127.0.0.1:{server.port}/" in result.output
    assert "feed.xml" in result.output and "Serving 3 articles" in result.output
    assert "broken" in result.output  # the unreadable manifest is reported


def test_lan_prints_lan_url_and_qr(library, started, monkeypatch):
    monkeypatch.setattr(serve_cli.publish_server, "lan_address", lambda: "192.168.1.23")
    result = run(str(library), "--port", "0", "--lan")
    assert result.exit_code == 0, result.output
    (server,) = started
    assert server.server_address[0] == "0.0.0.0"
    assert f"http://192.168.1.23:{server.port}/" in result.output
    assert "▀" in result.output or "█" in result.output or "▄" in result.output  # the QR code


def test_lan_and_host_conflict(library, started):
    result = run(str(library), "--lan", "--host", "127.0.0.1")
    assert result.exit_code == 2 and "either --lan or --host" in result.output


def test_port_in_use(library, started):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(str(library), "--port", str(port))
    assert result.exit_code == 2 and "already in use" in result.output


def test_lan_address_without_traffic(monkeypatch):
    """lan_address only calls connect() on a UDP socket (no packet is sent); check it copes with no route."""
    from listen.publish import server as srv

    class NoRoute:
        def __init__(self, *a):
            pass

        def connect(self, addr):
            raise OSError("Network is unreachable")

        def close(self):
            pass

    monkeypatch.setattr(srv.socket, "socket", NoRoute)
    assert srv.lan_address() is None
