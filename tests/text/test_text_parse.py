from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listen.model import GlossaryEntry
from listen.text.glossary import parse_glossary_entry
from listen.text.lang import language_of
from listen.text.metadata import find_date
from listen.text.parse import parse
from listen.text.read import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "mingpao-2025-05-12.txt"


# (fixture, date, title_zh, title_en, n_en, n_zh, script, glossary terms)
LAYOUTS = [
    ("zh-first.txt", "2024-11-03", "公園要讓老人坐得舒服", "Parks should let the elderly sit in comfort", 2, 2, "traditional", []),
    ("interleaved.txt", "2024-11-03", "巴士線要嚴格執法", "Bus lanes need enforcement", 2, 2, "traditional", []),
    ("one-per-line.txt", "2025-05-12", "圖書館應在周日開放", "Libraries should open on Sundays", 2, 2, "traditional", ["branch", "shift"]),
    ("wrapped-simplified.txt", "2025-05-12", None, None, 2, 2, "simplified", ["trail", "rubbish"]),
    ("glossary-between.txt", "2025-06-03", "通宵巴士需要更多路線", "Night buses need more routes", 2, 2, "traditional",
     ["shift worker", "operator"]),
    ("glossary-headless.txt", "2025-06-03", "街市應延長營業時間", "Street markets should stay open late", 2, 2,
     "traditional", ["hawker", "afford"]),
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


# ---------------------------------------------------------------- where a glossary ends, and one without a heading

EN1 = "The harbour ferries carried fewer riders this spring. Fares rose twice in a year."
EN2 = "Operators say the fleet is old and costly to run. The government should help renew it."
ZH1 = "今年春天乘搭渡輪的人減少了。"
ZH2 = "政府應協助營辦商更新船隊。"
ENTRIES = ["fleet : a group of ships owned by one company", "renew : to replace something old with something new"]
HEADING = "■ Glossary 生字"
TERMS = ["fleet", "renew"]


def blocks(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


# (name, text, English paragraphs, Chinese paragraphs, glossary terms, a warning that must be given)
GLOSSARY_CASES = [
    # 1. a glossary between the blocks ends where the other block starts
    ("between, blank lines", blocks(EN1, EN2, HEADING, *ENTRIES, ZH1, ZH2), [EN1, EN2], [ZH1, ZH2], TERMS, None),
    ("between, no blank lines", "\n".join([EN1, EN2, HEADING, *ENTRIES, ZH1, ZH2]), [EN1, EN2], [ZH1, ZH2], TERMS,
     None),
    ("Chinese first, then short English sentences",
     blocks(ZH1, ZH2, HEADING, *ENTRIES, "Fares rose twice this year.", "The fleet is old and costly."),
     ["Fares rose twice this year.", "The fleet is old and costly."], [ZH1, ZH2], TERMS, None),
    ("a Chinese sentence with a colon is not an entry", blocks(EN1, HEADING, *ENTRIES, "政府表示：計劃明年開始。"),
     [EN1], ["政府表示：計劃明年開始。"], TERMS, None),
    ("a new heading ends it", blocks(EN1, HEADING, *ENTRIES, "■ 中文", ZH1), [EN1], [ZH1], TERMS, None),
    ("a block in the other language ends it", blocks(EN1, HEADING, *ENTRIES, "船隊更新", ZH1), [EN1], [ZH1], TERMS,
     None),
    ("a Chinese word right under an entry is reported", blocks(EN1, HEADING, "\n".join([ENTRIES[0], "船隊", ENTRIES[1]])),
     [EN1], [], TERMS, "Glossary line not understood, skipped: '船隊'"),
    ("the next article's dated title ends it",
     blocks(EN1, ZH1, HEADING, *ENTRIES, "明報社評2025.06.04：渡輪服務", EN2, ZH2), [EN1, EN2], [ZH1, ZH2], TERMS, None),
    ("a wrapped paragraph after it is joined",
     blocks(ZH1, HEADING, *ENTRIES, "Operators say the fleet is old and costly\nto run. The government should help\nrenew it."),
     [EN2], [ZH1], TERMS, None),
    ("a line that is no entry inside it is still reported",
     blocks(EN1, ZH1, HEADING, ENTRIES[0], "Map of the piers", ENTRIES[1]), [EN1], [ZH1], TERMS, "Glossary line not understood"),
    ("a definition continued on a lowercase line", blocks(EN1, ZH1, HEADING, ENTRIES[0] + "\nor by one state", ENTRIES[1]),
     [EN1], [ZH1], TERMS, None),
    # 2. a glossary without a heading: two or more entries after the last paragraph or between blocks
    ("no heading, at the end", blocks(EN1, EN2, ZH1, ZH2, "\n".join(ENTRIES)), [EN1, EN2], [ZH1, ZH2], TERMS, None),
    ("no heading, at the end, dash and colon",
     blocks(EN1, ZH1, "subvert — to try to destroy something secretly\nface off : to argue or fight"),
     [EN1], [ZH1], ["subvert", "face off"], None),
    ("no heading, blank lines between entries", blocks(EN1, ZH1, *ENTRIES), [EN1], [ZH1], TERMS, None),
    ("no heading, between the blocks", blocks(EN1, EN2, "\n".join(ENTRIES), ZH1, ZH2), [EN1, EN2], [ZH1, ZH2], TERMS,
     None),
    ("no heading, one per line", "\n".join([EN1, EN2, *ENTRIES, ZH1, ZH2]), [EN1, EN2], [ZH1, ZH2], TERMS, None),
    # ... but prose with a colon, a lone entry-like line or labelled lines inside a block are read
    ("a sentence with a colon", blocks(ZH1, EN1, "The message was clear: the two countries will cooperate."),
     [EN1, "The message was clear: the two countries will cooperate."], [ZH1], [], None),
    ("two sentences with colons",
     "\n".join([ZH1, EN1, "The message was clear: the two countries will cooperate.", "The lesson is simple: talk first."]),
     [EN1, "The message was clear: the two countries will cooperate.", "The lesson is simple: talk first."], [ZH1], [],
     None),
    ("a single entry-like line", blocks(ZH1, EN1, ENTRIES[0]), [EN1, ENTRIES[0]], [ZH1], [], None),
    ("speakers", blocks(ZH1, EN1, "Chan: We will wait for the new ferries.\nLee: So will the riders."),
     [EN1, "Chan: We will wait for the new ferries.", "Lee: So will the riders."], [ZH1], [], None),
    ("labelled lines inside the English block", blocks(EN1, "\n".join(ENTRIES), EN2, ZH1),
     [EN1, *ENTRIES, EN2], [ZH1], [], None),
]


@pytest.mark.parametrize("name, text, en, zh, terms, warning", GLOSSARY_CASES, ids=[c[0] for c in GLOSSARY_CASES])
def test_glossary_boundaries(name, text, en, zh, terms, warning):
    doc = parse(text)
    assert [p.text for p in doc.en] == en
    assert [p.text for p in doc.zh] == zh
    assert [g.term for g in doc.glossary] == terms
    if warning is None:
        assert not [w for w in doc.warnings if "Glossary" in w]
    else:
        assert any(warning in w for w in doc.warnings)


def test_glossary_between_blocks_keeps_its_entries():
    doc = parse(blocks(EN1, EN2, HEADING, *ENTRIES, "船隊更新", ZH1, ZH2))
    assert doc.title_zh == "船隊更新"
    assert doc.glossary == [
        GlossaryEntry("fleet", "a group of ships owned by one company"),
        GlossaryEntry("renew", "to replace something old with something new"),
    ]
    assert not doc.warnings
