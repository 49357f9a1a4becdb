"""Align the sentences inside one aligned pair of paragraphs, with a confidence for each bead.

Real translations are not tidy: a Chinese sentence often carries several English ones joined by
，and ；, translators split, merge and leave sentences out. Beads: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2,
n-1 up to `Params.max_merge` English sentences for one Chinese, and 1-3; monotonic. Cost of a bead:

* a prior for its shape (1-1 free; merges cost more the more they merge; omissions most);
* a length term (Gale & Church): the log ratio of English to Chinese characters against the
  ratio of the whole pair, squared over a variance;
* shared evidence (`signals`): numbers and years, Latin tokens, quoted phrases, concepts;
* punctuation: questions and exclamations on one side and not the other;
* dictionary evidence (CC-CEDICT, `dictionary`): English content words whose Chinese
  translations occur in the Chinese side.

Each bead of the best alignment carries its posterior probability (`beads.posteriors`), and each
cut between two beads the probability that an alignment passes through it. A cut below
`Params.min_confidence` is dropped: the beads around it are read as one (a coarser pairing, never a
wrong one). When no sure cut is left, the pair falls back to one bead holding every sentence (the
whole English paragraph, then the whole Chinese one) with the reason, so a wrong sentence pairing
is never played.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...model import SentenceBead
from .beads import best_alignment, confidences
from .dictionary import Dictionary, content_words
from .signals import Features, Weights

__all__ = ["Params", "PARAMS", "SentenceAlignment", "align_sentences"]

MAX_CELLS = 3000  # a pair with more (English x Chinese) sentences than this is read whole


@dataclass(frozen=True)
class Params:
    """The aligner's weights (tuned on the dev half of the gold: bench/sentence_align.py)."""

    max_merge: int = 12  # at most this many English sentences with one Chinese sentence
    merge: float = 0.6  # prior of a 2-1 bead
    merge_step: float = 1.0  # and per English sentence more
    split: float = 1.0  # prior of a 1-2 bead (1-3: twice that less a little)
    cross: float = 3.5  # prior of a 2-2 bead
    omit: float = 3.5  # prior of a 1-0 or 0-1 bead
    omit_per_char: float = 0.02  # an omitted sentence costs more the longer it is
    sigma: float = 0.6  # spread of log(en chars / (ratio * zh chars)) for a true sentence bead
    dict_match: float = 0.6  # reward per English content word whose translation is on the Chinese side
    dict_miss: float = 0.15  # penalty per translatable content word not found
    dict_cap: float = 12.0
    orphan: float = 0.0  # an English sentence merged into a bead with nothing of it on the Chinese side
    orphan_zh: float = 0.0  # a Chinese sentence merged into a bead with nothing of the English in it
    absent: float = 1.0  # an omission is this much cheaper when nothing of the sentence is on the other side
    absent_words: int = 3  # ... judged for sentences with at least this many translatable words
    mood: float = 1.0  # penalty per difference in questions and exclamations between the two sides
    min_confidence: float = 0.5  # below this posterior, the pair is read as whole paragraphs
    temperature: float = 1.0  # of the posterior
    weights: Weights = Weights(match=1.2, miss=0.5, quote=0.4, concept=0.8, concept_common=0.4, cross_credit=False)

    def priors(self) -> dict[tuple[int, int], float]:
        out = {(1, 1): 0.0, (1, 0): self.omit, (0, 1): self.omit, (1, 2): self.split, (2, 2): self.cross,
               (1, 3): 2 * self.split - 0.4}
        for k in range(2, self.max_merge + 1):
            out[(k, 1)] = self.merge + self.merge_step * (k - 2)
        return out


PARAMS = Params()


@dataclass(frozen=True)
class SentenceAlignment:
    beads: tuple[SentenceBead, ...]
    fallback: str | None = None  # why the pair is read as whole paragraphs (None: aligned)


def _whole(n: int, m: int, reason: str | None) -> SentenceAlignment:
    return SentenceAlignment((SentenceBead(tuple(range(n)), tuple(range(m)), 1.0),), reason)


def align_sentences(en: list[str], zh: list[str], dictionary: Dictionary | None = None,
                    params: Params = PARAMS) -> SentenceAlignment:
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
    priors = params.priors()
    cost = _Cost(en, zh, dictionary, params, priors)
    try:
        _total, beads = best_alignment(n, m, priors, cost)
    except ValueError:  # pragma: no cover - 1-0 and 0-1 always complete a path
        return _whole(n, m, "no alignment found")
    scores, cuts = confidences(n, m, priors, cost, beads, temperature=params.temperature)
    # A cut between beads the aligner is not sure of is dropped: the beads on both sides are read
    # as one (never a wrong pairing, only a coarser one). With no sure cut left, the pair is read
    # as whole paragraphs.
    groups: list[list[int]] = [[0]]
    for k, sure in enumerate(cuts):
        if sure < params.min_confidence:
            groups[-1].append(k + 1)
        else:
            groups.append([k + 1])
    if len(groups) == 1 and len(beads) > 1:
        weakest = min(range(len(cuts)), key=lambda k: cuts[k])
        b = beads[weakest]
        return _whole(n, m, f"not sure where English {_nums(b.en)} and Chinese {_nums(b.zh)} end "
                            f"({cuts[weakest]:.0%})")
    out = []
    for group in groups:
        first, last = beads[group[0]], beads[group[-1]]
        score = min(scores[k] for k in group) if len(group) == 1 else min(
            [cuts[group[0] - 1] if group[0] else 1.0, cuts[group[-1]] if group[-1] < len(cuts) else 1.0])
        out.append(SentenceBead(tuple(range(first.en_start, last.en_end)), tuple(range(first.zh_start, last.zh_end)),
                                round(score, 4)))
    return SentenceAlignment(tuple(out))


def _nums(ix: tuple[int, ...]) -> str:
    return "+".join(str(k + 1) for k in ix) if ix else "none"


_CLOSERS = "\"'”’」』）)]】 \t"


def _mood(sentence: str) -> tuple[int, int]:
    """(1 if the sentence asks a question, 1 if it exclaims): its end mark, closing quotes aside."""
    end = sentence.rstrip(_CLOSERS)[-1:]
    return int(bool(end) and end in "?？"), int(bool(end) and end in "!！")


class _Cost:
    """cost(i, a, j, b) of the bead en[i-a:i] + zh[j-b:j], computed once per bead."""

    def __init__(self, en: list[str], zh: list[str], dictionary: Dictionary | None, params: Params,
                 priors: dict[tuple[int, int], float]):
        self.p = params
        self.priors = priors
        self.feats = Features(en, zh, params.weights)
        total_en = sum(f[0] for f in self.feats.en1)
        total_zh = sum(f[0] for f in self.feats.zh1)
        self.log_ratio = math.log((total_en + 1.0) / (total_zh + 1.0))
        self.zh = zh
        self._zh_all = "".join(zh)
        self.words = [content_words(s) for s in en]
        self.moods_en = [_mood(s) for s in en]
        self.moods_zh = [_mood(s) for s in zh]
        self.dictionary = dictionary
        self._memo: dict[tuple[int, int, int, int], float] = {}
        # For each English sentence: per content word, its translations (those that exist).
        self._translations = [
            [(w, dictionary.translations(w)) for w in words] if dictionary is not None else []
            for words in self.words
        ]

    def _found(self, k: int, text: str) -> tuple[int, int]:
        """(content words of English sentence k with a translation in `text`, translatable ones)."""
        found = total = 0
        for _word, translations in self._translations[k]:
            if translations:
                total += 1
                if any(t in text for t in translations):
                    found += 1
        return found, total

    def _absent(self, en: int | None, zh: int | None) -> bool:
        """Nothing of this one sentence is found anywhere on the other side of the pair."""
        if self.dictionary is None:
            return False
        if en is not None:
            found, total = self._found(en, self._zh_all)
            return total >= self.p.absent_words and not found
        assert zh is not None
        if len(self.zh[zh]) < 2 * self.p.absent_words:
            return False
        return not any(self._found(k, self.zh[zh])[0] for k in range(len(self.words)))

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
        cost = -min(self.p.dict_match * matched, self.p.dict_cap) + self.p.dict_miss * missed
        if a > 1 and self.p.orphan:  # every English sentence merged into the bead should be translated in it
            for k in range(i - a, i):
                found, total = self._found(k, text)
                if total >= 2 and not found:
                    cost += self.p.orphan
        if b > 1 and self.p.orphan_zh:  # and every Chinese sentence should translate something of it
            for z in range(j - b, j):
                if len(self.zh[z]) >= 6 and not any(self._found(k, self.zh[z])[0] for k in range(i - a, i)):
                    cost += self.p.orphan_zh
        return cost

    def __call__(self, i: int, a: int, j: int, b: int) -> float:
        key = (i, a, j, b)
        cost = self._memo.get(key)
        if cost is not None:
            return cost
        cost = self.priors[(a, b)] + self.feats.anchor_cost(i, a, j, b)
        if a and b:
            le = self.feats.group("en", i, a)[0]
            lz = self.feats.group("zh", j, b)[0]
            d = math.log(le + 1.0) - math.log(lz + 1.0) - self.log_ratio
            cost += d * d / (2 * self.p.sigma * self.p.sigma)
            cost += self._dictionary_cost(i, a, j, b)
            if self.p.mood:
                qe = sum(self.moods_en[k][0] for k in range(i - a, i)) - sum(self.moods_zh[k][0] for k in range(j - b, j))
                xe = sum(self.moods_en[k][1] for k in range(i - a, i)) - sum(self.moods_zh[k][1] for k in range(j - b, j))
                cost += self.p.mood * (abs(qe) + abs(xe))
        else:
            chars = self.feats.group("en", i, a)[0] if a else self.feats.group("zh", j, b)[0] * 3
            cost += self.p.omit_per_char * chars
            if self.p.absent and self._absent(i - 1 if a else None, j - 1 if b else None):
                cost -= self.p.absent
        self._memo[key] = cost
        return cost

