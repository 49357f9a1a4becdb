"""The tracks of an article: what is said, in which order, with which silences.

`plan_article(document, voicing, timing)` decides every track: alternating (title, then each
pair in the voicing's order), English, Chinese, glossary, one per pair and one per paragraph,
title and glossary entry. Pure: no audio, no files.
"""

from __future__ import annotations

from ..config import TimingSettings
from ..model import Document, GlossaryEntry
from ..output.manifest import KIND_LABELS, Titles, article_label, track_title
from ..text.terms import term_pattern
from ..voicing import Voicing
from .items import Gap, Item, Segment, TrackPlan, spaced

__all__ = ["article_segments", "label_of", "plan_article", "find_usage", "sentence_segment", "bead_segments"]


def label_of(document: Document) -> str:
    return article_label(Titles(document.title_zh, document.title_en), document.date, document.name)


class ArticleSegments:
    """The segments of a document: titles, paragraphs and glossary entries, by id."""

    def __init__(self, document: Document):
        self.titles: dict[str, Segment] = {}
        if document.title_en:
            self.titles["en"] = Segment("title-en", "en", "title", document.title_en)
        if document.title_zh:
            self.titles["zh"] = Segment("title-zh", "zh", "title", document.title_zh)
        pair_of: dict[tuple[str, int], int] = {}
        for number, pair in enumerate(document.pairs):
            for i in pair.en:
                pair_of[("en", i)] = number
            for i in pair.zh:
                pair_of[("zh", i)] = number
        self.paragraphs: dict[str, list[Segment]] = {
            lang: [
                Segment(f"{lang}-{i + 1:02d}", lang, "paragraph", p.text, i, pair_of.get((lang, i)),
                        parts=tuple(p.sentences) if len(p.sentences) > 1 else ())
                for i, p in enumerate(getattr(document, lang))
            ]
            for lang in ("en", "zh")
        }
        self.glossary = [_glossary_segments(n, entry, document) for n, entry in enumerate(document.glossary)]


def article_segments(document: Document) -> ArticleSegments:
    return ArticleSegments(document)


def sentence_segment(document: Document, pair_index: int, lang: str, k: int) -> Segment:
    """Sentence `k` of a pair's `lang` side as a segment (the same cache entry as that sentence
    spoken inside its paragraph)."""
    pair = document.pairs[pair_index]
    paragraph, index = document.sentence_origin(pair, lang, k)
    text = document.pair_sentences(pair)[0 if lang == "en" else 1][k]
    return Segment(f"{lang}-{paragraph + 1:02d}-s{index + 1:02d}", lang, "sentence", text, paragraph, pair_index, index)


def bead_segments(document: Document, pair_index: int, bead_index: int, lang: str) -> list[Segment]:
    """The sentences of one side of a bead, as segments."""
    pair = document.pairs[pair_index]
    beads = pair.beads or ()
    bead = beads[bead_index]
    return [sentence_segment(document, pair_index, lang, k) for k in (bead.en if lang == "en" else bead.zh)]


def _sentence_items(document: Document, order: tuple[str, str], gap: Gap, sentence_gap: Gap,
                    bead_gap: Gap) -> list[Item]:
    """Bead by bead: the first language's sentences, then the other's (Glossika style)."""
    items: list[Item] = []
    for p, pair in enumerate(document.pairs):
        for b, _bead in enumerate(pair.beads or ()):
            unit: list[Item] = []
            for lang in order:
                spoken = bead_segments(document, p, b, lang)
                if not spoken:
                    continue
                if unit:
                    unit.append(gap)
                unit += spaced(spoken, sentence_gap)
            if items and unit:
                items.append(bead_gap)
            items += unit
    return items


def plan_article(document: Document, voicing: Voicing, timing: TimingSettings) -> list[TrackPlan]:
    gap = Gap(timing.gap_ms / 1000)
    pair_gap = Gap(timing.pair_gap_ms / 1000)
    order = voicing.order
    seg = ArticleSegments(document)
    titles, paragraphs = seg.titles, seg.paragraphs
    label = label_of(document)
    tracks: list[TrackPlan] = []
    title_items = spaced([titles[lang] for lang in order if lang in titles], gap)

    def unit(pair) -> list[Segment]:
        return [paragraphs[lang][i] for lang in order for i in getattr(pair, lang)]

    bilingual = bool(paragraphs["en"] and paragraphs["zh"])
    if bilingual:
        items: list[Item] = list(title_items)
        for pair in document.pairs:
            if items:
                items.append(pair_gap)
            items += spaced(unit(pair), gap)
        tracks.append(TrackPlan("alternating", "alternating", track_title(label, KIND_LABELS["alternating"]), items))
        if any(p.beads for p in document.pairs):
            sentence_items = list(title_items)
            body = _sentence_items(document, order, gap, Gap(timing.sentence_gap_ms / 1000), gap)
            if sentence_items and body:
                sentence_items.append(pair_gap)
            tracks.append(TrackPlan("sentences", "sentences", track_title(label, KIND_LABELS["sentences"]),
                                    sentence_items + body))
    for lang, kind in (("en", "english"), ("zh", "chinese")):
        if paragraphs[lang]:
            spoken = ([titles[lang]] if lang in titles else []) + paragraphs[lang]
            tracks.append(TrackPlan(kind, kind, track_title(label, KIND_LABELS[kind]), spaced(spoken, pair_gap)))
    if seg.glossary:
        items = []
        for entry in seg.glossary:
            if items:
                items.append(pair_gap)
            items += spaced(entry, gap)
        tracks.append(TrackPlan("glossary", "glossary", track_title(label, KIND_LABELS["glossary"]), items))
    if bilingual:
        for number, pair in enumerate(document.pairs):
            tracks.append(TrackPlan(f"pairs/pair-{number + 1:02d}", "pair", track_title(label, f"Pair {number + 1}"),
                                    spaced(unit(pair), gap)))
    for segment in [*titles.values(), *paragraphs["en"], *paragraphs["zh"]]:
        tracks.append(TrackPlan(f"paragraphs/{segment.id}", "paragraph", track_title(label, segment.id), [segment]))
    for n, entry in enumerate(seg.glossary):
        tracks.append(TrackPlan(f"paragraphs/glossary-{n + 1:02d}", "paragraph", track_title(label, entry[0].text),
                                spaced(entry, gap)))
    return tracks


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
    pattern = term_pattern(term)
    if pattern is None:
        return None
    for index, paragraph in enumerate(document.en):
        for sentence in paragraph.sentences or (paragraph.text,):
            if pattern.search(sentence):
                return index, sentence
    return None
