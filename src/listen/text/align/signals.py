"""What two texts share, as evidence that they translate each other: lengths, numbers and years,
Latin tokens inside Chinese (NATO, GDP, Trump), quoted phrases, and editorial concepts (`lexicon`).
`Features` computes them once per unit and per group of consecutive units, and prices a bead."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import concepts_en, concepts_zh

__all__ = ["Features", "Weights", "numbers", "quotes", "LATIN_WORD"]

NUM = re.compile(r"\d+(?:[.,]\d+)*")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

def numbers(text: str) -> Counter:
    """The numbers of a text (thousands separators dropped; 0 and 1, which say little, left out)."""
    out: Counter = Counter()
    for m in NUM.finditer(text):
        raw = m.group(0)
        value = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) else raw
        value = value.rstrip(".,")
        if value.lstrip("0") in ("", "1"):
            continue  # 0 and 1 say little
        out[value.lstrip("0") or "0"] += 1
    return out


def quotes(text: str, lang: str) -> int:
    """How many quoted phrases a text holds."""
    if lang == "zh":
        return text.count("「") + text.count("“") + (text.count('"') // 2)
    return text.count("“") + (text.count('"') // 2)


def en_features(text: str) -> tuple[int, Counter, frozenset[str], int]:
    words = frozenset(w.lower() for w in LATIN_WORD.findall(text))
    return len(re.sub(r"\s", "", text)), numbers(text), words, quotes(text, "en"), concepts_en(text)


def zh_features(text: str) -> tuple[int, Counter, Counter, int]:
    latin = Counter(
        w.lower() for w in LATIN_WORD.findall(text) if len(w) >= 2 or w.isupper()
    )
    return len(re.sub(r"\s", "", text)), numbers(text), latin, quotes(text, "zh"), concepts_zh(text)


@dataclass(frozen=True)
class Weights:
    """How much each anchor counts in a bead's cost."""

    match: float = 1.5  # reward for each anchor found on both sides of a bead
    miss: float = 0.4  # penalty for each anchor without its counterpart
    quote: float = 0.35  # penalty per difference in the number of quoted phrases
    concept: float = 1.0  # reward per rare concept shared by the two sides
    concept_common: float = 0.25  # reward per shared concept that most units mention
    concept_miss: float = 0.0  # penalty (times the weight) per concept on one side only
    cap: float = 8.0  # at most this many matched anchors / concept weight count
    cross_credit: bool = True  # a 2-2 bead may be credited with its crossed pairs (paragraphs)


class Features:
    """Per-group features of two lists of units (a group is consecutive units), computed once."""

    def __init__(self, en: list[str], zh: list[str], weights: Weights = Weights()):
        self.w = weights
        self.en1 = [en_features(p) for p in en]
        self.zh1 = [zh_features(p) for p in zh]
        self._groups: dict[tuple[str, int, int], tuple] = {}
        self._anchor: dict[tuple[int, int, int, int], float] = {}
        # Concepts most paragraphs mention are the topic, not evidence for a pairing.
        concept_weights: dict[int, float] = {}
        for side in (self.en1, self.zh1):
            counts = Counter(c for f in side for c in f[4])
            for c, k in counts.items():
                common = len(side) >= 3 and k > len(side) / 2
                w = weights.concept_common if common else weights.concept
                concept_weights[c] = min(concept_weights.get(c, w), w)
        self.weights = concept_weights

    def group(self, lang: str, end: int, size: int) -> tuple:
        """Features of paragraphs end-size .. end-1: (chars, numbers, words, quotes, anchors, concepts)."""
        key = (lang, end, size)
        g = self._groups.get(key)
        if g is None:
            singles = (self.en1 if lang == "en" else self.zh1)[end - size : end]
            chars = sum(f[0] for f in singles)
            nums: Counter = Counter()
            for f in singles:
                nums.update(f[1])
            if lang == "en":
                words = frozenset().union(*(f[2] for f in singles))
                anchors = sum(nums.values())
            else:
                words = Counter()
                for f in singles:
                    words.update(f[2])
                anchors = sum(nums.values()) + sum(words.values())
            quotes = sum(f[3] for f in singles)
            concepts = frozenset().union(*(f[4] for f in singles))
            g = (chars, dict(nums), words, quotes, anchors, concepts)
            self._groups[key] = g
        return g

    def anchor_cost(self, i: int, a: int, j: int, b: int) -> float:
        """Anchor and quote cost of the bead en[i-a:i] + zh[j-b:j] (shape prior excluded)."""
        key = (i, a, j, b)
        cost = self._anchor.get(key)
        if cost is not None:
            return cost
        if a == 0 or b == 0:
            g = self.group("en", i, a) if a else self.group("zh", j, b)
            cost = self.w.miss * g[4] + self.w.concept_miss * sum(self.weights[c] for c in g[5])
        else:
            ge = self.group("en", i, a)
            gz = self.group("zh", j, b)
            en_nums, zh_nums = ge[1], gz[1]
            matched = 0
            if en_nums and zh_nums:
                for k, v in zh_nums.items():
                    matched += min(v, en_nums.get(k, 0))
            unmatched = sum(en_nums.values()) + sum(zh_nums.values()) - 2 * matched
            en_words = ge[2]
            for word, count in gz[2].items():
                if word in en_words:
                    matched += count
                else:
                    unmatched += count
            p = self.w
            cost = -p.match * min(matched, p.cap) + p.miss * unmatched + p.quote * abs(ge[3] - gz[3])
            w = self.weights
            shared = sum(w[c] for c in ge[5] & gz[5])
            cost += -min(shared, p.cap) + p.concept_miss * sum(w[c] for c in ge[5] ^ gz[5])
            if a == 2 and b == 2 and p.cross_credit:
                # Two paragraphs translated in the other order: no monotonic path can pair them,
                # but a 2-2 bead reads both with both. When each English paragraph clearly matches
                # the other Chinese one better (by at least one anchor), credit the bead with the
                # evidence of the two crossed pairs.
                first_straight = self.anchor_cost(i - 1, 1, j - 1, 1)
                second_straight = self.anchor_cost(i, 1, j, 1)
                first_crossed = self.anchor_cost(i - 1, 1, j, 1)
                second_crossed = self.anchor_cost(i, 1, j - 1, 1)
                if first_crossed <= first_straight - p.match and second_crossed <= second_straight - p.match:
                    cost = min(cost, first_crossed + second_crossed)
        self._anchor[key] = cost
        return cost
