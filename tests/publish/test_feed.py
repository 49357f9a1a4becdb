"""The podcast feeds, as two real feed readers see them: feedparser and podcastparser (gPodder).

A library is built with the fake engine (two articles, one nested, drills), then published two
ways: a static site (`write_site`, what `listen build --base-url` writes) and `listen serve`.
Both feeds must give each reader the artwork, the enclosures, the chapters and the transcripts,
and every URL of the static feed must resolve under `listen serve` of the same folder.
"""

from __future__ import annotations

import email.utils
import http.client
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest

from listen.audio.chapters import parse_chapters_json
from listen.build.builder import build
from listen.config import Config, FeedSettings
from listen.model import Document, GlossaryEntry, Pair, Paragraph
from listen.output.library import scan
from listen.output.manifest import chapter_title, duration_label, from_json
from listen.publish.feed import ITUNES, PODCAST, PSC, npt, transcript_text
from listen.publish.server import running
from listen.publish.site import FEEDS, Site, write_site

NS = {"itunes": ITUNES, "podcast": PODCAST, "psc": PSC}
SETTINGS = FeedSettings(title="My listening 社評", author="A. Listener", description="Editorials to listen to.",
                        language="en", email="me@example.org")


def _doc(name: str, date: str, zh_title: str | None, en_title: str, long_zh: bool = False) -> Document:
    en = [Paragraph("Ferries cross the harbour every few minutes.", ()), Paragraph("The fare rose to five dollars.", ())]
    zh_first = ("渡輪每隔幾分鐘就橫越維多利亞港，" * 6 + "乘客絡繹不絕。") if long_zh else "渡輪每隔幾分鐘過海。"
    zh = [Paragraph(zh_first, ()), Paragraph("票價加到五元。", ())]
    return Document(source=f"{name}.txt", date=date, title_zh=zh_title, title_en=en_title, en=en, zh=zh,
                    glossary=[GlossaryEntry("fare", "money paid for a journey", "票價")],
                    pairs=[Pair((0,), (0,)), Pair((1,), (1,))], script="traditional")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """audio/ with two articles built by the fake engine, one nested with a space in its folder name."""
    from listen.engines.registry import register, unregister
    from support.fake_engine import FakeEngine

    base = tmp_path_factory.mktemp("feedlib")
    root = base / "audio"
    register(FakeEngine)
    try:
        config = Config().with_options(engine="fake", output=str(root), cache_dir=str(base / "cache"),
                                       gap_ms=100, pair_gap_ms=200)
        build(_doc("ferries", "2026-03-14", "天星小輪", "Star Ferry", long_zh=True), config, drills=True)
        build(_doc("op-ed", "2024-11-03", None, "Quiet streets"), config, output=root / "2024", name="op ed")
    finally:
        unregister(FakeEngine.NAME)
    return root


def _static(root: Path, base_url: str, settings: FeedSettings = SETTINGS) -> dict[str, str]:
    write_site(root, base_url, settings)
    return {spec.file: (root / spec.file).read_text("utf-8") for spec in FEEDS if (root / spec.file).exists()}


def _get(server, url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.getheaders())
    finally:
        conn.close()


def _check_with_both_readers(xml: str, root: Path, base: str) -> None:
    articles = {e.rel: e for e in scan(root)}
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    assert fp.feed.title == "My listening 社評"
    channel_image = fp.feed.image.href
    assert channel_image.startswith(base + "covers/") and channel_image.endswith(".png")
    assert [e.title for e in fp.entries] == ["2026-03-14 天星小輪", "2024-11-03 Quiet streets"]
    for entry, rel in zip(fp.entries, ["ferries", "2024/op ed"]):
        track = articles[rel].main_track
        quoted = rel.replace(" ", "%20")
        (enclosure,) = entry.enclosures
        assert enclosure.href == f"{base}{quoted}/{track.file}" and enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (root / rel / track.file).stat().st_size
        assert entry.itunes_duration == duration_label(track.duration_s)
        assert entry.image.href.startswith(base + "covers/")
        # Readers keep the last transcript: the timed one, sentence by sentence.
        assert entry.podcast_transcript["url"] == f"{base}{quoted}/{track.sidecar('vtt')}"
        assert entry.podcast_transcript["type"] == "text/vtt"
        assert entry.podcast_chapters["url"] == f"{base}{quoted}/{track.sidecar('chapters')}"
        assert entry.psc_chapters["chapters"][1]["title"] == chapter_title(track.segments[1].text)

    pp = podcastparser.parse(base + "feed.xml", io.BytesIO(xml.encode("utf-8")))
    assert pp["title"] == "My listening 社評" and pp["cover_url"] == channel_image
    assert len(pp["episodes"]) == 2
    for episode in pp["episodes"]:
        rel = "ferries" if episode["title"].startswith("2026") else "2024/op ed"
        track = articles[rel].main_track
        (enclosure,) = episode["enclosures"]
        assert enclosure["url"] == f"{base}{rel.replace(' ', '%20')}/{track.file}"
        assert enclosure["file_size"] == (root / rel / track.file).stat().st_size
        assert episode["episode_art_url"].startswith(base + "covers/")
        assert episode["total_time"] == int(track.duration_s)
        # Every chapter, its exact (cut) title; podcastparser keeps whole seconds.
        assert [(c["start"], c["title"]) for c in episode["chapters"]] == [
            (int(s.start_s), chapter_title(s.text)) for s in track.segments]


def test_static_feed_read_by_feedparser_and_podcastparser(built):
    feeds = _static(built, "https://example.org/audio/")
    assert set(feeds) == {"feed.xml", "feed-english.xml", "feed-chinese.xml", "feed-drills.xml"}
    _check_with_both_readers(feeds["feed.xml"], built, "https://example.org/audio/")


def test_served_feed_read_by_feedparser_and_podcastparser(built):
    with running(built, feed=SETTINGS) as server:
        status, body, headers = _get(server, server.url + "feed.xml", {"Host": "192.168.1.23:8123"})  # a phone on the LAN
    assert status == 200 and headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    _check_with_both_readers(body.decode("utf-8"), built, "http://192.168.1.23:8123/")


def _urls(xml: str) -> list[str]:
    root = ET.fromstring(xml.encode("utf-8"))
    urls = [root.find("channel/{http://www.w3.org/2005/Atom}link").get("href"), root.findtext("channel/image/url"),
            root.find("channel/itunes:image", NS).get("href")]
    for item in root.findall("channel/item"):
        urls.append(item.find("enclosure").get("url"))
        urls.append(item.find("itunes:image", NS).get("href"))
        urls += [t.get("url") for t in item.findall("podcast:transcript", NS)]
        urls += [t.get("url") for t in item.findall("podcast:chapters", NS)]
    return urls


def test_every_url_of_a_static_feed_resolves_under_listen_serve(built):
    with running(built, feed=SETTINGS) as server:
        feeds = _static(built, server.url)
        checked = 0
        for name, xml in feeds.items():
            for url in _urls(xml):
                assert url.startswith(server.url)
                status, body, _ = _get(server, url)
                assert status == 200, url
                # The same bytes as the static site has: the built files, the feeds, the drawn covers.
                local = built.joinpath(*[part for part in urlsplit(url).path.split("/") if part]).as_posix()
                local = Path(local.replace("%20", " "))
                if local.name.startswith("feed"):
                    continue  # regenerated per request (lastBuildDate)
                assert body == local.read_bytes(), url
                checked += 1
        assert checked > 20
        # And the served feeds are the static ones: same URLs, same items (the pages are extra).
        for name, xml in feeds.items():
            status, body, _ = _get(server, server.url + name)
            assert _comparable(body.decode("utf-8")) == _comparable(xml), name


def _comparable(xml: str) -> str:
    root = ET.fromstring(xml.encode("utf-8"))
    channel = root.find("channel")
    channel.remove(channel.find("lastBuildDate"))
    for item in channel.findall("item"):
        link = item.find("link")
        if link is not None:
            item.remove(link)  # the article page exists only under serve
    return ET.tostring(root, encoding="unicode")


def test_track_feeds_english_chinese_drills(built):
    feeds = _static(built, "https://example.org/audio/")
    english = feedparser.parse(feeds["feed-english.xml"])
    assert english.feed.title == "My listening 社評 · English" and english.feed.language == "en"
    assert [e.title for e in english.entries] == ["2026-03-14 天星小輪 · English", "2024-11-03 Quiet streets · English"]
    assert all(e.enclosures[0].href.endswith("/english.mp3") for e in english.entries)
    assert all(e.podcast_transcript["language"] == "en" for e in english.entries)
    chinese = feedparser.parse(feeds["feed-chinese.xml"])
    assert chinese.feed.language == "zh" and len(chinese.entries) == 2
    drills = podcastparser.parse("https://example.org/audio/feed-drills.xml", io.BytesIO(feeds["feed-drills.xml"].encode()))
    assert [e["title"] for e in drills["episodes"]] == ["2026-03-14 天星小輪 · Drill pair 1", "2026-03-14 天星小輪 · Drill pair 2"]
    assert all(e["chapters"] for e in drills["episodes"])
    guids = {e["guid"] for e in drills["episodes"]}
    assert guids == {"listen:ferries/drills/pair-01.mp3", "listen:ferries/drills/pair-02.mp3"}


def test_main_feed_items_and_channel(built):
    xml = _static(built, "https://example.org/audio/")["feed.xml"]
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("itunes:author", namespaces=NS) == "A. Listener"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "me@example.org"
    assert channel.find("itunes:category", NS).get("text") == "Education"
    assert channel.find("itunes:category/itunes:category", NS).get("text") == "Language Learning"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"
    assert channel.findtext("image/url") == channel.find("itunes:image", NS).get("href")
    first = channel.find("item")
    assert first.find("guid").text == "listen:ferries" and first.find("guid").get("isPermaLink") == "false"
    assert email.utils.parsedate_to_datetime(first.findtext("pubDate")).date().isoformat() == "2026-03-14"
    assert first.findtext("itunes:title", namespaces=NS) == first.findtext("title")
    assert first.findtext("itunes:episodeType", namespaces=NS) == "full"
    # The chapters inline match the JSON chapters file and the manifest's times.
    track = scan(built)[0].main_track
    starts = [c.get("start") for c in first.findall("psc:chapters/psc:chapter", NS)]
    assert starts == [npt(s.start_s) for s in track.segments]
    chapters = parse_chapters_json((built / "ferries" / track.sidecar("chapters")).read_text("utf-8"))
    assert chapters == [(s.start_s, chapter_title(s.text)) for s in track.segments]
    assert any(t != s.text for (_, t), s in zip(chapters, track.segments))  # the long Chinese paragraph was cut


def test_write_site_keeps_covers_and_removes_stale_ones(built, tmp_path):
    import shutil

    root = tmp_path / "audio"
    shutil.copytree(built, root)
    write_site(root, "https://x/", SETTINGS)
    covers = sorted((root / "covers").iterdir())
    assert len(covers) == 3  # the channel and two articles
    mtimes = {p.name: p.stat().st_mtime_ns for p in covers}
    write_site(root, "https://x/", SETTINGS)
    assert {p.name: p.stat().st_mtime_ns for p in (root / "covers").iterdir()} == mtimes  # not redrawn
    write_site(root, "https://x/", FeedSettings(title="Renamed"))  # every cover shows the channel's name
    assert not set(mtimes) & {p.name for p in (root / "covers").iterdir()}
    assert len(list((root / "covers").iterdir())) == 3
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_channel_image_option_url_and_file(built, tmp_path):
    site = Site(scan(built), FeedSettings(image="https://cdn.example/art.jpg"), "https://x/")
    assert feedparser.parse(site.feed("feed.xml")).feed.image.href == "https://cdn.example/art.jpg"
    art = tmp_path / "art.png"
    art.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    site = Site(scan(built), FeedSettings(image=str(art)), "https://x/")
    href = feedparser.parse(site.feed("feed.xml")).feed.image.href
    assert href.startswith("https://x/covers/") and href.endswith(".png")
    assert site.cover_bytes(href[len("https://x/"):]) == art.read_bytes()


def test_escaping_and_transcript_text():
    manifest = {"name": "a&b", "date": None, "title": {"zh": None, "en": "Tom & Jerry <live>"},
                "paragraphs": {"en": ["x < y & z"], "zh": ["甲"]}, "pairs": [{"en": [0], "zh": [0]}],
                "tracks": [{"file": "alternating.mp3", "kind": "alternating", "duration_s": 3725.4, "segments": []}]}
    from listen.output.library import Entry

    article = from_json(manifest)  # a version-1 manifest
    site = Site([Entry(article, Path("/nonexistent"), "a&b")], FeedSettings(), "http://h/")
    item = ET.fromstring(site.feed("feed.xml").encode("utf-8")).find("channel/item")
    assert item.findtext("title") == "Tom & Jerry <live>"
    assert item.find("enclosure").get("url") == "http://h/a%26b/alternating.mp3"
    assert item.findtext("itunes:duration", namespaces=NS) == "1:02:05"
    assert item.find("podcast:transcript", NS) is None  # a version-1 build has no transcript file
    assert transcript_text(article).splitlines()[:4] == ["Tom & Jerry <live>", "", "[1]", "x < y & z"]


def test_sidecar_files_of_a_build(built):
    manifest = json.loads((built / "ferries" / "manifest.json").read_text("utf-8"))
    for track in manifest["tracks"]:
        if track["kind"] in ("alternating", "english", "chinese", "glossary", "drill"):
            stem = track["file"][:-4]
            assert (track["txt"], track["chapters"]) == (f"{stem}.txt", f"{stem}.chapters.json")
            text = (built / "ferries" / track["txt"]).read_text("utf-8")
            assert text.splitlines()[0] == track["title"]
            assert [line for line in text.splitlines()[1:] if line] == [s["text"] for s in track["segments"]]
        else:
            assert "txt" not in track and "chapters" not in track
