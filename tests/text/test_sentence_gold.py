"""The sentence-alignment gold and its scorer (tests/support/sentence_gold.py)."""

from __future__ import annotations

import json
import re

import pytest

from listen.text.load import load_document
from support.sentence_gold import (
    GOLD_DIR,
    GoldError,
    Score,
    evaluate,
    gold_files,
    greedy_one_to_one,
    load_gold,
    main,
    normalize,
    one_bead,
    score,
    sentence_hash,
)

# A hand-made pair: en0↔zh0, en1+en2↔zh1 (2-1), zh2 untranslated (0-1).
GOLD_A = [{"en": [0], "zh": [0]}, {"en": [1, 2], "zh": [1]}, {"en": [], "zh": [2]}]
PRED_A = [{"en": [0], "zh": [0]}, {"en": [1], "zh": [1]}, {"en": [2], "zh": [2]}]
# A second pair the prediction gets right.
GOLD_B = [{"en": [0], "zh": [0]}]


def test_score_counts_exact_beads_and_links():
    s = score([PRED_A], [GOLD_A])
    assert (s.gold_beads, s.predicted_beads, s.correct_beads) == (3, 3, 1)
    # gold links (0,0) (1,1) (2,1); predicted (0,0) (1,1) (2,2)
    assert (s.gold_links, s.predicted_links, s.correct_links) == (3, 3, 2)
    assert s.bead_precision == pytest.approx(1 / 3)
    assert s.bead_recall == pytest.approx(1 / 3)
    assert s.bead_f1 == pytest.approx(1 / 3)
    assert s.link_f1 == pytest.approx(2 / 3)


def test_score_micro_averages_over_pairs():
    s = score([PRED_A, GOLD_B], [GOLD_A, GOLD_B])
    assert s == Score(4, 4, 2, 4, 4, 3)
    assert s.bead_f1 == pytest.approx(0.5)
    assert s.link_precision == pytest.approx(0.75)
    assert score([PRED_A], [GOLD_A]) + score([GOLD_B], [GOLD_B]) == s


def test_precision_and_recall_differ_when_counts_differ():
    # One bead for the whole pair: 1 predicted bead, none right; 4 links, all 3 gold links among them.
    s = score([one_bead("abc", "xyz")], [GOLD_A])
    assert s == Score(3, 1, 0, 3, 9, 3)
    assert (s.bead_precision, s.bead_recall, s.bead_f1) == (0.0, 0.0, 0.0)
    assert s.link_precision == pytest.approx(1 / 3)
    assert s.link_recall == 1.0
    assert s.link_f1 == pytest.approx(0.5)


def test_baselines_on_the_hand_made_pair():
    assert one_bead(["a", "b", "c"], ["x", "y"]) == [{"en": [0, 1, 2], "zh": [0, 1]}]
    assert greedy_one_to_one(["a", "b", "c"], ["x"]) == [
        {"en": [0], "zh": [0]}, {"en": [1], "zh": []}, {"en": [2], "zh": []},
    ]
    assert greedy_one_to_one(["a", "b", "c"], ["x", "y", "z"]) == PRED_A


def test_null_beads_with_several_sentences_count_as_single_beads():
    assert normalize([{"en": [0], "zh": []}, {"en": [], "zh": [0, 1]}], 1, 2) == (
        ((0,), ()), ((), (0,)), ((), (1,)),
    )
    s = score([[{"en": [0], "zh": [0]}, {"en": [1, 2], "zh": [1]}, {"en": [], "zh": [2]}]], [GOLD_A])
    assert s == Score(3, 3, 3, 3, 3, 3)


@pytest.mark.parametrize(
    "beads, message",
    [
        ([{"en": [1], "zh": [0]}, {"en": [0], "zh": [1]}], "in order"),  # crossing
        ([{"en": [0], "zh": [0, 1]}], "cover the 2 en"),  # en1 missing
        ([{"en": [0, 1], "zh": [0, 1]}, {"en": [1], "zh": []}], "once each"),  # en1 twice
        ([{"en": [], "zh": []}, {"en": [0, 1], "zh": [0, 1]}], "empty"),
        ([{"en": [0, 1]}], "is not"),
    ],
)
def test_invalid_predictions_are_refused(beads, message):
    with pytest.raises(ValueError, match=message):
        normalize(beads, 2, 2)


def _committed_gold():
    return gold_files([GOLD_DIR])


def test_committed_gold_is_complete_and_split_about_60_40():
    paths = _committed_gold()
    names = {p.name for p in paths}
    texts = {p.name for p in GOLD_DIR.glob("*.txt")}
    assert {t.removesuffix(".txt") + ".gold.json" for t in texts} <= names
    assert len(texts) >= 12
    splits = [json.loads(p.read_text(encoding="utf-8"))["split"] for p in paths]
    assert set(splits) == {"dev", "test"}
    assert 0.55 <= splits.count("dev") / len(splits) <= 0.65


@pytest.mark.parametrize("path", [p for p in _committed_gold() if not p.name.startswith("mingpao")],
                         ids=lambda p: p.name)
def test_gold_matches_listen_today(path):
    """The gold's sentence units are the splitter's and its paragraph pairs are listen's.

    If this fails after a change to the splitter, the pair's beads must be written again over the new
    units; after a change to the paragraph aligner, the aligner has regressed on a text whose pairs
    were checked by hand."""
    gold = load_gold(path)
    assert gold.stale == ()
    doc = load_document(str(gold.source_path))
    assert [(list(p.en), list(p.zh)) for p in doc.pairs] == [(list(p.en), list(p.zh)) for p in gold.pairs]


def test_shared_sample_gold_holds_hashes_only():
    raw = json.loads((GOLD_DIR / "mingpao-2025-05-12.gold.json").read_text(encoding="utf-8"))
    assert raw["source"] == "shared:mingpao-2025-05-12.txt"
    hashes = [h for p in raw["pairs"] for lang in ("en", "zh") for h in p["sentences"][lang]]
    assert hashes and all(re.fullmatch(r"[0-9a-f]{10}", h) for h in hashes)


def test_shared_sample_gold_resolves_against_the_sample(sample_path):
    path = GOLD_DIR / "mingpao-2025-05-12.gold.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    gold = load_gold(path)
    assert gold.source_path == sample_path
    assert gold.stale == ()
    first = next(p for p in gold.pairs if p.scored)
    assert [sentence_hash(s) for s in first.en_sentences] == raw["pairs"][1]["sentences"]["en"]
    assert all(s and s[-1] in ".!?\"'”" for s in first.en_sentences)  # text, read back from the sample


def test_a_wrong_hash_is_refused(tmp_path, sample_path):
    raw = json.loads((GOLD_DIR / "mingpao-2025-05-12.gold.json").read_text(encoding="utf-8"))
    raw["pairs"][1]["sentences"]["en"][0] = "0000000000"
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(GoldError, match="pair 1: the en sentences .* no longer match"):
        load_gold(bad)


def test_a_malformed_gold_is_refused(tmp_path):
    raw = json.loads((GOLD_DIR / "hk-school-swimming.gold.json").read_text(encoding="utf-8"))
    raw["source"] = str(GOLD_DIR / "hk-school-swimming.txt")
    raw["pairs"][0]["beads"] = [{"en": [0, 1], "zh": []}, {"en": [2], "zh": [0, 1, 2]}]
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(GoldError, match="exactly one sentence"):
        load_gold(bad)
    raw["split"] = "train"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(GoldError, match="'split' must be one of dev, test"):
        load_gold(bad)


def test_evaluate_runs_a_predictor_on_scored_pairs_only():
    gold = load_gold(GOLD_DIR / "cn-graduate-jobs.gold.json")  # its last pair is Chinese-only
    assert [p.scored for p in gold.pairs] == [True] * 6 + [False]
    seen = []

    def predictor(en, zh):
        seen.append((len(en), len(zh)))
        return one_bead(en, zh)

    s = evaluate(predictor, gold)
    assert len(seen) == 6
    assert s.predicted_beads == 6
    assert s.gold_beads == sum(len(p.beads) for p in gold.pairs[:6])


def test_report_prints_both_baselines_per_file_and_split(capsys):
    assert main(["--report", str(GOLD_DIR / "hk-school-swimming.gold.json"),
                 str(GOLD_DIR / "cn-nato-spending.gold.json")]) == 0
    out = capsys.readouterr().out
    assert "2 files (1 dev, 1 test), 11 pairs scored, 0 one-sided pairs not scored" in out
    assert out.count("\nbaseline one_bead (the whole pair as one bead)\n") == 1
    assert out.count("\nbaseline greedy_one_to_one (1-1 by position, rest 1-0/0-1)\n") == 1
    # the easy 1-1 text: greedy is perfect, one bead per pair finds no bead and a third of the links
    rows = [line.split() for line in out.splitlines() if line.startswith("hk-school-swimming")]
    assert rows[0][5:] == ["15", "5", "0", "0.000", "0.000", "0.000", "15", "45", "15", "0.333", "1.000", "0.500"]
    assert rows[1][5:] == ["15", "15", "15", "1.000", "1.000", "1.000", "15", "15", "15", "1.000", "1.000", "1.000"]


def test_report_refuses_a_bad_predictor(capsys):
    assert main(["--report", str(GOLD_DIR / "hk-school-swimming.gold.json"),
                 "--predictor", "support.sentence_gold:nothing"]) == 1
    assert "cannot load predictor support.sentence_gold:nothing" in capsys.readouterr().err
