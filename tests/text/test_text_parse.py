from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.model import GlossaryEntry
from listen.text.parse import find_date, language_of, parse, parse_glossary_entry
from listen.text.read import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "mingpao-2025-05-12.txt"


# (fixture, date, title_zh, title_en, n_en, n_zh, script, glossary terms)
LAYOUTS = [
    ("zh-first.txt", "2024-11-03", "公園要讓老人坐得舒服", "Parks should let the elderly sit in comfort", 2, 2, "traditional", []),
    ("interleaved.txt", "2024-11-03", "巴士線要嚴格執法", "Bus lanes need enforcement", 2, 2, "traditional", []),
    ("one-per-line.txt", "2025-05-12", "圖書館應在周日開放", "Libraries should open on Sundays", 2, 2, "traditional", ["branch", "shift"]),
    ("wrapped-simplified.txt", "2025-05-12", None, None, 2, 2, "simplified", ["trail", "rubbish"]),
]


@pytest.mark.parametrize("name, date, title_zh, title_en, n_en, n_zh, script, terms", LAYOUTS)
def test_layouts(name, date, title_zh, title_en, n_en, n_zh, script, terms):
    text, _ = read_source(str(FIXTURES / name))
    doc = parse(text, name)
    assert doc.date == date
    assert doc.title_zh == title_zh
    assert doc.title_en == title_en
    assert (len(doc.en), len(doc.zh)) == (n_en, n_zh)
    assert doc.script == script
    assert [g.term for g in doc.glossary] == terms
    assert doc.pairs == []
    for p in doc.en:
        assert language_of(p.text) == "en" and p.sentences
    for p in doc.zh:
        assert language_of(p.text) == "zh" and p.sentences


def test_wrapped_lines_are_joined():
    text, _ = read_source(str(FIXTURES / "wrapped-simplified.txt"))
    doc = parse(text)
    assert doc.en[0].text.startswith("The city needs") and doc.en[0].text.endswith("busier than ever.")
    assert "Walkers often" in doc.en[0].text
    assert doc.zh[0].text.endswith("都要繁忙。") and "\n" not in doc.zh[0].text


def test_sample(sample_path):
    text, enc = read_source(str(sample_path))
    doc = parse(text, sample_path.name)
    assert enc == "utf-8"
    assert doc.date == "2025-05-12"
    assert doc.title_zh == "中俄不會結盟 但會共同抵制美國"
    assert doc.title_en is None
    assert len(doc.en) == 5 and len(doc.zh) == 6
    assert doc.en[0].text.startswith("The primary purpose of Xi's visit")
    assert doc.zh[0].text.startswith("國家主席習近平")
    assert [g.term for g in doc.glossary] == ["face off", "stand-off", "subvert"]
    assert doc.glossary[1].definition == "a situation in which no agreement can be reached"
    assert doc.script == "traditional"
    assert not any("■" in p.text or "Glossary" in p.text for p in doc.en + doc.zh)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("date 2025-05-12", "2025-05-12"),
        ("明報社評2025.05.12：標題", "2025-05-12"),
        ("2025年5月12日", "2025-05-12"),
        ("2025 年 5 月 12 日 星期一", "2025-05-12"),
        ("12 May 2025", "2025-05-12"),
        ("Monday, 12th May, 2025", "2025-05-12"),
        ("May 12, 2025", "2025-05-12"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("2025/5/12", "2025-05-12"),
        ("2025-02-30", None),
        ("no date here", None),
    ],
)
def test_find_date(text, iso):
    assert find_date(text)[0] == iso


@pytest.mark.parametrize(
    "text, lang",
    [
        ("美國總統Trump與NATO秘書長會面，討論GDP及AI。", "zh"),
        ("The so-called dual containment (雙遏制) policy.", "en"),
        ("US", "en"),
        ("2025 — 12", None),
        ("中俄", "zh"),
    ],
)
def test_language_of(text, lang):
    assert language_of(text) == lang


@pytest.mark.parametrize(
    "line, entry",
    [
        ("face off : to argue or fight", GlossaryEntry("face off", "to argue or fight")),
        ("stand-off: a situation without agreement", GlossaryEntry("stand-off", "a situation without agreement")),
        ("subvert：to weaken secretly", GlossaryEntry("subvert", "to weaken secretly")),
        ("subvert (v.) 顛覆", GlossaryEntry("subvert", "", "顛覆")),
        ("subvert (v.) 顛覆 to try to destroy", GlossaryEntry("subvert", "to try to destroy", "顛覆")),
        ("subvert : to try to destroy... 顛覆", GlossaryEntry("subvert", "to try to destroy...", "顛覆")),
        ("subvert (v.) to try to destroy", GlossaryEntry("subvert", "to try to destroy")),
        ("rubbish — things thrown away", GlossaryEntry("rubbish", "things thrown away")),
        ("rubbish - things thrown away", GlossaryEntry("rubbish", "things thrown away")),
        ("trail: a path 山徑", GlossaryEntry("trail", "a path", "山徑")),
        ("1. ferry : a boat", GlossaryEntry("ferry", "a boat")),
        ("at a loss (phr.) 不知所措 : not knowing what to do", GlossaryEntry("at a loss", "not knowing what to do", "不知所措")),
        ("This is simply a sentence without a separator", None),
    ],
)
def test_glossary_entries(line, entry):
    assert parse_glossary_entry(line) == entry


GLUED = "date 2025-05-12 The first paragraph is here. It has two sentences.\n\n中文段落在這裏。\n"


@pytest.mark.parametrize(
    "text, date, n_en, n_zh",
    [
        (" " + GLUED, "2025-05-12", 1, 1),
        ("Date: 2025-05-12\n" + GLUED.split(" ", 2)[2], "2025-05-12", 1, 1),
        ("明報社評\n2025年5月12日\n(English translation)\nhttps://news.mingpao.com/x\nBy John Smith\n\nA paragraph here. Two.\n", "2025-05-12", 1, 0),
        ("■ 社評\n\n中文段落。\n\n■ Glossary 生字 /\n\nterm : a definition\n", None, 0, 1),
    ],
)
def test_metadata_is_not_a_paragraph(text, date, n_en, n_zh):
    doc = parse(text)
    assert doc.date == date
    assert (len(doc.en), len(doc.zh)) == (n_en, n_zh)
    for p in doc.en + doc.zh:
        assert "date" not in p.text.lower() and "http" not in p.text and "■" not in p.text


def test_monolingual_warnings():
    assert any("No Chinese paragraphs" in w for w in parse("Only English here. Yes.").warnings)
    assert any("No English paragraphs" in w for w in parse("只有中文。").warnings)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_crashes(text):
    doc = parse(text)
    assert all(p.text.strip() for p in doc.en + doc.zh)


@pytest.mark.parametrize(
    "line, title",
    [("社評：加強長者數碼支援", "加強長者數碼支援"), ("明報社評：海港的未來", "海港的未來"), ("海港的未來", "海港的未來")],
)
def test_chinese_title_loses_its_editorial_prefix(line, title):
    doc = parse(f"{line}\n\n政府推出新計劃，協助長者使用智能手機。\n\nThe government has a new scheme.\n")
    assert doc.title_zh == title
