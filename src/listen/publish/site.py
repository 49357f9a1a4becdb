"""The published library: which feeds it has, their episodes, and the URL of every file.

One layout for `listen serve` and for a static site (`listen build --base-url URL`), relative to
the library folder (`audio/`), so a feed written for a base URL works when that folder is served
by `listen serve` and by any static web server alike::

    feed.xml                every article, its main track (alternating, else English, ...)
    feed-english.xml        the English tracks      (only when some article has one)
    feed-chinese.xml        the Chinese tracks
    feed-drills.xml         every drill track
    covers/<key>.png        drawn covers: the channel's, one per article (listen.publish.cover)
    covers/<key>.<ext>      the channel artwork given with feed.image (a file), copied
    <article>/<file>        the built files: MP3s and their sidecars (.txt, .chapters.json, .lrc)

`Site` answers for a scanned library; `write_site` writes the feeds and covers of a static site
(feeds atomically; covers only when missing, since a key names what is drawn; covers no feed uses
any more are removed).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import FeedSettings
from ..fsutil import atomic_write_bytes, atomic_write_text
from ..output.library import Entry, scan
from ..output.manifest import KIND_LABELS, MANIFEST, TrackRecord
from .cover import Cover, cover_png
from .feed import Channel, Episode, feed_xml, url_join

__all__ = ["COVERS", "FEEDS", "FeedSpec", "Site", "write_site"]

COVERS = "covers"
_COVER_NAME = re.compile(r"^[0-9a-f]{16}\.(?:png|jpe?g)$")


@dataclass(frozen=True)
class FeedSpec:
    file: str
    kind: str | None  # None: each article's main track
    label: str  # after the channel's title: "listen · English"


FEEDS = (
    FeedSpec("feed.xml", None, ""),
    FeedSpec("feed-english.xml", "english", KIND_LABELS["english"]),
    FeedSpec("feed-chinese.xml", "chinese", KIND_LABELS["chinese"]),
    FeedSpec("feed-drills.xml", "drill", "Drills"),
)
_TRACK_LANGUAGE = {"english": "en", "chinese": "zh"}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


class Site:
    """The feeds and covers of the library `entries` (from `scan(root)`), published at `base_url`.

    `page_base` is where article pages live (`listen serve`: "http://host/a/"): episodes then
    link to their page. A local feed.image is read relative to the current folder.
    """

    def __init__(self, entries: list[Entry], settings: FeedSettings, base_url: str, *, page_base: str | None = None):
        self.entries = entries
        self.settings = settings
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.page_base = page_base

    # -- covers

    def _image_file(self) -> Path | None:
        image = self.settings.image
        if image is None or image.lower().startswith(("http://", "https://")):
            return None
        return Path(image).expanduser()

    def channel_cover(self) -> tuple[str, Cover | Path] | None:
        """(covers/<name>, what it is) of the channel art; None when feed.image is a URL."""
        if self.settings.image is not None:
            path = self._image_file()
            if path is None:
                return None
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            except OSError as exc:
                from ..errors import InputError

                raise InputError(f"Cannot read the feed image {path}: {exc.strerror or exc}.") from None
            suffix = ".jpg" if path.suffix.lower() in (".jpg", ".jpeg") else ".png"
            return f"{COVERS}/{digest}{suffix}", path
        cover = Cover(band="listen", title=self.settings.title, subtitle=self.settings.description, seed="")
        return f"{COVERS}/{cover.key}.png", cover

    def article_cover(self, entry: Entry) -> tuple[str, Cover]:
        a = entry.article
        cover = Cover(band=self.settings.title, title=a.titles.primary(a.name),
                      subtitle=a.titles.en if a.titles.zh else None, date=a.date, seed=entry.rel)
        return f"{COVERS}/{cover.key}.png", cover

    def covers(self) -> dict[str, Cover | Path]:
        """Every cover a feed refers to, by path relative to the library."""
        out: dict[str, Cover | Path] = {}
        channel = self.channel_cover()
        if channel:
            out[channel[0]] = channel[1]
        for entry in self.entries:
            rel, cover = self.article_cover(entry)
            out[rel] = cover
        return out

    def channel_image_url(self) -> str | None:
        image = self.settings.image
        if image is not None and image.lower().startswith(("http://", "https://")):
            return image
        channel = self.channel_cover()
        return url_join(self.base_url, channel[0]) if channel else None

    # -- feeds

    def episodes(self, spec: FeedSpec) -> list[Episode]:
        out = []
        for entry in self.entries:
            tracks: list[TrackRecord]
            if spec.kind is None:
                tracks = [entry.main_track] if entry.main_track else []
            else:
                tracks = entry.article.tracks_of(spec.kind)
            for track in tracks:
                out.append(self._episode(entry, track, main=spec.kind is None))
        return out

    def _episode(self, entry: Entry, track: TrackRecord, *, main: bool) -> Episode:
        a = entry.article
        files = {name: url_join(self.base_url, entry.url_path(rel)) for name, rel in track.sidecars.items()
                 if (entry.dir / rel).is_file()}
        return Episode(
            article=a,
            track=track,
            title=a.label if main else track.title,
            guid=f"listen:{entry.rel}" if main else f"listen:{entry.rel}/{track.file}",
            audio_url=url_join(self.base_url, entry.url_path(track.file)),
            audio_size=_size(entry.dir / track.file),
            files=files,
            image_url=url_join(self.base_url, self.article_cover(entry)[0]),
            page_url=url_join(self.page_base, entry.rel) + "/" if self.page_base else None,
            language=_TRACK_LANGUAGE.get(track.kind),
            published=_mtime(entry.dir / MANIFEST),
        )

    def feeds(self) -> list[FeedSpec]:
        """The feeds this library has: the main one always, the others when they have episodes."""
        return [spec for spec in FEEDS if spec.kind is None or self.episodes(spec)]

    def feed(self, file: str) -> str | None:
        """The XML of the feed named `file` ("feed.xml", ...), or None for no such feed."""
        spec = next((s for s in FEEDS if s.file == file), None)
        if spec is None:
            return None
        s = self.settings
        language = s.language
        if spec.kind == "english" and not language.lower().startswith("en"):
            language = "en"
        if spec.kind == "chinese" and not language.lower().startswith("zh"):
            language = "zh"
        channel = Channel(
            title=f"{s.title} · {spec.label}" if spec.label else s.title,
            link=self.base_url,
            description=s.description,
            author=s.author,
            language=language,
            image_url=self.channel_image_url(),
            feed_url=url_join(self.base_url, spec.file),
            email=s.email,
        )
        return feed_xml(self.episodes(spec), channel)

    def cover_bytes(self, rel: str) -> bytes | None:
        """The picture at `rel` ("covers/<name>"), drawn or read; None when no feed uses it."""
        source = self.covers().get(rel)
        if source is None:
            return None
        if isinstance(source, Path):
            return source.read_bytes()
        return cover_png(source)


def write_site(root: str | os.PathLike, base_url: str, settings: FeedSettings,
               on_warning: Callable[[str], None] | None = None) -> list[Path]:
    """Write the feeds and covers of the library `root` for hosting at `base_url`; returns the feeds."""
    root = Path(root)
    site = Site(scan(root, on_warning=on_warning), settings, base_url)
    written = []
    for spec in FEEDS:
        path = root / spec.file
        if spec in site.feeds() or path.exists():  # a feed once published stays (it may be empty now)
            atomic_write_text(path, site.feed(spec.file) or "")
            written.append(path)
    covers = site.covers()
    folder = root / COVERS
    folder.mkdir(exist_ok=True)
    for rel, source in covers.items():
        path = root / rel
        if not path.exists():
            atomic_write_bytes(path, source.read_bytes() if isinstance(source, Path) else cover_png(source))
    for old in folder.iterdir():
        if _COVER_NAME.match(old.name) and f"{COVERS}/{old.name}" not in covers:
            old.unlink(missing_ok=True)
    return written
