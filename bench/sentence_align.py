"""The sentence aligner against the hand-written gold (tests/fixtures/sentences, and any other gold
folder given): bead and link F1 per split, beside the two trivial baselines.

    .venv/bin/python bench/sentence_align.py [GOLD_DIR ...]

`dev` files may be tuned on; `test` files are held out. A pair the aligner is not sure of falls
back to one bead holding the whole pair (read as paragraphs): it counts as a wrong bead here, the
price of never playing a wrong pairing.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def listen_beads(en, zh):
    from listen.text.align.dictionary import Dictionary
    from listen.text.align.sentences import align_sentences

    result = align_sentences(list(en), list(zh), Dictionary.load(Path.home() / ".cache" / "listen"))
    return [{"en": list(b.en), "zh": list(b.zh)} for b in result.beads]


def listen_beads_no_fallback(en, zh):
    """The aligner's best path even where it is not sure (what fallback costs, or saves)."""
    from dataclasses import replace

    from listen.text.align.dictionary import Dictionary
    from listen.text.align.sentences import PARAMS, align_sentences

    result = align_sentences(list(en), list(zh), Dictionary.load(Path.home() / ".cache" / "listen"),
                             replace(PARAMS, min_confidence=0.0))
    return [{"en": list(b.en), "zh": list(b.zh)} for b in result.beads]


def main(argv: list[str]) -> int:
    from support.sentence_gold import BASELINES, gold_files, load_gold, report

    dirs = argv or [str(REPO / "tests" / "fixtures" / "sentences")]
    golds = [load_gold(p) for p in gold_files(dirs)]
    predictors = dict(BASELINES)
    predictors["listen"] = listen_beads
    predictors["listen, no fallback"] = listen_beads_no_fallback
    report(golds, predictors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
