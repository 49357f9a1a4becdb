"""`listen serve`: errors are one line + exit code; the banner prints URLs (and a QR code with --lan);
the real command serves until Ctrl-C."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from listen.cli import cli


def run(*args):
    return CliRunner().invoke(cli, ["serve", *args])


def test_missing_dir_is_one_line_error(tmp_path):
    result = run(str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "does not exist" in result.output


def test_no_articles_is_an_error(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "No built articles" in result.output


def test_lan_and_host_conflict(library):
    result = run(str(library), "--lan", "--host", "127.0.0.1")
    assert result.exit_code == 2 and "either --lan or --host" in result.output


def test_port_in_use(library):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(str(library), "--port", str(port))
    assert result.exit_code == 2 and "already in use" in result.output


def serve(*args):
    """Start the real `listen serve` in a process; return it and the lines it printed up to the
    Ctrl+C line."""
    proc = subprocess.Popen([sys.executable, "-m", "listen", "serve", *map(str, args)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl+C"):
            break
    return proc, lines


def stop(proc) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err


@pytest.mark.slow  # a real server process
def test_serves_until_ctrl_c(library):
    proc, lines = serve(library, "--port", "0")
    try:
        banner = "\n".join(lines)
        match = re.search(r"Serving 3 articles from .* at (http://127\.0\.0\.1:(\d+)/)", banner)
        assert match, banner
        url, port = match.group(1), int(match.group(2))
        assert f"Podcast feed: {url}feed.xml" in banner
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        resp = conn.getresponse()
        assert resp.status == 200 and "延長圖書館開放時間" in resp.read().decode()
        conn.close()
    finally:
        code, out, err = stop(proc)
    assert code == 0 and "Stopped." in out
    assert "broken" in err and "Traceback" not in err  # the unreadable manifest is reported, once


@pytest.mark.slow  # a real server process
def test_lan_binds_every_interface_and_says_where_to_point_the_phone(library):
    proc, lines = serve(library, "--port", "0", "--lan")
    try:
        banner = "\n".join(lines)
        assert re.search(r"at http://127\.0\.0\.1:\d+/", banner)
        assert "On your phone (same Wi-Fi): http://" in banner or "No LAN address found" in banner
    finally:
        stop(proc)


def test_qr_code_of_the_lan_url():
    from listen.cli.serve import _qr

    code = _qr("http://192.168.1.23:8000/")
    assert code and {"▀", "█", "▄"} & set(code) and len(code.splitlines()) > 10


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
