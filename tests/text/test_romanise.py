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


# --- the stored Jyutping index reads as ToJyutping does ------------------------------------------

def _tojyutping(text: str) -> list[str | None]:
    import ToJyutping

    return [reading or None for _, reading in ToJyutping.get_jyutping_list(text)]


@pytest.fixture(scope="module")
def index():
    from listen.text.romanise import _jyutping_words

    return _jyutping_words()


def test_the_index_holds_tojyutpings_words(index):
    assert len(index) > 40_000
    assert index["銀行"] == "ngan4|hong4" and index["行人"] == "hang4|jan4"
    assert index["糎"] == "lei4 mai5"  # one character, two syllables: one reading


def test_the_index_reads_every_text_as_tojyutping_does(index):
    import random

    from listen.text.romanise import _jyutping_reader
    from tests.support.sentence_gold import SHARED_SAMPLES

    read = _jyutping_reader(index)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SHARED_SAMPLES.glob("*.txt"))]
    words = sorted(index)
    rng = random.Random(7)
    # Words run together (the longest match must win across their boundaries), with what no
    # word holds between them (Latin, digits, punctuation, rare characters).
    for _ in range(300):
        texts.append("".join(rng.choice(words) + rng.choice(["", "", "，", "A1 ", "。", "\u3400"])
                             for _ in range(rng.randint(1, 12))))
    texts.append("".join(words))
    for text in texts:
        assert read(text) == _tojyutping(text)


def test_the_index_is_kept_in_the_cache_and_loaded_without_tojyutping(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from listen.text import romanise as r\n"
        "r.prepare('jyutping', Path(sys.argv[1]))\n"
        "print(r.reading_text(r.romanise('銀行行人', 'jyutping')), 'ToJyutping' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["ngan4 hong4 hang4 jan4 True", "ngan4 hong4 hang4 jan4 False"]
    stored, = (tmp_path / "dictionaries").glob("jyutping-*.marshal")
    stored.write_bytes(b"not marshal")  # a damaged index is made again
    again = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "ngan4 hong4 hang4 jan4 True"
    assert stored.stat().st_size > 500_000
