"""Which language a piece of text is in, and the character classes the text parsers share."""

from __future__ import annotations

import re

__all__ = ["language_of"]

_TERMINAL_END = re.compile(r"[.!?。！？；;…][\"'”’」』）)》\]]*$")
_ZH_SENTENCE_PUNCT = re.compile(r"[。！？；]")
_LATIN = re.compile(r"[A-Za-z]")
# The characters `script.is_han` accepts, as a regex class: counting with C-level regexes instead of
# a Python loop over every character is what keeps the parser fast on megabytes of text.
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_ANY = re.compile("[" + _HAN_CLASS + "]")
_NOT_HAN = re.compile("[^" + _HAN_CLASS + "]+")
_NOT_LATIN = re.compile(r"[^A-Za-z]+")
_SQUASH = re.compile(r"[\s\W_]+")


def language_of(text: str) -> str | None:
    """"zh" when Han characters dominate, "en" when Latin letters do, None for neither.

    A Han character carries about as much as three Latin letters, so Chinese text with English
    names or acronyms in it (NATO, GDP, Trump) stays Chinese.
    """
    if not _HAN_ANY.search(text):
        return "en" if _LATIN.search(text) else None
    han = len(_NOT_HAN.sub("", text))
    latin = len(_NOT_LATIN.sub("", text))
    return "zh" if han * 3 >= latin else "en"


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())
