"""What is said, in which order: the segments and tracks of a document.

Pure data, no audio: `make_plan(document, config)` decides every segment (a title, a
paragraph, a glossary item) and every track (a sequence of segments and gaps). The build
turns segments into audio and tracks into files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from .config import Config
from .model import Document, GlossaryEntry


@dataclass(frozen=True)
class Segment:
    id: str  # unique within a plan, e.g. "en-01", "title-zh", "glossary-02-term"
    lang: str  # "en" | "zh"
    role: str  # "title" | "paragraph" | "glossary"
    text: str
    paragraph: int | None = None  # 0-based paragraph index in its language
    pair: int | None = None  # 0-based pair index


@dataclass(frozen=True)
class Gap:
    seconds: float


Item = Union[Segment, Gap]


@dataclass
class TrackPlan:
    path: str  # relative file path without extension, e.g. "alternating", "pairs/pair-01"
    kind: str  # alternating|english|chinese|glossary|pair|paragraph|drill
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def segments(self) -> list[Segment]:
        return [item for item in self.items if isinstance(item, Segment)]


@dataclass
class Plan:
    chinese: str  # "mandarin" | "cantonese"
    segments: list[Segment]
    tracks: list[TrackPlan]

    def track(self, path: str) -> TrackPlan:
        for track in self.tracks:
            if track.path == path:
                return track
        raise KeyError(path)


def spoken_chinese(document: Document, config: Config) -> str:
    """The configured spoken Chinese, else Cantonese for Traditional script and Mandarin otherwise."""
    if config.chinese:
        return config.chinese
    return "cantonese" if document.script == "traditional" else "mandarin"


def make_plan(document: Document, config: Config) -> Plan:
    gap = Gap(config.gap_ms / 1000)
    pair_gap = Gap(config.pair_gap_ms / 1000)
    first, second = ("zh", "en") if config.zh_first else ("en", "zh")

    titles: dict[str, Segment] = {}
    if document.title_en:
        titles["en"] = Segment("title-en", "en", "title", document.title_en)
    if document.title_zh:
        titles["zh"] = Segment("title-zh", "zh", "title", document.title_zh)

    pair_of: dict[tuple[str, int], int] = {}
    for number, pair in enumerate(document.pairs):
        for i in pair.en:
            pair_of[("en", i)] = number
        for i in pair.zh:
            pair_of[("zh", i)] = number
    paragraphs: dict[str, list[Segment]] = {
        lang: [
            Segment(f"{lang}-{i + 1:02d}", lang, "paragraph", p.text, i, pair_of.get((lang, i)))
            for i, p in enumerate(getattr(document, lang))
        ]
        for lang in ("en", "zh")
    }
    glossary = [_glossary_segments(n, entry, document) for n, entry in enumerate(document.glossary)]

    segments = [*(titles[lang] for lang in (first, second) if lang in titles)]
    segments += paragraphs["en"] + paragraphs["zh"]
    segments += [s for entry in glossary for s in entry]

    tracks: list[TrackPlan] = []
    label = _label(document)
    title_items = _spaced([titles[lang] for lang in (first, second) if lang in titles], gap)

    if paragraphs["en"] and paragraphs["zh"]:
        items: list[Item] = list(title_items)
        for number, pair in enumerate(document.pairs):
            unit = [paragraphs[lang][i] for lang in (first, second) for i in getattr(pair, lang)]
            if items:
                items.append(pair_gap)
            items += _spaced(unit, gap)
        tracks.append(TrackPlan("alternating", "alternating", f"{label} · EN/中 alternating", items))
    for lang, kind, name in (("en", "english", "English"), ("zh", "chinese", "中文")):
        if paragraphs[lang]:
            unit = ([titles[lang]] if lang in titles else []) + paragraphs[lang]
            tracks.append(TrackPlan(kind, kind, f"{label} · {name}", _spaced(unit, pair_gap)))
    if glossary:
        items = []
        for entry in glossary:
            if items:
                items.append(pair_gap)
            items += _spaced(entry, gap)
        tracks.append(TrackPlan("glossary", "glossary", f"{label} · Glossary 生字", items))
    if paragraphs["en"] and paragraphs["zh"]:
        for number, pair in enumerate(document.pairs):
            unit = [paragraphs[lang][i] for lang in (first, second) for i in getattr(pair, lang)]
            tracks.append(
                TrackPlan(f"pairs/pair-{number + 1:02d}", "pair", f"{label} · Pair {number + 1}", _spaced(unit, gap))
            )
    for segment in [*titles.values(), *paragraphs["en"], *paragraphs["zh"]]:
        tracks.append(TrackPlan(f"paragraphs/{segment.id}", "paragraph", f"{label} · {segment.id}", [segment]))
    for n, entry in enumerate(glossary):
        tracks.append(
            TrackPlan(f"paragraphs/glossary-{n + 1:02d}", "paragraph", f"{label} · {entry[0].text}", _spaced(entry, gap))
        )
    return Plan(spoken_chinese(document, config), segments, tracks)


def _spaced(segments: list[Segment], gap: Gap) -> list[Item]:
    items: list[Item] = []
    for segment in segments:
        if items:
            items.append(gap)
        items.append(segment)
    return items


def _label(document: Document) -> str:
    title = document.title_zh or document.title_en or document.name
    return f"{document.date} {title}" if document.date else title


def _glossary_segments(n: int, entry: GlossaryEntry, document: Document) -> list[Segment]:
    prefix = f"glossary-{n + 1:02d}"
    out = [Segment(f"{prefix}-term", "en", "glossary", entry.term)]
    if entry.definition.strip():  # an entry may carry only a Chinese gloss: "term (n.) 定義"
        out.append(Segment(f"{prefix}-definition", "en", "glossary", entry.definition))
    if entry.zh:
        out.append(Segment(f"{prefix}-zh", "zh", "glossary", entry.zh))
    found = find_usage(entry.term, document)
    if found is not None:
        paragraph, sentence = found
        out.append(Segment(f"{prefix}-example", "en", "glossary", sentence, paragraph))
    return out


def find_usage(term: str, document: Document) -> tuple[int, str] | None:
    """The first English sentence using `term` (allowing inflections and hyphen/space variants)."""
    words = [re.escape(w) for w in re.split(r"[\s\-‐–]+", term.strip()) if w]
    if not words:
        return None
    # "stand-off" also matches "standoff"/"stand off"; each word may take an inflection.
    joiner = r"[\s\-‐–]?"
    pattern = re.compile(
        r"\b" + joiner.join(f"{w}(?:s|es|ed|d|ing)?" for w in words) + r"\b", re.IGNORECASE
    )
    for index, paragraph in enumerate(document.en):
        for sentence in paragraph.sentences or (paragraph.text,):
            if pattern.search(sentence):
                return index, sentence
    return None
