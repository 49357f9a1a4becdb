"""Layouts of articles copied from learners' sites, PDFs and e-books, found on a held-out corpus of
real bilingual articles (never in the repository): each class written out with an original
article, in Simplified and Traditional, in the orders the class comes in. The front end must give
back exactly the paragraphs, pairs and glossary.

- a PDF copy: every line of a hard-wrapped paragraph followed by a blank line;
- a dictionary-style vocabulary line (`noose：美 [nus] 活扣；绳套`) over the article or between blocks,
  and a numbered vocabulary box (`1 literature n. 文學`);
- a study text: `原文：` sections, each followed by `学习：` notes (vocabulary, explanations, example
  sentences) and a `后记` at the end; numbered items (`一、`) with a `**句子结构分析**` list;
- a site's name stamped at the start of lines (`学习啦在线学习网   …`);
- a page copied with one paragraph per line and no blank line, titles and vocabulary in the block.
"""

from __future__ import annotations

import textwrap

import pytest

from listen.text import load_text

EN = (
    "The new riverside library opened on Saturday after six years of delays. More than three thousand "
    "residents queued outside before the doors opened at nine, and the children's floor was full within an hour.",
    "Officials say the building cost 480 million dollars, twice the first estimate. Critics argue the money "
    "would have been better spent on the branch libraries that closed in 2019, but most visitors seemed "
    "pleased with the result.",
)
ZH = {
    "simplified": (
        "延误六年之后，新的河畔图书馆于周六开馆。九点开门之前，三千多名居民已在门外排队，儿童楼层不到一小时就挤满了人。",
        "官员表示，大楼耗资4.8亿元，是最初估算的两倍。批评者认为，这笔钱本应用于2019年关闭的分馆，但大多数访客似乎对结果感到满意。",
    ),
    "traditional": (
        "延誤六年之後，新的河畔圖書館於週六開館。九點開門之前，三千多名居民已在門外排隊，兒童樓層不到一小時就擠滿了人。",
        "官員表示，大樓耗資4.8億元，是最初估算的兩倍。批評者認為，這筆錢本應用於2019年關閉的分館，但大多數訪客似乎對結果感到滿意。",
    ),
}
TITLE_EN = "A library at last"
TITLE_ZH = {"simplified": "图书馆终于开馆", "traditional": "圖書館終於開館"}
VOCAB = {  # dictionary-style lines: term, pronunciation, senses separated by semicolons
    "simplified": ("riverside：美 [ˈrɪvərsaɪd] 河畔；河边", "queue：英 [kjuː] 排队；队列；（queue的现在分词）",
                   "estimate: 估算；估计"),
    "traditional": ("riverside：美 [ˈrɪvərsaɪd] 河畔；河邊", "queue：英 [kjuː] 排隊；隊列；（queue的現在分詞）",
                    "estimate: 估算；估計"),
}
SCRIPTS = ("simplified", "traditional")
ONE_TO_ONE = [((0,), (0,)), ((1,), (1,))]


def pairs_of(doc):
    return [(tuple(p.en), tuple(p.zh)) for p in doc.pairs]


def spaced(paragraph: str, width: int = 64) -> str:
    """A paragraph as a PDF copy gives it: hard-wrapped, a blank line after every line."""
    return "\n\n".join(textwrap.wrap(paragraph, width))


def read(text: str, name: str = "article.txt"):
    return load_text(text, name)


# ----------------------------------------------------------------------------------- PDF copies


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("order", ("interleaved", "en-first"))
def test_a_hard_wrapped_paragraph_with_a_blank_line_after_every_line_is_one_paragraph(order, script):
    zh = ZH[script]
    if order == "interleaved":
        body = [TITLE_EN, spaced(EN[0]), zh[0], spaced(EN[1]), zh[1]]
    else:
        body = [TITLE_EN, spaced(EN[0]), spaced(EN[1]), zh[0], zh[1]]
    doc = read("\n\n".join(body) + "\n")
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
    assert doc.title_en == TITLE_EN


def test_a_word_hyphenated_at_a_spaced_line_end_is_joined():
    lines = ["The union said on Tuesday that the new rules would leave behind a self-",
             "censoring press, and the editors who stayed agreed with it in private, if",
             "not in public, while the owners kept their counsel and their advertisers",
             "too. Nobody expects the rules to be used often; they will not need to be",
             "used at all."]
    text = "\n\n".join(lines) + "\n\n工會周二表示，新規則留下的將是一個自我審查的新聞界；留下來的編輯私下同意，東主則不置可否。\n"
    doc = read(text)
    assert [p.text for p in doc.en] == [
        "The union said on Tuesday that the new rules would leave behind a self-censoring press, and the editors "
        "who stayed agreed with it in private, if not in public, while the owners kept their counsel and their "
        "advertisers too. Nobody expects the rules to be used often; they will not need to be used at all."]
    assert len(doc.zh) == 1


def test_one_paragraph_per_line_with_blank_lines_is_not_taken_for_a_pdf_copy():
    # Long lines that end sentences are paragraphs, even with a line that ends without a full stop.
    en = ["The first paragraph is long enough to fill a line on any screen and it ends with a full stop.",
          "The second one has no full stop at the end because its writer forgot to put one there",
          "The third paragraph is again an ordinary one and it ends the way paragraphs usually end."]
    zh = ["第一段夠長，在任何屏幕上都能佔滿一行，並以句號結束。", "第二段結尾沒有句號，因為作者忘了加上", "第三段又是普通的一段，像一般段落那樣結束。"]
    doc = read("\n\n".join(en + zh) + "\n")
    assert [p.text for p in doc.en] == en
    assert [p.text for p in doc.zh] == zh


# ------------------------------------------------------------------------- vocabulary lines


@pytest.mark.parametrize("script", SCRIPTS)
def test_dictionary_style_vocabulary_over_the_article_and_between_the_blocks(script):
    zh, vocab = ZH[script], VOCAB[script]
    text = "\n\n".join([f"# {TITLE_EN}", vocab[0], EN[0], zh[0], vocab[1], vocab[2], EN[1], zh[1],
                        vocab[0].replace("riverside", "delay").replace("[ˈrɪvərsaɪd]", "[dɪˈleɪ]")]) + "\n"
    doc = load_text(text, "article.md")
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
    assert [g.term for g in doc.glossary] == ["riverside", "queue", "estimate", "delay"]
    senses = {g.term: g.zh for g in doc.glossary}
    assert senses["queue"] == vocab[1].split("] ")[1]  # the senses, the remark in brackets with them
    assert senses["estimate"] == vocab[2].split(": ")[1]


@pytest.mark.parametrize("script", SCRIPTS)
def test_one_pronounced_word_between_a_translation_and_the_next_paragraph_is_glossary(script):
    zh = ZH[script]
    text = "\n\n".join([EN[0], zh[0], "delay：美 [dɪˈleɪ] 延误；耽搁", EN[1], zh[1]]) + "\n"
    doc = read(text)
    assert [p.text for p in doc.zh] == list(zh)
    assert [g.term for g in doc.glossary] == ["delay"]


def test_a_chinese_sentence_with_semicolons_is_no_vocabulary():
    text = "\n\n".join([EN[0], "Note: 这不是词汇；而是一句说明。", EN[1]]) + "\n"
    doc = read(text)
    assert not doc.glossary


# -------------------------------------------------------------------------------- study texts


@pytest.mark.parametrize("script", SCRIPTS)
def test_study_notes_between_the_sections_are_not_read(script):
    zh = ZH[script]
    note = {"simplified": "这里的 queue 是指人们按先后次序等候。", "traditional": "這裡的 queue 是指人們按先後次序等候。"}[script]
    example_zh = {"simplified": "中文：我们排了一个小时的队。", "traditional": "中文：我們排了一個小時的隊。"}[script]
    text = "\n\n".join([
        f"# {TITLE_EN}", "原文：", spaced(EN[0]), zh[0],
        "学习：", VOCAB[script][1], f">{note}\n>\n>- **英文**：We queued for an hour.\n>- **{example_zh}**",
        "原文：", spaced(EN[1]), zh[1],
        "学习：", VOCAB[script][2], "## 后记", "2024年7月31日16点18分于上海。",
    ]) + "\n"
    doc = load_text(text, "article.md")
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
    assert [g.term for g in doc.glossary] == ["queue", "estimate"]
    kinds = {d.text: d.kind for d in doc.dropped}
    assert kinds["学习："] == "label"
    assert kinds[note] == "note"


@pytest.mark.parametrize("script", SCRIPTS)
def test_numbered_items_with_a_sentence_analysis_list(script):
    zh = ZH[script]
    analysis = "**句子结构分析**" if script == "simplified" else "**句子結構分析**"
    items = ("- **主句**：*The new riverside library opened on Saturday*（新的河畔图书馆于周六开馆）",
             "- **时间状语**：*after six years of delays*（延误六年之后）")
    text = "\n\n".join(["一、", EN[0], zh[0], analysis, "\n".join(items), "二、", EN[1], zh[1]]) + "\n"
    doc = load_text(text, "article.md")
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
    assert {d.text: d.kind for d in doc.dropped}["一、"] == "label"


# --------------------------------------------------------------------------------- copied pages


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_site_name_stamped_at_the_start_of_lines_is_taken_away(script):
    zh = ZH[script]
    stamp = "学习网在线学习"
    text = "\n\n".join([f"{stamp}   {EN[0]}", f"{stamp}   {zh[0]}", f"{stamp}   {EN[1]}", zh[1]]) + "\n"
    doc = read(text)
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert any(stamp in n for n in doc.notes)


def test_a_word_repeated_at_the_start_of_two_lines_is_kept():
    text = "\n\n".join([f"Officials   {EN[0]}", f"Officials   {EN[1]}", ZH["simplified"][0], ZH["simplified"][1]])
    doc = read(text + "\n")
    assert doc.en[0].text.startswith("Officials")
    assert not doc.notes or not any("prefix" in n for n in doc.notes)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_page_copied_one_paragraph_per_line_without_blank_lines(script):
    zh = ZH[script]
    gloss = ("1 riverside n. 河畔", "2 estimate n. 估算", "3 branch library 分館" if script == "traditional" else
             "3 branch library 分馆")
    text = "\n".join([TITLE_ZH[script], zh[0], zh[1], TITLE_EN, EN[0], EN[1], *gloss]) + "\n"
    doc = read(text)
    assert [p.text for p in doc.en] == list(EN)
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
    assert (doc.title_en, doc.title_zh) == (TITLE_EN, TITLE_ZH[script])
    assert [g.term for g in doc.glossary] == ["riverside", "estimate", "branch library"]


# ------------------------------------------------------------------------- titles of copied pages

LEAD = {"simplified": "本栏每周选一篇双语新闻，供读者对照阅读，今天这篇讲的是一座新图书馆，希望大家喜欢。",
        "traditional": "本欄每週選一篇雙語新聞，供讀者對照閱讀，今天這篇講的是一座新圖書館，希望大家喜歡。"}


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("title", ("two-lines", "one-line-en-first", "one-line-zh-first"))
def test_a_title_in_both_languages_after_a_sites_lead(title, script):
    zh = ZH[script]
    heading = {
        "two-lines": f"{TITLE_EN}\n{TITLE_ZH[script]}",
        "one-line-en-first": f"{TITLE_EN} {TITLE_ZH[script]}",
        "one-line-zh-first": f"{TITLE_ZH[script]}{TITLE_EN}",
    }[title]
    site = "双语新闻 - 英语学习" if script == "simplified" else "雙語新聞 - 英語學習"
    text = "\n\n".join([site, LEAD[script], heading, EN[0], zh[0], EN[1], zh[1]]) + "\n"
    doc = read(text)
    assert (doc.title_en, doc.title_zh) == (TITLE_EN, TITLE_ZH[script])
    assert [p.text for p in doc.zh] == [LEAD[script], *zh]  # the lead is read, on its own
    assert [p.text for p in doc.en] == list(EN)
    assert pairs_of(doc) == [((), (0,)), ((0,), (1,)), ((1,), (2,))]
    assert [p.kind for p in doc.zh] == ["lead", "paragraph", "paragraph"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_translated_standfirst_is_read_and_an_untranslated_one_is_not(script):
    zh = ZH[script]
    deck_en = "Queues and complaints on the first day of a long-awaited building"
    deck_zh = "期待已久的大楼开馆首日，有人排队也有人抱怨" if script == "simplified" else "期待已久的大樓開館首日，有人排隊也有人抱怨"
    text = "\n\n".join([f"{TITLE_EN} {TITLE_ZH[script]}", "From the print edition", deck_en, deck_zh,
                        EN[0], zh[0], EN[1], zh[1]]) + "\n"
    doc = read(text)
    assert [p.text for p in doc.en] == [deck_en, *EN]
    assert [p.text for p in doc.zh] == [deck_zh, *zh]
    assert pairs_of(doc) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    # Without its translation, the standfirst is a subtitle (not read).
    doc = read("\n\n".join([TITLE_EN, deck_en, EN[0], EN[1], TITLE_ZH[script], zh[0], zh[1]]) + "\n")
    assert [p.text for p in doc.en] == list(EN)


def test_a_word_list_is_no_title():
    # Lines of `term 释义` in a quoted vocabulary box are entries even when one reads like a title.
    text = ("> chart a new course 开辟新道路；制定新规划\n> resolve 决心\n\n" + EN[0] + "\n\n" + ZH["simplified"][0] + "\n")
    doc = load_text(text, "article.md")
    assert doc.title_en is None and doc.title_zh is None
    assert [g.term for g in doc.glossary] == ["chart a new course", "resolve"]


@pytest.mark.parametrize("crumb", (
    "学习网 > 学习英语 > 英语阅读 > 双语文章：图书馆终于开馆",
    "当前位置:文档之家› 双语阅读",
    "Home » Learning » Bilingual reading » A library at last",
))
def test_a_breadcrumb_is_navigation_not_the_title(crumb):
    zh = ZH["simplified"]
    doc = read("\n\n".join([crumb, TITLE_ZH["simplified"], zh[0], zh[1], TITLE_EN, EN[0], EN[1]]) + "\n")
    assert (doc.title_en, doc.title_zh) == (TITLE_EN, TITLE_ZH["simplified"])
    assert {d.text: d.kind for d in doc.dropped}[crumb] == "navigation"
    assert pairs_of(doc) == ONE_TO_ONE


# --------------------------------------------------------------- found on the second held-out batch


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_translation_after_a_translation_label_is_read(script):
    zh = ZH[script]
    text = "\n".join(["Reading and Writing", "翻译:阅读与写作", EN[0], "翻译:" + zh[0], EN[1], "译文：" + zh[1]]) + "\n"
    doc = read(text)
    assert [p.text for p in doc.zh] == list(zh)
    assert [p.text for p in doc.en] == list(EN)
    assert pairs_of(doc) == ONE_TO_ONE
    assert (doc.title_en, doc.title_zh) == ("Reading and Writing", "阅读与写作")


def test_a_translators_credit_after_the_label_stays_a_credit():
    doc = read("\n\n".join([EN[0], ZH["simplified"][0], "翻译：陈大文"]) + "\n")
    assert {d.text: d.kind for d in doc.dropped}["翻译：陈大文"] == "credit"


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_hard_wrapped_english_paragraph_over_a_long_chinese_line_stays_whole(script):
    zh = ZH[script]
    wrapped = "\n".join(textwrap.wrap(EN[0] + " " + EN[1], 78))
    doc = read(wrapped + "\n" + zh[0] + zh[1] + "\n")
    assert [p.text for p in doc.en] == [EN[0] + " " + EN[1]]


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_page_heading_repeated_above_a_title_pair(script):
    zh = ZH[script]
    page = "每日双语新闻:图书馆与城市 Daily bilingual news"
    promo = "双语精讲课重磅首发,》》》》了解详情《《《《《"
    text = "\n\n".join([page, page, promo, f"{TITLE_EN}\n{TITLE_ZH[script]}", EN[0], zh[0], EN[1], zh[1]]) + "\n"
    doc = read(text)
    assert (doc.title_en, doc.title_zh) == (TITLE_EN, TITLE_ZH[script])
    assert [p.text for p in doc.zh] == list(zh)
    assert pairs_of(doc) == ONE_TO_ONE
