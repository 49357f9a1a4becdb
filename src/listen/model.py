"""The text model: what a bilingual editorial is once read, parsed and aligned."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["en", "zh"]
Script = Literal["traditional", "simplified"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    sentences: tuple[str, ...]
    # What the front end took it for: "paragraph", or a line read on its own (a salutation, a sign-off,
    # a credit the user kept): such a paragraph is never merged with another in a pair.
    kind: str = "paragraph"


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    zh: str | None = None


@dataclass(frozen=True)
class SentenceBead:
    """Sentences read together inside a pair: indexes within the pair's sentences (0-based)."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    score: float = 1.0  # confidence, 0..1 (1.0 for a bead the user gave)


@dataclass(frozen=True)
class Dropped:
    """A part of the input that is not read aloud: its source lines (first, last; 1-based), its text,
    what it was taken for (a byline, a heading, navigation, ...), by which rule and how surely."""

    lines: tuple[int, int]
    text: str
    kind: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class Pair:
    """One unit of the alignment: English and Chinese paragraph indexes (0-based) read together.

    Either side may be empty (an unmatched paragraph), or hold two (a merge/split). `beads` pair
    the sentences inside (every sentence of the pair in exactly one bead, in order); a pair whose
    sentences could not be aligned confidently has one bead holding them all and the reason in
    `fallback`. None: not aligned at the sentence (yet).
    """

    en: tuple[int, ...]
    zh: tuple[int, ...]
    beads: tuple[SentenceBead, ...] | None = None
    fallback: str | None = None


@dataclass
class Document:
    source: str
    date: str | None  # ISO yyyy-mm-dd
    title_zh: str | None
    title_en: str | None
    en: list[Paragraph]
    zh: list[Paragraph]
    glossary: list[GlossaryEntry]
    pairs: list[Pair] = field(default_factory=list)
    script: Script | None = None  # script of the Chinese text, None when there is no Chinese
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None  # the encoding the file was decoded with
    notes: list[str] = field(default_factory=list)  # information, not a problem (a lead with no translation)
    dropped: list[Dropped] = field(default_factory=list)  # lines not read, and why
    format: str | None = None  # how the input was read: "text", "markdown" or "html"
    # The source lines (first, last) of each paragraph, by language.
    paragraph_lines: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def pair_sentences(self, pair: Pair) -> tuple[list[str], list[str]]:
        """The sentences of a pair: those of its English paragraphs, then of its Chinese ones, in order."""
        en = [s for i in pair.en for s in (self.en[i].sentences or (self.en[i].text,))]
        zh = [s for i in pair.zh for s in (self.zh[i].sentences or (self.zh[i].text,))]
        return en, zh

    def sentence_origin(self, pair: Pair, lang: str, k: int) -> tuple[int, int]:
        """(paragraph index, sentence index in that paragraph) of sentence `k` of a pair's side."""
        paragraphs = self.en if lang == "en" else self.zh
        for p in (pair.en if lang == "en" else pair.zh):
            count = len(paragraphs[p].sentences or (paragraphs[p].text,))
            if k < count:
                return p, k
            k -= count
        raise IndexError(k)

    @property
    def source_name(self) -> str:
        """The input file's name (not its path), printable: bytes that are not UTF-8 become U+FFFD."""
        if self.source in ("-", ""):
            return "stdin"
        import os

        name = os.path.basename(self.source.rstrip("/\\")) or self.source
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    @property
    def name(self) -> str:
        """A file-system-safe name for the article: the source stem."""
        from pathlib import PurePath

        stem = PurePath(self.source).stem if self.source not in ("-", "") else "stdin"
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).strip("-.")
        return safe or "article"

    def to_json(self) -> dict:
        """The `listen inspect --json` shape."""
        return {
            "source": self.source,
            "date": self.date,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "script": self.script,
            "encoding": self.encoding,
            "paragraphs": {
                lang: [self._paragraph_json(lang, k, p) for k, p in enumerate(getattr(self, lang))]
                for lang in ("en", "zh")
            },
            "pairs": [self._pair_json(p) for p in self.pairs],
            "glossary": [
                {"term": g.term, "definition": g.definition, "zh": g.zh} for g in self.glossary
            ],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "format": self.format,
            "dropped": [
                {"lines": list(d.lines), "text": d.text, "kind": d.kind, "rule": d.rule, "confidence": d.confidence}
                for d in self.dropped
            ],
            # Parallel to "pairs": how sure each pair's sentence beads are, and why a pair fell back.
            "sentence_alignment": [
                {"pair": n + 1, "scores": [b.score for b in p.beads or ()], "fallback": p.fallback}
                for n, p in enumerate(self.pairs)
            ],
        }

    def _paragraph_json(self, lang: str, k: int, p: Paragraph) -> dict:
        out: dict = {"text": p.text, "sentences": list(p.sentences)}
        lines = self.paragraph_lines.get(lang)
        if lines and k < len(lines):
            out["lines"] = list(lines[k])  # the source lines it was read from (first, last)
        if p.kind != "paragraph":
            out["kind"] = p.kind
        return out

    def _pair_json(self, pair: Pair) -> dict:
        out: dict = {"en": list(pair.en), "zh": list(pair.zh)}
        if pair.beads is not None:
            en, zh = self.pair_sentences(pair)
            out["sentences"] = {
                "en": en,
                "zh": zh,
                "beads": [{"en": list(b.en), "zh": list(b.zh)} for b in pair.beads],
            }
        return out
