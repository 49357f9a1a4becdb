"""`listen serve` answers only for its own host names (DNS rebinding): 421 for other names, 400 for
a missing, repeated or malformed Host; `::` is bound dual-stack (IPv4 and IPv6)."""

from __future__ import annotations

import http.client
import socket

import pytest

from listen.publish.hosts import HostPolicy, check_pattern, split_host
from listen.publish.server import running

ARTICLE_TEXT = "延長圖書館開放時間"  # the main article's title: on the library page, in the feed...
ROUTES = ["/", "/feed.xml", "/a/mingpao-2025-05-12/", "/a/mingpao-2025-05-12/transcript.txt",
          "/files/mingpao-2025-05-12/manifest.json", "/files/mingpao-2025-05-12/alternating.mp3",
          "/static/player.js"]


@pytest.mark.parametrize("value, parsed", [
    ("localhost", ("localhost", None)),
    ("LocalHost:8000", ("localhost", "8000")),
    ("127.0.0.1:8000", ("127.0.0.1", "8000")),
    ("[::1]:8000", ("::1", "8000")),
    ("[FD00::2]", ("fd00::2", None)),
    ("nas.home.", ("nas.home", None)),
    ("under_score.lan", ("under_score.lan", None)),
    ("", None), ("::1", None), ("[::1", None), ("[::1]x", None), ("[127.0.0.1]", None), ("a b", None),
    ("host:port", None), ("host:99999", None), ("evil\"><x", None), ("-lead.example", None), ("a..b", None),
    ("user@host", None), ("例え.jp", None),
])
def test_split_host(value, parsed):
    assert split_host(value) == parsed


# (Host header value, answered?) for a server with no extra names.
JUDGED = [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("127.1.2.3", True), ("[::1]:8000", True),
    ("192.168.1.23:8000", True), ("[fd00::2]:8000", True), ("10.0.0.7", True),
    ("localhost", True), ("localhost:8000", True), ("LOCALHOST.", True), ("app.localhost", True),
    ("evil.example", False), ("evil.example:8000", False), ("localhost.evil.example", False),
    ("127.0.0.1.nip.io", False), ("2130706433", False), ("0x7f000001", False), ("localhostx", False),
]


@pytest.mark.parametrize("value, answered", JUDGED)
def test_policy_answers_ip_addresses_and_loopback_names_only(value, answered):
    policy = HostPolicy(own_names=False)
    verdict = policy.judge([value], "/", "HTTP/1.1")
    assert verdict.status == (200 if answered else 421)
    assert verdict.host == split_host(value)[0]


def test_policy_allowed_names_and_domains():
    policy = HostPolicy(["nas.home", ".example.org", "[fd00::9]"], bound="my-box.lan", own_names=False)
    for host in ("nas.home", "example.org", "a.example.org", "a.b.example.org", "my-box.lan", "fd00::9"):
        assert policy.allows(host), host
    for host in ("nas.home.evil", "evilexample.org", "example.org.evil", "nas", "my-box"):
        assert not policy.allows(host), host
    assert HostPolicy(["*"], own_names=False).allows("anything.example")


def test_policy_bad_requests():
    policy = HostPolicy(own_names=False)
    assert policy.judge([], "/", "HTTP/1.1").status == 400  # HTTP/1.1 requires Host
    assert policy.judge([], "/", "HTTP/1.0").status == 200  # no browser sends that
    assert policy.judge(["localhost", "localhost"], "/", "HTTP/1.1").status == 400
    assert policy.judge(["a b"], "/", "HTTP/1.1").status == 400
    # An absolute-form target's authority stands for Host (RFC 9112 3.2.2).
    assert policy.judge(["localhost"], "http://evil.example/", "HTTP/1.1").status == 421
    assert policy.judge(["evil.example"], "http://127.0.0.1:8000/x", "HTTP/1.1").status == 200
    assert policy.judge(["localhost"], "http://user@evil.example/", "HTTP/1.1").status == 421


def test_own_machine_names_are_answered():
    name = socket.gethostname().lower()
    policy = HostPolicy()
    assert policy.allows(name)
    if "." not in name:
        assert policy.allows(f"{name}.local")


@pytest.mark.parametrize("pattern, entry", [
    ("nas.home", "nas.home"), ("NAS.Home.", "nas.home"), (".example.org", ".example.org"), ("*", "*"),
    ("[::1]", "::1"), ("10.0.0.1", "10.0.0.1"),
    ("", None), ("a b", None), ("http://x", None), ("x/y", None), ("*.example.org", None), ("a..b", None),
])
def test_check_pattern(pattern, entry):
    assert check_pattern(pattern) == entry


# -- over a real socket --------------------------------------------------------------------------


def request(server, path, host: str | None, method: str = "GET", port: int | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port or server.port, timeout=5)
    try:
        conn.putrequest(method, path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_rebound_name_gets_421_and_not_a_byte_of_the_library(server, path, method):
    resp, body = request(server, path, f"rebind.attacker.example:{server.port}", method)
    assert resp.status == 421
    assert resp.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert resp.getheader("Connection") == "close"
    if method == "GET":
        assert body.decode() == ("Misdirected request: this server does not answer for the name "
                                 "rebind.attacker.example. If that is how you reach it, start it with: "
                                 "listen serve --allow-host rebind.attacker.example\n")
    else:
        assert body == b""
    assert ARTICLE_TEXT.encode() not in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]:1", "192.168.1.23:8000"])
def test_own_names_and_addresses_are_served(server, host):
    resp, body = request(server, "/", host)
    assert resp.status == 200 and ARTICLE_TEXT in body.decode()


def test_a_missing_or_malformed_host_is_400(server):
    for host in (None, "", "evil\"><x", "a b"):
        resp, body = request(server, "/", host)
        assert resp.status == 400, host
        assert body == b"Bad request: the Host header is missing, repeated or not a host name.\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")
        assert sock.makefile("rb").readline().startswith(b"HTTP/1.1 400 ")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")  # an old client without Host: answered
        assert sock.makefile("rb").readline() == b"HTTP/1.1 200 OK\r\n"


def test_allowed_names_are_served_and_refusals_are_told_once_per_name(library):
    told: list[str] = []
    with running(library, allow_hosts=["nas.home", ".example.org"], on_refused=told.append) as srv:
        for host in ("nas.home", "nas.home:8000", "example.org", "phone.example.org"):
            assert request(srv, "/", host)[0].status == 200, host
        for host in ("evil.example", "evil.example:1", "evilexample.org", "evil.example"):
            assert request(srv, "/", host)[0].status == 421, host
    assert told == ["evil.example", "evilexample.org"]


def test_wildcard_ipv6_is_dual_stack(library):
    if not socket.has_dualstack_ipv6():
        pytest.skip("no dual-stack IPv6 here")
    with running(library, "::", 0) as srv:
        assert srv.dual_stack and srv.url == f"http://127.0.0.1:{srv.port}/"
        for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            conn = http.client.HTTPConnection(address, srv.port, timeout=5)
            conn.request("GET", "/")
            resp = conn.getresponse()
            assert resp.status == 200 and ARTICLE_TEXT in resp.read().decode(), address
            conn.close()
        resp, _ = request(srv, "/", "rebind.attacker.example")
        assert resp.status == 421
