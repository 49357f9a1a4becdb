"""Romanisation of Chinese text: Jyutping (ToJyutping) and pinyin with tone marks (pypinyin)."""

from __future__ import annotations

import pytest

from listen.text.romanise import reading_text, romanise, system_for

CASES = [
    # Cantonese: 行 read in its word (銀行 hong4, 行人 hang4, 行山 haang4).
    ("銀行今日加息，行人都話貴。", "jyutping",
     "ngan4 hong4 gam1 jat6 gaa1 sik1， hang4 jan4 dou1 waa6 gwai3。"),
    ("我哋聽日去行山。", "jyutping", "ngo5 dei6 ting1 jat6 heoi3 haang4 saan1。"),
    ("2026年 MTR 過海", "jyutping", "2026 nin4 MTR gwo3 hoi2"),
    ("银行今日加息，行人都话贵。", "jyutping",  # Cantonese over Simplified characters
     "ngan4 hong4 gam1 jat6 gaa1 sik1， hang4 jan4 dou1 waa6 gwai3。"),
    # Mandarin: 行 and 重 and 发 read in their words (银行 háng, 重要 zhòng / 重新 chóng, 头发 fà / 发展 fā).
    ("银行行长说，重要的是重新开始。", "pinyin",
     "yín háng háng zhǎng shuō， zhòng yào de shì chóng xīn kāi shǐ。"),
    ("头发和经济发展", "pinyin", "tóu fà hé jīng jì fā zhǎn"),
    ("天星小輪", "pinyin", "tiān xīng xiǎo lún"),  # Mandarin over Traditional characters
]


@pytest.mark.parametrize("text, system, expected", CASES)
def test_readings_in_context(text, system, expected):
    tokens = romanise(text, system)
    assert reading_text(tokens) == expected
    assert "".join(chars for chars, _ in tokens) == text  # ruby draws over exactly the text


def test_tokens_are_one_character_each_and_other_runs_whole():
    assert romanise("「香港」2026年 MTR。", "jyutping") == (
        ("「", None), ("香", "hoeng1"), ("港", "gong2"), ("」2026", None), ("年", "nin4"), (" MTR。", None))
    assert romanise("", "pinyin") == ()
    assert romanise("ABC", "pinyin") == (("ABC", None),)


def test_system_follows_the_spoken_chinese():
    assert system_for("cantonese") == "jyutping"
    assert system_for("mandarin") == "pinyin"
    assert system_for(None) is None


def test_unknown_system_is_refused():
    with pytest.raises(ValueError, match="unknown romanisation 'wade-giles'"):
        romanise("天", "wade-giles")
