"""Score the front end (paragraphs, pairs, title, date, glossary) against hand-made paragraph gold.

A gold file `<article>.gt.json` sits next to its article and holds::

    {"file": "<article>", "title_en": str | null, "title_zh": str | null, "date": "yyyy-mm-dd" | null,
     "en": ["<start of each English paragraph>", ...], "zh": [...],
     "pairs": [{"en": [0], "zh": [0]}, {"en": [], "zh": [1]}, ...],   # 0-based, in reading order
     "glossary": [{"term": ...}, ...]}

Per article: the counts are right when both the English and the Chinese paragraph counts equal
the gold's; pairs are compared *index-exact* (a predicted pair counts when its (en, zh) index
tuples equal a gold pair's), so one extra paragraph shifts every pair after it. Pair precision,
recall and F1 are micro-averaged over all articles; titles, dates and glossary sizes are counted.

    python -m tests.support.paragraph_gold DIR [DIR ...] [--verbose] [--json OUT]

runs `listen.text.load_document` on every article with a gold file in DIR (the research corpus
is not part of the repository; this is how it is measured).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ArticleScore", "score_article", "evaluate", "main"]


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\*\*|==|__|^\s*[>*#\-]+\s*", "", text, flags=re.M)
    return re.sub(r"\s+", "", text)


@dataclass
class ArticleScore:
    file: str
    en: tuple[int, int]  # (gold, got)
    zh: tuple[int, int]
    pairs_gold: int
    pairs_got: int
    pairs_ok: int
    title_zh: bool
    title_en: bool
    date: bool
    glossary: tuple[int, int]
    notes: list[str] = field(default_factory=list)

    @property
    def counts_ok(self) -> bool:
        return self.en[0] == self.en[1] and self.zh[0] == self.zh[1]


def _pair_key(p) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(p["en"] if isinstance(p, dict) else p.en), tuple(p["zh"] if isinstance(p, dict) else p.zh)


def score_article(gold: dict, doc) -> ArticleScore:
    """One article's figures: `doc` is a listen Document."""
    gp = {_pair_key(p) for p in gold["pairs"]}
    pp = {_pair_key(p) for p in doc.pairs}
    same = lambda a, b: _norm(a) == _norm(b)  # noqa: E731
    notes = []
    for lang in ("en", "zh"):
        got = [p.text for p in getattr(doc, lang)]
        want = gold[lang]
        for k in range(max(len(got), len(want))):
            g = _norm(got[k])[:12] if k < len(got) else ""
            w = _norm(want[k])[:12] if k < len(want) else ""
            if not (g and w and (g.startswith(w) or w.startswith(g))):
                notes.append(f"{lang}{k + 1}: got {got[k][:50]!r} want {want[k][:50]!r}" if k < len(got) and k < len(want)
                             else f"{lang}{k + 1}: got {got[k][:50]!r} (extra)" if k < len(got)
                             else f"{lang}{k + 1}: missing {want[k][:50]!r}")
                break
    return ArticleScore(
        file=gold["file"],
        en=(len(gold["en"]), len(doc.en)),
        zh=(len(gold["zh"]), len(doc.zh)),
        pairs_gold=len(gp),
        pairs_got=len(pp),
        pairs_ok=len(gp & pp),
        title_zh=same(doc.title_zh, gold["title_zh"]),
        title_en=same(doc.title_en, gold["title_en"]),
        date=doc.date == gold["date"],
        glossary=(len(gold["glossary"]), len(doc.glossary)),
        notes=notes,
    )


def evaluate(dirs: list[Path]) -> list[ArticleScore]:
    from listen.errors import ListenError
    from listen.text import load_document

    out = []
    for d in dirs:
        for gt_path in sorted(Path(d).glob("*.gt.json")):
            gold = json.loads(gt_path.read_text(encoding="utf-8"))
            article = gt_path.with_name(gold["file"])
            try:
                doc = load_document(str(article))
            except ListenError as exc:
                from listen.model import Document

                doc = Document(str(article), None, None, None, [], [], [])
                s = score_article(gold, doc)
                s.notes.insert(0, f"error: {exc}")
                out.append(s)
                continue
            out.append(score_article(gold, doc))
    return out


def _report(scores: list[ArticleScore], verbose: bool) -> str:
    lines = [f"{'article':40} {'EN':>7} {'ZH':>7} {'pairs':>8}  tZ tE dt gloss"]
    for s in scores:
        mark = lambda b: "✓" if b else "✗"  # noqa: E731
        lines.append(
            f"{s.file[:40]:40} {s.en[0]:>3}/{s.en[1]:<3} {s.zh[0]:>3}/{s.zh[1]:<3} {s.pairs_ok:>3}/{s.pairs_gold:<4}"
            f"  {mark(s.title_zh)}  {mark(s.title_en)}  {mark(s.date)}  {s.glossary[0]}/{s.glossary[1]}"
            + ("" if s.counts_ok else "  counts ✗")
        )
        if verbose:
            lines.extend(f"      {n}" for n in s.notes)
    n = len(scores)
    ok = sum(s.counts_ok for s in scores)
    tp = sum(s.pairs_ok for s in scores)
    gold = sum(s.pairs_gold for s in scores)
    got = sum(s.pairs_got for s in scores)
    p = tp / got if got else 0.0
    r = tp / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    lines.append("")
    lines.append(f"articles: {n}; counts right: {ok}/{n} = {ok / n:.0%}" if n else "no articles")
    lines.append(f"pairs index-exact: P {p:.3f} R {r:.3f} F1 {f1:.3f} ({tp} of {gold} gold, {got} predicted)")
    lines.append(
        f"title zh {sum(s.title_zh for s in scores)}/{n}, title en {sum(s.title_en for s in scores)}/{n}, "
        f"date {sum(s.date for s in scores)}/{n}, glossary size right "
        f"{sum(s.glossary[0] == s.glossary[1] for s in scores)}/{n}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--verbose", "-v", action="store_true", help="show the first wrong paragraph of each side")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    scores = evaluate(args.dirs)
    print(_report(scores, args.verbose))
    if args.json:
        args.json.write_text(json.dumps([s.__dict__ for s in scores], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
