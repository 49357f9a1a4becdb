"""Every layout real pages put a bilingual article in, written out: the front end must give the
article back exactly (paragraphs, pairs, titles, date, glossary) and say what it dropped.

The articles and layouts are in `tests/support/articles.py`; each failure class seen on real pages
(bylines, credits, a missing English title, a bare Chinese title between the blocks, two-line
paragraphs, a byline glued over the first sentence) is tried in both block orders and interleaved,
in Traditional and Simplified Chinese, as plain text and as markdown.
"""

from __future__ import annotations

import pytest

from listen.text import load_text
from tests.support.articles import EXTRAS, ORDERS, Layout, bikes, expected_glossary, letter, plan, render

SCRIPTS = ("traditional", "simplified")


def pairs_of(doc):
    return [(tuple(p.en), tuple(p.zh)) for p in doc.pairs]


def check(article, layout, text=None, fmt="text"):
    text = text if text is not None else render(article, layout)
    doc = load_text(text, "article.md" if fmt == "markdown" else "article.txt")
    assert [p.text for p in doc.en] == list(article.en), text
    assert [p.text for p in doc.zh] == list(article.zh), text
    assert pairs_of(doc) == list(article.pairs)
    assert [(g.term, g.definition, g.zh) for g in doc.glossary] == expected_glossary(article, layout)
    assert doc.date == (article.date if layout.date_style != "none" else None)
    return doc


CASES = [(extra, order, script) for extra in EXTRAS for order in ORDERS for script in SCRIPTS]


@pytest.mark.parametrize("extra, order, script", CASES, ids=["-".join(c) for c in CASES])
def test_each_failure_class_in_every_order(extra, order, script):
    article = bikes(script)
    layout = Layout(order=order, extras=(extra,))
    doc = check(article, layout)
    assert doc.title_en == (None if extra == "no-title-en" else article.title_en)
    assert doc.title_zh == article.title_zh
    dropped = {d.text: d.kind for d in doc.dropped}
    for line in layout.extra_lines:
        assert dropped.get(line) in ("byline", "credit"), (line, dropped)
    assert not doc.warnings, doc.warnings


@pytest.mark.parametrize("extra, order, script", CASES, ids=["-".join(c) for c in CASES])
def test_each_failure_class_in_markdown(extra, order, script):
    article = bikes(script)
    layout = Layout(order=order, extras=(extra,), markdown=True, glossary_style="pos")
    doc = check(article, layout, fmt="markdown")
    assert doc.title_en == (None if extra == "no-title-en" else article.title_en)
    assert doc.title_zh == article.title_zh
    assert doc.format == "markdown"


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_every_extra_at_once_one_paragraph_per_line(order, script):
    extras = ("byline-names", "byline-zh", "credit-en", "credit-zh", "two-line")
    layout = Layout(order=order, extras=extras, blank_lines=False, date_style="en")
    check(bikes(script), layout)


@pytest.mark.parametrize("order", ("en-first", "zh-first"))
@pytest.mark.parametrize("script", SCRIPTS)
def test_glossary_between_the_blocks(order, script):
    layout = Layout(order=order, extras=("byline-zh", "credit-en"), glossary_at="between", date_style="iso")
    check(bikes(script), layout)


# ------------------------------------------------------------------ a list translated as one paragraph


@pytest.mark.parametrize("markdown", (False, True), ids=("text", "markdown"))
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_four_bullets_read_with_one_chinese_paragraph(order, script, markdown):
    article = plan(script)
    doc = check(article, Layout(order=order, markdown=markdown), fmt="markdown" if markdown else "text")
    assert pairs_of(doc)[1] == ((1, 2, 3, 4), (1,))
    assert doc.warnings == ["Chinese paragraph 2 is matched to four English paragraphs (2, 3, 4, 5)"]


# ------------------------------------------------------------------ a letter: salutations are paragraphs


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_salutation_is_a_paragraph_not_a_title(order, script):
    article = letter(script)
    layout = Layout(order=order, date_style="none")
    doc = check(article, layout)
    assert doc.title_en is None and doc.title_zh is None
    assert doc.en[0].text == "Dear Lucy," and doc.zh[0].text in ("親愛的露西：", "亲爱的露西：")
    assert not doc.dropped


# ------------------------------------------------------------------ markdown: syntax understood, never read


MD_PAGE = """\
---
title: "Public bicycles need safer lanes"
date: 2025-09-18
tags:
  - transport
---

[Home](/) | [Opinion](/opinion) | [Transport](/opinion/transport)

#Public bicycles need safer lanes

*By Mary Chan*

Three years after the first **docking stations** opened in Sha Tin, the public bicycle scheme has 4,200 \
bikes and more than 60,000 registered riders. Most trips are shorter than five kilometres.

Riders say the problem is not the bikes but the roads. Cycle lanes stop suddenly at **junctions**, and in \
2024 the police recorded 1,380 accidents involving bicycles, a rise of 12 per cent.

![Riders at a junction in Sha Tin](/img/junction.jpg)

The Transport Department should join the [missing sections](https://example.org/map) before it adds more \
stations. Linking the lanes along the Shing Mun River alone would take 18 months and cost about HK$90 million.

A city that asks people to leave their cars at home must give them a safe way to ride. Paint on the road \
is not enough.

## 公共單車需要更安全的單車徑

【撰文：陳美玲】

沙田首批停車站啟用三年後，公共單車計劃已有4200輛單車，登記用戶超過60000人。大部分行程不足五公里。

用戶表示，問題不在單車，而在道路。單車徑在路口突然中斷，警方在2024年錄得1380宗涉及單車的意外，上升12%。

運輸署應先接駁中斷的路段，再增設停車站。單是連接城門河沿岸的單車徑，便需時18個月，耗資約9000萬元。

一個城市若要市民少開車，就必須給他們安全的騎行路線。在路面髹上油漆並不足夠。

翻譯：李華

##New Words
- docking station n. 停車站
- junction n. 路口
- missing section n. 中斷的路段

[Share on Facebook](https://facebook.com/share) · [Print](/print)
"""


def test_markdown_syntax_is_understood():
    article = bikes("traditional")
    layout = Layout(glossary_style="pos", date_style="iso")
    doc = check(article, layout, MD_PAGE, fmt="markdown")
    assert doc.title_en == "Public bicycles need safer lanes" and doc.title_zh == article.title_zh
    assert not any(c in p.text for p in doc.en + doc.zh for c in "*#[]()!")
    kinds = {d.text: d.kind for d in doc.dropped}
    assert kinds["Home | Opinion | Transport"] == "navigation"
    assert kinds["Share on Facebook · Print"] == "navigation"
    assert kinds["By Mary Chan"] == "byline" and kinds["【撰文：陳美玲】"] == "byline" and kinds["翻譯：李華"] == "credit"
    assert kinds["Riders at a junction in Sha Tin"] == "figure"


def test_markdown_detected_in_a_txt_file():
    doc = load_text(MD_PAGE, "article.txt")
    assert doc.format == "markdown" and len(doc.en) == 4 and len(doc.glossary) == 3


# ------------------------------------------------------------------ information, not warnings


@pytest.mark.parametrize("script", SCRIPTS)
def test_an_untranslated_lead_is_a_note_said_once(script):
    article = bikes(script, glossary=False)
    lead = "本報今日就單車政策發表社評。" if script == "traditional" else "本报今日就单车政策发表社评。"
    text = "\n\n".join([article.title_zh, lead, *article.zh, article.title_en, *article.en[:2], *article.en[2:]])
    doc = load_text(text, "lead.txt")
    assert [(p.en, p.zh) for p in doc.pairs][0] == ((), (0,))
    assert doc.notes == ["Chinese paragraph 1 has no English counterpart (before the translation starts)."]
    assert doc.warnings == []


def test_a_forced_encoding_that_gives_garbage_is_a_warning(tmp_path):
    from listen.text import load_document

    path = tmp_path / "bikes.txt"
    path.write_text(render(bikes(), Layout()), encoding="utf-8")
    if path.stat().st_size % 2:
        path.write_text(render(bikes(), Layout()) + "\n", encoding="utf-8")
    right = load_document(str(path))
    assert not any("--encoding" in w for w in right.warnings)
    try:
        doc = load_document(str(path), encoding="utf-16")
    except Exception as exc:  # garbage may hold no paragraph at all: then it is an error, also fine
        assert "utf-16" in str(exc).lower() or "paragraph" in str(exc)
        return
    assert doc.warnings[0].startswith("--encoding utf-16: decoded as utf-16, the text looks like garbage")
    assert doc.warnings[0].endswith("without --encoding it reads as utf-8.")


# ------------------------------------------------------------------ the end of a page: footers and teasers


def _blocks(*parts):
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_teaser_after_the_closing_credit_is_not_read(script):
    a = bikes(script, glossary=False)
    teaser = ("Night ferries deserve a second look. The last boat to Lamma leaves before midnight, and the "
              "islanders who work late have to")
    text = _blocks(a.title_en, *a.en, a.title_zh, *a.zh, "(By Mary Chan, Harbour Daily/港灣日報陳美玲)", teaser)
    doc = load_text(text, "a.txt")
    assert [p.text for p in doc.en] == list(a.en) and [p.text for p in doc.zh] == list(a.zh)
    assert {d.text: d.kind for d in doc.dropped}[teaser] == "boilerplate"


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("middle", ["Advertisement", "Photo: Harbour Daily 照片：港灣日報", "Share | Print | Email"])
def test_a_line_of_page_chrome_inside_the_last_block_keeps_what_follows(script, middle):
    a = bikes(script, glossary=False)
    text = _blocks(a.title_en, *a.en, a.title_zh, a.zh[0], a.zh[1], middle, a.zh[2], a.zh[3])
    doc = load_text(text, "a.txt")
    assert [p.text for p in doc.zh] == list(a.zh)
    assert [(p.en, p.zh) for p in doc.pairs] == list(a.pairs)


@pytest.mark.parametrize("order", ("en-first", "zh-first"))
def test_a_kept_trailing_credit_stands_alone(order):
    """A credit the user asks to read (`--keep-lines`) is its own paragraph and its own 1-0 / 0-1
    pair, not merged into the last pair."""
    a = bikes("traditional", glossary=False)
    layout = Layout(order=order, extras=("credit-en", "credit-zh"), date_style="none")
    text = render(a, layout)
    number = text.split("\n").index("Translated by Jane Lee") + 1
    doc = load_text(text, "a.txt", keep=frozenset({number}))
    assert doc.en[-1].text == "Translated by Jane Lee"
    assert [(p.en, p.zh) for p in doc.pairs][:4] == list(a.pairs)
    assert [(p.en, p.zh) for p in doc.pairs][4] == ((4,), ())


def test_a_heading_mark_is_not_part_of_the_title():
    a = bikes("traditional", glossary=False)
    doc = load_text(_blocks("#" + a.title_en, *a.en, "■ 社評", "■ " + a.title_zh, *a.zh), "a.txt")
    assert (doc.title_en, doc.title_zh) == (a.title_en, a.title_zh)
    assert [p.text for p in doc.en] == list(a.en) and [p.text for p in doc.zh] == list(a.zh)


# ------------------------------------------------------------------ a paragraph glued to its translation


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("sep", ["", " ", "\n"], ids=["glued", "space", "newline"])
def test_english_glued_to_its_chinese_is_cut_where_the_language_changes(script, sep):
    a = bikes(script, glossary=False)
    lines = [a.en[k] + sep + a.zh[k] for k in range(4)]
    doc = load_text(_blocks(*lines), "a.txt")
    assert [p.text for p in doc.en] == list(a.en) and [p.text for p in doc.zh] == list(a.zh)
    assert [(p.en, p.zh) for p in doc.pairs] == list(a.pairs)


@pytest.mark.parametrize(
    "paragraph",
    [
        "拜登在記者會上重申立場，表示美方不會改變政策。“We will not change course, whatever the cost may be.” 他隨即離開會場，沒有回答記者提問。",
        "The sign at the entrance read 歡迎光臨 in large red letters, and the owner said it had been there since 1988.",
        "行政長官表示，政府會在2027年前接駁河畔單車徑(join the lanes along the river by 2027)，並增設泊位。",
    ],
)
def test_a_quotation_in_the_other_language_is_not_cut(paragraph):
    doc = load_text(paragraph + "\n", "a.txt")
    assert len(doc.en) + len(doc.zh) == 1
