"""The sentence aligner against the hand-written gold (tests/fixtures/sentences): a floor under
its quality on the dev half (tuned on) and the held-out test half (never tuned on).
bench/sentence_align.py prints the full report."""

from __future__ import annotations

import pytest

from listen.text.align.dictionary import Dictionary
from listen.text.align.sentences import align_sentences
from support.sentence_gold import GOLD_DIR, Score, gold_files, load_gold, normalize, score


@pytest.fixture(scope="module")
def scores():
    import os

    from support.sentence_gold import SHARED_SAMPLES

    if not (SHARED_SAMPLES / "mingpao-2025-05-12.txt").exists():  # the dev half has the shared sample's gold
        if os.environ.get("CI"):
            pytest.fail(f"shared sample not found in {SHARED_SAMPLES}")
        pytest.skip(f"shared sample not found in {SHARED_SAMPLES}")
    dictionary = Dictionary.load()
    out = {"dev": Score(), "test": Score()}
    for path in gold_files([GOLD_DIR]):
        gold = load_gold(path)
        for pair in gold.pairs:
            if not pair.scored:
                continue
            result = align_sentences(list(pair.en_sentences), list(pair.zh_sentences), dictionary)
            got = normalize([{"en": list(b.en), "zh": list(b.zh)} for b in result.beads],
                            len(pair.en_sentences), len(pair.zh_sentences))
            out[gold.split] = out[gold.split] + score([got], [pair.beads])
    return out


@pytest.mark.parametrize("split", ["dev", "test"])
def test_bead_f1_and_link_precision_on_the_gold(scores, split):
    s = scores[split]
    assert s.bead_f1 >= 0.90, (split, s.bead_f1)
    assert s.link_precision >= 0.95, (split, s.link_precision)  # pairings played are right
