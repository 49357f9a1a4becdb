"""Manual alignment: read and write the SPEC users give with --pairs or a `.pairs` sidecar."""

from __future__ import annotations

from collections import Counter

from ...errors import UsageError
from ...model import Pair

__all__ = ["parse_pairs", "format_pairs"]


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
            raise UsageError(f"Pair {item!r}: {part!r} is not an {what} paragraph number." if what == "English" else f"Pair {item!r}: {part!r} is not a {what} paragraph number.")
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
