"""Chinese read aloud in letters: Jyutping for Cantonese, pinyin with tone marks for Mandarin.

Both come from maintained libraries that ship their dictionaries in their wheels and read a
character in the context of the word around it (行 in 銀行 is hong4 / háng, in 行人 hang4 / xíng):
ToJyutping (BSD-2-Clause, CanCLID) and pypinyin (MIT, with its phrase dictionary). They are
loaded on first use. ToJyutping builds its trie in Python at import (1.3–1.8 s of CPU, 80 MB):
its words and readings are kept, as ToJyutping reads them, in a flat index under the cache folder
(`prepare(system, cache_dir)`; 1 MB, loaded in ~30 ms), and looked up the way ToJyutping's own
`Trie.get` does, longest word first (tests/text/test_romanise.py compares the two).

A reading is a tuple of (characters, reading) tokens whose characters join to exactly the text
read: one token per Chinese character with its reading, and the runs of anything else
(punctuation, Latin letters, digits, spaces) as one token with no reading, so ruby can be drawn
character by character.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import threading
import unicodedata
from pathlib import Path
from typing import Callable

__all__ = ["SYSTEMS", "Token", "prepare", "system_for", "romanise", "reading_text"]

Token = tuple[str, "str | None"]

# Spoken Chinese -> the romanisation of it.
SYSTEMS = {"cantonese": "jyutping", "mandarin": "pinyin"}

# The stored Jyutping index's layout; a new one when what is stored or how it is read changes.
JYUTPING_INDEX_VERSION = "1"
# Between the readings of a word's characters in the index (a character's reading can hold a space).
_SEP = "|"


def system_for(chinese: str | None) -> str | None:
    """The romanisation of the spoken Chinese `chinese` ("cantonese", "mandarin"), or None."""
    return SYSTEMS.get(chinese or "")


_lock = threading.Lock()
_readers: dict[str, Callable[[str], list["str | None"]]] = {}


def _reader(system: str, cache_dir: Path | None = None) -> Callable[[str], list["str | None"]]:
    """A function from a text to one reading (or None) per character of it (one per process)."""
    with _lock:
        reader = _readers.get(system)
        if reader is None:
            if system == "jyutping":
                reader = _jyutping_reader(_jyutping_index(cache_dir))
            elif system == "pinyin":
                reader = _pinyin_reader()
            else:
                raise ValueError(f"unknown romanisation {system!r}: use one of {', '.join(sorted(SYSTEMS.values()))}")
            _readers[system] = reader
        return reader


def _pinyin_reader() -> Callable[[str], list["str | None"]]:
    from pypinyin import Style, pinyin

    def tone_marks(text: str) -> list[str | None]:
        # Anything pypinyin does not read comes back one marker per character, so the list
        # stays aligned with the text.
        items = pinyin(text, style=Style.TONE, heteronym=False, errors=lambda run: ["\0"] * len(run))
        readings = [item[0] if item and item[0] != "\0" else None for item in items]
        return readings if len(readings) == len(text) else [None] * len(text)

    return tone_marks


def _jyutping_reader(index: dict[str, str]) -> Callable[[str], list["str | None"]]:
    """ToJyutping's `Trie.get` over the flat index: at each character the longest word of the
    dictionary starting there gives its characters' readings; a character in no word has none."""
    longest = max(map(len, index), default=1)

    def jyutping(text: str) -> list[str | None]:
        out: list[str | None] = [None] * len(text)
        i, n = 0, len(text)
        while i < n:
            for j in range(min(n, i + longest), i, -1):
                readings = index.get(text[i:j])
                if readings is not None:
                    out[i:j] = [r or None for r in readings.split(_SEP)]
                    i = j
                    break
            else:
                i += 1
        return out

    return jyutping


def _jyutping_index(cache_dir: Path | None) -> dict[str, str]:
    """word -> its characters' readings (joined by `_SEP`), as ToJyutping reads the word alone;
    kept under `cache_dir`, named after ToJyutping's data and code it was made from."""
    spec = importlib.util.find_spec("ToJyutping")
    folder = Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else None
    stored = None
    if cache_dir is not None and folder is not None:
        try:
            stamp = "-".join(f"{st.st_size}-{int(st.st_mtime)}" for st in
                             (os.stat(folder / "trie.txt"), os.stat(folder / "Trie.py")))
        except OSError:
            stamp = None
        if stamp:
            stored = Path(cache_dir) / "dictionaries" / f"jyutping-{JYUTPING_INDEX_VERSION}-{stamp}.marshal"
            try:
                index = marshal.loads(stored.read_bytes())
                if isinstance(index, dict):
                    return index
            except (OSError, ValueError, EOFError, TypeError):
                pass
    index = _jyutping_words()
    if stored is not None:
        from ..errors import OutputError
        from ..fsutil import atomic_write_bytes

        try:
            atomic_write_bytes(stored, marshal.dumps(index), folder_kind="cache")
        except OutputError:
            pass  # a read-only cache: build it again next time
    return index


def _jyutping_words() -> dict[str, str]:
    """Every word of ToJyutping's trie with the readings `Trie.get` gives its characters when the
    word is the longest match (its first reading, character by character)."""
    root = importlib.import_module("ToJyutping.Trie").root
    index: dict[str, str] = {}
    stack = [("", root)]
    while stack:
        word, node = stack.pop()
        if node.v:
            first = node.v[0]
            parts = [first] if len(word) == 1 else [first[m] for m in range(len(word))]
            index[word] = _SEP.join(getattr(p, "jyutping", None) or "" for p in parts)
        stack.extend((word + ch, child) for ch, child in node.items())
    return index


def prepare(system: str, cache_dir: Path | None = None) -> None:
    """Load `system`'s dictionary now (from `cache_dir` when it keeps it), e.g. on a thread while
    other work goes on."""
    _reader(system, cache_dir)


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
