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


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    zh: str | None = None


@dataclass(frozen=True)
class Pair:
    """One unit of the alignment: English and Chinese paragraph indexes (0-based) read together.

    Either side may be empty (an unmatched paragraph), or hold two (a merge/split).
    """

    en: tuple[int, ...]
    zh: tuple[int, ...]


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
                lang: [{"text": p.text, "sentences": list(p.sentences)} for p in getattr(self, lang)]
                for lang in ("en", "zh")
            },
            "pairs": [{"en": list(p.en), "zh": list(p.zh)} for p in self.pairs],
            "glossary": [
                {"term": g.term, "definition": g.definition, "zh": g.zh} for g in self.glossary
            ],
            "warnings": list(self.warnings),
        }
