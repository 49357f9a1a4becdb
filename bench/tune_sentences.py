"""Tune the sentence aligner's weights on the DEV half of the gold only (coordinate search), and
report the held-out TEST half with the result — test files are never looked at while tuning.

    .venv/bin/python bench/tune_sentences.py [--rounds 2] [GOLD_DIR ...]

Prints the best parameters found; copy them into `listen.text.align.sentences.Params` by hand.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

GRID = {
    "merge": [0.6, 0.9, 1.2, 1.5, 2.0],
    "merge_step": [0.2, 0.4, 0.7, 1.0],
    "split": [1.0, 1.4, 1.8, 2.4],
    "omit": [2.0, 2.5, 3.0, 3.5, 4.5],
    "omit_per_char": [0.0, 0.01, 0.02, 0.04],
    "sigma": [0.25, 0.35, 0.45, 0.6],
    "dict_match": [0.3, 0.6, 0.9, 1.2],
    "dict_miss": [0.0, 0.1, 0.15, 0.3],
    "orphan": [0.0, 0.75, 1.5, 2.5],
    "absent": [0.0, 1.0, 2.0, 3.0],
    "absent_words": [2, 3, 4, 5],
    "min_confidence": [0.0, 0.2, 0.3, 0.4, 0.5],
    "temperature": [0.5, 1.0, 2.0],
    "mood": [0.0, 0.6, 1.0, 1.5],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("dirs", nargs="*", help="gold folders (default: tests/fixtures/sentences)")
    args = parser.parse_args()
    from listen.text.align.dictionary import Dictionary
    from listen.text.align.sentences import PARAMS, align_sentences
    from support.sentence_gold import Score, gold_files, load_gold, normalize, score

    dictionary = Dictionary.load(Path.home() / ".cache" / "listen")
    golds = [load_gold(p) for p in gold_files(args.dirs or [REPO / "tests" / "fixtures" / "sentences"])]
    pairs = {split: [p for g in golds if g.split == split for p in g.pairs if p.scored] for split in ("dev", "test")}

    def evaluate(params, split: str) -> Score:
        total = Score()
        for p in pairs[split]:
            result = align_sentences(list(p.en_sentences), list(p.zh_sentences), dictionary, params)
            got = normalize([{"en": list(b.en), "zh": list(b.zh)} for b in result.beads],
                            len(p.en_sentences), len(p.zh_sentences))
            total = total + score([got], [p.beads])
        return total

    def objective(params) -> float:
        s = evaluate(params, "dev")
        return (2 * s.bead_f1 + s.link_f1) / 3  # beads first; links smooth the search

    best, best_f1 = PARAMS, objective(PARAMS)
    print(f"start: dev objective {best_f1:.3f}")
    names = {f.name for f in fields(PARAMS)}
    for round_no in range(args.rounds):
        for name, values in GRID.items():
            assert name in names
            for value in values:
                candidate = replace(best, **{name: value})
                f1 = objective(candidate)
                if f1 > best_f1 + 1e-9:
                    best, best_f1 = candidate, f1
                    print(f"round {round_no + 1}: {name} = {value} -> dev objective {f1:.3f}")
    dev, test = evaluate(best, "dev"), evaluate(best, "test")
    print("best:", {f.name: getattr(best, f.name) for f in fields(best) if f.name != "weights"})
    print(f"dev  bead F1 {dev.bead_f1:.3f}  link F1 {dev.link_f1:.3f}")
    print(f"test bead F1 {test.bead_f1:.3f}  link F1 {test.link_f1:.3f}  (held out)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
