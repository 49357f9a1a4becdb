"""Align English and Chinese paragraphs: beads of paragraphs through the one bead aligner (`beads`).

The cost of a bead (a group of English paragraphs read with a group of Chinese ones) is

* a prior for its shape: 1-1 is free; 1-2 and 2-1 cost more; an unmatched paragraph (1-0, 0-1) more
  still; 2-2 is allowed only at a high price;
* a length term in the style of Gale & Church: the log of the ratio of English characters to
  Chinese characters, against the ratio estimated from the document itself (re-estimated from the
  1-1 beads of a first pass), squared over a fixed variance;
* anchors: numbers and years (`80周年` <-> `80th`, `1980年代` <-> `1980s`, `5%`), Latin tokens inside the
  Chinese text that occur as English words (NATO, GDP, AI, Trump), and the count of quoted phrases.
  A matched anchor lowers the cost, an unmatched one raises it a little, wherever it lands. A 2-2
  bead is credited with the anchors of its two crossed pairs when they are stronger, so two
  paragraphs translated in the other order are read together rather than each with the wrong one;
* dictionary coverage (`coverage`, when a dictionary is given): the share of the English words the
  Chinese side translates, against what a translation shows (about 0.45; a neighbour that does not
  translate the paragraph, under 0.1), so an untranslated intro or a translation of only one of two
  English paragraphs is told from the real counterpart when lengths cannot tell them apart; a
  merged bead with a paragraph that translates nothing of the other side costs more.

Every paragraph index of both languages appears exactly once, in reading order.
"""

from __future__ import annotations

import math

from ...model import Pair
from .beads import best_alignment
from .coverage import Coverage
from .dictionary import Dictionary
from .signals import Features

__all__ = ["align"]

# Bead shapes (English count, Chinese count) and their prior costs.
_PRIORS = {
    (1, 1): 0.0, (1, 0): 2.5, (0, 1): 2.5, (2, 1): 2.5, (1, 2): 2.5, (2, 2): 6.0,
    # Four short paragraphs (a list, bullets) translated as one, or one as four.
    (3, 1): 4.5, (1, 3): 4.5, (4, 1): 6.5, (1, 4): 6.5,
}
_SIGMA = 0.25  # standard deviation of log(en chars / (ratio * zh chars)) for a true pair
_SHORT_CHARS = 60  # a pair of this many English characters (or Chinese times the ratio) or fewer: twice the variance

# Non-space English characters per Chinese character in editorial translations, and its spread.
_TYPICAL_RATIO = 3.4
_RATIO_SIGMA = 0.2

# Dictionary coverage: a bead whose Chinese side translates this share of its English words costs
# nothing more; each point of share above or below is worth _COVERAGE_WEIGHT (in full from
# _COVERAGE_WORDS translatable words on, less for shorter paragraphs). A merged bead with a
# paragraph translating nothing of the other side costs _UNTRANSLATED more.
_COVERAGE_NEUTRAL = 0.25
_COVERAGE_WEIGHT = 8.0
_COVERAGE_WORDS = 12
_UNTRANSLATED = 2.0

# Above this many (English x Chinese) paragraph combinations, align pairs in order instead.
_MAX_CELLS = 250_000

class _BeadCosts:
    """The part of a bead's cost that does not depend on the character ratio (its shape prior,
    anchors and dictionary coverage), computed once per bead however many ratios are tried; and the
    logarithm of its English length. None for a bead that may not be formed."""

    def __init__(self, feats: Features, alone: tuple[frozenset[int], frozenset[int]], coverage: Coverage | None):
        self.feats = feats
        self.alone = alone
        self.coverage = coverage
        self._cache: dict[tuple[int, int, int, int], tuple[float, float, float] | None] = {}

    def __call__(self, i: int, a: int, j: int, b: int) -> tuple[float, float, float] | None:
        key = (i, a, j, b)
        try:
            return self._cache[key]
        except KeyError:
            pass
        self._cache[key] = value = self._compute(i, a, j, b)
        return value

    def _compute(self, i: int, a: int, j: int, b: int) -> tuple[float, float, float] | None:
        alone_en, alone_zh = self.alone
        if (a > 1 and alone_en and not alone_en.isdisjoint(range(i - a, i))) or \
                (b > 1 and alone_zh and not alone_zh.isdisjoint(range(j - b, j))):
            return None  # a salutation or a credit is read on its own, never merged
        feats, coverage = self.feats, self.coverage
        c = _PRIORS[(a, b)] + feats.anchor_cost(i, a, j, b)
        if not (a and b):
            return c, 0.0, 0.0
        le = feats.group("en", i, a)[0]
        lz = feats.group("zh", j, b)[0]
        if coverage is not None:
            found, total = coverage.share(range(i - a, i), range(j - b, j))
            if total >= 3:
                weight = min(total, _COVERAGE_WORDS) / _COVERAGE_WORDS
                c += _COVERAGE_WEIGHT * weight * (_COVERAGE_NEUTRAL - found / total)
            if (a > 1 or b > 1) and coverage.untranslated(range(i - a, i), range(j - b, j)):
                c += _UNTRANSLATED
        return c, le, lz


def _dp(feats: Features, ratio: float, static: _BeadCosts) -> tuple[float, list[Pair]]:
    n, m = len(feats.en1), len(feats.zh1)
    two_sigma2 = 2 * _SIGMA * _SIGMA
    log_ratio = math.log(ratio)
    # Only cells near the diagonal can be on a sensible path; the band is wide enough for many
    # unmatched paragraphs on either side (a third of an article, at most 30 beyond the difference
    # in counts: a long text is not 30 paragraphs out of step, and its cost stays linear).
    band = max(12, min(max(n, m) // 3, 30) + abs(n - m)) + 1

    def columns(i: int) -> range:
        centre = i * m / n if n else 0.0
        return range(max(0, math.ceil(centre - band)), min(m, math.floor(centre + band)) + 1)

    def cost(i: int, a: int, j: int, b: int) -> float:
        fixed = static(i, a, j, b)
        if fixed is None:
            return math.inf
        c, le, lz = fixed
        if a and b:
            d = math.log(le + 1.0) - math.log(lz + 1.0 / ratio) - log_ratio
            # The ratio of two short texts says little (`Love,` and `爱你们的，`): as in Gale &
            # Church, the spread grows as the texts get shorter.
            c += d * d / (two_sigma2 * (1.0 + _SHORT_CHARS / (le + lz * ratio + 1.0)))
        return c

    total, beads = best_alignment(n, m, _PRIORS, cost, columns=columns)
    return total, [Pair(bead.en, bead.zh) for bead in beads]


def _ratio_prior(ratio: float) -> float:
    """Cost of an English/Chinese character ratio far from what translations usually show."""
    d = math.log(ratio / _TYPICAL_RATIO)
    return d * d / (2 * _RATIO_SIGMA * _RATIO_SIGMA)


def align(en: list[str], zh: list[str], alone: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset()),
          dictionary: Dictionary | None = None) -> list[Pair]:
    """Monotonic alignment of English and Chinese paragraphs (0-based indexes in each Pair); the
    paragraphs in `alone` (English, Chinese indexes) are never merged with a neighbour; with a
    `dictionary`, its coverage of each bead is evidence too."""
    en = [str(p) for p in en]
    zh = [str(p) for p in zh]
    if not en or not zh:
        return [Pair((i,), ()) for i in range(len(en))] + [Pair((), (j,)) for j in range(len(zh))]
    if len(en) * len(zh) > _MAX_CELLS:
        # Not an editorial (thousands of paragraphs): pair in order rather than spend minutes.
        k = min(len(en), len(zh))
        return (
            [Pair((i,), (i,)) for i in range(k)]
            + [Pair((i,), ()) for i in range(k, len(en))]
            + [Pair((), (j,)) for j in range(k, len(zh))]
        )
    feats = Features(en, zh)
    coverage = Coverage(en, zh, dictionary) if dictionary is not None and len(dictionary) else None
    total_en = sum(f[0] for f in feats.en1)
    total_zh = sum(f[0] for f in feats.zh1)
    base = (total_en + 1.0) / (total_zh + 1.0)
    # The ratio of English to Chinese characters is estimated from the document: try ratios around
    # the overall one (unmatched paragraphs skew it) and keep the cheapest alignment, then refine
    # the ratio from its 1-1 beads.
    static = _BeadCosts(feats, alone, coverage)
    best: tuple[float, float, list[Pair]] | None = None
    factors = (0.7, 0.8, 0.9, 1.0, 1.12, 1.25, 1.4, 1.6) if max(len(en), len(zh)) <= 40 else (0.85, 1.0, 1.18)
    for factor in factors:
        cost, pairs = _dp(feats, base * factor, static)
        cost += _ratio_prior(base * factor)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, base * factor, pairs)
    assert best is not None
    cost, ratio, pairs = best
    ones = [p for p in pairs if len(p.en) == 1 and len(p.zh) == 1]
    if len(ones) >= 2:
        le = sum(feats.en1[p.en[0]][0] for p in ones)
        lz = sum(feats.zh1[p.zh[0]][0] for p in ones)
        refined = (le + 1.0) / (lz + 1.0)
        if abs(math.log(refined / ratio)) > 0.02:
            cost2, pairs2 = _dp(feats, refined, static)
            cost2 += _ratio_prior(refined)
            if cost2 <= cost + 1e-9:
                pairs = pairs2
    return pairs


