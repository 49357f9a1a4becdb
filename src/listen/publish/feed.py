"""Podcast feeds (RSS 2.0 with the iTunes, Podcasting 2.0 and Podlove Simple Chapters namespaces).

`feed_xml(episodes, channel)` renders one feed; `listen.publish.site` decides which feeds a
library has, what their episodes are and where every file is, for `listen serve` and for a static
`listen build --base-url` site alike. Each episode carries:

- the track as `<enclosure>` with its size, `itunes:duration`, its cover as `itunes:image`;
- its chapters twice: inline as `psc:chapters` (Podlove, read by gPodder/podcastparser, AntennaPod
  and many apps) and as a link to the track's JSON chapters file, `podcast:chapters`;
- its transcripts as `podcast:transcript`, the plain text first and a timed one (VTT) last: the
  readers that keep one keep the last.

The `podcast:` prefix is bound to the URI the namespace's spec names,
https://podcastindex.org/namespace/1.0. (podcastparser 0.6 knows only the older GitHub URI, which
the spec says readers must treat as the same; it still gets chapters from `psc:chapters`.)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import quote

from ..output.manifest import Article, PairRecord, TrackRecord, chapter_title, duration_label

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
PSC = "http://podlove.org/simple-chapters"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("psc", PSC), ("atom", ATOM), ("content", CONTENT)):
    ET.register_namespace(_prefix, _uri)

# Transcript sidecars in the order they are listed (the preferred one last), with their types.
TRANSCRIPT_TYPES = (("txt", "text/plain"), ("srt", "application/x-subrip"), ("vtt", "text/vtt"))
CHAPTERS_TYPE = "application/json+chapters"


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


def npt(seconds: float) -> str:
    """Normal play time as Podlove Simple Chapters writes it: HH:MM:SS.mmm."""
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


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


@dataclass(frozen=True)
class Channel:
    """The feed as a whole."""

    title: str
    link: str
    description: str
    author: str
    language: str
    image_url: str | None = None
    feed_url: str | None = None
    email: str | None = None
    category: str = "Education"
    subcategory: str | None = "Language Learning"


@dataclass(frozen=True)
class Episode:
    """One item: a track of an article, with the URL of each of its files."""

    article: Article
    track: TrackRecord
    title: str
    guid: str
    audio_url: str
    audio_size: int
    files: dict[str, str] = field(default_factory=dict)  # sidecar name -> URL ("txt", "chapters", "vtt", ...)
    image_url: str | None = None
    page_url: str | None = None
    language: str | None = None  # of the transcript, when the track is in one language
    published: float | None = None  # fallback date (the manifest's mtime) for undated articles


def _channel(rss: ET.Element, channel: Channel) -> ET.Element:
    ch = ET.SubElement(rss, "channel")
    ET.SubElement(ch, "title").text = channel.title
    ET.SubElement(ch, "link").text = channel.link
    ET.SubElement(ch, "description").text = channel.description
    ET.SubElement(ch, "language").text = channel.language
    ET.SubElement(ch, "generator").text = "listen"
    ET.SubElement(ch, "lastBuildDate").text = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc))
    if channel.feed_url:
        ET.SubElement(ch, _q(ATOM, "link"), {"href": channel.feed_url, "rel": "self", "type": "application/rss+xml"})
    ET.SubElement(ch, _q(ITUNES, "author")).text = channel.author
    owner = ET.SubElement(ch, _q(ITUNES, "owner"))
    ET.SubElement(owner, _q(ITUNES, "name")).text = channel.author
    if channel.email:
        ET.SubElement(owner, _q(ITUNES, "email")).text = channel.email
    ET.SubElement(ch, _q(ITUNES, "summary")).text = channel.description
    ET.SubElement(ch, _q(ITUNES, "type")).text = "episodic"
    ET.SubElement(ch, _q(ITUNES, "explicit")).text = "false"
    cat = ET.SubElement(ch, _q(ITUNES, "category"), {"text": channel.category})
    if channel.subcategory:
        ET.SubElement(cat, _q(ITUNES, "category"), {"text": channel.subcategory})
    if channel.image_url:
        # Both forms, the same picture: readers that see both keep the last one.
        image = ET.SubElement(ch, "image")
        ET.SubElement(image, "url").text = channel.image_url
        ET.SubElement(image, "title").text = channel.title
        ET.SubElement(image, "link").text = channel.link
        ET.SubElement(ch, _q(ITUNES, "image"), {"href": channel.image_url})
    return ch


def _item(ch: ET.Element, e: Episode, author: str) -> None:
    item = ET.SubElement(ch, "item")
    ET.SubElement(item, "title").text = e.title
    ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = e.guid
    ET.SubElement(item, "pubDate").text = rfc822(e.article.date, e.published)
    if e.page_url:
        ET.SubElement(item, "link").text = e.page_url
    ET.SubElement(item, "enclosure", {"url": e.audio_url, "length": str(e.audio_size), "type": "audio/mpeg"})
    text = transcript_text(e.article)
    ET.SubElement(item, "description").text = f"{e.title}\n\n{text}"
    ET.SubElement(item, _q(CONTENT, "encoded")).text = "<pre>" + _html_escape(text) + "</pre>"
    ET.SubElement(item, _q(ITUNES, "title")).text = e.title
    ET.SubElement(item, _q(ITUNES, "author")).text = author
    ET.SubElement(item, _q(ITUNES, "duration")).text = duration_label(e.track.duration_s)
    ET.SubElement(item, _q(ITUNES, "explicit")).text = "false"
    ET.SubElement(item, _q(ITUNES, "episodeType")).text = "full"
    if e.image_url:
        ET.SubElement(item, _q(ITUNES, "image"), {"href": e.image_url})
    for name, kind in TRANSCRIPT_TYPES:
        if name in e.files:
            attrs = {"url": e.files[name], "type": kind}
            if e.language:
                attrs["language"] = e.language
            if name != "txt":
                attrs["rel"] = "captions"
            ET.SubElement(item, _q(PODCAST, "transcript"), attrs)
    if "chapters" in e.files:
        ET.SubElement(item, _q(PODCAST, "chapters"), {"url": e.files["chapters"], "type": CHAPTERS_TYPE})
    if e.track.segments:
        chapters = ET.SubElement(item, _q(PSC, "chapters"), {"version": "1.2"})
        for segment in e.track.segments:
            ET.SubElement(chapters, _q(PSC, "chapter"), {"start": npt(segment.start_s), "title": chapter_title(segment.text)})


def feed_xml(episodes: Iterable[Episode], channel: Channel) -> str:
    """The feed as an XML string."""
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _channel(rss, channel)
    for episode in episodes:
        _item(ch, episode, channel.author)
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
