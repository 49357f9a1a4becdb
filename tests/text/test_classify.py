"""The line rules, one row each: what a line is on its own (`classify_line`), and lines that are
paragraph text whatever they look like at first sight."""

from __future__ import annotations

import pytest

from listen.text.classify import classify_line, is_name_line, original_title

RULES = [
    # (line, hint, kind)
    ("", "figure", "figure"),
    ("---", "", "separator"),
    ("01", "", "separator"),
    ("2025年9月18日", "", "date"),
    ("Monday, 12 May 2025", "", "date"),
    ("来源:纽约时报    2021-04-20 06:11", "", "date"),
    ("2025/5/12", "", "date"),
    ("Home | Opinion | Transport", "links", "navigation"),
    ("■ Glossary 生字 /", "", "glossary-heading"),
    ("New Words", "heading", "glossary-heading"),
    ("Notes", "", "glossary-heading"),
    ("【編按：這封信寫於七月。】", "", "note"),
    ("(Editor's note: the speech was given in English.)", "", "note"),
    ("作者簡介：陳美玲，交通研究員。", "", "byline"),
    ("Translated by Jane Lee", "", "credit"),
    ("(Translated by Jane Lee, Harbour Daily/港灣日報李華)", "", "credit"),
    ("(By Mary Chan, Harbour Daily/港灣日報陳美玲)", "", "credit"),
    ("——本文2025年9月18日发布于港湾日报，英文原题为 Public bicycles need safer lanes", "", "credit"),
    ("Photo: Harbour Daily", "", "credit"),
    ("照片：港灣日報", "", "credit"),
    ("(資料圖片)", "", "credit"),
    ("【撰文：陳美玲】", "", "byline"),
    ("文：陳美玲", "", "byline"),
    ("文／陈美玲", "", "byline"),
    ("翻譯：李華", "", "credit"),
    ("译者/李华", "", "credit"),
    ("(责任编辑：李华_NQ0001)", "", "byline"),
    ("半月谈记者 史卫燕", "", "byline"),
    ("By Mary Chan", "", "byline"),
    ("BY MARY CHAN AND PETER WONG", "", "byline"),
    ("By Mary Chan, Staff Reporter", "", "byline"),
    ("Source: Reuters", "", "credit"),
    ("來源：明報", "", "metadata"),
    ("(English translation)", "", "metadata"),
    ("https://example.org/opinion/bikes", "", "metadata"),
    ("您已阅读5%(500字)，剩余95%(10269字)包含更多重要信息，订阅以继续探索完整内容。", "", "boilerplate"),
    ("© 2025 Harbour Daily. All rights reserved.", "", "boilerplate"),
    ("請加入成為本報的月費訂戶，長期支持我們的工作。", "", "boilerplate"),
    ("首页 |  双语新闻 |  双语读物 |  双语名著 |", "", "navigation"),
    ("[英文] [中文] [双语对照] [双语交替]", "", "navigation"),
    ("博客 | 讀者來論", "", "navigation"),
    ("Dear Lucy,", "", "salutation"),
    ("亲爱的露西：", "", "salutation"),
    ("尊敬的總理夫人：", "", "salutation"),
    ("All the best,", "", "sign-off"),
    ("祝你一切順利，", "", "sign-off"),
    ("陳大文、李小明、張美玲、黃志強", "", "byline"),
    ("Chan Tai Man, Lee Siu Ming, Wong Chi Keung, Cheung Mei Ling", "", "byline"),
    ("■ 社評", "", "metadata"),
    ("■ 小標題", "", "heading"),
    ("English 英文:", "", "label"),
    ("翻译成英文：", "", "label"),
    ("供過於求，為誰而建", "heading", "heading"),
    ("明報社評2025.05.12：中俄不會結盟 但會共同抵制美國", "", None),  # a title: the parser's (dated title)
]


@pytest.mark.parametrize("line, hint, kind", RULES, ids=[r[0][:30] or r[1] for r in RULES])
def test_rule(line, hint, kind):
    verdict = classify_line(line, hint)
    assert (verdict.kind if verdict else None) == kind
    if verdict is not None:
        assert 0 < verdict.confidence <= 1 and verdict.rule


PARAGRAPHS = [
    "By the time the ferry arrived, the pier was empty.",
    "Written by hand, the letter took a week to reach Lamma.",
    "The message was clear: the two countries will cooperate.",
    "A: Apart from the parks, is there anything else to see?",
    "Photographers gathered at the junction before dawn.",
    "用戶訂閱串流平台的費用，今年上升了百分之十二，不少家庭因此取消服務。",
    "The pro-Trump camp includes Israel, Russia, India, Hungary, Argentina and Saudi Arabia.",
    "Hello, and welcome to the harbour: the ferry now leaves every ten minutes.",
    "社評：加強長者數碼支援",
]


@pytest.mark.parametrize("line", PARAGRAPHS)
def test_paragraph_text_is_no_special_line(line):
    assert classify_line(line) is None


@pytest.mark.parametrize(
    "line, names",
    [("Mary Chan and Peter Wong", True), ("TIM BALK", True), ("Jane Lee, Reuters", True), ("Mary Chan", True),
     ("Public bicycles need safer lanes", False), ("China and Russia", False), ("Night ferries deserve a look", False),
     ("Trump and Xi Agree to Talk", False)],
)
def test_name_lines(line, names):
    assert is_name_line(line) == names


def test_original_title():
    assert original_title("——本文2024年10月22日发布于FT中文网，英文原题为 What the world thinks") == "What the world thinks"
    assert original_title("英文原題：中文") is None
