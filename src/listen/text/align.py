"""Align English and Chinese paragraphs (monotonic, dynamic programming), or read a manual alignment.

The cost of a bead (a group of English paragraphs read with a group of Chinese ones) is

* a prior for its shape: 1-1 is free; 1-2 and 2-1 cost more; an unmatched paragraph (1-0, 0-1) more
  still; 2-2 is allowed only at a high price;
* a length term in the style of Gale & Church: the log of the ratio of English characters to
  Chinese characters, against the ratio estimated from the document itself (re-estimated from the
  1-1 beads of a first pass), squared over a fixed variance;
* anchors: numbers and years (`80周年` <-> `80th`, `1980年代` <-> `1980s`, `5%`), Latin tokens inside the
  Chinese text that occur as English words (NATO, GDP, AI, Trump), and the count of quoted phrases.
  A matched anchor lowers the cost, an unmatched one raises it a little, wherever it lands.

Every paragraph index of both languages appears exactly once, in reading order.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..errors import UsageError
from ..model import Pair

__all__ = ["align", "parse_pairs", "format_pairs"]

# Bead shapes (English count, Chinese count) and their prior costs.
_PRIORS = {(1, 1): 0.0, (1, 0): 4.0, (0, 1): 4.0, (2, 1): 2.5, (1, 2): 2.5, (2, 2): 6.0}
_SIGMA = 0.25  # standard deviation of log(en chars / (ratio * zh chars)) for a true pair
_MATCH = 1.5  # reward for each anchor found on both sides of a bead
_MISS = 0.4  # penalty for each anchor without its counterpart
_QUOTE = 0.35  # penalty per difference in the number of quoted phrases

# Non-space English characters per Chinese character in editorial translations, and its spread.
_TYPICAL_RATIO = 3.4
_RATIO_SIGMA = 0.2

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")


def _numbers(text: str) -> Counter:
    out: Counter = Counter()
    for m in _NUM.finditer(text):
        raw = m.group(0)
        value = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) else raw
        value = value.rstrip(".,")
        if value.lstrip("0") in ("", "1"):
            continue  # 0 and 1 say little
        out[value.lstrip("0") or "0"] += 1
    return out


def _quotes(text: str, lang: str) -> int:
    if lang == "zh":
        return text.count("「") + text.count("“") + (text.count('"') // 2)
    return text.count("“") + (text.count('"') // 2)


def _en_features(text: str) -> tuple[int, Counter, frozenset[str], int]:
    words = frozenset(w.lower() for w in _LATIN_WORD.findall(text))
    return len(re.sub(r"\s", "", text)), _numbers(text), words, _quotes(text, "en")


def _zh_features(text: str) -> tuple[int, Counter, Counter, int]:
    latin = Counter(
        w.lower() for w in _LATIN_WORD.findall(text) if len(w) >= 2 or w.isupper()
    )
    return len(re.sub(r"\s", "", text)), _numbers(text), latin, _quotes(text, "zh")


class _Features:
    """Per-group features (a group is one paragraph or two adjacent ones), computed once."""

    def __init__(self, en: list[str], zh: list[str]):
        self.en1 = [_en_features(p) for p in en]
        self.zh1 = [_zh_features(p) for p in zh]
        self._groups: dict[tuple[str, int, int], tuple] = {}
        self._anchor: dict[tuple[int, int, int, int], float] = {}

    def group(self, lang: str, end: int, size: int) -> tuple:
        """Features of paragraphs end-size .. end-1: (chars, numbers, words, quotes, anchors)."""
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
            g = (chars, dict(nums), words, quotes, anchors)
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
            cost = _MISS * g[4]
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
            cost = -_MATCH * min(matched, 8) + _MISS * unmatched + _QUOTE * abs(ge[3] - gz[3])
        self._anchor[key] = cost
        return cost


def _dp(feats: _Features, ratio: float) -> tuple[float, list[Pair]]:
    n, m = len(feats.en1), len(feats.zh1)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    shapes = list(_PRIORS.items())
    two_sigma2 = 2 * _SIGMA * _SIGMA
    log_ratio = math.log(ratio)
    # Only cells near the diagonal can be on a sensible path; the band is wide enough for many
    # unmatched paragraphs on either side.
    band = max(12, max(n, m) // 3 + abs(n - m))
    for i in range(n + 1):
        row = best[i]
        centre = i * m / n if n else 0
        lo = max(0, int(centre - band))
        hi = min(m, int(centre + band) + 1)
        if i == n:
            hi = m
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            cell = inf
            arg = None
            for (a, b), prior in shapes:
                if a > i or b > j:
                    continue
                prev = best[i - a][j - b]
                if prev == inf:
                    continue
                c = prev + prior + feats.anchor_cost(i, a, j, b)
                if a and b:
                    le = feats.group("en", i, a)[0]
                    lz = feats.group("zh", j, b)[0]
                    d = math.log(le + 1.0) - math.log(lz + 1.0 / ratio) - log_ratio
                    c += d * d / two_sigma2
                if c < cell:
                    cell, arg = c, (a, b)
            row[j] = cell
            back[i][j] = arg
    if best[n][m] == inf:  # pragma: no cover - the band always reaches the corner
        raise RuntimeError("alignment failed")
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        pairs.append(Pair(tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    pairs.reverse()
    return best[n][m], pairs


def _ratio_prior(ratio: float) -> float:
    """Cost of an English/Chinese character ratio far from what translations usually show."""
    d = math.log(ratio / _TYPICAL_RATIO)
    return d * d / (2 * _RATIO_SIGMA * _RATIO_SIGMA)


def align(en: list[str], zh: list[str]) -> list[Pair]:
    """Monotonic alignment of English and Chinese paragraphs (0-based indexes in each Pair)."""
    en = [str(p) for p in en]
    zh = [str(p) for p in zh]
    if not en or not zh:
        return [Pair((i,), ()) for i in range(len(en))] + [Pair((), (j,)) for j in range(len(zh))]
    feats = _Features(en, zh)
    total_en = sum(f[0] for f in feats.en1)
    total_zh = sum(f[0] for f in feats.zh1)
    base = (total_en + 1.0) / (total_zh + 1.0)
    # The ratio of English to Chinese characters is estimated from the document: try ratios around
    # the overall one (unmatched paragraphs skew it) and keep the cheapest alignment, then refine
    # the ratio from its 1-1 beads.
    best: tuple[float, float, list[Pair]] | None = None
    for factor in (0.7, 0.8, 0.9, 1.0, 1.12, 1.25, 1.4, 1.6):
        cost, pairs = _dp(feats, base * factor)
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
            cost2, pairs2 = _dp(feats, refined)
            cost2 += _ratio_prior(refined)
            if cost2 <= cost + 1e-9:
                pairs = pairs2
    return pairs


# --------------------------------------------------------------------------------------------
# manual alignment: "-:1, 1:2, 2:3, 3+4:5, 5:6+7"


def _side(text: str, what: str, limit: int, item: str) -> tuple[int, ...]:
    text = text.strip()
    if text in ("-", "–", "—", ""):
        if text == "":
            raise UsageError(f"Pair {item!r}: the {what} side is empty; write '-' for none.")
        return ()
    out = []
    for part in text.split("+"):
        part = part.strip()
        if not part.isdigit():
            raise UsageError(f"Pair {item!r}: {part!r} is not a {what} paragraph number.")
        k = int(part)
        if not 1 <= k <= limit:
            if limit == 0:
                raise UsageError(f"Pair {item!r}: there are no {what} paragraphs.")
            raise UsageError(f"Pair {item!r}: {what} paragraph {k} does not exist (1 to {limit}).")
        out.append(k - 1)
    return tuple(out)


def parse_pairs(spec: str, n_en: int, n_zh: int) -> list[Pair]:
    """Read a manual alignment (1-based, as users see paragraphs) and check it.

    Items are separated by commas or new lines; `#` starts a comment. Each item is `EN:ZH`, where a
    side is a number, numbers joined by `+`, or `-` for none. Every paragraph must appear exactly
    once, in reading order.
    """
    items: list[str] = []
    for line in spec.splitlines() or [""]:
        line = line.split("#", 1)[0]
        items.extend(part.strip() for part in line.replace(";", ",").split(",") if part.strip())
    if not items:
        raise UsageError("The pairs are empty; write items like '1:1, 2:2+3'.")
    pairs: list[Pair] = []
    for item in items:
        if item.count(":") != 1:
            raise UsageError(f"Pair {item!r} is not EN:ZH (for example '1:2', '3+4:5' or '-:1').")
        left, right = item.split(":")
        e = _side(left, "English", n_en, item)
        z = _side(right, "Chinese", n_zh, item)
        if not e and not z:
            raise UsageError(f"Pair {item!r} names no paragraph on either side.")
        pairs.append(Pair(e, z))
    for lang, what, n in (("en", "English", n_en), ("zh", "Chinese", n_zh)):
        seen: list[int] = [k for p in pairs for k in getattr(p, lang)]
        counts = Counter(seen)
        dup = sorted(k for k, c in counts.items() if c > 1)
        if dup:
            raise UsageError(f"{what} paragraph {dup[0] + 1} appears more than once in the pairs.")
        missing = [k for k in range(n) if k not in counts]
        if missing:
            listed = ", ".join(str(k + 1) for k in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise UsageError(
                f"{what} paragraph{'s' if len(missing) > 1 else ''} {listed} "
                f"{'are' if len(missing) > 1 else 'is'} missing from the pairs (use '-:N' or 'N:-' for unmatched ones)."
            )
        for a, b in zip(seen, seen[1:]):
            if b != a + 1:
                raise UsageError(
                    f"{what} paragraphs must be paired in reading order: {b + 1} comes after {a + 1}."
                )
    return pairs


def format_pairs(pairs: list[Pair]) -> str:
    """The SPEC form of an alignment, e.g. '-:1, 1:2, 2+3:3' (the inverse of parse_pairs)."""

    def side(ix: tuple[int, ...]) -> str:
        return "+".join(str(k + 1) for k in ix) if ix else "-"

    return ", ".join(f"{side(p.en)}:{side(p.zh)}" for p in pairs)
