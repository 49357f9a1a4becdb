"""Layouts of the third held-out corpus (never in the repository), each written out with an original
article: the front end must give back exactly the paragraphs, pairs, date and glossary.

- a page copied from two columns: each line a Chinese cell, a TAB, and its English cell (list items,
  a cell ending with a colon, a cell with no punctuation at all), which a tab-separated vocabulary
  list is not;
- a page's fields in both languages (`keywords/关键词: …`, `publish date/发表日期: …`), a blog's
  `Posted on <date> by <name>` line and its `Bookmark the permalink.` footer;
- a Chinese sentence that starts with an acronym (`ACME 宣布…`) is a paragraph, not a glossary entry;
- a digest: a block of summary sentences and its translation, one paragraph per line;
- glued lines ended by an ASCII stop, a quote's attribution in emphasis marks; labels that open the
  text (`正文开始。`, `译文（…）：`); the list under a related-links heading (`相关信息Related information`).
"""

from __future__ import annotations

import pytest

from listen.text import load_text

TITLE = ("图书馆延长开放时间", "Library to open longer")
ROWS = [  # (Chinese cell, English cell)
    ("新的开放时间将于 2024 年 5 月 1 日起生效，届时图书馆每天开放到晚上十点。",
     "The new hours take effect on May 1, 2024, when the library will stay open until ten every night."),
    ("市议会宣布将：", "The city council announced it will:"),
    ("* 延长图书馆周末的开放时间", "Extend the library's opening hours at weekends"),
    ("* 为学生提供免费的学习空间", "Offer free study space to students"),
    ("官员表示，这项计划每年将花费约 120 万元，资金来自市政府的文化预算。",
     "Officials say the plan will cost about 1.2 million a year, paid from the city's culture budget."),
]


def cells(row: tuple[str, str], name: str) -> tuple[str, str]:
    """The cells as read: markdown takes the list mark away, plain text keeps it."""
    return (row[0].removeprefix("* ") if name.endswith(".md") else row[0]), row[1]


@pytest.mark.parametrize("name, sep", [("page.md", "\t"), ("page.txt", "\t"), ("page.md", " \t  "), ("page.txt", "\t\t")])
def test_a_chinese_cell_and_its_english_cell_on_one_line_are_two_paragraphs(name, sep):
    text = "\n\t\n".join(zh + sep + en for zh, en in [TITLE, *ROWS]) + "\n"
    doc = load_text(text, name)
    assert (doc.title_zh, doc.title_en) == TITLE
    assert [p.text for p in doc.zh] == [cells(r, name)[0] for r in ROWS]
    assert [p.text for p in doc.en] == [cells(r, name)[1] for r in ROWS]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((k,), (k,)) for k in range(len(ROWS))]


def test_a_tab_separated_vocabulary_list_is_not_two_columns():
    text = (
        "The new hours take effect on May 1, when the library will stay open until ten every night.\n\n"
        "新的开放时间将于5月1日起生效，届时图书馆每天开放到晚上十点。\n\n"
        "Vocabulary\n\nopening hours\t开放时间\ntake effect\t生效\nbudget\t预算\n"
    )
    doc = load_text(text, "page.txt")
    assert [e.term for e in doc.glossary] == ["opening hours", "take effect", "budget"]
    assert len(doc.en) == 1 and len(doc.zh) == 1


EN = "The riverside library will open until ten every night from May, the city council said on Monday."
ZH = "市议会周一表示，从五月起，河畔图书馆每天将开放到晚上十点。"


@pytest.mark.parametrize("head, date", [
    ("keywords/关键词: library hours council budget\n\nauthors/作者: Mei Lin\n\n"
     "publish date/发表日期: 2024-04-08 09:30:00+08:00", "2024-04-08"),
    ("作者/Author: Mei Lin\n\n发表日期/Published: 2024-04-08", "2024-04-08"),
    ("Posted on April 8, 2024 by Riverside News", "2024-04-08"),
])
def test_a_pages_fields_and_a_blogs_date_line_are_not_paragraphs(head, date):
    text = f"# 图书馆延长开放时间\n\n## Library to open longer\n\n{head}\n\n{ZH}\n\n{EN}\n\n" \
           "This entry was posted in News by Riverside News. Bookmark the permalink.\n"
    doc = load_text(text, "page.md")
    assert [p.text for p in doc.en] == [EN]
    assert [p.text for p in doc.zh] == [ZH]
    assert doc.date == date


def test_a_chinese_sentence_that_starts_with_an_acronym_is_a_paragraph():
    zh = "ACME 公司宣布从明年起在河畔新建一座工厂这一决定将为本地带来大约三百个新的就业岗位"
    en = "ACME announced that it will build a new factory by the river next year, bringing about 300 jobs."
    rows = [(zh, en), ROWS[0], ROWS[4]]
    doc = load_text("\n\n".join(f"{z}\t{e}" for z, e in rows) + "\n", "page.txt")
    assert [p.text for p in doc.zh] == [z for z, _ in rows]
    assert [p.text for p in doc.en] == [e for _, e in rows]
    assert doc.glossary == []


QUOTE_ZH = "“图书馆是城市的客厅，我们希望每个人晚上也能来这里读书。”"
QUOTE_EN = "“The library is the city's living room, and we want everyone to be able to read here at night too.”"


@pytest.mark.parametrize("line, zh, en", [
    # a machine translation that ends the Chinese sentence with an ASCII full stop
    ("市议会周一表示，从五月起，河畔图书馆每天将开放到晚上十点.The riverside library will open until ten "
     "every night from May, the city council said on Monday.",
     "市议会周一表示，从五月起，河畔图书馆每天将开放到晚上十点.",
     "The riverside library will open until ten every night from May, the city council said on Monday."),
    # a quote's attribution: the name and title in Chinese, then in English in emphasis marks
    ("> 陈美玲，图书馆馆长_Mei Lin Chen, Head Librarian of the City_",
     "陈美玲，图书馆馆长", "Mei Lin Chen, Head Librarian of the City"),
])
def test_a_chinese_sentence_glued_to_its_english_one_is_cut(line, zh, en):
    text = f"# 图书馆延长开放时间\n\n## Library to open longer\n\n> {QUOTE_ZH}{QUOTE_EN}\n>\n{line}\n"
    doc = load_text(text, "page.md")
    assert [p.text for p in doc.zh] == [QUOTE_ZH, zh]
    assert [p.text for p in doc.en] == [QUOTE_EN, en]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((0,), (0,)), ((1,), (1,))]


DIGEST_ZH = ["市议会周一表示，从五月起，河畔图书馆每天将开放到晚上十点。",
             "官员表示，这项计划每年将花费约一百二十万元，资金来自文化预算。",
             "一些居民担心噪音，但大多数学生对这一决定表示欢迎。"]
DIGEST_EN = ["The riverside library will open until ten every night from May, the city council said on Monday.",
             "Officials say the plan will cost about 1.2 million a year, paid from the culture budget.",
             "Some residents worry about noise, but most students welcomed the decision."]


@pytest.mark.parametrize("order", ("zh-first", "en-first"))
def test_a_digest_block_of_summary_sentences_and_its_translation_is_one_paragraph_per_line(order):
    blocks = ["\n".join(DIGEST_ZH), "\n".join(DIGEST_EN)]
    if order == "en-first":
        blocks.reverse()
    text = ("## 图书馆延长开放时间\n\n### Library to open longer\n\nkeywords/关键词: library hours budget\n\n"
            "publish date/发表日期: 2024-04-08 09:30:00+08:00\n\n" + "\n\n".join(blocks)
            + "\n\n[详情](library_zh.md) [Details](library.md)\n")
    doc = load_text(text, "digest.md")
    assert [p.text for p in doc.zh] == DIGEST_ZH
    assert [p.text for p in doc.en] == DIGEST_EN
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((k,), (k,)) for k in range(3)]
    assert (doc.title_zh, doc.title_en, doc.date) == ("图书馆延长开放时间", "Library to open longer", "2024-04-08")


def test_a_markdown_paragraph_of_sentences_beside_a_shorter_translation_stays_one_paragraph():
    text = "# Library to open longer\n\n" + "\n".join(DIGEST_EN) + "\n\n" + "".join(DIGEST_ZH[:2]) + "\n"
    doc = load_text(text, "note.md")
    assert [p.text for p in doc.en] == [" ".join(DIGEST_EN)]


@pytest.mark.parametrize("label", ["正文开始。", "译文（译者不详，转自网络）：", "双语全文如下：", "全文如下："])
def test_a_line_that_only_opens_the_text_or_its_translation_is_not_read(label):
    text = "\n\n".join(["# Library to open longer", EN, label, ZH]) + "\n"
    doc = load_text(text, "note.md")
    assert [p.text for p in doc.en] == [EN]
    assert [p.text for p in doc.zh] == [ZH]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((0,), (0,))]


@pytest.mark.parametrize("heading", ["## 相关信息Related information", "## Related links", "### 延伸阅读", "**See also**"])
def test_the_items_under_a_related_links_heading_are_not_read(heading):
    text = "\n\n".join(["# Library to open longer", EN, ZH, heading,
                        "* 市议会的预算文件 The council's budget papers\n* Opening hours of all branches"]) + "\n"
    doc = load_text(text, "page.md")
    assert [p.text for p in doc.en] == [EN]
    assert [p.text for p in doc.zh] == [ZH]


def test_a_sentence_that_starts_like_a_blogs_date_line_is_read():
    en = "Updated on April 8, 2024, the rules now let students stay until ten."
    zh = "2024年4月8日更新后，新规允许学生待到晚上十点。"
    doc = load_text("\n\n".join(["# Library to open longer", en, zh]) + "\n", "page.md")
    assert [p.text for p in doc.en] == [en]
    assert [p.text for p in doc.zh] == [zh]
