"""Align the sentences inside one aligned pair of paragraphs, with a confidence for each bead.

Real translations are not tidy: a Chinese sentence often carries several English ones joined by
，and ；, translators split, merge and leave sentences out. Beads: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2,
n-1 up to MAX_MERGE English sentences for one Chinese, and 1-3; monotonic. Cost of a bead:

* a prior for its shape (1-1 free; merges cost more the more they merge; omissions most);
* a length term (Gale & Church): the log ratio of English to Chinese characters against the
  ratio of the whole pair, squared over a variance;
* shared evidence (`signals`): numbers and years, Latin tokens, quoted phrases, concepts;
* dictionary evidence (CC-CEDICT, `dictionary`): English content words whose Chinese
  translations occur in the Chinese side.

Each bead of the best alignment carries its posterior probability (`beads.posteriors`). When any
bead is below MIN_CONFIDENCE the pair is not confidently aligned: it falls back to one bead
holding every sentence (the whole English paragraph, then the whole Chinese one), with the
reason, so a wrong sentence pairing is never played.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...model import SentenceBead
from .beads import best_alignment, posteriors
from .dictionary import Dictionary, content_words
from .signals import Features, Weights

__all__ = ["SentenceAlignment", "align_sentences", "MIN_CONFIDENCE"]

MAX_MERGE = 8  # at most this many English sentences in one bead with one Chinese sentence
MIN_CONFIDENCE = 0.5
MAX_CELLS = 3000  # a pair with more (English x Chinese) sentences than this is read whole

_PRIORS: dict[tuple[int, int], float] = {(1, 1): 0.0, (1, 0): 3.5, (0, 1): 3.5, (1, 2): 1.8, (2, 2): 3.5,
                                        (1, 3): 3.2}
for _k in range(2, MAX_MERGE + 1):
    _PRIORS[(_k, 1)] = 1.2 + 0.7 * (_k - 2)
_SIGMA = 0.35  # spread of log(en chars / (ratio * zh chars)) for a true sentence bead
_DICT_MATCH = 0.6  # reward per English content word whose translation is in the Chinese side
_DICT_MISS = 0.15  # penalty per content word with translations, none of them there
_DICT_CAP = 12.0
_OMIT_PER_CHAR = 0.02  # an omitted sentence costs more the longer it is
_WEIGHTS = Weights(match=1.2, miss=0.5, quote=0.4, concept=0.8, concept_common=0.4, cross_credit=False)


@dataclass(frozen=True)
class SentenceAlignment:
    beads: tuple[SentenceBead, ...]
    fallback: str | None = None  # why the pair is read as whole paragraphs (None: aligned)


def _whole(n: int, m: int, reason: str | None) -> SentenceAlignment:
    return SentenceAlignment((SentenceBead(tuple(range(n)), tuple(range(m)), 1.0),), reason)


def align_sentences(en: list[str], zh: list[str], dictionary: Dictionary | None = None) -> SentenceAlignment:
    """The sentence beads of one pair (`en`, `zh`: its sentences in order)."""
    n, m = len(en), len(zh)
    if not n or not m:  # an unmatched paragraph: each sentence alone
        side = n or m
        return SentenceAlignment(tuple(
            SentenceBead((k,) if n else (), () if n else (k,), 1.0) for k in range(side)))
    if n == 1 and m == 1:
        return SentenceAlignment((SentenceBead((0,), (0,), 1.0),))
    if n * m > MAX_CELLS:
        return _whole(n, m, f"too many sentences to align ({n} English, {m} Chinese)")
    cost = _Cost(en, zh, dictionary)
    try:
        _total, beads = best_alignment(n, m, _PRIORS, cost)
    except ValueError:  # pragma: no cover - 1-0 and 0-1 always complete a path
        return _whole(n, m, "no alignment found")
    scores = posteriors(n, m, _PRIORS, cost, beads)
    out = tuple(SentenceBead(b.en, b.zh, round(s, 4)) for b, s in zip(beads, scores))
    weakest = min(range(len(out)), key=lambda k: out[k].score)
    if out[weakest].score < MIN_CONFIDENCE:
        b = out[weakest]
        where = f"English {_nums(b.en)} with Chinese {_nums(b.zh)}"
        return _whole(n, m, f"not sure of the sentences: {where} at {b.score:.0%}")
    return SentenceAlignment(out)


def _nums(ix: tuple[int, ...]) -> str:
    return "+".join(str(k + 1) for k in ix) if ix else "none"


class _Cost:
    """cost(i, a, j, b) of the bead en[i-a:i] + zh[j-b:j], computed once per bead."""

    def __init__(self, en: list[str], zh: list[str], dictionary: Dictionary | None):
        self.feats = Features(en, zh, _WEIGHTS)
        total_en = sum(f[0] for f in self.feats.en1)
        total_zh = sum(f[0] for f in self.feats.zh1)
        self.log_ratio = math.log((total_en + 1.0) / (total_zh + 1.0))
        self.zh = zh
        self.words = [content_words(s) for s in en]
        self.dictionary = dictionary
        self._memo: dict[tuple[int, int, int, int], float] = {}
        # For each English sentence: per content word, its translations (those that exist).
        self._translations = [
            [(w, dictionary.translations(w)) for w in words] if dictionary is not None else []
            for words in self.words
        ]

    def _dictionary_cost(self, i: int, a: int, j: int, b: int) -> float:
        if self.dictionary is None or not a or not b:
            return 0.0
        text = "".join(self.zh[j - b : j])
        matched = missed = 0
        seen: set[str] = set()
        for k in range(i - a, i):
            for word, translations in self._translations[k]:
                if not translations or word in seen:
                    continue
                seen.add(word)
                if any(t in text for t in translations):
                    matched += 1
                else:
                    missed += 1
        return -min(_DICT_MATCH * matched, _DICT_CAP) + _DICT_MISS * missed

    def __call__(self, i: int, a: int, j: int, b: int) -> float:
        key = (i, a, j, b)
        cost = self._memo.get(key)
        if cost is not None:
            return cost
        cost = _PRIORS[(a, b)] + self.feats.anchor_cost(i, a, j, b)
        if a and b:
            le = self.feats.group("en", i, a)[0]
            lz = self.feats.group("zh", j, b)[0]
            d = math.log(le + 1.0) - math.log(lz + 1.0) - self.log_ratio
            cost += d * d / (2 * _SIGMA * _SIGMA)
            cost += self._dictionary_cost(i, a, j, b)
        else:
            chars = self.feats.group("en", i, a)[0] if a else self.feats.group("zh", j, b)[0] * 3
            cost += _OMIT_PER_CHAR * chars
        self._memo[key] = cost
        return cost

