"""What a line is, judged on the line alone: byline, credit, date, heading, salutation, navigation...

`classify_line` applies explicit rules in order and returns the first `Verdict` (a kind, a
confidence from 0 to 1 and the rule's name), or None for an ordinary line: paragraph material.
What a line is in its context (a title, a subheading, a glossary entry, a run of navigation
links) the parser decides; it uses these verdicts for the lines that always stand alone.

Kinds (`KINDS`): the ones read aloud are paragraph, title, salutation and glossary entries; every
other kind is dropped, and `listen inspect` lists the dropped lines with their kind and rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import HEADING_MARK, glossary_heading
from .lang import ends_sentence, han_count, has_han, language_of, squash
from .metadata import find_date, metadata_line

__all__ = [
    "Verdict", "KINDS", "READ", "classify_line", "is_salutation", "is_sign_off", "is_name_line", "is_name_list", "original_title",
    "is_speaker_turn", "dated_header", "is_numbering", "section_label", "is_related_heading",
]

KINDS = (
    "paragraph", "title", "salutation", "sign-off", "glossary-heading", "glossary-entry",  # read
    "byline", "credit", "date", "metadata", "heading", "label", "navigation", "boilerplate", "note",
    "figure", "separator", "duplicate",  # dropped
)

# Kinds of a line that stands alone and is still read as a paragraph.
READ = frozenset({"paragraph", "salutation", "sign-off"})


@dataclass(frozen=True)
class Verdict:
    kind: str
    confidence: float
    rule: str


# ---------------------------------------------------------------------------------------------- rules

# `By Mary Chan`, `BY MARY CHAN AND PETER WONG`, `By Mary Chan, Staff Reporter`.
_BY_LINE = re.compile(r"^(?i:by|written by|words by|text by|story by)\s+(?P<names>[^,;:/|]+)(?P<rest>[,;/|].*)?$")
# Chinese bylines and credits: `【撰文：…】`, `文：…`, `文／…`, `（記者…）`, `译者/…`, `翻譯：…`.
_ZH_BY_WORDS = (
    r"撰文|撰稿|文|作者|記者|记者|通訊員|通讯员|特約記者|特约记者|譯|译|譯者|译者|翻譯|翻译|編譯|编译|中譯|中译|英譯|英译|"
    r"譯文|译文|審校|审校|校對|校对|責任編輯|责任编辑|責編|责编|編輯|编辑|主編|主编|攝影|摄影|圖|图|圖片|图片|插圖|插图|"
    r"來源|来源|出處|出处|資料來源|资料来源|原文|口述|整理|採訪|采访"
)
_ZH_BY = re.compile(
    r"^[【\[〔（(「]?\s*(?P<word>" + _ZH_BY_WORDS + r")\s*[:：︰／/|｜]\s*(?P<rest>[^。！？]{1,60}?)\s*[】\]〕）)」]?$")
_TRANSLATOR_WORDS = frozenset("譯 译 譯者 译者 翻譯 翻译 編譯 编译 中譯 中译 英譯 英译 譯文 译文 審校 审校 校對 校对".split())
# `半月谈记者 史卫燕`, `本報記者 陳大文 李小明`: a reporter's byline without a colon.
_ZH_REPORTER = re.compile(r"^[^\s，。]{0,10}(?:記者|记者|通訊員|通讯员|特約記者|特约记者)\s*(?:[\u3400-\u9fff·]{2,5}\s*){1,4}$")
_SOURCE_WORDS = frozenset("來源 来源 出處 出处 資料來源 资料来源".split())
_ZH_BY_BRACKET = re.compile(r"^[（(【\[](?:記者|记者|本報記者|本报记者|通訊員|通讯员)[^（）()\[\]【】]{1,30}[)）】\]]$")
# `Translated by Jane Lee`, `(Translated by Paul Cooper, Taipei Times/台北時報林俐凱)`, `Translation: Jane Lee`.
_EN_CREDIT = re.compile(
    r"^[(\[]?\s*(?i:translated|translation|compiled|edited|adapted|reported|interpreted|written|rendered|"
    r"english version|chinese version|chinese translation|english translation)\s*(?i:by|:)\s+"
    r"(?P<names>[A-Z\u3400-\u9fff][^,;:/|()\[\]]*)(?P<rest>.{0,120})$",
)
_PAREN_BY = re.compile(r"^[(\[]\s*by\s+[^()\[\]]{2,120}[)\]]$", re.I)
_PHOTO = re.compile(
    r"^[(\[（]?\s*(?:photo|photos|photograph|picture|image|illustration|video|graphic|source|credit|courtesy|"
    r"照片|圖片|图片|圖|图|攝|摄|資料圖片|资料图片|圖片來源|图片来源|視頻|视频)s?\s*(?:[:：︰]|by\b|credit\b)",
    re.I,
)
_PHOTO_WORDS = re.compile(r"^[(（\[]?(?:資料圖片|资料图片|網上圖片|网上图片|file photo|資料相片|图源网络|圖源網絡)[)）\]]?$", re.I)
# `——本文2022年12月2日发布于FT中文网，英文原题为…`, `本文原載於…`, `原文刊於…`.
_ZH_SOURCE = re.compile(
    r"^[—\-–(（【\[\s]*(?:本文|原文|此文|文章|英文原文|中文譯文|中文译文).{0,60}?(?:發佈|发布|發表|发表|刊登|刊於|刊于|原載|原载|載於|载于|"
    r"首發|首发|轉載|转载|翻譯|翻译|譯自|译自|來自|来自)"
)
_ORIGINAL_TITLE = re.compile(r"(?:英文原題|英文原题|英文標題|英文标题|原文標題|原文标题|原題|原题)\s*(?:為|为|是)?\s*[:：]?\s*(?P<title>[^。]+)$")
_EDITOR_NOTE = re.compile(
    r"^[【\[(（]?\s*(?:編按|编按|編者按|编者按|編註|编注|編者註|编者注|按|editor[’']?s[’']? note|note from the editor)\s*[:：︰]",
    re.I,
)
_AUTHOR_BIO = re.compile(
    r"^[【\[(（]?\s*(?:作者簡介|作者简介|作者介紹|作者介绍|關於作者|关于作者|about the authors?|the authors?)\s*[:：︰]", re.I)
# A list of names (signatures): `陳大文、李小明、張美玲、黃志強`, `Chan Tai Man, Lee Siu Ming, Wong Chi Keung, …`.
_ZH_NAME = re.compile(r"^[\u3400-\u9fff⺠-⿕]{2,4}$")
# Navigation: `Home | News | World`, `首页 > 双语新闻 > 正文`, `[英文] [中文] [双语对照]`.
_NAV_SPLIT = re.compile(r"\s*[|｜]\s*|\s+[>»›]\s+|\s+/\s+")
_BRACKET_TOKENS = re.compile(r"^(?:\s*[\[【][^\]【】]{0,12}[\]】]\s*){2,}$")
_NAV_WORDS = re.compile(
    r"^(?:home|homepage|back|back to top|top|menu|search|login|log in|sign in|sign up|register|share|share this|"
    r"print|email|previous|next|more|read more|related|related articles|related stories|recommended|advertisement|"
    r"advertising|sponsored|comments?|\d+ comments?|leave a comment|首页|首頁|主頁|主页|返回|返回頂部|返回顶部|上一篇|下一篇|"
    r"上一頁|下一頁|上一页|下一页|分享|分享到|列印|打印|列印本文|相關文章|相关文章|相關閱讀|相关阅读|延伸閱讀|延伸阅读|"
    r"推薦閱讀|推荐阅读|熱門|热门|最新|廣告|广告|留言|評論|评论|更多|閱讀更多|阅读更多|登入|登錄|登录|註冊|注册)"
    r"\s*[:：>»]?$",
    re.I,
)
_BOILERPLATE = re.compile(
    r"您已閱讀|您已阅读|剩餘\s*\d+\s*%|剩余\s*\d+\s*%|版權所有|版权所有|all rights reserved|copyright\s*(?:©|\(c\)|\d{4})|"
    r"©\s*\d{4}|不得轉載|不得转载|未經授權|未经授权|掃描二維碼|扫描二维码|click here|點擊這裡|点击这里|瀏覽方式|浏览方式|"
    r"目前分類|目前分类|發表在\s*痞客邦|留言\s*\(\d+\)|人氣\s*\(|人气\s*\(|了解详情|了解詳情|查看详情|查看詳情|》》》|《《《|"
    r"bookmark the permalink|永久链接添加书签|永久鏈接添加書籤",
    re.I,
)
# Site words that are boilerplate only on a short line (a paragraph may speak of subscriptions).
_SHORT_BOILERPLATE = re.compile(r"訂閱|订阅|訂戶|订户|subscribe|subscription|follow us|關注我們|关注我们|newsletter", re.I)
# What a site asks its readers (a paragraph may speak of subscriptions, but not like this).
_CALL_TO_ACTION = re.compile(
    r"請|请|歡迎|欢迎|立即|馬上|马上|加入|成為|成为|我們|我们|本報|本报|本刊|本網|本网|click|join|sign up|now\b|our\b|"
    r"today\b|free\b|網址|网址|https?://|www\.", re.I)
# A salutation: `Dear Lucy,`, `亲爱的露西：`, `尊敬的總理默克爾夫人：`, `To whom it may concern:`.
_EN_SALUTATION = re.compile(
    r"^(?:dear|dearest|my dear|hi|hello|greetings|to whom it may concern|ladies and gentlemen)\b[^.!?;]{0,60}[,:!]?$",
    re.I,
)
# The close of a letter: `All the best,`, `Yours sincerely,`, `祝你一切順利，`, `此致`.
_EN_VALEDICTION = re.compile(
    r"^(?:yours(?: sincerely| faithfully| truly| ever)?|sincerely(?: yours)?|best(?: wishes| regards)?|all the best|"
    r"kind regards|warm regards|best regards|regards|with (?:love|best wishes|thanks|gratitude|warm regards)|love|"
    r"cheers|many thanks|thanks again|take care|see you soon)\b[^.!?;]{0,30}[,!]?$",
    re.I,
)
_ZH_VALEDICTION = re.compile(r"^(?:祝|此致|敬祝|順祝|顺祝|謹祝|谨祝|敬上|謹上|谨上|愛你的|爱你的|你的朋友|想念你的)[^。；]{0,16}[，,！!]?$")
_ZH_SALUTATION = re.compile(r"^(?:親愛的|亲爱的|敬愛的|敬爱的|尊敬的|各位|致)[^。！？；]{1,40}[：:，,！!]?$")
# A label over a block: `English 英文:`, `翻译成英文：`, `中文翻譯：`, `Translation:`.
_LABEL_END = re.compile(r"[:：︰]$")
# A line of personal names: `Mary Chan and Peter Wong`, `TIM BALK`, `Jane Lee, Reuters`.
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z’'\-]+|[A-Z]{2,}|[A-Z]\.|[A-Z][a-z]+-[A-Z]?[a-z]+|Mc[A-Z][a-z]+|O’[A-Z][a-z]+)$")
_NAME_JOINERS = frozenset({"and", "&", "with"})
_NOT_NAMES = frozenset(
    "The A An Of In On At For To From With By And Or But Is Are Was Were Be Been Has Have Had Will Would Can Could "
    "Should Must May Might Not No New Old How Why What When Where Who Which This That These Those It Its Our Your "
    "Their His Her My We You They He She Need Needs Needed Make Makes Get Gets More Less Most Than Over Under After "
    "Before Into Out Up Down About Against Between Through Hong Kong China Chinese British English America American "
    "Editorial Glossary Vocabulary Notes News Daily Times Post Review Opinion Analysis Comment Letter Letters Part "
    "Chapter Section Dear Hi Hello Day Days Year Years City Government Policy Law Court People Time World".split()
)
# A numbering mark alone on its line: `一、`, `（三）`, `第二段`: the item's number, not its text.
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(](?:[一二三四五六七八九十]{1,3}|\d{1,3})[)）]|第[一二三四五六七八九十\d]{1,3}[段篇部節节])$")
_SPEAKER = re.compile(r"^(?:[A-Z]|[A-Z][a-z]{1,15}|[\u3400-\u9fff]{1,4})\s*[:：]\s*\S")
_ONLY_SEPARATORS = re.compile(r"^[\W_]+$")
# The alt text of a row of image cells copied as text (`A<TAB>A`, `B  B`): one or two letters repeated.
_CELL_LETTERS = re.compile(r"^([A-Za-z]{1,2})(?:\s+\1)+$")
# A letter's signature left as a placeholder (`[Your Name]`, `[你的名字]`): read under the close.
_NAME_PLACEHOLDER = re.compile(
    r"^[\[【(（]\s*(?:(?:your|my)\s+(?:full\s+)?name|name|(?:你的|您的|我的)?(?:名字|姓名|签名|簽名))\s*[\]】)）]$", re.I
)


def is_salutation(text: str) -> bool:
    """`Dear Lucy,`, `亲爱的露西：`: the opening of a letter (a paragraph, never a title)."""
    if len(text) > 80:
        return False
    return bool(_EN_SALUTATION.match(text) if language_of(text) == "en" else _ZH_SALUTATION.match(text))


def is_sign_off(text: str) -> bool:
    """`All the best,`, `祝你一切順利，`: the close of a letter (a paragraph of its own)."""
    if len(text) > 60:
        return False
    return bool(_EN_VALEDICTION.match(text) if language_of(text) == "en" else _ZH_VALEDICTION.match(text))


def is_speaker_turn(text: str) -> bool:
    """`A: …`, `Chan: …`, `主持：…`: a turn of a dialogue (a paragraph, never a title)."""
    return bool(_SPEAKER.match(text)) and ends_sentence(text)


def is_name_line(text: str) -> bool:
    """A line of one to four personal names and nothing else (`Mary Chan and Peter Wong`, `TIM BALK`,
    `Jane Lee, Reuters`): a byline when it sits by a title or at the end of an article."""
    if len(text) > 90 or ends_sentence(text) and not text.endswith("."):
        return False
    words = [w for w in re.split(r"[\s,]+", text.strip(" ,;")) if w]
    if not 2 <= len(words) <= 12 or words[0].lower() in _NAME_JOINERS:
        return False
    names = 0
    run = 0
    for w in words:
        if w.lower() in _NAME_JOINERS:
            if run == 0:
                return False
            run = 0
            continue
        if w in _NOT_NAMES or not _NAME_WORD.match(w):
            return False
        run += 1
        if run > 4:
            return False
        names += run == 1
    if names >= 2 and all(len(w) > 0 for w in words) and not any(
            a.lower() not in _NAME_JOINERS and b.lower() not in _NAME_JOINERS for a, b in zip(words, words[1:])):
        return False  # single words joined by `and` (`Reading and Writing`): no full names
    return names <= 4 and run != 0


def _names(text: str) -> bool:
    """`Mary Chan`, `MARY CHAN AND PETER WONG`, `Mary Chan and Peter Wong`: names only."""
    words = text.split()
    if not 1 <= len(words) <= 10:
        return False
    return all(w.lower() in _NAME_JOINERS or (_NAME_WORD.match(w) and w not in _NOT_NAMES) for w in words) \
        and words[0].lower() not in _NAME_JOINERS and words[-1].lower() not in _NAME_JOINERS


def is_name_list(text: str) -> bool:
    """Four or more personal names and nothing else, separated by commas (signatures)."""
    if ends_sentence(text) and not text.endswith("."):
        return False
    parts = [p.strip(" .") for p in re.split(r"[、，,;；]|\band\b", text) if p.strip(" .")]
    if len(parts) < 4:
        return False
    if has_han(text):
        return all(_ZH_NAME.match(p) for p in parts)
    return all(1 <= len(p.split()) <= 5 and _names(p) for p in parts)


def original_title(text: str) -> str | None:
    """The English title a Chinese credit line gives (`英文原题为 …`)."""
    m = _ORIGINAL_TITLE.search(text)
    if not m:
        return None
    title = m.group("title").strip(" 》《“”\"'。，,")
    return title if language_of(title) == "en" else None


# A breadcrumb: `学习啦 > 学习英语 > 英语阅读 > 双语文章:我是…`, `当前位置:文档之家› 《经济学家》读译参考`.
_CRUMB_SPLIT = re.compile(r"\s*[>»›]\s*")
_WHERE_YOU_ARE = re.compile(r"^(?:当前位置|當前位置|您的位置|你的位置|您现在的位置|您現在的位置|现在位置|位置|you are here)\s*[:：]", re.I)


def _breadcrumb(text: str) -> bool:
    parts = [p for p in _CRUMB_SPLIT.split(text) if p.strip()]
    if len(parts) < 2 or ends_sentence(text):
        return False
    if _WHERE_YOU_ARE.match(text):
        return True
    # Three steps or more, all short but the last (the page's own title).
    return len(parts) >= 3 and all((han_count(p) <= 8 if has_han(p) else len(p.split()) <= 4) for p in parts[:-1])


# The heading of a list of links to other pages, in one language or both (`相关信息Related information`).
_RELATED_ZH = r"(?:相关信息|相關信息|相关链接|相關鏈接|相關連結|相关文章|相關文章|相关阅读|相關閱讀|延伸阅读|延伸閱讀|相关报道|相關報導)"
_RELATED_EN = r"(?:related (?:information|links?|articles?|stories|reading|content|coverage)|see also|further reading)"
_RELATED = re.compile(rf"^(?:{_RELATED_ZH}\s*{_RELATED_EN}?|{_RELATED_EN}\s*{_RELATED_ZH}?)\s*[:：]?$", re.I)


def is_related_heading(text: str) -> bool:
    """`Related information`, `延伸阅读`, `相关信息Related information`: the items under it link elsewhere."""
    return bool(_RELATED.match(_LABEL_STRIP.sub(" ", text).strip()))


def _navigation(text: str) -> bool:
    if _BRACKET_TOKENS.match(text) or _breadcrumb(text):
        return True
    parts = [p for p in _NAV_SPLIT.split(text) if p.strip()]
    if len(parts) >= 2 and ("|" in text or "｜" in text or len(parts) >= 3):
        limit = 8 if len(parts) >= 3 else 6
        short = sum(1 for p in parts if (han_count(p) <= limit if has_han(p) else len(p.split()) <= limit // 2))
        return short == len(parts) and not ends_sentence(text)
    return bool(_NAV_WORDS.match(text))


def _label(text: str) -> bool:
    if not _LABEL_END.search(text):
        return False
    body = text[:-1].strip()
    if not body or ends_sentence(body):
        return False
    if has_han(body):
        return han_count(body) <= 12 and len(body.split()) <= 4
    return len(body.split()) <= 3


def classify_line(text: str, hint: str = "") -> Verdict | None:
    """The kind of a line that always stands alone, or None for paragraph material."""
    s = text.strip()
    if hint == "figure":
        return Verdict("figure", 0.95, "an image or figure (markup)")
    if not s or language_of(s) is None:
        if find_date(s)[0]:
            return Verdict("date", 0.95, "a date")
        return Verdict("separator", 0.95, "no letters") if not re.search(r"\d", s) or _ONLY_SEPARATORS.match(s) \
            else Verdict("separator", 0.8, "numbers only")
    if hint == "links":
        return Verdict("navigation", 0.8, "links only (markup)")
    if _CELL_LETTERS.match(s):
        return Verdict("figure", 0.8, "a letter repeated (the alt text of image cells)")
    if _NAME_PLACEHOLDER.match(s):
        return Verdict("sign-off", 0.75, "a name placeholder (a letter's signature)")
    strength = glossary_heading(s)
    if strength == 2:
        return Verdict("glossary-heading", 0.95, "glossary heading")
    if strength == 1:
        return Verdict("glossary-heading", 0.5, "'Notes'-like heading (a glossary only if entries follow)")
    if len(s) <= 600:
        if _EDITOR_NOTE.match(s):
            return Verdict("note", 0.75, "editor's note")
        if _AUTHOR_BIO.match(s):
            return Verdict("byline", 0.8, "about the author")
    if len(s) <= 200:
        m = _EN_CREDIT.match(s)
        if (m and (has_han(m.group("names")) or _names(m.group("names")))) or _PAREN_BY.match(s):
            return Verdict("credit", 0.9, "translation or author credit")
        if _ZH_SOURCE.match(s) or original_title(s):
            return Verdict("credit", 0.85, "where the article was first published")
        if _PHOTO.match(s) or _PHOTO_WORDS.match(s):
            return Verdict("credit", 0.85, "photo or source credit")
        m = _ZH_BY.match(s)
        if m and (m.group("word") != "文" or len(m.group("rest")) <= 20):
            word = m.group("word")
            kind = "credit" if word in _TRANSLATOR_WORDS else "metadata" if word in _SOURCE_WORDS else "byline"
            if kind == "metadata" and find_date(s)[0]:
                return Verdict("date", 0.9, f"source and date ({word})")
            return Verdict(kind, 0.9, f"{kind} ({m.group('word')})")
        if _ZH_BY_BRACKET.match(s) or _ZH_REPORTER.match(s):
            return Verdict("byline", 0.85, "reporter in brackets")
        m = _BY_LINE.match(s)
        if m and _names(m.group("names")) and not ends_sentence(s.rstrip(".")):
            return Verdict("byline", 0.9, "By …")
    is_meta, iso = metadata_line(s)
    if is_meta:
        if iso:
            return Verdict("date", 0.95, "a date")
        return Verdict("metadata", 0.9, "source, byline, URL or label")
    if len(s) <= 160 and _BOILERPLATE.search(s):
        return Verdict("boilerplate", 0.8, "paywall, copyright or site text")
    if len(s) <= 60 and _SHORT_BOILERPLATE.search(s) and _CALL_TO_ACTION.search(s):
        return Verdict("boilerplate", 0.6, "a short subscription or follow line")
    if len(s) <= 120 and _navigation(s):
        return Verdict("navigation", 0.75, "menu or breadcrumb")
    if is_salutation(s):
        return Verdict("salutation", 0.9, "salutation")
    if is_sign_off(s):
        return Verdict("sign-off", 0.8, "the close of a letter")
    if is_name_list(s):
        return Verdict("byline", 0.75, "a list of names (signatures)")
    if HEADING_MARK.match(s) and hint != "heading":
        return Verdict("heading", 0.9, "heading mark (■, #, ...)")
    if _NUMBERING.match(s):
        return Verdict("label", 0.8, "a numbering mark alone")
    if _label(s) or (hint == "strong" and _LABEL_END.search(s) and len(s) <= 40):
        return Verdict("label", 0.7, "a short label ending with a colon")
    if hint == "heading" and len(s) <= 150 and len(re.findall(r"[.!?。！？]\s", s + " ")) <= 1:
        return Verdict("heading", 0.95, "heading (markup)")
    return None


def is_numbering(text: str) -> bool:
    """`一、`, `（三）`: a numbering mark alone on its line."""
    return bool(_NUMBERING.match(text.strip()))


# Labels that open the notes of a study text (what follows is read by no one: explanations, example
# sentences, vocabulary) and labels that open the text itself again.
_NOTE_LABELS = frozenset(
    "学习 學習 注释 注釋 註釋 注解 註解 解析 笔记 筆記 讲解 講解 分析 句子结构分析 句子結構分析 结构分析 結構分析 词组 詞組 短语 短語 "
    "语法 語法 语法点 語法點 知识点 知識點 重点 重點 难点 難點 例句 例子 后记 後記 附记 附記 study studynotes analysis postscript".split()
)
_TEXT_LABELS = frozenset(
    "原文 译文 譯文 正文 参考译文 參考譯文 中文 英文 中译 中譯 英译 英譯 original originaltext translation "
    "正文开始 正文開始 全文如下 双语全文如下 雙語全文如下 以下为正文 以下是正文 以下為正文".split())
# A remark in brackets after a label (`译文（译者不详）：`), read as part of the label.
_LABEL_REMARK = re.compile(r"[（(][^（）()]{0,80}[）)]\s*[:：]$")
_LABEL_STRIP = re.compile(r"[\s*_#【】\[\]〔〕（）()「」:：︰■◆●▌]+")


def section_label(text: str) -> str | None:
    """"notes" for a label that opens a study text's notes (`学习：`, `**句子结构分析**`, `## 后记`),
    "text" for one that opens its text (`原文：`, `译文：`), None for any other line."""
    if _LABEL_REMARK.search(text):
        text = _LABEL_REMARK.sub("：", text)
    if len(text) > 30:
        return None
    bare = _LABEL_STRIP.sub("", text).lower().rstrip("。.")
    if bare in _NOTE_LABELS:
        return "notes"
    if bare in _TEXT_LABELS:
        return "text"
    return None


def dated_header(text: str) -> str | None:
    """`我是小F FT每日英语 2022-12-05`: a short line with a date and no sentence in it; its date."""
    if len(text) > 40 or ends_sentence(text):
        return None
    iso, m = find_date(text)
    if iso is None:
        return None
    rest = (text[: m.start()] + text[m.end():]).strip()
    return iso if len(squash(rest)) <= 20 else None
