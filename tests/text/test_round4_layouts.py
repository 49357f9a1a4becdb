"""Layout classes of the held-out corpus, round 4 (fixed looking at batches A and B only), each
written out with an original text: the front end must give back exactly the paragraphs and pairs.

- a row of image cells copied as text (`A<TAB>A`) in a two-column page is no paragraph;
- a subheading in both cells of one column line inside the article is a short pair worth hearing;
- a letter's signature left as a placeholder (`[Your Name]`, `[你的名字]`) is read, as its close is;
- an essay's own title over each language's text (`**Rain: A Week Indoors**` and `- **雨：…**`,
  after the page's titles) is read, with its translation; one such line in one language only is not;
- a long headline marked up as a heading, before the text, is the title;
- a heading equal to the front-matter title without its ` | name` tail is the title, and the one
  heading of the other language at its level is that language's title.
"""

from __future__ import annotations

import pytest

from listen.text import load_text

ROWS = [  # (Chinese cell, English cell)
    ("河畔图书馆将从五月起每天开放到晚上十点，市议会周一表示。",
     "The riverside library will stay open until ten every night from May, the city council said on Monday."),
    ("这项计划每年将花费约一百二十万元，资金来自文化预算。",
     "The plan will cost about 1.2 million a year, paid for from the culture budget."),
]
HEAD = ("如何预约自习室", "Booking a study room")
AFTER = ("读者可以在网上或服务台预约自习室，每次最多两小时。",
         "Readers can book a study room online or at the front desk, for up to two hours at a time.")


def _page(rows, name):
    lines = ["### 图书馆延长开放时间\tLibrary to open longer"]
    for zh, en in rows:
        lines.append(zh + "\t" + en if zh else en)
    return "\n\t\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["page.md", "page.txt"])
@pytest.mark.parametrize("cell", ["*   A\t  A", "B\tB", "A A"])
def test_the_letters_of_image_cells_are_not_a_paragraph(name, cell):
    text = _page([ROWS[0]], name) + "\t\n" + cell + "\n\t\n" + ROWS[1][0] + "\t" + ROWS[1][1] + "\n"
    doc = load_text(text, name)
    assert [p.text for p in doc.en] == [en for _, en in ROWS]
    assert [p.text for p in doc.zh] == [zh for zh, _ in ROWS]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((0,), (0,)), ((1,), (1,))]


def test_a_subheading_in_both_cells_inside_the_article_is_a_pair():
    rows = [ROWS[0], ROWS[1]]
    text = _page(rows, "page.md") + "\t\n### " + HEAD[0] + "\t" + HEAD[1] + "\n\t\n" + AFTER[0] + "\t" + AFTER[1] + "\n"
    doc = load_text(text, "page.md")
    assert (doc.title_zh, doc.title_en) == ("图书馆延长开放时间", "Library to open longer")
    assert [p.text for p in doc.en] == [ROWS[0][1], ROWS[1][1], HEAD[1], AFTER[1]]
    assert [p.text for p in doc.zh] == [ROWS[0][0], ROWS[1][0], HEAD[0], AFTER[0]]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((k,), (k,)) for k in range(4)]


LETTER_EN = ("Dear Grandma,\n\nThe library near our flat now stays open until ten, so I study there "
             "every evening and walk home with my friends.\n\nBest wishes,\n{name}\n")
LETTER_ZH = "- 亲爱的奶奶，\n- 我们家附近的图书馆现在开到十点，所以我每天晚上都在那里学习，然后和朋友们一起走回家。\n- 祝好，\n- {name}\n"


@pytest.mark.parametrize("en_name, zh_name", [("[Your Name]", "[你的名字]"), ("[Name]", "【姓名】")])
def test_a_signature_placeholder_is_read_as_its_own_paragraph(en_name, zh_name):
    text = ("## A letter to my grandmother\n- 给奶奶的一封信\n\n" + LETTER_EN.format(name=en_name) + "\n"
            + LETTER_ZH.format(name=zh_name))
    doc = load_text(text, "letter.md")
    assert [p.text for p in doc.en][-2:] == ["Best wishes,", en_name]
    assert [p.text for p in doc.zh][-2:] == ["祝好，", zh_name]
    assert len(doc.en) == len(doc.zh) == 4
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((k,), (k,)) for k in range(4)]


ESSAY_EN = ("The rain did not stop for seven days, and our whole class learned to enjoy the quiet "
            "hours indoors with books, games and long conversations.")
ESSAY_ZH = "雨连续下了七天，我们全班学会了在室内享受安静的时光，读书、下棋，还有长长的聊天。"


def test_an_essays_own_title_in_each_language_is_read_with_its_translation():
    text = ("## An essay about a rainy week\n- 一篇关于雨季的作文\n\n**正文**：\n\n**Rain: A Week Indoors**\n\n"
            + ESSAY_EN + "\n\n- **雨：室内的一周**\n- " + ESSAY_ZH + "\n")
    doc = load_text(text, "essay.md")
    assert (doc.title_en, doc.title_zh) == ("An essay about a rainy week", "一篇关于雨季的作文")
    assert [p.text for p in doc.en] == ["Rain: A Week Indoors", ESSAY_EN]
    assert [p.text for p in doc.zh] == ["雨：室内的一周", ESSAY_ZH]
    assert [(tuple(p.en), tuple(p.zh)) for p in doc.pairs] == [((0,), (0,)), ((1,), (1,))]


def test_a_deck_line_in_one_language_only_is_not_read():
    text = ("## An essay about a rainy week\n- 一篇关于雨季的作文\n\n**Rain: A Week Indoors**\n\n"
            + ESSAY_EN + "\n\n- " + ESSAY_ZH + "\n")
    doc = load_text(text, "essay.md")
    assert [p.text for p in doc.en] == [ESSAY_EN]
    assert [p.text for p in doc.zh] == [ESSAY_ZH]


@pytest.mark.parametrize("zh_title, en_title", [
    ("河畔图书馆将从五月起每天开放到晚上十点，市议会称这项计划每年将花费约一百二十万元",
     "Riverside library to stay open until ten every night from May, council says, in a plan costing 1.2 million a year"),
])
def test_a_long_headline_marked_as_a_heading_is_the_title(zh_title, en_title):
    text = f"## {zh_title}\n\n### {en_title}\n\n{ROWS[0][0]}\n\n{ROWS[0][1]}\n"
    doc = load_text(text, "digest.md")
    assert (doc.title_zh, doc.title_en) == (zh_title, en_title)
    assert [p.text for p in doc.en] == [ROWS[0][1]]
    assert [p.text for p in doc.zh] == [ROWS[0][0]]


def test_a_heading_that_is_the_front_matter_title_without_its_name_is_the_title_and_mirrors_the_other():
    text = ("---\ntitle: \"On walking to school | A. Writer\"\ndate: 2021-03-04\n---\n\n"
            "这是我很喜欢的一篇短文，下面是原文和译文。\n\n### On walking to school\n\n"
            "Every morning I walk to school along the river, and the walk gives me time to think.\n\n"
            "### 走路上学\n\n每天早上我沿着河边走路上学，这段路让我有时间思考。\n")
    doc = load_text(text, "post.md")
    assert (doc.title_en, doc.title_zh) == ("On walking to school", "走路上学")
    assert doc.date == "2021-03-04"
    assert [p.text for p in doc.zh][-1] == "每天早上我沿着河边走路上学，这段路让我有时间思考。"


def test_two_headings_of_the_other_language_give_no_mirrored_title():
    text = ("---\ntitle: \"On walking to school | A. Writer\"\n---\n\n这是我很喜欢的一篇短文。\n\n"
            "### On walking to school\n\n"
            "Every morning I walk to school along the river, and the walk gives me time to think.\n\n"
            "### 早上\n\n每天早上我沿着河边走路上学。\n\n### 河边\n\n这段路让我有时间思考。\n")
    doc = load_text(text, "post.md")
    assert (doc.title_en, doc.title_zh) == ("On walking to school", None)
