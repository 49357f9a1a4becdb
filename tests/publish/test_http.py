"""The HTTP server over a real socket: ranges, HEAD, MIME types, methods, traversal, pages."""

from __future__ import annotations

import http.client
import re

import pytest

from listen.publish.paths import RangeNotSatisfiable, parse_range, safe_segments

MP3 = "/files/mingpao-2025-05-12/alternating.mp3"


def fetch(server, path, method="GET", headers=None, body=None):
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def mp3_bytes(library):
    return (library / "mingpao-2025-05-12" / "alternating.mp3").read_bytes()


# ---------------------------------------------------------------- ranges


def test_full_get_advertises_ranges(server, mp3_bytes):
    resp, body = fetch(server, MP3)
    assert resp.status == 200
    assert body == mp3_bytes
    assert resp.getheader("Accept-Ranges") == "bytes"
    assert resp.getheader("Content-Type") == "audio/mpeg"
    assert int(resp.getheader("Content-Length")) == len(mp3_bytes)
    assert resp.getheader("ETag") and resp.getheader("Last-Modified")


@pytest.mark.parametrize(
    "spec, first, last",
    [
        ("bytes=0-99", 0, 99),  # first
        ("bytes=1000-1999", 1000, 1999),  # middle
        ("bytes=5000-", 5000, None),  # open-ended
        ("bytes=-100", None, None),  # suffix
        ("bytes=100-999999999", 100, None),  # end past the file: clamped
    ],
)
def test_range_requests(server, mp3_bytes, spec, first, last):
    size = len(mp3_bytes)
    if spec == "bytes=-100":
        first, last = size - 100, size - 1
    last = size - 1 if last is None else last
    resp, body = fetch(server, MP3, headers={"Range": spec})
    assert resp.status == 206
    assert resp.getheader("Content-Range") == f"bytes {first}-{last}/{size}"
    assert int(resp.getheader("Content-Length")) == last - first + 1
    assert body == mp3_bytes[first : last + 1]
    assert resp.getheader("Content-Type") == "audio/mpeg"


@pytest.mark.parametrize(
    "spec",
    ["bytes=999999999-", "bytes=500-100", "bytes=-0", "bytes=abc", "items=0-10", "bytes=0-1x", "bytes", "bytes=--5"],
)
def test_unsatisfiable_or_invalid_range_is_416(server, mp3_bytes, spec):
    resp, body = fetch(server, MP3, headers={"Range": spec})
    assert resp.status == 416
    assert resp.getheader("Content-Range") == f"bytes */{len(mp3_bytes)}"
    assert body == b""


def test_multiple_ranges_fall_back_to_whole_file(server, mp3_bytes):
    resp, body = fetch(server, MP3, headers={"Range": "bytes=0-1,5-6"})
    assert resp.status == 200 and body == mp3_bytes


def test_if_range_mismatch_sends_whole_file(server, mp3_bytes):
    resp, body = fetch(server, MP3, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert resp.status == 200 and body == mp3_bytes
    etag = fetch(server, MP3, method="HEAD")[0].getheader("ETag")
    resp, body = fetch(server, MP3, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert resp.status == 206 and body == mp3_bytes[:10]


def test_conditional_get_304(server):
    etag = fetch(server, MP3, method="HEAD")[0].getheader("ETag")
    resp, body = fetch(server, MP3, headers={"If-None-Match": etag})
    assert resp.status == 304 and body == b""


def test_parse_range_unit():
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=-20", 10) == (0, 9)
    assert parse_range("bytes= 2 - 4", 10) == (2, 4)
    for bad in ("bytes=10-", "bytes=-0", "bytes=٣-5", "bytes=0-1,", "bytes=-"):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(bad, 10)
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=-5", 0)


# ---------------------------------------------------------------- HEAD, MIME, methods


def test_head_has_headers_no_body(server, mp3_bytes):
    resp, body = fetch(server, MP3, method="HEAD")
    assert resp.status == 200 and body == b""
    assert int(resp.getheader("Content-Length")) == len(mp3_bytes)
    resp, body = fetch(server, MP3, method="HEAD", headers={"Range": "bytes=0-99"})
    assert resp.status == 206 and body == b"" and resp.getheader("Content-Length") == "100"
    resp, body = fetch(server, "/", method="HEAD")
    assert resp.status == 200 and body == b"" and int(resp.getheader("Content-Length")) > 100


@pytest.mark.parametrize(
    "path, mime",
    [
        (MP3, "audio/mpeg"),
        ("/files/mingpao-2025-05-12/manifest.json", "application/json"),
        ("/files/mingpao-2025-05-12/alternating.lrc", "text/plain; charset=utf-8"),
        ("/files/mingpao-2025-05-12/playlist.m3u8", "audio/x-mpegurl"),
        ("/feed.xml", "application/rss+xml; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/a/mingpao-2025-05-12/", "text/html; charset=utf-8"),
        ("/a/mingpao-2025-05-12/transcript.txt", "text/plain; charset=utf-8"),
        ("/static/player.css", "text/css; charset=utf-8"),
        ("/static/player.js", "application/javascript; charset=utf-8"),
        ("/static/icon.svg", "image/svg+xml"),
    ],
)
def test_mime_types(server, path, mime):
    resp, _ = fetch(server, path)
    assert resp.status == 200, path
    assert resp.getheader("Content-Type") == mime


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_other_methods_405(server, method):
    resp, _ = fetch(server, MP3, method=method, body=b"x" if method in ("POST", "PUT") else None)
    assert resp.status == 405
    assert resp.getheader("Allow") == "GET, HEAD"


# ---------------------------------------------------------------- traversal


@pytest.mark.parametrize(
    "path",
    [
        "/files/../../../../etc/passwd",
        "/files/mingpao-2025-05-12/../../outside/secret.txt",
        "/../outside/secret.txt",
        "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files/%2E%2E/outside/secret.txt",
        "/files/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/files/%252e%252e/outside/secret.txt",
        "//etc/passwd",
        "/files//etc/passwd",
        "/files/%2fetc%2fpasswd",
        "/files/..\\..\\etc\\passwd",
        "/files/%5c..%5c..%5cetc%5cpasswd",
        "/files/mingpao-2025-05-12/manifest.json%00",
        "/files/mingpao-2025-05-12/manifest.json%00.mp3",
        "/files/leak.txt",  # symlink to a file outside the root
        "/files/leakdir/secret.txt",  # symlink to a folder outside the root
        "/files/passwd-link",  # symlink to /etc/passwd
        "/files/.hidden.txt",
        "/static/../server.py",
        "/static/%2e%2e%2fserver.py",
        "/a/../../outside/",
        "/a/leakdir/",
        "/a/%2e%2e/",
        "/files/C:/Windows/win.ini",
        "/files/mingpao-2025-05-12",  # a folder is not a file
        "/nope",
    ],
)
def test_traversal_and_unknown_paths_404(server, path):
    resp, body = fetch(server, path)
    assert resp.status == 404, path
    assert b"secret" not in body and b"root:" not in body


def test_absolute_form_target_is_confined(server):
    resp, _ = fetch(server, "http://127.0.0.1/files/../../etc/passwd")
    assert resp.status == 404
    resp, _ = fetch(server, "http://localhost/files/mingpao-2025-05-12/manifest.json")
    assert resp.status == 200
    resp, _ = fetch(server, "http://example/files/mingpao-2025-05-12/manifest.json")
    assert resp.status == 421  # its authority stands for Host, and is not a name of this server


def test_safe_segments_unit():
    assert safe_segments("/") == ([], False)
    assert safe_segments("/a/b%20c/") == (["a", "b c"], True)
    for bad in ("", "a", "//x", "/a/./b", "/a/%2e", "/a%2fb", "/a/%25%32%65%25%32%65", "/%ff", "/a\\b", "/a\x00"):
        assert safe_segments(bad) is None, bad


def test_quoted_names_work(server, library):
    resp, body = fetch(server, "/files/2024/op-ed%202024-11-03/alternating.mp3", headers={"Range": "bytes=0-9"})
    assert resp.status == 206 and len(body) == 10
    resp, _ = fetch(server, "/a/2024/op-ed%202024-11-03/")
    assert resp.status == 200


# ---------------------------------------------------------------- pages


def test_library_page_newest_first(server):
    resp, body = fetch(server, "/")
    page = body.decode()
    dates = re.findall(r'data-date="([^"]*)"', page)
    assert dates == ["2025-05-12", "2025-03-01", "2024-11-03"]
    assert 'href="/a/mingpao-2025-05-12/"' in page
    assert 'href="/a/2024/op-ed%202024-11-03/"' in page
    assert "broken" not in page
    assert "延長圖書館開放時間" in page


def test_article_page_has_player_and_text(server, main_manifest):
    resp, body = fetch(server, "/a/mingpao-2025-05-12/")
    page = body.decode()
    for marker in ('id="audio"', 'id="loop"', 'id="speed"', 'id="track"', 'id="manifest"', "/static/player.js"):
        assert marker in page
    assert page.count("data-pair=") == len(main_manifest["pairs"])
    for text in main_manifest["paragraphs"]["en"] + main_manifest["paragraphs"]["zh"]:
        assert text.replace("'", "&#x27;") in page
    assert 'name="viewport"' in page
    assert "http://" not in page and "https://" not in page  # no external resources


def test_article_without_slash_redirects(server):
    resp, _ = fetch(server, "/a/mingpao-2025-05-12")
    assert resp.status == 301
    assert resp.getheader("Location") == "/a/mingpao-2025-05-12/"


def test_transcript(server, main_manifest):
    resp, body = fetch(server, "/a/mingpao-2025-05-12/transcript.txt")
    text = body.decode("utf-8")
    assert main_manifest["paragraphs"]["zh"][2] in text and "[3]" in text


def test_manifest_script_cannot_break_out(tmp_path):
    import json

    from listen.output.library import load_entry
    from listen.publish.pages import render_article

    folder = tmp_path / "evil"
    folder.mkdir()
    manifest = {"name": "evil", "date": "2025-01-01", "title": {"zh": "</script><script>alert(1)</script>", "en": None},
                "paragraphs": {"en": ["<b>x</b> & y"], "zh": []}, "pairs": [{"en": [0], "zh": []}], "tracks": []}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    page = render_article(load_entry(folder, tmp_path))
    assert "<script>alert" not in page and "<b>x</b>" not in page
    assert page.count("</script>") == 4  # offline.js, the manifest, the offline file list, player.js


def test_large_file_streams_across_chunks(tmp_path):
    import os

    from listen.publish.server import CHUNK, running

    article = tmp_path / "big"
    article.mkdir()
    data = os.urandom(CHUNK * 5 + 123)
    (article / "big.mp3").write_bytes(data)
    with running(tmp_path) as srv:
        resp, body = fetch(srv, "/files/big/big.mp3")
        assert resp.status == 200 and body == data
        a, b = CHUNK - 10, CHUNK * 3 + 7
        resp, body = fetch(srv, "/files/big/big.mp3", headers={"Range": f"bytes={a}-{b}"})
        assert resp.status == 206 and body == data[a : b + 1]
        resp, body = fetch(srv, "/files/big/big.mp3", headers={"Range": "bytes=-70000"})
        assert body == data[-70000:]
