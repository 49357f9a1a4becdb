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


def test_bad_feed_option_is_one_line_error(library):
    result = run(str(library), "--feed-email", "nobody")
    assert result.exit_code == 2 and result.output == "listen: error: feed email must be an e-mail address, not 'nobody'.\n"


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
    proc, lines = serve(library, "--port", "0", "--feed-title", "My feed 社評")
    try:
        banner = "\n".join(lines)
        match = re.search(r"Serving 3 articles from .* at (http://127\.0\.0\.1:(\d+)/)", banner)
        assert match, banner
        url, port = match.group(1), int(match.group(2))
        assert f"Podcast feed: {url}feed.xml" in banner
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        resp = conn.getresponse()
        page = resp.read().decode()
        assert resp.status == 200 and "延長圖書館開放時間" in page and "<h1>My feed 社評</h1>" in page
        conn.request("GET", "/feed.xml")
        assert "<title>My feed 社評</title>" in conn.getresponse().read().decode()
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


def get(port: int, host_header: str, address: str = "127.0.0.1") -> int:
    conn = http.client.HTTPConnection(address, port, timeout=5)
    try:
        conn.request("GET", "/", headers={"Host": host_header})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def test_allow_host_names_are_served_and_others_refused_once_with_a_hint(library):
    proc, lines = serve(library, "--port", "0", "--allow-host", "nas.home", "--allow-host", ".example.org")
    try:
        port = int(re.search(r"at http://127\.0\.0\.1:(\d+)/", "\n".join(lines)).group(1))
        assert [get(port, h) for h in ("nas.home", f"nas.home:{port}", "phone.example.org", "localhost")] == [200] * 4
        assert [get(port, h) for h in ("rebind.attacker.example", "rebind.attacker.example")] == [421, 421]
    finally:
        code, out, err = stop(proc)
    assert code == 0
    refusals = [line for line in err.splitlines() if "refused" in line]
    assert refusals == ["listen: warning: refused requests for the host name rebind.attacker.example (not a name "
                        "of this server); if you reach it by that name, restart with --allow-host "
                        "rebind.attacker.example."]


def test_allow_host_must_be_a_name(library):
    result = CliRunner(mix_stderr=False).invoke(cli, ["serve", str(library), "--allow-host", "http://x/"])
    assert result.exit_code == 2
    assert result.stderr == ("listen: error: --allow-host 'http://x/' is not a host name; use a name such as "
                             "nas.local, .example.org for every name under it, or * for any.\n")


def test_lan_serves_ipv4_and_ipv6_and_prints_both_urls(library):
    from listen.publish import server as srv

    if not socket.has_dualstack_ipv6():
        pytest.skip("no dual-stack IPv6 here")
    proc, lines = serve(library, "--port", "0", "--lan")
    try:
        banner = "\n".join(lines)
        port = int(re.search(r"at http://127\.0\.0\.1:(\d+)/", banner).group(1))
        v4, v6 = srv.lan_address(), srv.lan_address6()
        if v4:
            assert f"On your phone (same Wi-Fi): http://{v4}:{port}/" in lines
        if v6:
            assert f"{'or IPv6: ':>28}http://[{v6}]:{port}/" in lines
        for address in ("127.0.0.1", "::1", *(a for a in (v4, v6) if a)):
            assert get(port, "localhost", address) == 200, address
        assert get(port, "rebind.attacker.example", "::1") == 421
    finally:
        stop(proc)
