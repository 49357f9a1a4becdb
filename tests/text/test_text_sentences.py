from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.text.sentences import split_sentences

EN = [
    ("One. Two.", ["One.", "Two."]),
    ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
    ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
    ("Wait… Then go.", ["Wait…", "Then go."]),
    ("Mr. Lee met Dr. Chan and Prof. Wong at St. Paul's.", ["Mr. Lee met Dr. Chan and Prof. Wong at St. Paul's."]),
    ("The U.S. President spoke. The U.K. Foreign Office did not.", ["The U.S. President spoke.", "The U.K. Foreign Office did not."]),
    ("It was decided by the U.S. The next day, talks began.", ["It was decided by the U.S.", "The next day, talks began."]),
    ("Growth was 3.5 per cent. Prices rose 2.1%.", ["Growth was 3.5 per cent.", "Prices rose 2.1%."]),
    ("See No. 5 on the list. It is long.", ["See No. 5 on the list.", "It is long."]),
    ("Fruit, e.g. apples, i.e. the red ones. Good.", ["Fruit, e.g. apples, i.e. the red ones.", "Good."]),
    ("Books, pens, etc. were sold. Then more.", ["Books, pens, etc. were sold.", "Then more."]),
    ("Hong Kong vs. Macau. A draw.", ["Hong Kong vs. Macau.", "A draw."]),
    ("They met on Jan. 12 in Beijing. It rained.", ["They met on Jan. 12 in Beijing.", "It rained."]),
    ("It starts at 5 p.m. Beijing time. We wait.", ["It starts at 5 p.m. Beijing time.", "We wait."]),
    ("A book by J. K. Rowling sold well. Readers agreed.", ["A book by J. K. Rowling sold well.", "Readers agreed."]),
    ("Prices rose in 2024. 2025 was worse.", ["Prices rose in 2024.", "2025 was worse."]),
    ("“Stop.” He stopped.", ["“Stop.”", "He stopped."]),
    ("no terminal punctuation", ["no terminal punctuation"]),
    ("", []),
]

ZH = [
    ("中俄不會結盟。但會合作！真的嗎？", ["中俄不會結盟。", "但會合作！", "真的嗎？"]),
    ("他說：「好。」然後走了。", ["他說：「好。」", "然後走了。"]),
    ("第一；第二。", ["第一；", "第二。"]),
    ("問題是……答案呢？", ["問題是……", "答案呢？"]),
    ("《聲明》提到（見附件。）其後", ["《聲明》提到（見附件。）", "其後"]),
    ("美國總統Trump說了。NATO亦回應。", ["美國總統Trump說了。", "NATO亦回應。"]),
    ("沒有句號", ["沒有句號"]),
]


@pytest.mark.parametrize("text, expected", EN)
def test_english(text, expected):
    assert split_sentences(text, "en") == expected


@pytest.mark.parametrize("text, expected", ZH)
def test_chinese(text, expected):
    assert split_sentences(text, "zh") == expected


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab AB.!?…\"'”’」』）》。！？；\n12U中文") + ["Mr.", "e.g.", "U.S.", "  ", "……"]),
        max_size=40,
    ).map("".join),
    st.sampled_from(["en", "zh"]),
)
def test_never_loses_characters(text, lang):
    sentences = split_sentences(text, lang)
    assert _squash("".join(sentences)) == _squash(text)
    assert all(s == s.strip() and s for s in sentences)
