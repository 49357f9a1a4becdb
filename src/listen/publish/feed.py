"""A podcast feed (RSS 2.0 + iTunes + Podcasting 2.0 namespaces): one episode per built article.

The episode audio is the article's main track. URLs are `base_url` + the file's path
relative to the scanned folder, so `base_url` is wherever that folder is published
(`listen build --base-url https://example.org/audio/` calls `write_feed`; `listen serve` builds
the feed on the fly with its own `/files/` URLs and article pages).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from ..fsutil import atomic_write_text
from ..output.library import Entry, scan
from ..output.manifest import MANIFEST, Article, PairRecord

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM), ("content", CONTENT)):
    ET.register_namespace(_prefix, _uri)

FEED_FILE = "feed.xml"


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def url_join(base_url: str, rel_path: str) -> str:
    """`base_url` (a folder URL) + a relative POSIX path, percent-encoded segment by segment."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + "/".join(quote(part, safe="") for part in rel_path.split("/") if part)


def rfc822(date: str | None, fallback: float | None = None) -> str:
    """RFC 822 date for an ISO yyyy-mm-dd (06:00 UTC that day), else for a timestamp, else now."""
    when = None
    if date:
        try:
            when = dt.datetime.combine(dt.date.fromisoformat(date[:10]), dt.time(6, 0), dt.timezone.utc)
        except ValueError:
            when = None
    if when is None:
        when = dt.datetime.fromtimestamp(fallback, dt.timezone.utc) if fallback else dt.datetime.now(dt.timezone.utc)
    return email.utils.format_datetime(when)


def duration_text(seconds: float | int | None) -> str | None:
    """iTunes duration as H:MM:SS (or M:SS)."""
    if not isinstance(seconds, (int, float)) or seconds < 0:
        return None
    total = int(round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def transcript_text(article: Article) -> str:
    """The article as plain text: titles and date, then each pair's English and Chinese paragraphs,
    then the glossary."""
    en = [p.text for p in article.paragraphs.get("en", ())]
    zh = [p.text for p in article.paragraphs.get("zh", ())]
    lines: list[str] = [t for t in (article.titles.zh, article.titles.en) if t]
    if article.date:
        lines.append(article.date)
    if lines:
        lines.append("")
    pairs = article.pairs or tuple(PairRecord((i,), ()) for i in range(len(en)))
    for number, pair in enumerate(pairs, 1):
        lines.append(f"[{number}]")
        for texts, indexes in ((en, pair.en), (zh, pair.zh)):
            lines += [texts[i] for i in indexes if 0 <= i < len(texts)]
        lines.append("")
    if article.glossary:
        lines.append("Glossary")
        for g in article.glossary:
            lines.append(f"{g.term}: {g.definition}" + (f" ({g.zh})" if g.zh else ""))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _file_size(entry: Entry, rel_file: str) -> int:
    try:
        return (entry.dir / rel_file).stat().st_size
    except OSError:
        return 0


def feed_xml(
    articles: Iterable[Entry],
    base_url: str,
    title: str = "listen",
    *,
    description: str = "Bilingual English/Chinese editorials as listening tracks.",
    author: str = "listen",
    language: str = "en",
    link: str | None = None,
    image_url: str | None = None,
    category: str = "Education",
    subcategory: str | None = "Language Learning",
    page_base: str | None = None,
    feed_url: str | None = None,
) -> str:
    """The feed as an XML string.

    base_url: URL of the scanned folder; enclosure = base_url + "<article rel>/<track file>".
    page_base: URL under which article pages live (`listen serve`: "http://host/a/"); when given,
        each item links to its page and gets `podcast:transcript` entries for the page (text/html)
        and "<page>transcript.txt" (text/plain). Without it the transcript is the track's .lrc.
    """
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link or page_base or base_url
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = language
    ET.SubElement(channel, "generator").text = "listen"
    ET.SubElement(channel, "lastBuildDate").text = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc))
    if feed_url:
        ET.SubElement(channel, _q(ATOM, "link"), {"href": feed_url, "rel": "self", "type": "application/rss+xml"})
    ET.SubElement(channel, _q(ITUNES, "author")).text = author
    ET.SubElement(channel, _q(ITUNES, "summary")).text = description
    ET.SubElement(channel, _q(ITUNES, "type")).text = "episodic"
    ET.SubElement(channel, _q(ITUNES, "explicit")).text = "false"
    cat = ET.SubElement(channel, _q(ITUNES, "category"), {"text": category})
    if subcategory:
        ET.SubElement(cat, _q(ITUNES, "category"), {"text": subcategory})
    if image_url:
        ET.SubElement(channel, _q(ITUNES, "image"), {"href": image_url})
        image = ET.SubElement(channel, "image")
        ET.SubElement(image, "url").text = image_url
        ET.SubElement(image, "title").text = title
        ET.SubElement(image, "link").text = link or page_base or base_url

    for entry in articles:
        article, track = entry.article, entry.main_track
        if track is None:
            continue
        rel_file = entry.url_path(track.file)
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = article.label
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"listen:{entry.rel}"
        try:
            mtime = (entry.dir / MANIFEST).stat().st_mtime
        except OSError:
            mtime = None
        ET.SubElement(item, "pubDate").text = rfc822(article.date, mtime)
        ET.SubElement(
            item,
            "enclosure",
            {"url": url_join(base_url, rel_file), "length": str(_file_size(entry, track.file)), "type": "audio/mpeg"},
        )
        text = transcript_text(article)
        ET.SubElement(item, "description").text = f"{track.title}\n\n{text}"
        ET.SubElement(item, _q(CONTENT, "encoded")).text = "<pre>" + _html_escape(text) + "</pre>"
        ET.SubElement(item, _q(ITUNES, "title")).text = article.titles.both(article.name)
        ET.SubElement(item, _q(ITUNES, "author")).text = author
        ET.SubElement(item, _q(ITUNES, "explicit")).text = "false"
        ET.SubElement(item, _q(ITUNES, "episodeType")).text = "full"
        duration = duration_text(track.duration_s)
        if duration:
            ET.SubElement(item, _q(ITUNES, "duration")).text = duration
        if page_base:
            page = url_join(page_base, entry.rel) + "/"
            ET.SubElement(item, "link").text = page
            ET.SubElement(item, _q(PODCAST, "transcript"), {"url": page, "type": "text/html"})
            ET.SubElement(item, _q(PODCAST, "transcript"), {"url": page + "transcript.txt", "type": "text/plain"})
        elif track.lrc:
            ET.SubElement(
                item, _q(PODCAST, "transcript"), {"url": url_join(base_url, entry.url_path(track.lrc)), "type": "text/plain"}
            )
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_feed(root: str | os.PathLike, base_url: str, title: str = "listen", **options) -> Path:
    """Scan `root` and write `root/feed.xml` atomically; returns its path.

    `base_url` is the public URL of `root` (e.g. "https://example.org/audio/"). Extra keyword
    options go to `feed_xml` (description, author, image_url, ...).
    """
    root = Path(root)
    options.setdefault("feed_url", url_join(base_url, FEED_FILE))
    xml = feed_xml(scan(root), base_url, title, **options)
    path = root / FEED_FILE
    atomic_write_text(path, xml)
    return path
