"""Split text into pieces an engine accepts (``len(piece) <= max_chars``) without cutting words.

Boundaries, strongest first:

1. sentence ends, as the text's own sentence splitter finds them (`listen.text.sentences.sentence_ends`:
   ``. ! ?`` before the next sentence, abbreviations and ``3.5`` kept whole; ``。！？；`` and
   ellipses), each with any closing quotes/brackets that follow;
2. clause boundaries — ``; : ,`` followed by a space, ``，、；：`` (and sentence ends), closing
   brackets/quotes ``」』》〉）】”`` end a piece, opening ones ``「『《〈（【“`` start one;
3. whitespace (between words);
4. as a last resort, a single over-long token (a long unpunctuated Chinese run, a URL) is cut every
   ``max_chars`` characters.

Consecutive units are packed greedily into pieces as long as possible. A unit too long for one
piece is split at the next weaker boundary and its parts stand on their own. Pieces are stripped
and non-empty; joining them reproduces the text's non-space characters in order.
"""

from __future__ import annotations

import re

from ..text.sentences import sentence_ends

__all__ = ["split_for_tts"]

_CLOSERS = "\"'”’」』》〉）】)\\]"
_OPENERS = "「『《〈（【“"

_CLAUSE_END = re.compile(
    rf"(?:[;:,.!?]+[{_CLOSERS}]*(?=\s|$)|[，、；：。！？…]+[{_CLOSERS}]*|[」』》〉）】”]+)"
)
_CLAUSE_START = re.compile(rf"[{_OPENERS}]")


def split_for_tts(text: str, max_chars: int | None) -> list[str]:
    """Split `text` into stripped, non-empty pieces of at most `max_chars` characters.

    `max_chars` None means no limit: the whole (stripped) text is one piece.
    """
    if max_chars is not None and max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    stripped = text.strip()
    if not stripped:
        return []
    if max_chars is None or len(stripped) <= max_chars:
        return [stripped]
    return _split(text, max_chars, 0)


def _split(text: str, max_chars: int, level: int) -> list[str]:
    if level >= len(_LEVELS):
        return _hard_split(text, max_chars)
    units = _cut(text, _LEVELS[level](text))
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = current + unit
        if len(candidate.strip()) <= max_chars:
            current = candidate
            continue
        if current.strip():
            pieces.append(current.strip())
        current = ""
        if len(unit.strip()) <= max_chars:
            current = unit
        else:
            pieces.extend(_split(unit, max_chars, level + 1))
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _cut(text: str, positions: set[int]) -> list[str]:
    """`text` cut at `positions` (indexes where a new unit starts); the units cover all of it."""
    units = []
    start = 0
    for pos in sorted(p for p in positions if 0 < p < len(text)):
        if pos > start:
            units.append(text[start:pos])
            start = pos
    units.append(text[start:])
    return units


def _sentence_cuts(text: str) -> set[int]:
    return set(sentence_ends(text))


def _clause_cuts(text: str) -> set[int]:
    cuts = {m.end() for m in _CLAUSE_END.finditer(text)}
    cuts |= {m.start() for m in _CLAUSE_START.finditer(text)}
    return cuts


def _space_cuts(text: str) -> set[int]:
    return {i for i in range(1, len(text)) if text[i - 1].isspace() and not text[i].isspace()}


_LEVELS = (_sentence_cuts, _clause_cuts, _space_cuts)


def _hard_split(text: str, max_chars: int) -> list[str]:
    """Cut every `max_chars` characters, moving a cut back so no piece starts with punctuation."""
    token = text.strip()
    pieces = []
    start = 0
    while start < len(token):
        end = min(start + max_chars, len(token))
        if end < len(token):
            cut = end
            while cut > max(start + 1, end - 4) and not token[cut].isalnum():
                cut -= 1
            if token[cut].isalnum():
                end = cut
        pieces.append(token[start:end].strip())
        start = end
    return [p for p in pieces if p]
