from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.synth.chunk import split_for_tts


def _nonspace(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


CASES = [
    # (text, max, expected)
    ("", 10, []),
    ("   \n ", 10, []),
    ("  Hello.  ", 10, ["Hello."]),
    ("Anything at all, however long it is.", None, ["Anything at all, however long it is."]),
    ("One two. Three four.", 11, ["One two.", "Three four."]),
    ("One. Two. Three.", 10, ["One. Two.", "Three."]),
    ('He said "stop!" She left.', 16, ['He said "stop!"', "She left."]),
    ("It costs 3.5 dollars. Fine.", 22, ["It costs 3.5 dollars.", "Fine."]),
    ("Mr. Smith arrived. Then left.", 20, ["Mr. Smith arrived.", "Then left."]),
    ("First part, second part; third part", 14, ["First part,", "second part;", "third part"]),
    ("1,000,000 people came", 12, ["1,000,000", "people came"]),
    ("alpha beta gamma delta", 11, ["alpha beta", "gamma delta"]),
    ("今天天氣很好。我們去公園。", 7, ["今天天氣很好。", "我們去公園。"]),
    ("今天天氣很好！我們去公園？好。", 8, ["今天天氣很好！", "我們去公園？好。"]),
    ("他說：「我們會盡力。」然後離開。", 11, ["他說：「我們會盡力。」", "然後離開。"]),
    ("他說：「我們會盡力」然後離開", 7, ["他說：", "「我們會盡力」", "然後離開"]),
    ("據《明報》報道，政府今日宣佈", 8, ["據《明報》報道，", "政府今日宣佈"]),
    ("甲乙丙、丁戊己，庚辛", 4, ["甲乙丙、", "丁戊己，", "庚辛"]),
    ("一二三四五六七八九十", 4, ["一二三四", "五六七八", "九十"]),
    ("see https://example.com/very/long/path here", 12, ["see", "https://exam", "ple.com/ver", "y/long/path", "here"]),
]


@pytest.mark.parametrize("text,max_chars,expected", CASES)
def test_split_table(text, max_chars, expected):
    assert split_for_tts(text, max_chars) == expected


def test_long_unpunctuated_chinese_run_is_hard_split():
    text = "香" * 150
    pieces = split_for_tts(text, 100)
    assert [len(p) for p in pieces] == [100, 50]


def test_hard_split_keeps_punctuation_with_preceding_text():
    pieces = split_for_tts("以應付人口老化帶來的挑戰。", 12)
    assert pieces == ["以應付人口老化帶來的挑", "戰。"]


def test_prefers_sentence_over_clause_boundary():
    text = "The minister, who spoke first, agreed. The opposition did not."
    assert split_for_tts(text, 40) == ["The minister, who spoke first, agreed.", "The opposition did not."]


def test_rejects_bad_max():
    with pytest.raises(ValueError):
        split_for_tts("abc", 0)


ALPHABET = st.sampled_from(
    list("abc xyz.,;:!?'\"\n\t香港政府。，、；：！？「」《》『』（）123-/…") + ["\u3000"]
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=400), max_chars=st.integers(min_value=1, max_value=120))
def test_split_properties(text, max_chars):
    pieces = split_for_tts(text, max_chars)
    for piece in pieces:
        assert piece and piece == piece.strip()
        assert len(piece) <= max_chars
    assert _nonspace("".join(pieces)) == _nonspace(text)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=1, max_size=40))
def test_words_are_never_cut_when_they_fit(words):
    text = " ".join(words)
    pieces = split_for_tts(text, 20)
    assert [w for p in pieces for w in p.split()] == words
