"""The output contract: an article folder's `manifest.json`, as typed records.

This module is the only reader and writer of the manifest's JSON, and the only place that knows
the track kinds, which of them are the main tracks, how an article and its tracks are titled,
and the album name. Version 2 (written since listen 0.2) has room for what later features fill:
sentence times in segments, sentences and romanisation per paragraph, sentence beads per pair,
drill options, the learning direction. Version-1 manifests are read and migrated on the fly.

Layout (see docs/DESIGN.md for every field)::

    {"version": 2, "name", "source", "date", "title": {"zh", "en"}, "learning", "chinese",
     "engines": {"en", "zh"}, "voices": {"en", "zh"}, "speed": {"en", "zh"},
     "paragraphs": {"en": [{"text", "sentences", "romanisation"}], "zh": [...]},
     "pairs": [{"en": [0], "zh": [1], "beads", "fallback"}], "glossary": [{"term", "definition", "zh"}],
     "warnings": [...], "stamp", "tracks": [{"file", "kind", "title", "duration_s", "lrc", "txt", "chapters", "vtt",
     "srt", "fingerprint", "options", "segments": [{"id", "lang", "role", "text", "start_s",
     "end_s", "paragraph", "pair", "sentence", "sentences": [{"index", "start_s", "end_s", "text"}]}]}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

__all__ = [
    "MANIFEST", "PLAYLIST", "VERSION", "KINDS", "MAIN_KINDS", "PLAYLIST_KINDS", "NUMBERED_KINDS", "KIND_LABELS", "ManifestError",
    "Titles", "SentenceSpan", "SegmentRecord", "TrackRecord", "ParagraphRecord", "BeadRecord", "PairRecord",
    "GlossaryRecord", "Romanisation", "Article", "article_label", "track_title", "chapter_title", "whole_seconds", "duration_label",
    "EPISODE_KINDS", "SIDECARS", "CHAPTER_TITLE_BYTES", "load", "loads", "dumps", "playlist_text",
]

MANIFEST = "manifest.json"
PLAYLIST = "playlist.m3u8"
VERSION = 2

# Every kind of track, in the order a manifest lists them.
KINDS = ("alternating", "sentences", "english", "chinese", "glossary", "pair", "paragraph", "drill")
# The tracks a listener starts with; the first one present is the article's main track (the
# podcast episode, what the player opens first, the library playlist entry).
MAIN_KINDS = ("alternating", "sentences", "english", "chinese", "glossary")
# The tracks in an article's playlist (per-paragraph files are left out).
PLAYLIST_KINDS = (*MAIN_KINDS, "pair", "drill")
# The tracks with an ID3 track number n/N (drills are made one by one, so they have none).
NUMBERED_KINDS = (*MAIN_KINDS, "pair")
# The tracks a podcast feed can list as episodes: each has a chapters file and a transcript.
EPISODE_KINDS = (*MAIN_KINDS, "drill")
# What each kind of track is called, after the article's label in its title ("… · English").
KIND_LABELS = {
    "alternating": "EN ⇄ 中 alternating",
    "sentences": "EN ⇄ 中 sentence by sentence",
    "english": "English",
    "chinese": "中文 Chinese",
    "glossary": "Glossary 生字",
}
# A track's sidecar files, by manifest key: LRC lyrics, a plain-text transcript, Podcasting 2.0
# JSON chapters; `vtt` and `srt` are slots for timed transcripts.
SIDECARS = ("lrc", "txt", "chapters", "vtt", "srt")
SIDECAR_SUFFIXES = {"lrc": ".lrc", "txt": ".txt", "chapters": ".chapters.json", "vtt": ".vtt", "srt": ".srt"}
# Chapter titles are cut to this many UTF-8 bytes: below ffmpeg's limit for an ID3v2.4 chapter
# title (see listen.audio.tags), and short enough for a player's chapter list.
CHAPTER_TITLE_BYTES = 125


class ManifestError(ValueError):
    """A manifest.json that cannot be read as one (not JSON, not an object, wrong fields)."""


# -- titles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Titles:
    zh: str | None = None
    en: str | None = None

    def primary(self, fallback: str) -> str:
        return self.zh or self.en or fallback

    def both(self, fallback: str) -> str:
        """"zh / en", whichever exist, else `fallback`."""
        return " / ".join(t for t in (self.zh, self.en) if t) or fallback


def article_label(titles: Titles, date: str | None, name: str) -> str:
    """How an article is named everywhere (album, playlists, feed, track titles): "2025-05-12 標題"."""
    title = titles.primary(name)
    return f"{date} {title}" if date else title


def track_title(label: str, part: str) -> str:
    """A track's title: the article label, then what the track is ("… · Pair 3")."""
    return f"{label} · {part}"


def chapter_title(text: str) -> str:
    """The title of the chapter of a segment, wherever chapters are written (ID3, JSON, feeds):
    its text on one line, cut at a clause, word or character boundary to CHAPTER_TITLE_BYTES."""
    from ..text.cut import cut_text

    return cut_text(text, CHAPTER_TITLE_BYTES)


# -- durations ----------------------------------------------------------------------------------


def whole_seconds(seconds: float) -> int:
    """A duration as people see it: whole seconds, rounded down, as a player's clock counts (its
    elapsed time reaches the length shown exactly at the end). Every displayed duration uses it."""
    return max(0, int(seconds + 1e-6))  # 1 µs slack: 5.9999999 from float sums is 6


def duration_label(seconds: float) -> str:
    """"m:ss", or "h:mm:ss" from an hour on: the library page, the player, the CLI, feeds, LRC."""
    h, rest = divmod(whole_seconds(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence inside a spoken segment: its index in its paragraph and its time in the track."""

    index: int
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class SegmentRecord:
    id: str
    lang: str  # "en" | "zh"
    role: str  # "title" | "paragraph" | "sentence" | "glossary"
    text: str
    start_s: float
    end_s: float
    paragraph: int | None = None  # 0-based paragraph index in its language
    pair: int | None = None  # 0-based pair index
    sentence: int | None = None  # for a sentence segment: its index in its paragraph
    sentences: tuple[SentenceSpan, ...] = ()  # the sentences of a paragraph segment, timed


@dataclass(frozen=True)
class TrackRecord:
    file: str  # relative to the article folder, POSIX separators
    kind: str
    title: str
    duration_s: float
    segments: tuple[SegmentRecord, ...] = ()
    fingerprint: str | None = None  # what the track was made from; unchanged -> not rewritten
    sidecars: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # "lrc"/"vtt"/"srt" -> file
    options: Mapping[str, Any] | None = None  # how a drill was made, to remake it

    @property
    def lrc(self) -> str | None:
        return self.sidecars.get("lrc")

    def sidecar(self, name: str) -> str | None:
        """The file of sidecar `name` ("lrc", "txt", "chapters", "vtt", "srt"), or None."""
        return self.sidecars.get(name)

    @property
    def files(self) -> tuple[str, ...]:
        """The track's file and its sidecars."""
        return (self.file, *self.sidecars.values())


@dataclass(frozen=True)
class Romanisation:
    """A Chinese text read aloud in letters: (characters, reading) tokens, e.g. ("香港", "hoeng1 gong2")."""

    system: str  # "jyutping" | "pinyin"
    tokens: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class ParagraphRecord:
    text: str
    sentences: tuple[str, ...] = ()
    romanisation: tuple[Romanisation, ...] | None = None  # one per sentence (Chinese)


@dataclass(frozen=True)
class BeadRecord:
    """Sentences read together inside a pair (indexes within the pair's sentences)."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    score: float | None = None


@dataclass(frozen=True)
class PairRecord:
    en: tuple[int, ...]
    zh: tuple[int, ...]
    beads: tuple[BeadRecord, ...] | None = None  # None: read as whole paragraphs
    fallback: str | None = None  # why the sentences of this pair are not aligned


@dataclass(frozen=True)
class GlossaryRecord:
    term: str
    definition: str
    zh: str | None = None


@dataclass(frozen=True)
class Article:
    """Everything manifest.json says of one built article."""

    name: str
    source: str  # the input file's name (never a path)
    date: str | None
    titles: Titles
    learning: str  # "en" | "zh": the language being learned
    chinese: str | None  # "mandarin" | "cantonese"; None when there is no Chinese
    engines: Mapping[str, str]  # document language -> engine name
    voices: Mapping[str, str]  # document language -> voice id
    speed: Mapping[str, float]
    paragraphs: Mapping[str, tuple[ParagraphRecord, ...]]
    pairs: tuple[PairRecord, ...]
    glossary: tuple[GlossaryRecord, ...]
    warnings: tuple[str, ...] = ()
    tracks: tuple[TrackRecord, ...] = ()
    stamp: str | None = None  # what a library build made this from (skip when unchanged)
    version: int = VERSION

    @property
    def label(self) -> str:
        return article_label(self.titles, self.date, self.name)

    @property
    def album(self) -> str:
        return self.label

    def track(self, file: str) -> TrackRecord | None:
        return next((t for t in self.tracks if t.file == file), None)

    def tracks_of(self, *kinds: str) -> list[TrackRecord]:
        return [t for t in self.tracks if t.kind in kinds]

    @property
    def main_track(self) -> TrackRecord | None:
        """The first main track present (alternating, else English, ...), else the first track."""
        for kind in MAIN_KINDS:
            for t in self.tracks:
                if t.kind == kind:
                    return t
        return self.tracks[0] if self.tracks else None

    @property
    def playlist_tracks(self) -> list[TrackRecord]:
        return [t for t in self.tracks if t.kind in PLAYLIST_KINDS]

    def files(self) -> set[str]:
        """Every file the manifest lists (tracks and sidecars)."""
        return {f for t in self.tracks for f in t.files}

    def with_tracks(self, tracks: Iterable[TrackRecord]) -> "Article":
        return replace(self, tracks=tuple(tracks))


# -- JSON ---------------------------------------------------------------------------------------


def _num(value: float) -> float:
    return round(float(value), 3)


def _segment_json(s: SegmentRecord) -> dict:
    out: dict[str, Any] = {
        "id": s.id, "lang": s.lang, "role": s.role, "text": s.text, "start_s": _num(s.start_s),
        "end_s": _num(s.end_s), "paragraph": s.paragraph, "pair": s.pair,
    }
    if s.sentence is not None:
        out["sentence"] = s.sentence
    if s.sentences:
        out["sentences"] = [
            {"index": x.index, "start_s": _num(x.start_s), "end_s": _num(x.end_s), "text": x.text} for x in s.sentences
        ]
    return out


def _track_json(t: TrackRecord) -> dict:
    out: dict[str, Any] = {"file": t.file, "kind": t.kind, "title": t.title, "duration_s": _num(t.duration_s)}
    for name in SIDECARS:
        if name in t.sidecars:
            out[name] = t.sidecars[name]
    out["fingerprint"] = t.fingerprint
    if t.options is not None:
        out["options"] = dict(t.options)
    out["segments"] = [_segment_json(s) for s in t.segments]
    return out


def _roman_json(r: Romanisation) -> dict:
    return {"system": r.system, "tokens": [list(tok) for tok in r.tokens]}


def to_json(article: Article) -> dict:
    return {
        "version": VERSION,
        "name": article.name,
        "source": article.source,
        "date": article.date,
        "title": {"zh": article.titles.zh, "en": article.titles.en},
        "learning": article.learning,
        "chinese": article.chinese,
        "engines": dict(article.engines),
        "voices": dict(article.voices),
        "speed": dict(article.speed),
        "paragraphs": {
            lang: [
                {"text": p.text, "sentences": list(p.sentences),
                 "romanisation": None if p.romanisation is None else [_roman_json(r) for r in p.romanisation]}
                for p in article.paragraphs.get(lang, ())
            ]
            for lang in ("en", "zh")
        },
        "pairs": [
            {"en": list(p.en), "zh": list(p.zh),
             "beads": None if p.beads is None else [
                 {"en": list(b.en), "zh": list(b.zh), "score": b.score} for b in p.beads],
             "fallback": p.fallback}
            for p in article.pairs
        ],
        "glossary": [{"term": g.term, "definition": g.definition, "zh": g.zh} for g in article.glossary],
        "warnings": list(article.warnings),
        "stamp": article.stamp,
        "tracks": [_track_json(t) for t in article.tracks],
    }


def dumps(article: Article) -> str:
    """The manifest's text. Text that is not valid Unicode (a lone surrogate from a file name
    that is not UTF-8) is written with U+FFFD in its place."""
    text = json.dumps(to_json(article), ensure_ascii=False, indent=1) + "\n"
    return text.encode("utf-8", "replace").decode("utf-8")


# -- reading (and migrating version 1) -------------------------------------------------------------


def _req(obj: Mapping, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ManifestError(f"{where}: {key!r} is missing or not a {getattr(kind, '__name__', 'value')}")
    return value


def _opt_str(obj: Mapping, key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _opt_int(obj: Mapping, key: str) -> int | None:
    value = obj.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _indexes(value: Any, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise ManifestError(f"{where}: not a list of indexes")
    return tuple(value)


def _segment(obj: Any, where: str) -> SegmentRecord:
    if not isinstance(obj, dict):
        raise ManifestError(f"{where}: not an object")
    sentences = []
    for k, s in enumerate(obj.get("sentences") or []):
        if isinstance(s, dict):
            sentences.append(SentenceSpan(
                index=_opt_int(s, "index") if _opt_int(s, "index") is not None else k,
                start_s=float(_req(s, "start_s", (int, float), where)),
                end_s=float(_req(s, "end_s", (int, float), where)),
                text=str(s.get("text", "")),
            ))
    return SegmentRecord(
        id=str(obj.get("id") or ""),
        lang=str(obj.get("lang") or ""),
        role=str(obj.get("role") or ""),
        text=str(obj.get("text") or ""),
        start_s=float(_req(obj, "start_s", (int, float), where)),
        end_s=float(_req(obj, "end_s", (int, float), where)),
        paragraph=_opt_int(obj, "paragraph"),
        pair=_opt_int(obj, "pair"),
        sentence=_opt_int(obj, "sentence"),
        sentences=tuple(sentences),
    )


def _inside(rel: Any) -> bool:
    return isinstance(rel, str) and bool(rel) and not rel.startswith("/") and ".." not in rel.split("/")


def _track(obj: Any, where: str) -> TrackRecord:
    if not isinstance(obj, dict):
        raise ManifestError(f"{where}: a track is not an object")
    file = _req(obj, "file", str, where)
    if file.startswith("/") or ".." in file.split("/"):
        raise ManifestError(f"{where}: track file {file!r} is outside the article folder")
    sidecars = {name: obj[name] for name in SIDECARS if _inside(obj.get(name))}
    options = obj.get("options")
    return TrackRecord(
        file=file,
        kind=str(obj.get("kind") or ""),
        title=str(obj.get("title") or file),
        duration_s=float(obj.get("duration_s") or 0.0) if isinstance(obj.get("duration_s"), (int, float)) else 0.0,
        segments=tuple(_segment(s, f"{where} {file}") for s in obj.get("segments") or []),
        fingerprint=_opt_str(obj, "fingerprint"),
        sidecars=MappingProxyType(sidecars),
        options=MappingProxyType(dict(options)) if isinstance(options, dict) else None,
    )


def _paragraphs(value: Any) -> dict[str, tuple[ParagraphRecord, ...]]:
    out: dict[str, tuple[ParagraphRecord, ...]] = {}
    value = value if isinstance(value, dict) else {}
    for lang in ("en", "zh"):
        items = []
        for p in value.get(lang) or []:
            if isinstance(p, str):  # version 1: the text only
                items.append(ParagraphRecord(p))
            elif isinstance(p, dict):
                roman = None
                if isinstance(p.get("romanisation"), list):
                    roman = tuple(
                        Romanisation(str(r.get("system", "")),
                                     tuple((str(t[0]), t[1] if isinstance(t[1], str) else None)
                                           for t in r.get("tokens") or [] if isinstance(t, list) and len(t) == 2))
                        for r in p["romanisation"] if isinstance(r, dict)
                    )
                items.append(ParagraphRecord(str(p.get("text", "")),
                                             tuple(str(s) for s in p.get("sentences") or []), roman))
        out[lang] = tuple(items)
    return out


def _pairs(value: Any, where: str) -> tuple[PairRecord, ...]:
    out = []
    for p in value if isinstance(value, list) else []:
        if not isinstance(p, dict):
            continue
        beads = None
        if isinstance(p.get("beads"), list):
            beads = tuple(
                BeadRecord(_indexes(b.get("en", []), where), _indexes(b.get("zh", []), where),
                           float(b["score"]) if isinstance(b.get("score"), (int, float)) else None)
                for b in p["beads"] if isinstance(b, dict)
            )
        out.append(PairRecord(_indexes(p.get("en", []), where), _indexes(p.get("zh", []), where),
                              beads, _opt_str(p, "fallback")))
    return tuple(out)


def from_json(data: Any, *, folder_name: str = "article") -> Article:
    """An Article from parsed manifest JSON (version 1 or 2). Raises ManifestError."""
    if not isinstance(data, dict):
        raise ManifestError("not a JSON object")
    if not isinstance(data.get("tracks"), list):
        raise ManifestError('no "tracks" list')
    version = data.get("version", 1)
    if not isinstance(version, int) or version > VERSION:
        raise ManifestError(f"manifest version {version!r} is newer than this listen understands ({VERSION})")
    where = MANIFEST
    titles = data.get("title") if isinstance(data.get("title"), dict) else {}
    engines = data.get("engines") if isinstance(data.get("engines"), dict) else None
    if engines is None:  # version 1: one engine for both languages
        name = _opt_str(data, "engine") or "unknown"
        engines = {"en": name, "zh": name}
    speed = data.get("speed") if isinstance(data.get("speed"), dict) else {}
    glossary = tuple(
        GlossaryRecord(str(g.get("term", "")), str(g.get("definition", "")), _opt_str(g, "zh"))
        for g in data.get("glossary") or [] if isinstance(g, dict)
    )
    return Article(
        name=_opt_str(data, "name") or folder_name,
        source=_opt_str(data, "source") or "",
        date=_opt_str(data, "date"),
        titles=Titles(_opt_str(titles, "zh"), _opt_str(titles, "en")),
        learning=data.get("learning") if data.get("learning") in ("en", "zh") else "en",
        chinese=_opt_str(data, "chinese"),
        engines=MappingProxyType({k: str(v) for k, v in engines.items()}),
        voices=MappingProxyType({k: str(v) for k, v in (data.get("voices") or {}).items()}
                                if isinstance(data.get("voices"), dict) else {}),
        speed=MappingProxyType({k: float(v) for k, v in speed.items() if isinstance(v, (int, float))}),
        paragraphs=MappingProxyType(_paragraphs(data.get("paragraphs"))),
        pairs=_pairs(data.get("pairs"), where),
        glossary=glossary,
        warnings=tuple(str(w) for w in data.get("warnings") or []),
        tracks=tuple(_track(t, where) for t in data["tracks"]),
        stamp=_opt_str(data, "stamp"),
        version=version,
    )


def loads(text: str, *, folder_name: str = "article") -> Article:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"not JSON ({exc})") from None
    return from_json(data, folder_name=folder_name)


def load(folder: Path) -> Article:
    """The manifest of the article folder `folder`, as it is on disk (see `listen.output.commit.read`
    for the reader that first completes an interrupted commit). Raises ManifestError or OSError."""
    path = Path(folder) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not UTF-8 ({exc.reason})") from None
    return loads(text, folder_name=Path(folder).name)


# -- the article playlist -------------------------------------------------------------------------


def playlist_text(article: Article) -> str:
    from ..audio.playlist import m3u8_text

    return m3u8_text([(t.file, whole_seconds(t.duration_s), t.title) for t in article.playlist_tracks])
