"""The paragraph aligner weighs what the dictionary says a Chinese paragraph translates of an English
one (`align.coverage`): an untranslated intro beside the translation of similar length, or a short
translation of only one of two English paragraphs, is told apart by words, not by length.
Original texts, in the layouts the held-out corpus showed (a blog's Chinese intro before a
translated lead; a translation that skips a paragraph)."""

from __future__ import annotations

import pytest

from listen.text.align import align
from listen.text.align.coverage import Coverage
from listen.text.align.dictionary import Dictionary

LEAD_EN = ("The city council voted on Monday to build a new bridge across the river, "
           "and the work will begin next spring.")
LEAD_ZH = "市议会周一投票决定在河上建造一座新桥，工程将于明年春天开始。"
# A blog's own note before the article, in Chinese only, as long as the lead's translation.
INTRO_ZH = "这篇文章是我上周在网上读到的，觉得写得不错，就顺手抄了下来放在这里。"
BODY_EN = ("Engineers say the bridge will carry trains as well as cars, and that it should "
           "cut the journey to the airport by half an hour.")
BODY_ZH = "工程师表示，这座桥既能通行火车，也能通行汽车，可以把去机场的路程缩短半小时。"
EXTRA_EN = ("Some farmers near the river worry about noise, and the council promised to "
            "listen to them at a public meeting in March.")
EXTRA_ZH = "河边的一些农民担心噪音，市议会承诺三月在公开会议上听取他们的意见。"
EXTRA_ZH_SHORT = "一些农民担心噪音。"

CASES = [
    # (English paragraphs, Chinese paragraphs, expected pairs)
    pytest.param([LEAD_EN, BODY_EN], [INTRO_ZH, LEAD_ZH, BODY_ZH],
                 [((), (0,)), ((0,), (1,)), ((1,), (2,))], id="untranslated-intro-first"),
    pytest.param([LEAD_EN, BODY_EN], [LEAD_ZH, INTRO_ZH, BODY_ZH],
                 [((0,), (0,)), ((), (1,)), ((1,), (2,))], id="untranslated-note-between"),
    pytest.param([BODY_EN, EXTRA_EN], [EXTRA_ZH_SHORT],
                 [((0,), ()), ((1,), (0,))], id="short-translation-of-the-second"),
    # A letter's salutation and sign-off: two short texts whose length ratio says little.
    pytest.param(["Hi Mum,", LEAD_EN, "Love,"], ["嗨，妈妈，", LEAD_ZH, "爱你们的，"],
                 [((0,), (0,)), ((1,), (1,)), ((2,), (2,))], id="salutation-and-sign-off"),
    pytest.param([LEAD_EN, BODY_EN, EXTRA_EN], [LEAD_ZH, BODY_ZH, EXTRA_ZH],
                 [((0,), (0,)), ((1,), (1,)), ((2,), (2,))], id="all-translated"),
]


@pytest.mark.parametrize("en, zh, expected", CASES)
def test_dictionary_coverage_decides_what_translates_what(en, zh, expected):
    pairs = align(en, zh, dictionary=Dictionary.load())
    assert [(tuple(p.en), tuple(p.zh)) for p in pairs] == expected


def test_coverage_is_high_for_a_translation_and_low_for_a_neighbour():
    cov = Coverage([LEAD_EN], [LEAD_ZH, INTRO_ZH], Dictionary.load())
    found, total = cov.share(range(0, 1), range(0, 1))
    other, _ = cov.share(range(0, 1), range(1, 2))
    assert total >= 8
    assert found / total >= 0.4
    assert other / total <= 0.1
