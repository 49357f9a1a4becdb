"""Cut a text to a byte budget at the best boundary: the end of a clause, a word, a character.

`cut_text(text, max_bytes)` is how chapter titles are shortened (`listen.output.manifest.chapter_title`):
the result, encoded as UTF-8, is at most `max_bytes` bytes (the ellipsis included), never splits a
code point or a combining sequence, and prefers, in this order,

1. the end of a clause: after 。！？；!?; (strong) or ，、：,: (weak), closing quotes and brackets kept;
2. a word boundary: a space, between two CJK characters (each is a word), or where CJK meets Latin;
3. any character boundary (one very long word or URL).

A boundary is taken only if it keeps at least 60% of what fits; otherwise the next kind is tried.
Trailing spaces, commas, dashes and dangling openers (「《（“( ) are dropped before the ellipsis; a
cut right after a full sentence (。！？!?) gets no ellipsis. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata

__all__ = ["cut_text"]

_STRONG = set("。！？；!?;")
_FULL_STOPS = set("。！？!?")
_WEAK = set("，、：,:")
_CLOSERS = set("」』）》〉】〕”’\"')]}")
_OPENERS = set("「『（《〈【〔“‘\"'([{")
_DANGLING = _OPENERS | _WEAK | set("-–—·")
_ELLIPSIS = "…"
_MIN_KEEP = 0.6


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF
            or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF)


def _joins(ch: str) -> bool:
    """True if `ch` must stay with the character before it (a combining mark, ZWJ, a variation selector)."""
    return (unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Me")
            or ch in "\u200d\ufe0e\ufe0f" or 0xE0100 <= ord(ch) <= 0xE01EF)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _boundary(text: str, end: int, floor: int, kind: str) -> int | None:
    """The last cut before index `end` (and after `floor`) of `kind`: text[:j] is kept."""
    for j in range(end, floor, -1):
        a = text[j - 1]
        b = text[j] if j < len(text) else ""
        if b and _joins(b):
            continue
        if kind == "strong" and (a in _STRONG or (a in _CLOSERS and j >= 2 and text[j - 2] in _STRONG)):
            return j
        if kind == "weak" and (a in _WEAK or a in _STRONG):
            return j
        if kind == "word" and (b.isspace() or a.isspace() or (_is_cjk(a) and b) or (b and _is_cjk(b))):
            return j
    return None


def cut_text(text: str, max_bytes: int) -> str:
    """`text` on one line, cut to at most `max_bytes` UTF-8 bytes at the best boundary (see the module)."""
    text = " ".join(str(text).split())
    if _size(text) <= max_bytes:
        return text
    budget = max_bytes - _size(_ELLIPSIS)
    if budget <= 0:
        return ""
    end = used = 0
    for i, ch in enumerate(text):
        used += _size(ch)
        if used > budget:
            break
        end = i + 1
    while 0 < end < len(text) and _joins(text[end]):  # never strand a combining mark
        end -= 1
    cut = end
    floor = int(end * _MIN_KEEP)
    for kind in ("strong", "weak", "word"):
        found = _boundary(text, end, floor, kind)
        if found is not None:
            cut = found
            break
    kept = text[:cut].rstrip()
    while kept and kept[-1] in _DANGLING:
        kept = kept[:-1].rstrip()
    if kept and kept[-1] in _FULL_STOPS:
        return kept  # a whole sentence: nothing is missing mid-thought
    return kept + _ELLIPSIS
