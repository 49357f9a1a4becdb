"""Sentence beads inside a pair: shapes real translators make, confidence, fallback, overrides."""

from __future__ import annotations

import pytest

from listen.errors import UsageError
from listen.text.align.dictionary import Dictionary, content_words, stem
from listen.text.align.sentences import align_sentences
from listen.text.load import load_text


@pytest.fixture(scope="module")
def dictionary():
    return Dictionary.load()


def beads(result):
    return [(b.en, b.zh) for b in result.beads]


@pytest.mark.parametrize("en, zh, expected", [
    (["The ferry is slow.", "But people love it."], ["渡輪很慢。", "但市民很喜歡它。"], [((0,), (0,)), ((1,), (1,))]),
    # Three English sentences carried by one Chinese sentence joined with commas.
    (["The fare rose to HK$5 in 2024.", "Commuters complained.", "The operator said costs had doubled."],
     ["票價在2024年加至5元，乘客不滿，營運商則稱成本已經倍增。"], [((0, 1, 2), (0,))]),
    # One English sentence split in two Chinese ones.
    (["The government will build a new bridge to the island and close the old pier by 2030."],
     ["政府會興建一條通往該島的新橋。", "舊碼頭將於2030年前關閉。"], [((0,), (0, 1))]),
    # Numbers anchor the pairing where lengths alone would not.
    (["Only 12 ferries run at night.", "In 1998 there were 30."], ["晚上只有12班渡輪。", "1998年則有30班。"],
     [((0,), (0,)), ((1,), (1,))]),
])
def test_shapes_real_translations_make(en, zh, expected, dictionary):
    result = align_sentences(en, zh, dictionary)
    assert result.fallback is None
    assert beads(result) == expected
    assert all(0 < b.score <= 1 for b in result.beads)


@pytest.mark.parametrize("mark, expected", [
    ("?", [((0, 1), (0,)), ((2,), (1,))]),  # the question goes with the Chinese question ...
    (".", [((0,), (0,)), ((1, 2), (1,))]),  # ... though the lengths alone pair it the other way
])
def test_a_question_is_read_with_the_question_it_translates(mark, expected, dictionary):
    en = ["Qorvath plinked.", f"Was zembla vorn{mark}", "Dressik moffled."]  # words no dictionary knows
    zh = ["甲乙丙丁戊" + ("？" if mark == "?" else "。"), "子丑寅卯辰巳午未申酉戌亥。"]
    result = align_sentences(en, zh, dictionary)
    assert [(b.en, b.zh) for b in result.beads] == expected and result.fallback is None


def test_one_sided_and_single_pairs_need_no_alignment():
    assert beads(align_sentences(["One.", "Two."], [])) == [((0,), ()), ((1,), ())]
    assert beads(align_sentences([], ["一。"])) == [((), (0,))]
    assert beads(align_sentences(["One."], ["一。"])) == [((0,), (0,))]


def test_unsure_cuts_merge_the_beads_around_them(dictionary):
    from dataclasses import replace

    from listen.text.align.sentences import PARAMS

    en = ["Only 12 ferries run at night.", "It rained.", "It rained again.", "In 1998 there were 30."]
    zh = ["晚上只有12班渡輪。", "下雨。", "1998年則有30班。"]
    sure = align_sentences(en, zh, dictionary)
    cautious = align_sentences(en, zh, dictionary, replace(PARAMS, min_confidence=0.9))
    # Every bead of the cautious alignment is a union of consecutive beads of the sure one: a cut
    # it is not sure of is dropped, so its pairings are coarser, never different.
    cuts = {(b.en[-1] + 1 if b.en else None, b.zh[-1] + 1 if b.zh else None) for b in sure.beads}
    for bead in cautious.beads:
        assert (bead.en[-1] + 1 if bead.en else None, bead.zh[-1] + 1 if bead.zh else None) in cuts
    assert len(cautious.beads) < len(sure.beads)
    assert [k for b in cautious.beads for k in b.en] == [0, 1, 2, 3]


def test_a_pair_with_no_sure_cut_is_read_whole_with_the_reason(dictionary):
    from dataclasses import replace

    from listen.text.align.sentences import PARAMS

    en = ["It rained.", "It rained again.", "It rained once more."]
    zh = ["下雨。", "又下雨。"]
    result = align_sentences(en, zh, dictionary, replace(PARAMS, min_confidence=0.99))
    assert result.fallback is not None and result.fallback.startswith("not sure where English")
    assert beads(result) == [((0, 1, 2), (0, 1))]


def test_too_many_sentences_are_read_whole():
    en = [f"Sentence {k}." for k in range(80)]
    zh = [f"第{k}句。" for k in range(60)]
    result = align_sentences(en, zh)
    assert result.fallback == "too many sentences to align (80 English, 60 Chinese)"
    assert beads(result) == [(tuple(range(80)), tuple(range(60)))]


def test_dictionary_is_real_cc_cedict(dictionary):
    assert len(dictionary) > 30000
    assert "政府" in dictionary.translations(stem("government"))
    assert "制裁" in dictionary.translations(stem("sanctions"))
    assert "渡輪" in dictionary.translations(stem("ferries"))
    assert stem("harbours") == stem("harbor") and stem("criticised") == stem("criticized")
    assert content_words("The ferries of the harbour.") == ["ferry", "harbor"]


TEXT = """date 2026-02-01 Ferries are slow. People love them. The fare is five dollars.

Tea is cheap.

渡輪很慢，但市民很喜歡它。票價五元。

茶很便宜。
"""


def test_beads_sidecar_overrides_the_aligner():
    doc = load_text(TEXT, beads="# by hand\n1: 1:1, 2:-, 3:2")
    assert [(b.en, b.zh, b.score) for b in doc.pairs[0].beads] == [((0,), (0,), 1.0), ((1,), (), 1.0), ((2,), (1,), 1.0)]
    assert doc.pairs[0].fallback is None
    whole = load_text(TEXT, beads="1: whole")
    assert whole.pairs[0].fallback == "read as whole paragraphs (as given)"
    assert [(b.en, b.zh) for b in whole.pairs[0].beads] == [((0, 1, 2), (0, 1))]


@pytest.mark.parametrize("spec, message", [
    ("1 1:1", "is not PAIR: EN:ZH"),
    ("9: 1:1", "there is no pair 9"),
    ("1: 1:1, 2:2", "Pair 1: English sentence 3 is missing"),
    ("1: 1:5, 2+3:2", "Pair 1: Pair '1:5': Chinese sentence 5 does not exist"),
])
def test_bad_bead_overrides_are_one_clear_error(spec, message):
    with pytest.raises(UsageError, match=message):
        load_text(TEXT, beads=spec, beads_origin="x.txt.beads")
