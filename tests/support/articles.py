"""Bilingual articles written for the layout tests, and the layouts real pages put them in.

An `Article` is what the front end must find: the titles, the date, the English and Chinese
paragraphs, their pairs and the glossary. `render` lays an article out as plain text or markdown in
one of the orders real pages use (the English block first, the Chinese block first, or the two
interleaved) with the extras that broke the parser on real pages (`EXTRAS`: bylines, credits, a
bare Chinese title, two-line paragraphs, ...); whatever the layout, parsing it must give the
article back. The texts are original (written for these tests), in Traditional and Simplified.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "Article", "Entry", "bikes", "letter", "plan", "render", "expected_glossary", "Layout", "EXTRAS", "ORDERS",
]


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str
    zh: str | None


@dataclass(frozen=True)
class Article:
    title_en: str | None
    title_zh: str | None
    date: str | None
    en: tuple[str, ...]
    zh: tuple[str, ...]
    pairs: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    glossary: tuple[Entry, ...] = ()
    script: str = "traditional"
    bullets: bool = False  # the English paragraphs are list items


def _one_to_one(n: int) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    return tuple(((k,), (k,)) for k in range(n))


# ------------------------------------------------------------------------------- the articles

_BIKES_EN = (
    "Three years after the first docking stations opened in Sha Tin, the public bicycle scheme has 4,200 "
    "bikes and more than 60,000 registered riders. Most trips are shorter than five kilometres.",
    "Riders say the problem is not the bikes but the roads. Cycle lanes stop suddenly at junctions, and in "
    "2024 the police recorded 1,380 accidents involving bicycles, a rise of 12 per cent.",
    "The Transport Department should join the missing sections before it adds more stations. Linking the "
    "lanes along the Shing Mun River alone would take 18 months and cost about HK$90 million.",
    "A city that asks people to leave their cars at home must give them a safe way to ride. Paint on the "
    "road is not enough.",
)
_BIKES_ZH = {
    "traditional": (
        "沙田首批停車站啟用三年後，公共單車計劃已有4200輛單車，登記用戶超過60000人。大部分行程不足五公里。",
        "用戶表示，問題不在單車，而在道路。單車徑在路口突然中斷，警方在2024年錄得1380宗涉及單車的意外，上升12%。",
        "運輸署應先接駁中斷的路段，再增設停車站。單是連接城門河沿岸的單車徑，便需時18個月，耗資約9000萬元。",
        "一個城市若要市民少開車，就必須給他們安全的騎行路線。在路面髹上油漆並不足夠。",
    ),
    "simplified": (
        "沙田首批停车站启用三年后，公共单车计划已有4200辆单车，登记用户超过60000人。大部分行程不足五公里。",
        "用户表示，问题不在单车，而在道路。单车径在路口突然中断，警方在2024年录得1380宗涉及单车的意外，上升12%。",
        "运输署应先接驳中断的路段，再增设停车站。单是连接城门河沿岸的单车径，便需时18个月，耗资约9000万元。",
        "一个城市若要市民少开车，就必须给他们安全的骑行路线。在路面髹上油漆并不足够。",
    ),
}
_BIKES_TITLE = {"traditional": "公共單車需要更安全的單車徑", "simplified": "公共单车需要更安全的单车径"}
_BIKES_GLOSSARY = {
    "traditional": (
        Entry("docking station", "a place where a shared bicycle is locked and unlocked", "停車站"),
        Entry("junction", "a place where two or more roads meet", "路口"),
        Entry("missing section", "a part of a route that has not been built", "中斷的路段"),
    ),
    "simplified": (
        Entry("docking station", "a place where a shared bicycle is locked and unlocked", "停车站"),
        Entry("junction", "a place where two or more roads meet", "路口"),
        Entry("missing section", "a part of a route that has not been built", "中断的路段"),
    ),
}


def bikes(script: str = "traditional", glossary: bool = True) -> Article:
    """An editorial of four paragraphs, each translated one to one."""
    return Article(
        title_en="Public bicycles need safer lanes",
        title_zh=_BIKES_TITLE[script],
        date="2025-09-18",
        en=_BIKES_EN,
        zh=_BIKES_ZH[script],
        pairs=_one_to_one(4),
        glossary=_BIKES_GLOSSARY[script] if glossary else (),
        script=script,
    )


_LETTER = {
    "traditional": ("親愛的露西：", (
        "謝謝你寄來的明信片。你在海邊小鎮的照片很漂亮，我把它貼在書桌前面了。",
        "下個月我會到倫敦工作兩星期。如果你有空，我們可以在週末一起去看那個新開的博物館。",
        "祝你一切順利，",
        "志明",
    )),
    "simplified": ("亲爱的露西：", (
        "谢谢你寄来的明信片。你在海边小镇的照片很漂亮，我把它贴在书桌前面了。",
        "下个月我会到伦敦工作两星期。如果你有空，我们可以在周末一起去看那个新开的博物馆。",
        "祝你一切顺利，",
        "志明",
    )),
}
_LETTER_EN = (
    "Dear Lucy,",
    "Thank you for the postcard you sent. Your photo of the little town by the sea is lovely, and I have put "
    "it up above my desk.",
    "Next month I will be working in London for two weeks. If you are free, we could visit the new museum "
    "together at the weekend.",
    "All the best,",
    "Chi-ming",
)


def letter(script: str = "traditional") -> Article:
    """A letter with no title: the salutation and the sign-off are paragraphs."""
    salutation, body = _LETTER[script]
    return Article(None, None, None, _LETTER_EN, (salutation, *body), _one_to_one(5), (), script)


_PLAN_EN = (
    "Join the lanes along the river by 2027.",
    "Add 500 bicycle parking spaces at MTR stations.",
    "Lower the speed limit near schools to 30 km/h.",
    "Publish the accident figures every month.",
)
_PLAN_ZH = {
    "traditional": "計劃分四部分：在2027年前接駁河畔單車徑；在港鐵站增設500個單車泊位；把學校附近的車速限制降至每小時30公里；以及每月公布意外數字。",
    "simplified": "计划分四部分：在2027年前接驳河畔单车径；在港铁站增设500个单车泊位；把学校附近的车速限制降至每小时30公里；以及每月公布意外数字。",
}


def plan(script: str = "traditional") -> Article:
    """Four English bullet paragraphs translated as one Chinese paragraph, between two 1-1 pairs."""
    a = bikes(script, glossary=False)
    en = (a.en[0], *_PLAN_EN, a.en[3])
    zh = (a.zh[0], _PLAN_ZH[script], a.zh[3])
    return replace(a, en=en, zh=zh, pairs=(((0,), (0,)), ((1, 2, 3, 4), (1,)), ((5,), (2,))), bullets=True)


# ------------------------------------------------------------------------------- layouts and extras

ORDERS = ("en-first", "zh-first", "interleaved")

# Extras real pages add around an article, by name: what the parser must drop (or join).
EXTRAS = (
    "byline-names",  # `Mary Chan and Peter Wong` under the English title
    "byline-caps",  # `BY MARY CHAN`
    "byline-zh",  # `【撰文：陳美玲】` over the Chinese
    "byline-zh-short",  # `文：陳美玲` / `文／陳美玲`
    "credit-en",  # `Translated by Jane Lee` after the English
    "credit-zh",  # `翻譯：李華` / `译者/李华` after the Chinese
    "no-title-en",  # no English title: the byline comes first
    "bare-title-between",  # the Chinese title alone between the blocks (with a dated title on top)
    "two-line",  # the first paragraph of each language wrapped over two lines
    "byline-glued",  # the English byline on the line right above the first sentence
)


@dataclass(frozen=True)
class Layout:
    order: str = "en-first"
    extras: tuple[str, ...] = ()
    blank_lines: bool = True  # blank lines between paragraphs (else one per line, blocks apart)
    glossary_at: str = "end"  # end | between (for en-first / zh-first)
    date_style: str = "zh"  # zh (2025年9月18日) | en (18 September 2025) | iso | none
    markdown: bool = False
    glossary_style: str = "colon"  # colon (`term : definition 中文`) | pos (`term n. 中文`, no definition)
    titles: bool = True
    extra_lines: list[str] = field(default_factory=list)  # filled by render: what was injected


_DATES = {"zh": "2025年9月18日", "en": "18 September 2025", "iso": "2025-09-18"}
_BYLINE_ZH = {"traditional": "陳美玲", "simplified": "陈美玲"}
_CREDIT_ZH = {"traditional": "翻譯：李華", "simplified": "译者/李华"}
_SHORT_ZH = {"traditional": "文：陳美玲", "simplified": "文／陈美玲"}


def _wrap_two(text: str, lang: str) -> str:
    """`text` over two lines, cut after a comma in its first sentence."""
    cut = text.find("，" if lang == "zh" else ", ")
    if cut < 0:
        return text
    cut += 1
    return text[:cut].rstrip() + "\n" + text[cut:].lstrip()


def expected_glossary(article: Article, layout: Layout) -> list[tuple[str, str, str | None]]:
    """(term, definition, zh) of each entry as the parser must read it from `layout`."""
    if layout.glossary_style == "pos":
        return [(e.term, "", e.zh) for e in article.glossary]
    return [(e.term, e.definition, e.zh) for e in article.glossary]


def render(article: Article, layout: Layout) -> str:
    """The article laid out as `layout` says (plain text, or markdown)."""
    a = article
    x = set(layout.extras)
    md = layout.markdown
    injected = layout.extra_lines
    injected.clear()

    def title_line(title: str | None, level: int = 1) -> list[str]:
        if not title or not layout.titles:
            return []
        return [("#" * level + ("" if level == 1 else " ") + title) if md else title]

    def para(text: str, lang: str, k: int) -> str:
        if "two-line" in x and k == 0 and not a.bullets:
            text = _wrap_two(text, lang)
        if md and lang == "en" and a.bullets and 0 < k < len(a.en) - 1:
            return "- " + text
        return text

    en_head: list[str] = []
    zh_head: list[str] = []
    if "no-title-en" not in x:
        en_head += title_line(a.title_en)
    if "byline-names" in x:
        en_head.append("Mary Chan and Peter Wong")
        injected.append("Mary Chan and Peter Wong")
    if "byline-caps" in x:
        en_head.append("BY MARY CHAN")
        injected.append("BY MARY CHAN")
    if "no-title-en" in x and not ("byline-names" in x or "byline-caps" in x):
        en_head.append("Mary Chan and Peter Wong")
        injected.append("Mary Chan and Peter Wong")
    zh_title = title_line(a.title_zh, 2 if md else 1)
    if "bare-title-between" in x and a.title_zh:
        zh_title = [a.title_zh]  # bare, no prefix, no markup
    zh_head += zh_title
    if "byline-zh" in x:
        zh_head.append(f"【撰文：{_BYLINE_ZH[a.script]}】")
        injected.append(f"【撰文：{_BYLINE_ZH[a.script]}】")
    if "byline-zh-short" in x:
        zh_head.append(_SHORT_ZH[a.script])
        injected.append(_SHORT_ZH[a.script])
    en_body = [para(t, "en", k) for k, t in enumerate(a.en)]
    zh_body = [para(t, "zh", k) for k, t in enumerate(a.zh)]
    if "byline-glued" in x:
        en_body[0] = "By Mary Chan\n" + en_body[0]
        injected.append("By Mary Chan")
    en_tail = ["Translated by Jane Lee"] if "credit-en" in x else []
    zh_tail = [_CREDIT_ZH[a.script]] if "credit-zh" in x else []
    injected += en_tail + zh_tail

    glossary: list[str] = []
    if a.glossary:
        glossary.append("## New Words" if md else "■ Glossary 生字")
        for e in a.glossary:
            if layout.glossary_style == "pos":
                line = f"{e.term} n. {e.zh}"
            else:
                line = f"{e.term} : {e.definition} {e.zh}" if e.zh else f"{e.term} : {e.definition}"
            glossary.append(("- " + line) if md else line)

    top: list[str] = []
    if layout.date_style != "none":
        top.append(_DATES[layout.date_style])
    if "bare-title-between" in x and a.title_zh:
        # A dated title on top, and the same title bare between the blocks.
        top = [f"社評{a.date.replace('-', '.')}：{a.title_zh}"] if layout.date_style != "none" else [a.title_zh]

    sep = "\n\n" if layout.blank_lines else "\n"
    blocks: list[list[str]] = []
    if layout.order == "interleaved":
        head = en_head + zh_head
        body: list[str] = []
        for p in a.pairs:
            body += [en_body[k] for k in p[0]] + [zh_body[k] for k in p[1]]
        blocks = [top, head, body, en_tail + zh_tail, glossary]
    else:
        en_block = [*en_head, *en_body, *en_tail]
        zh_block = [*zh_head, *zh_body, *zh_tail]
        first, second = (en_block, zh_block) if layout.order == "en-first" else (zh_block, en_block)
        if layout.glossary_at == "between":
            blocks = [top, first, glossary, second]
        else:
            blocks = [top, first, second, glossary]
    # Blocks are always apart; paragraphs inside a block by `sep`.
    return "\n\n".join(sep.join(b) for b in blocks if b) + "\n"
