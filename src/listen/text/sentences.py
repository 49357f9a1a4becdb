"""Split a paragraph into sentences, English or Chinese.

Sentences are slices of the input, stripped of surrounding whitespace; no character other than
whitespace between sentences is ever dropped or moved.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

__all__ = ["split_sentences", "sentence_ends"]

_CLOSERS = "\"'”’)]}»›」』）》〉】〕"

# Titles and other abbreviations that never end a sentence (lowercase, without the final dot).
_NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "v", "e.g", "i.e", "cf", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "mt", "ft", "messrs", "mme",
    "approx", "dept", "esp", "viz", "al",
}
# Abbreviations that do not end a sentence when a number follows ("No. 5", "Jan. 12", "p. 4").
_BEFORE_NUMBER = {
    "no", "nos", "art", "arts", "fig", "figs", "vol", "vols", "p", "pp", "ch", "sec", "para", "op",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "c",
}
# Abbreviations that end a sentence only when a typical sentence opener follows
# ("in the U.S. The next day" splits, "the U.S. President" does not).
_AMBIGUOUS = {
    "inc", "ltd", "co", "corp", "jr", "sr", "bros", "plc", "a.m", "p.m", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
_OPENERS = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i",
    "you", "his", "her", "their", "our", "my", "but", "and", "or", "so", "yet", "however", "in", "on",
    "at", "as", "after", "before", "when", "while", "if", "although", "though", "there", "here",
    "what", "why", "how", "who", "where", "such", "some", "many", "most", "all", "no", "not", "both",
    "one", "for", "by", "with", "then", "still", "instead", "meanwhile", "moreover", "indeed", "yes",
    "last", "next", "since", "because", "today", "yesterday", "now", "even", "other", "each",
}

# A candidate English boundary: terminal punctuation, optional closers, whitespace, then the next
# sentence's first character.
_EN_BOUNDARY = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)(\s+)(?=(\S))")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’\-]*)$")
_NEXT_WORD = re.compile(r"[\"'“‘(\[]*([A-Za-z]+)")

_WINDOW = 80  # characters around a candidate boundary that decide it

_ZH_TERMINALS = "。！？；!?"
_ZH_BOUNDARY = re.compile(
    r"(?:[。！？；!?]+|…{2,}|\.{6}|…)[" + re.escape(_CLOSERS) + r"]*"
)


def _starts_sentence(ch: str) -> bool:
    if ch.isupper() or ch.isdigit():
        return True
    if ch in "\"'“‘([{«‹「『（《〈【—–-*•":
        return True
    # Letters with no case (CJK and other scripts) may start a sentence; lowercase letters do not.
    return ch.isalpha() and not ch.islower()


def _is_en_boundary(text: str, m: re.Match) -> bool:
    punct, _closers, _space, nxt = m.group(1), m.group(2), m.group(3), m.group(4)
    if not _starts_sentence(nxt):
        return False
    if punct != ".":
        return True  # ! ? … and "..." end a sentence when a capital follows
    # Look at a bounded window on each side: copying and searching the whole text here made
    # splitting quadratic in the length of a line.
    before = text[max(0, m.start(1) - _WINDOW) : m.start(1)]
    wm = _WORD_BEFORE.search(before)
    if not wm:
        return True  # "5." "(a)." and the like
    word = wm.group(1).lower().strip("'’-")
    # Initials: a single letter ("J. K. Rowling"), but "I." is rarely an initial.
    if len(word) == 1 and word != "i" and wm.group(1).isupper():
        return False
    if word in _NEVER_FINAL:
        return False
    after = text[m.end(3) : m.end(3) + _WINDOW]
    if word in _BEFORE_NUMBER and after[:1].isdigit():
        return False
    ambiguous = word in _AMBIGUOUS or ("." in word and all(len(p) <= 2 for p in word.split(".")))
    if ambiguous:
        # U.S., U.K., a.m., e.g. and friends: a new sentence only before a typical opener.
        nw = _NEXT_WORD.match(after)
        if nw is None:
            return not after[:1].isalpha()
        return nw.group(1).lower() in _OPENERS
    return True


def _cut(text: str, ends: Iterable[int]) -> list[str]:
    """`text` cut after each position in `ends` (ascending), pieces stripped, empty ones dropped."""
    pieces, start = [], 0
    for end in [*ends, len(text)]:
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def _split_en(text: str) -> list[str]:
    return _cut(text, (m.end(2) for m in _EN_BOUNDARY.finditer(text) if _is_en_boundary(text, m)))


def _zh_ends(text: str) -> Iterator[int]:
    for m in _ZH_BOUNDARY.finditer(text):
        end = m.end()
        # A lone "…" mid-sentence followed by more text is an ellipsis pause only when it is the
        # Chinese double form; a single "…" ends a sentence only before whitespace or the end.
        if m.group(0).startswith("…") and not m.group(0).startswith("……"):
            if end < len(text) and not text[end].isspace():
                continue
        yield end


def _split_zh(text: str) -> list[str]:
    return _cut(text, _zh_ends(text))


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of `text` (`lang` is "en" or "zh"), in order, each stripped."""
    if lang == "zh":
        # Chinese paragraphs may quote English: split English sentences inside as well only when the
        # paragraph has no Chinese terminal punctuation at all.
        if any(c in text for c in _ZH_TERMINALS) or "…" in text:
            return _split_zh(text)
        return _split_en(text) if re.search(r"[.!?]\s", text) else ([text.strip()] if text.strip() else [])
    return _split_en(text)


def sentence_ends(text: str) -> list[int]:
    """The positions in `text` (of either language, or both) where a sentence ends, closers
    included: the English boundaries `split_sentences(text, "en")` cuts at, and the Chinese ones
    (。！？； and ellipses). The one sentence rule of the project: the TTS chunker cuts here too."""
    ends = {m.end(2) for m in _EN_BOUNDARY.finditer(text) if _is_en_boundary(text, m)}
    ends.update(e for e in _zh_ends(text) if text[e - 1] not in "!?" or _ascii_free_end(text, e))
    return sorted(e for e in ends if 0 < e < len(text))


def _ascii_free_end(text: str, end: int) -> bool:
    """A `!` or `?` run that ends a Chinese sentence (a Chinese character right before it)."""
    k = end - 1
    while k >= 0 and (text[k] in "!?" or text[k] in _CLOSERS):
        k -= 1
    return k >= 0 and ord(text[k]) > 0x2E80
