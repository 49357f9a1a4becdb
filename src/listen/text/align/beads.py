"""The one bead aligner: a monotonic dynamic programme over beads, for paragraphs and sentences.

A bead reads `a` consecutive English units with `b` consecutive Chinese ones (1-1, 2-1, 1-0, ...).
`best_alignment` finds the cheapest sequence of beads covering both sides in order (Viterbi);
`posteriors` gives, for each bead of that sequence, the probability that an alignment drawn with
probability proportional to exp(-cost / temperature) contains it (forward-backward): a confidence
that is low when another path of nearly the same cost disagrees.

The caller supplies the shapes and a cost function `cost(i, a, j, b)` for the bead that ends at
English unit `i` and Chinese unit `j` (exclusive) and holds `a` and `b` units; it should include
the shape's prior. `columns(i)` may limit row `i` to the Chinese positions near the diagonal (a
range); cells outside it are never visited.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, NamedTuple

__all__ = ["Bead", "best_alignment", "confidences", "cut_posteriors", "posteriors"]

Cost = Callable[[int, int, int, int], float]


class Bead(NamedTuple):
    """English units en_start..en_end-1 read with Chinese units zh_start..zh_end-1."""

    en_start: int
    en_end: int
    zh_start: int
    zh_end: int

    @property
    def en(self) -> tuple[int, ...]:
        return tuple(range(self.en_start, self.en_end))

    @property
    def zh(self) -> tuple[int, ...]:
        return tuple(range(self.zh_start, self.zh_end))

    @property
    def shape(self) -> tuple[int, int]:
        return (self.en_end - self.en_start, self.zh_end - self.zh_start)


_INF = float("inf")


def best_alignment(
    n: int,
    m: int,
    shapes: Iterable[tuple[int, int]],
    cost: Cost,
    *,
    columns: Callable[[int], range] | None = None,
) -> tuple[float, list[Bead]]:
    """The cheapest monotonic sequence of beads covering n English and m Chinese units."""
    shapes = [s for s in shapes if s != (0, 0)]
    best = [[_INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        row = best[i]
        span = range(m + 1) if columns is None else columns(i)
        if i == n and m not in span:
            span = [*span, m]
        for j in span:
            if i == 0 and j == 0:
                continue
            cell, arg = _INF, None
            for a, b in shapes:
                if a > i or b > j:
                    continue
                prev = best[i - a][j - b]
                if prev == _INF:
                    continue
                c = prev + cost(i, a, j, b)
                if c < cell:
                    cell, arg = c, (a, b)
            row[j] = cell
            back[i][j] = arg
    if best[n][m] == _INF:
        raise ValueError("no alignment covers both sides with these shapes")
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        beads.append(Bead(i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return best[n][m], beads


def _logsumexp(values: list[float]) -> float:
    top = max(values)
    if top == -_INF:
        return -_INF
    return top + math.log(sum(math.exp(v - top) for v in values))


def posteriors(
    n: int,
    m: int,
    shapes: Iterable[tuple[int, int]],
    cost: Cost,
    beads: list[Bead],
    *,
    temperature: float = 1.0,
) -> list[float]:
    """For each bead of `beads`, its posterior probability under exp(-cost / temperature)."""
    return _posteriors(n, m, shapes, cost, beads, temperature)[0]


def cut_posteriors(
    n: int,
    m: int,
    shapes: Iterable[tuple[int, int]],
    cost: Cost,
    beads: list[Bead],
    *,
    temperature: float = 1.0,
) -> list[float]:
    """For each cut between two consecutive beads of `beads` (len(beads) - 1 of them), the posterior
    probability that an alignment passes through it: that the sentences before it are read with
    each other and not with those after."""
    return _posteriors(n, m, shapes, cost, beads, temperature)[1]


def confidences(
    n: int,
    m: int,
    shapes: Iterable[tuple[int, int]],
    cost: Cost,
    beads: list[Bead],
    *,
    temperature: float = 1.0,
) -> tuple[list[float], list[float]]:
    """`posteriors` and `cut_posteriors` of the same beads from one forward-backward pass."""
    return _posteriors(n, m, shapes, cost, beads, temperature)


def _posteriors(n, m, shapes, cost, beads, temperature) -> tuple[list[float], list[float]]:
    shapes = [s for s in shapes if s != (0, 0)]
    t = temperature
    # fwd[i][j]: log-sum over paths from (0, 0) to (i, j) of -cost/t; bwd from (i, j) to (n, m).
    fwd = [[-_INF] * (m + 1) for _ in range(n + 1)]
    fwd[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            terms = [fwd[i - a][j - b] - cost(i, a, j, b) / t for a, b in shapes if a <= i and b <= j
                     and fwd[i - a][j - b] != -_INF]
            fwd[i][j] = _logsumexp(terms) if terms else -_INF
    bwd = [[-_INF] * (m + 1) for _ in range(n + 1)]
    bwd[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            terms = [bwd[i + a][j + b] - cost(i + a, a, j + b, b) / t for a, b in shapes
                     if i + a <= n and j + b <= m and bwd[i + a][j + b] != -_INF]
            bwd[i][j] = _logsumexp(terms) if terms else -_INF
    total = fwd[n][m]
    out = []
    for bead in beads:
        a, b = bead.shape
        logp = fwd[bead.en_start][bead.zh_start] - cost(bead.en_end, a, bead.zh_end, b) / t + bwd[bead.en_end][bead.zh_end] - total
        out.append(min(1.0, math.exp(logp)))
    cuts = [min(1.0, math.exp(fwd[b.en_end][b.zh_end] + bwd[b.en_end][b.zh_end] - total)) for b in beads[:-1]]
    return out, cuts
