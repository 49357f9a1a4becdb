"""Where the glossary's terms occur in a text: the English term (with inflections and hyphen or
space variants) in English, its Chinese gloss as written in Chinese."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

__all__ = ["term_pattern", "term_marks"]


@lru_cache(maxsize=512)
def term_pattern(term: str) -> re.Pattern | None:
    """A pattern for `term` in English text: "stand-off" also matches "standoff" and "stand off",
    and each word may take an inflection ("commuter" -> "commuters"). None for an empty term."""
    words = [re.escape(w) for w in re.split(r"[\s\-‐–]+", term.strip()) if w]
    if not words:
        return None
    joiner = r"[\s\-‐–]?"
    return re.compile(r"\b" + joiner.join(f"{w}(?:s|es|ed|d|ing)?" for w in words) + r"\b", re.IGNORECASE)


def term_marks(text: str, terms: Sequence[str | None], lang: str) -> list[tuple[int, int, int]]:
    """(start, end, index into `terms`) of every occurrence of a term in `text`, in order and not
    overlapping (a longer term wins over one inside it). `lang` "en" matches English terms, "zh"
    Chinese glosses (found as written)."""
    found: list[tuple[int, int, int]] = []
    for k, term in enumerate(terms):
        if not term or not term.strip():
            continue
        if lang == "en":
            pattern = term_pattern(term)
            spans = [m.span() for m in pattern.finditer(text)] if pattern else []
        else:
            needle = term.strip()
            spans = [(m.start(), m.start() + len(needle)) for m in re.finditer(re.escape(needle), text)]
        found += [(a, b, k) for a, b in spans if b > a]
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out: list[tuple[int, int, int]] = []
    for mark in found:
        if not out or mark[0] >= out[-1][1]:
            out.append(mark)
    return out
