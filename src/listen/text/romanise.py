"""Chinese read aloud in letters: Jyutping for Cantonese, pinyin with tone marks for Mandarin.

Both come from maintained libraries that ship their dictionaries in their wheels and read a
character in the context of the word around it (行 in 銀行 is hong4 / háng, in 行人 hang4 / xíng):
ToJyutping (BSD-2-Clause, CanCLID) and pypinyin (MIT, with its phrase dictionary). They are
imported on first use, since loading their dictionaries takes about a second.

A reading is a tuple of (characters, reading) tokens whose characters join to exactly the text
read: one token per Chinese character with its reading, and the runs of anything else
(punctuation, Latin letters, digits, spaces) as one token with no reading, so ruby can be drawn
character by character.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable

__all__ = ["SYSTEMS", "Token", "prepare", "system_for", "romanise", "reading_text"]

Token = tuple[str, "str | None"]

# Spoken Chinese -> the romanisation of it.
SYSTEMS = {"cantonese": "jyutping", "mandarin": "pinyin"}


def system_for(chinese: str | None) -> str | None:
    """The romanisation of the spoken Chinese `chinese` ("cantonese", "mandarin"), or None."""
    return SYSTEMS.get(chinese or "")


@lru_cache(maxsize=None)
def _reader(system: str) -> Callable[[str], list[str | None]]:
    """A function from a text to one reading (or None) per character of it."""
    if system == "jyutping":
        import ToJyutping

        def jyutping(text: str) -> list[str | None]:
            pairs = ToJyutping.get_jyutping_list(text)
            if "".join(ch for ch, _ in pairs) != text or any(len(ch) != 1 for ch, _ in pairs):
                return [None] * len(text)  # not one item per character: draw no ruby rather than a wrong one
            return [reading or None for _, reading in pairs]

        return jyutping
    if system == "pinyin":
        from pypinyin import Style, pinyin

        def tone_marks(text: str) -> list[str | None]:
            # Anything pypinyin does not read comes back one marker per character, so the list
            # stays aligned with the text.
            items = pinyin(text, style=Style.TONE, heteronym=False, errors=lambda run: ["\0"] * len(run))
            readings = [item[0] if item and item[0] != "\0" else None for item in items]
            return readings if len(readings) == len(text) else [None] * len(text)

        return tone_marks
    raise ValueError(f"unknown romanisation {system!r}: use one of {', '.join(sorted(SYSTEMS.values()))}")


def prepare(system: str) -> None:
    """Load `system`'s dictionary now (a second or so), e.g. on a thread while other work goes on."""
    _reader(system)


def romanise(text: str, system: str) -> tuple[Token, ...]:
    """`text` as (characters, reading) tokens in `system` ("jyutping" or "pinyin")."""
    if not text:
        return ()
    tokens: list[Token] = []
    for ch, reading in zip(text, _reader(system)(text)):
        if reading:
            tokens.append((ch, reading))
        elif tokens and tokens[-1][1] is None:
            tokens[-1] = (tokens[-1][0] + ch, None)
        else:
            tokens.append((ch, None))
    return tuple(tokens)


def reading_text(tokens: tuple[Token, ...]) -> str:
    """The readings alone, space-separated, with what has no reading kept as it is written:
    punctuation after the reading before it ("香港，" -> "hoeng1 gong2，"), words and numbers apart."""
    out: list[str] = []
    for chars, reading in tokens:
        if reading:
            out.append(reading)
            continue
        for word in chars.split():
            if out and all(unicodedata.category(c).startswith("P") for c in word):
                out[-1] += word
            else:
                out.append(word)
    return " ".join(out)
