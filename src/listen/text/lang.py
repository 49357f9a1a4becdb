"""Which language a piece of text is in, and the character classes the text parsers share."""

from __future__ import annotations

import re

__all__ = [
    "HAN_CLASS", "language_of", "ends_sentence", "has_zh_sentence_punct", "han_count", "latin_count",
    "has_latin", "has_han", "squash",
]

# The characters `script.is_han` accepts, as a regex class: counting with C-level regexes instead of
# a Python loop over every character is what keeps the parser fast on megabytes of text.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

_TERMINAL_END = re.compile(r"[.!?。！？；;…][\"'”’」』）)》\]]*$")
_ZH_SENTENCE_PUNCT = re.compile(r"[。！？；]")
_LATIN = re.compile(r"[A-Za-z]")
_HAN_ANY = re.compile("[" + HAN_CLASS + "]")
_NOT_HAN = re.compile("[^" + HAN_CLASS + "]+")
_NOT_LATIN = re.compile(r"[^A-Za-z]+")
_SQUASH = re.compile(r"[\s\W_]+")
_GLOSS = re.compile(r"[(（][^()（）" + HAN_CLASS + r"]*[)）]")


def language_of(text: str) -> str | None:
    """"zh" when Han characters dominate, "en" when Latin letters do, None for neither.

    A Han character carries about as much as three Latin letters, so Chinese text with English
    names or acronyms in it (NATO, GDP, Trump) stays Chinese.
    """
    if not _HAN_ANY.search(text):
        return "en" if _LATIN.search(text) else None
    han = len(_NOT_HAN.sub("", text))
    latin = len(_NOT_LATIN.sub("", text))
    if han * 3 >= latin:
        return "zh"
    if han >= 20 and ("(" in text or "（" in text):
        # Chinese with English glosses in brackets (`贸易顺差(surplus)`) is Chinese.
        bare = _GLOSS.sub("", text)
        if len(_NOT_HAN.sub("", bare)) * 3 >= len(_NOT_LATIN.sub("", bare)) * 2:
            return "zh"
    return "en"


def ends_sentence(text: str) -> bool:
    """`text` ends with terminal punctuation (. ! ? 。 ！ ？ ； …), closing quotes allowed after it."""
    return bool(_TERMINAL_END.search(text.rstrip()))


def has_zh_sentence_punct(text: str) -> bool:
    """`text` holds a Chinese sentence mark (。！？；) anywhere."""
    return bool(_ZH_SENTENCE_PUNCT.search(text))


def han_count(text: str) -> int:
    return len(_NOT_HAN.sub("", text))


def latin_count(text: str) -> int:
    return len(_NOT_LATIN.sub("", text))


def has_latin(text: str) -> bool:
    return bool(_LATIN.search(text))


def has_han(text: str) -> bool:
    return bool(_HAN_ANY.search(text))


def squash(text: str) -> str:
    """Lower case, without spaces, punctuation or symbols: what a label compares as."""
    return _SQUASH.sub("", text.lower())
