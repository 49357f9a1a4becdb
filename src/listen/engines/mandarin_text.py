"""What a Mandarin voice trained on Simplified characters and pinyin is given to read.

Its front end reads Simplified characters, digits and nothing else: Traditional characters are
converted (OpenCC's t2s table, `opencc-python-reimplemented`), thousands separators dropped so
"1,200" is one number, and Latin letters, which the voice has no sounds for, are spelled the way
Mandarin speakers say them (GDP -> 基迪屁) when they are short or capitals (acronyms such as G7,
CBD, WHO); longer words (names, usually given in Chinese beside them) are left out. Numbers,
dates and percentages are then read out by the voice's own text normaliser.

`clauses` cuts the text at punctuation, where the voice pauses (it has no pause symbol of its own).
"""

from __future__ import annotations

import functools
import re

__all__ = ["to_simplified", "spell_latin", "prepare", "clauses", "LETTERS"]

# How Mandarin speakers name Latin letters, in characters the voice can read.
LETTERS = {
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "基", "H": "艾尺", "I": "艾",
    "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "恩", "O": "欧", "P": "屁", "Q": "扣", "R": "阿",
    "S": "艾斯", "T": "踢", "U": "优", "V": "维", "W": "达不溜", "X": "艾克斯", "Y": "歪", "Z": "贼",
}
_SPELL_MAX = 3  # a lower-case word this short is spelled (e.g. "app"); longer ones are left out

_LATIN = re.compile(r"[A-Za-z]+")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)} | {
    chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)} | {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}
_CLAUSE = re.compile(r"[^、，,。.！!？?；;：:\n]+[、，,。.！!？?；;：:]*")
_PUNCT_ONLY = re.compile(r"^[\W_]*$")
_DECIMAL = "\ue000"  # a private-use character standing for a decimal point while cutting


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as Simplified (OpenCC t2s; Simplified text is unchanged)."""
    return _t2s().convert(text)


def spell_latin(text: str) -> str:
    """Latin words spelled in Mandarin letter names when short or upper-case; others left out."""

    def spell(match: re.Match) -> str:
        word = match.group(0)
        if word.isupper() or len(word) <= _SPELL_MAX:
            return "".join(LETTERS[c] for c in word.upper())
        return " "

    return _LATIN.sub(spell, text)


def prepare(text: str) -> str:
    """The text as the voice's front end can read it: Simplified, digits joined, Latin spelled."""
    text = text.translate(str.maketrans(_FULLWIDTH))
    text = _THOUSANDS.sub("", text)
    return spell_latin(to_simplified(text))


def clauses(text: str) -> list[str]:
    """The pieces between pauses, each keeping its punctuation: "你好，世界。" -> ["你好，", "世界。"]."""
    # A dot between digits is a decimal point, not a pause: hidden while cutting.
    protected = re.sub(r"(?<=\d)\.(?=\d)", _DECIMAL, text)
    pieces = (c.strip().replace(_DECIMAL, ".") for c in _CLAUSE.findall(protected))
    return [c for c in pieces if not _PUNCT_ONLY.match(c)]
