"""The podcast feed: parses as XML, one item per article, enclosures, iTunes/podcast tags."""

from __future__ import annotations

import email.utils
import http.client
import xml.etree.ElementTree as ET

from listen.publish.feed import ITUNES, PODCAST, duration_text, feed_xml, transcript_text, write_feed
from listen.output.library import Entry, scan
from listen.output.manifest import from_json

NS = {"itunes": ITUNES, "podcast": PODCAST}


def _items(xml: str):
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel"), root.findall("channel/item")


def test_feed_items_and_enclosures(library):
    articles = scan(library)
    xml = feed_xml(articles, "https://example.org/audio", title="My listening", image_url="https://example.org/c.png")
    channel, items = _items(xml)
    assert channel.findtext("title") == "My listening"
    assert channel.findtext("itunes:author", namespaces=NS)
    assert channel.find("itunes:category", NS).get("text") == "Education"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.find("itunes:image", NS).get("href") == "https://example.org/c.png"
    assert [i.findtext("title")[:10] for i in items] == ["2025-05-12", "2025-03-01", "2024-11-03"]

    first = items[0]
    assert first.findtext("title") == "2025-05-12 延長圖書館開放時間 善用公共空間"  # the article's label
    assert first.findtext("itunes:title", namespaces=NS) == "延長圖書館開放時間 善用公共空間 / Keep libraries open longer"
    guid = first.find("guid")
    assert guid.get("isPermaLink") == "false" and guid.text == "listen:mingpao-2025-05-12"
    assert email.utils.parsedate_to_datetime(first.findtext("pubDate")).date().isoformat() == "2025-05-12"
    enclosure = first.find("enclosure")
    assert enclosure.get("url") == "https://example.org/audio/mingpao-2025-05-12/alternating.mp3"
    assert enclosure.get("type") == "audio/mpeg"
    assert int(enclosure.get("length")) == (library / "mingpao-2025-05-12" / "alternating.mp3").stat().st_size
    assert first.findtext("itunes:duration", namespaces=NS) == duration_text(articles[0].main_track.duration_s)
    assert first.findtext("itunes:explicit", namespaces=NS) == "false"
    assert "康文署宣布" in first.findtext("description")
    transcript = first.find("podcast:transcript", NS)
    assert transcript.get("url") == "https://example.org/audio/mingpao-2025-05-12/alternating.lrc"

    nested = items[2].find("enclosure").get("url")
    assert nested == "https://example.org/audio/2024/op-ed%202024-11-03/alternating.mp3"


def test_feed_is_stable_apart_from_build_date(library):
    a = feed_xml(scan(library), "https://x/")
    b = feed_xml(scan(library), "https://x/")
    strip = lambda s: "\n".join(line for line in s.splitlines() if "lastBuildDate" not in line)  # noqa: E731
    assert strip(a) == strip(b)


def test_served_feed_uses_host_header(server):
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    conn.request("GET", "/feed.xml", headers={"Host": "192.168.1.23:8123"})  # as a phone on the LAN
    resp = conn.getresponse()
    body = resp.read().decode("utf-8")
    conn.close()
    _, items = _items(body)
    assert len(items) == 3
    assert items[0].find("enclosure").get("url") == "http://192.168.1.23:8123/files/mingpao-2025-05-12/alternating.mp3"
    kinds = {t.get("type"): t.get("url") for t in items[0].findall("podcast:transcript", NS)}
    assert kinds["text/html"] == "http://192.168.1.23:8123/a/mingpao-2025-05-12/"
    assert kinds["text/plain"] == "http://192.168.1.23:8123/a/mingpao-2025-05-12/transcript.txt"


def test_served_feed_refuses_a_host_that_is_not_a_name(server):
    """A Host that could inject markup into the feed's URLs never reaches it (publish.hosts: 400)."""
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    conn.request("GET", "/feed.xml", headers={"Host": 'evil"><x'})
    resp = conn.getresponse()
    body = resp.read().decode()
    conn.close()
    assert resp.status == 400 and "<" not in body


def test_write_feed_atomic(tmp_path, library):
    import shutil

    root = tmp_path / "audio"
    shutil.copytree(library / "mingpao-2025-05-12", root / "mingpao-2025-05-12")
    path = write_feed(root, "https://example.org/audio/")
    assert path == root / "feed.xml"
    channel, items = _items(path.read_text(encoding="utf-8"))
    assert len(items) == 1
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == "https://example.org/audio/feed.xml"
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_escaping_and_transcript_text():
    manifest = {"name": "a&b", "date": None, "title": {"zh": None, "en": "Tom & Jerry <live>"},
                "paragraphs": {"en": ["x < y & z"], "zh": ["甲"]}, "pairs": [{"en": [0], "zh": [0]}],
                "tracks": [{"file": "alternating.mp3", "kind": "alternating", "duration_s": 3725.4, "segments": []}]}
    from pathlib import Path

    article = from_json(manifest)  # a version-1 manifest
    _, items = _items(feed_xml([Entry(article, Path("/nonexistent"), "a&b")], "http://h/"))
    assert items[0].findtext("title") == "Tom & Jerry <live>"
    assert items[0].find("enclosure").get("url") == "http://h/a%26b/alternating.mp3"
    assert items[0].findtext("itunes:duration", namespaces=NS) == "1:02:05"
    assert transcript_text(article).splitlines()[:4] == ["Tom & Jerry <live>", "", "[1]", "x < y & z"]
