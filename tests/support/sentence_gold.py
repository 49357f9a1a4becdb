"""The sentence-alignment gold: load it, score predicted beads against it, report a predictor.

A gold file (`tests/fixtures/sentences/<name>.gold.json`, see the README there) holds, for each
paragraph pair of a text, the project's sentence units of that pair and the beads a person wrote
over them::

    {"source": "<name>.txt" | "shared:<name>.txt", "split": "dev" | "test",
     "pairs": [{"en": [0], "zh": [0],
                "sentences": {"en": ["…", …], "zh": ["…", …]},
                "beads": [{"en": [0], "zh": [0]}, {"en": [1, 2], "zh": [1]}, {"en": [], "zh": [2]}]}]}

A "shared:" source lives in REPO.parent/"shared"/"samples"; its sentences are stored as the first
10 hex digits of their SHA-1 (its text is not ours to commit) and are read back from the sample.

Scoring: a bead counts when its (en, zh) index sets match a gold bead exactly; links are the
(en sentence, zh sentence) pairs inside a bead (1-0 / 0-1 beads have none). Counts are summed over
all scored pairs of a set (micro-average). Only pairs with sentences on both sides are scored: in
a one-sided pair every sentence is its own 1-0 / 0-1 bead whatever the aligner does.

    python -m tests.support.sentence_gold --report tests/fixtures/sentences [--predictor mod:func]

prints the two baselines (and the predictor) per file and per split. A predictor is a function
(en_sentences, zh_sentences) -> [{"en": [...], "zh": [...]}, ...] over one pair's sentences.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "tests" / "fixtures" / "sentences"
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
SPLITS = ("dev", "test")

Bead = tuple[tuple[int, ...], tuple[int, ...]]
Predictor = Callable[[Sequence[str], Sequence[str]], Sequence[Mapping[str, Sequence[int]]]]

__all__ = [
    "GoldError", "GoldPair", "Gold", "Score", "load_gold", "gold_files", "normalize", "score",
    "evaluate", "one_bead", "greedy_one_to_one", "sentence_hash", "main",
]


class GoldError(ValueError):
    """A gold file that is malformed, or no longer matches the text it was written over."""


def sentence_hash(sentence: str) -> str:
    """How a "shared:" gold names a sentence: the first 10 hex digits of SHA-1 of its UTF-8."""
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class GoldPair:
    en: tuple[int, ...]  # paragraph indexes (0-based) of the document
    zh: tuple[int, ...]
    en_sentences: tuple[str, ...]
    zh_sentences: tuple[str, ...]
    beads: tuple[Bead, ...]

    @property
    def scored(self) -> bool:
        """A pair is scored when it has sentences on both sides."""
        return bool(self.en_sentences) and bool(self.zh_sentences)


@dataclass(frozen=True)
class Gold:
    path: Path
    source: str
    source_path: Path
    split: str
    pairs: tuple[GoldPair, ...]
    # Pairs whose sentences differ from what the project's splitter gives today (plain-text gold
    # only: a hashed gold that differs cannot be read at all). The beads still score the stored units.
    stale: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".gold.json")


def _indexes(value: object, what: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise GoldError(f"{what} must be a list of integers, not {value!r}")
    return tuple(value)


def normalize(beads: Iterable[Mapping[str, Sequence[int]]], n_en: int, n_zh: int) -> tuple[Bead, ...]:
    """`beads` checked to cover sentences 0..n-1 of each side once and in order (monotonic), with
    every bead that has one side empty split into single-sentence 1-0 / 0-1 beads."""
    out: list[Bead] = []
    for k, bead in enumerate(beads):
        try:
            en, zh = tuple(bead["en"]), tuple(bead["zh"])
        except (KeyError, TypeError):
            raise ValueError(f"bead {k} is not {{'en': [...], 'zh': [...]}}: {bead!r}") from None
        if not en and not zh:
            raise ValueError(f"bead {k} is empty")
        if en and zh:
            out.append((en, zh))
        else:
            out.extend(((i,), ()) for i in en)
            out.extend(((), (j,)) for j in zh)
    for lang, side, n in (("en", 0, n_en), ("zh", 1, n_zh)):
        order = [i for b in out for i in b[side]]
        if order != list(range(n)):
            raise ValueError(
                f"beads must cover the {n} {lang} sentences once each, in order; they give {order}"
            )
    return tuple(out)


def _resolve(source: str, gold_path: Path) -> Path:
    if source.startswith("shared:"):
        return SHARED_SAMPLES / source.removeprefix("shared:")
    return (gold_path.parent / source).resolve()


def load_gold(path: str | Path) -> Gold:
    """Read and check a gold file; "shared:" sentences are read back from the sample by hash.

    The source text is loaded with the project's own reader and splitter (listen.load_document), so
    the gold's sentence units are checked against what listen gives today.
    """
    from listen.text.load import load_document

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold: {exc}") from None
    name = path.name
    source = data.get("source")
    split = data.get("split")
    if not isinstance(source, str) or not source:
        raise GoldError(f"{name}: 'source' must name the text")
    if split not in SPLITS:
        raise GoldError(f"{name}: 'split' must be one of {', '.join(SPLITS)}, not {split!r}")
    hashed = source.startswith("shared:")
    source_path = _resolve(source, path)
    if not source_path.is_file():
        raise GoldError(f"{name}: source text not found at {source_path}")
    doc = load_document(str(source_path))

    pairs: list[GoldPair] = []
    stale: list[str] = []
    for k, raw in enumerate(data.get("pairs") or []):
        where = f"{name} pair {k}"
        try:
            en_ix = _indexes(raw["en"], f"{where} en")
            zh_ix = _indexes(raw["zh"], f"{where} zh")
            stored = {lang: list(raw["sentences"][lang]) for lang in ("en", "zh")}
            raw_beads = raw["beads"]
        except (KeyError, TypeError) as exc:
            raise GoldError(f"{where}: missing or malformed field {exc}") from None
        if any(i >= len(doc.en) for i in en_ix) or any(j >= len(doc.zh) for j in zh_ix):
            raise GoldError(f"{where}: paragraph index beyond the {len(doc.en)}+{len(doc.zh)} paragraphs of {source}")
        actual = {
            "en": [s for i in en_ix for s in doc.en[i].sentences],
            "zh": [s for j in zh_ix for s in doc.zh[j].sentences],
        }
        sentences = {}
        for lang in ("en", "zh"):
            if hashed:
                if [sentence_hash(s) for s in actual[lang]] != stored[lang]:
                    raise GoldError(
                        f"{where}: the {lang} sentences listen gives for {source} no longer match the "
                        "gold's hashes (splitter or sample changed); the pair must be beaded again"
                    )
                sentences[lang] = tuple(actual[lang])
            else:
                if actual[lang] != stored[lang]:
                    stale.append(f"pair {k} {lang}: listen now gives {len(actual[lang])} sentences "
                                 f"({actual[lang][:1]}…), the gold has {len(stored[lang])}")
                sentences[lang] = tuple(stored[lang])
        try:
            beads = normalize(raw_beads, len(sentences["en"]), len(sentences["zh"]))
        except ValueError as exc:
            raise GoldError(f"{where}: {exc}") from None
        if len(beads) != len(raw_beads):
            raise GoldError(f"{where}: a 1-0 / 0-1 gold bead must hold exactly one sentence")
        pairs.append(GoldPair(en_ix, zh_ix, sentences["en"], sentences["zh"], beads))
    if not pairs:
        raise GoldError(f"{name}: no pairs")
    return Gold(path, source, source_path, split, tuple(pairs), tuple(stale))


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """The *.gold.json files named by `paths` (files, or directories searched one level)."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.gold.json")) if p.is_dir() else [p])
    return out


@dataclass(frozen=True)
class Score:
    """Bead and link counts; `+` sums them (micro-average over a set)."""

    gold_beads: int = 0
    predicted_beads: int = 0
    correct_beads: int = 0
    gold_links: int = 0
    predicted_links: int = 0
    correct_links: int = 0

    def __add__(self, other: "Score") -> "Score":
        return Score(*(a + b for a, b in zip(self._counts(), other._counts())))

    def _counts(self) -> tuple[int, ...]:
        return (self.gold_beads, self.predicted_beads, self.correct_beads,
                self.gold_links, self.predicted_links, self.correct_links)

    @staticmethod
    def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
        p = correct / predicted if predicted else 0.0
        r = correct / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def bead_precision(self) -> float:
        return self._prf(self.correct_beads, self.predicted_beads, self.gold_beads)[0]

    @property
    def bead_recall(self) -> float:
        return self._prf(self.correct_beads, self.predicted_beads, self.gold_beads)[1]

    @property
    def bead_f1(self) -> float:
        return self._prf(self.correct_beads, self.predicted_beads, self.gold_beads)[2]

    @property
    def link_precision(self) -> float:
        return self._prf(self.correct_links, self.predicted_links, self.gold_links)[0]

    @property
    def link_recall(self) -> float:
        return self._prf(self.correct_links, self.predicted_links, self.gold_links)[1]

    @property
    def link_f1(self) -> float:
        return self._prf(self.correct_links, self.predicted_links, self.gold_links)[2]


def _links(beads: Iterable[Bead]) -> set[tuple[int, int]]:
    return {(i, j) for en, zh in beads for i in en for j in zh}


def _as_beads(beads: Iterable[Mapping[str, Sequence[int]] | Bead]) -> list[Mapping[str, Sequence[int]]]:
    return [b if isinstance(b, Mapping) else {"en": b[0], "zh": b[1]} for b in beads]


def score(predicted: Sequence[Iterable], gold: Sequence[Iterable]) -> Score:
    """Bead and link counts of `predicted` against `gold`: both a list with one bead list per pair
    (beads as {"en": [...], "zh": [...]} or (en, zh) tuples). Predicted beads are normalized first
    (checked monotonic and complete; a 1-n bead with one side empty becomes n single beads)."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted pairs for {len(gold)} gold pairs")
    total = Score()
    for pred_beads, gold_beads in zip(predicted, gold):
        g = [(tuple(b["en"]), tuple(b["zh"])) for b in _as_beads(gold_beads)]
        n_en = sum(len(en) for en, _ in g)
        n_zh = sum(len(zh) for _, zh in g)
        g = list(normalize(_as_beads(g), n_en, n_zh))
        p = list(normalize(_as_beads(pred_beads), n_en, n_zh))
        gl, pl = _links(g), _links(p)
        total += Score(len(g), len(p), len(set(g) & set(p)), len(gl), len(pl), len(gl & pl))
    return total


def evaluate(predictor: Predictor, gold: Gold) -> Score:
    """`predictor` run on every scored pair of `gold`, scored against its beads."""
    pairs = [p for p in gold.pairs if p.scored]
    predicted = []
    for k, p in enumerate(pairs):
        try:
            beads = predictor(list(p.en_sentences), list(p.zh_sentences))
            predicted.append(normalize(beads, len(p.en_sentences), len(p.zh_sentences)))
        except ValueError as exc:
            raise ValueError(f"{gold.name}: pair en {list(p.en)} zh {list(p.zh)}: {exc}") from None
    return score(predicted, [p.beads for p in pairs])


# --- baselines: the floor any aligner must beat ---------------------------------------------------

def one_bead(en: Sequence[str], zh: Sequence[str]) -> list[dict]:
    """Baseline: the whole pair as one bead (what playing a paragraph pair as one unit amounts to)."""
    return [{"en": list(range(len(en))), "zh": list(range(len(zh)))}]


def greedy_one_to_one(en: Sequence[str], zh: Sequence[str]) -> list[dict]:
    """Baseline: sentence k with sentence k while both sides last, then the rest as 1-0 / 0-1."""
    k = min(len(en), len(zh))
    beads = [{"en": [i], "zh": [i]} for i in range(k)]
    beads += [{"en": [i], "zh": []} for i in range(k, len(en))]
    beads += [{"en": [], "zh": [j]} for j in range(k, len(zh))]
    return beads


BASELINES: dict[str, Predictor] = {
    "baseline one_bead (the whole pair as one bead)": one_bead,
    "baseline greedy_one_to_one (1-1 by position, rest 1-0/0-1)": greedy_one_to_one,
}


def load_predictor(spec: str) -> Predictor:
    """`module:function` imported."""
    module, sep, func = spec.partition(":")
    if not sep or not module or not func:
        raise ValueError(f"predictor must be given as module:function, not {spec!r}")
    try:
        return getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load predictor {spec}: {exc}") from None


# --- report ----------------------------------------------------------------------------------------

def _row(label: str, split: str, pairs: int, n_en: int, n_zh: int, s: Score) -> str:
    return (f"{label:<42} {split:<5} {pairs:>5} {n_en:>4} {n_zh:>4} "
            f"{s.gold_beads:>5} {s.predicted_beads:>5} {s.correct_beads:>5} "
            f"{s.bead_precision:>6.3f} {s.bead_recall:>6.3f} {s.bead_f1:>6.3f} "
            f"{s.gold_links:>5} {s.predicted_links:>5} {s.correct_links:>5} "
            f"{s.link_precision:>6.3f} {s.link_recall:>6.3f} {s.link_f1:>6.3f}")


_HEADER = (f"{'file':<42} {'split':<5} {'pairs':>5} {'en':>4} {'zh':>4} "
           f"{'gold':>5} {'pred':>5} {'ok':>5} {'beadP':>6} {'beadR':>6} {'beadF1':>6} "
           f"{'gold':>5} {'pred':>5} {'ok':>5} {'linkP':>6} {'linkR':>6} {'linkF1':>6}")


def report(golds: Sequence[Gold], predictors: Mapping[str, Predictor], out=None) -> dict[str, dict[str, Score]]:
    """Print per-file and per-split scores of each named predictor; return {name: {split: Score}}."""
    out = out or sys.stdout
    shapes: dict[str, int] = {}
    for g in golds:
        for p in g.pairs:
            if p.scored:
                for en, zh in p.beads:
                    shape = f"{len(en)}-{len(zh)}"
                    shapes[shape] = shapes.get(shape, 0) + 1
    scored = sum(p.scored for g in golds for p in g.pairs)
    one_sided = sum(not p.scored for g in golds for p in g.pairs)
    by_split = {s: sum(g.split == s for g in golds) for s in SPLITS}
    print(f"sentence gold: {len(golds)} files ({by_split['dev']} dev, {by_split['test']} test), "
          f"{scored} pairs scored, {one_sided} one-sided pairs not scored", file=out)
    order = sorted(shapes, key=lambda s: (-shapes[s], s))
    print("gold beads by shape (en-zh): " + ", ".join(f"{s} {shapes[s]}" for s in order), file=out)
    for g in golds:
        for note in g.stale:
            print(f"warning: {g.name}: gold sentences differ from the splitter's: {note}", file=out)
    results: dict[str, dict[str, Score]] = {}
    for name, predictor in predictors.items():
        print(f"\n{name}", file=out)
        print(_HEADER, file=out)
        totals = {s: [0, 0, 0, Score()] for s in (*SPLITS, "all")}
        for g in golds:
            s = evaluate(predictor, g)
            pairs = [p for p in g.pairs if p.scored]
            n_en = sum(len(p.en_sentences) for p in pairs)
            n_zh = sum(len(p.zh_sentences) for p in pairs)
            print(_row(g.name, g.split, len(pairs), n_en, n_zh, s), file=out)
            for key in (g.split, "all"):
                t = totals[key]
                t[0] += len(pairs); t[1] += n_en; t[2] += n_zh; t[3] += s
        for key in (*(sp for sp in SPLITS if by_split[sp]), "all"):
            pairs, n_en, n_zh, s = totals[key]
            print(_row(f"total {key}", "", pairs, n_en, n_zh, s), file=out)
        results[name] = {key: totals[key][3] for key in totals}
    return results


def draft(path: str, pairs: str | None = None, out=None) -> None:
    """Print listen's pairs of a text with each pair's numbered sentences, to write beads over."""
    out = out or sys.stdout
    from listen.text.load import load_document

    doc = load_document(path, pairs=pairs)
    for k, p in enumerate(doc.pairs):
        print(f"--- pair {k}: en {list(p.en)} zh {list(p.zh)}", file=out)
        for lang, ix, paras in (("en", p.en, doc.en), ("zh", p.zh, doc.zh)):
            for n, s in enumerate(s for i in ix for s in paras[i].sentences):
                print(f"  {lang}{n} {s}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.sentence_gold", description=__doc__.split("\n")[0])
    parser.add_argument("--report", nargs="+", metavar="DIR", help="gold files or directories of *.gold.json")
    parser.add_argument("--predictor", action="append", default=[], metavar="MODULE:FUNCTION",
                        help="(en_sentences, zh_sentences) -> beads; repeatable; the baselines always run")
    parser.add_argument("--split", choices=SPLITS, help="only the files of this split")
    parser.add_argument("--draft", metavar="FILE", help="print listen's pairs and numbered sentences of FILE")
    parser.add_argument("--pairs", metavar="SPEC", help="with --draft: manual paragraph pairs, as for listen inspect")
    args = parser.parse_args(argv)
    if args.draft:
        draft(args.draft, args.pairs)
        return 0
    if not args.report:
        parser.error("give --report DIR... or --draft FILE")
    golds = []
    for path in gold_files(args.report):
        try:
            gold = load_gold(path)
        except GoldError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        if args.split is None or gold.split == args.split:
            golds.append(gold)
    if not golds:
        print("error: no gold files to score", file=sys.stderr)
        return 1
    predictors = dict(BASELINES)
    try:
        predictors.update({spec: load_predictor(spec) for spec in args.predictor})
        report(golds, predictors)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
