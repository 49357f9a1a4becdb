"""Round trips: an article laid out at random (block order, extras, line breaks, date style, where
the glossary is, plain text, markdown or a web page) must parse back to exactly its paragraphs,
pairs and glossary — not only without crashing."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from listen.text import load_text
from tests.support.articles import EXTRAS, ORDERS, Layout, bikes, expected_glossary, letter, plan, render

EXAMPLES = int(os.environ.get("LISTEN_FUZZ_EXAMPLES", "60"))

# Extras that cannot go together (there is one English title line to replace or keep).
_EXCLUSIVE = [{"no-title-en", "byline-names", "byline-caps"}, {"byline-zh", "byline-zh-short"}]


@st.composite
def layouts(draw):
    kind = draw(st.sampled_from(["bikes", "plan", "letter"]))
    script = draw(st.sampled_from(["traditional", "simplified"]))
    fmt = draw(st.sampled_from(["text", "markdown", "html"]))
    order = draw(st.sampled_from(ORDERS))
    extras: list[str] = []
    if kind != "letter":
        for extra in draw(st.lists(st.sampled_from(EXTRAS), max_size=4, unique=True)):
            if not any(extra in group and set(extras) & group for group in _EXCLUSIVE):
                extras.append(extra)
    article = {"bikes": bikes, "plan": plan, "letter": letter}[kind](script)
    layout = Layout(
        order=order,
        extras=tuple(extras),
        blank_lines=fmt != "text" or draw(st.booleans()),
        glossary_at=draw(st.sampled_from(["end", "between"])) if order != "interleaved" else "end",
        date_style=draw(st.sampled_from(["zh", "en", "iso", "none"])) if kind != "letter" else "none",
        markdown=fmt != "text",
        glossary_style=draw(st.sampled_from(["colon", "pos"])),
    )
    return article, layout, fmt


def _as_html(markdown_text: str) -> str:
    from markdown_it import MarkdownIt

    import re

    # A page's author wrote `<h1>`, not `#Title`, and `<br>` for a line break inside a paragraph.
    markdown_text = re.sub(r"^#(?=[^#\s])", "# ", markdown_text, flags=re.M)
    body = MarkdownIt("commonmark", {"breaks": True}).render(markdown_text)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Opinion | Harbour Daily</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li><li><a href='/op'>Opinion</a></li>"
        f"</ul></nav><article>{body}</article>"
        "<section class='related'><h3>Related</h3><ul><li><a href='/a'>Ferries at night</a></li>"
        "<li><a href='/b'>Older minibus drivers</a></li></ul></section>"
        "<footer><p>© 2025 Harbour Daily. All rights reserved.</p></footer></body></html>"
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
# Found by this test: an English title after a glossary between the blocks, a byline under it.
@example((bikes("traditional"), Layout(order="zh-first", extras=("byline-names",), blank_lines=True,
                                      glossary_at="between", date_style="zh", markdown=False,
                                      glossary_style="colon"), "text"))
def test_round_trip(case):
    article, layout, fmt = case
    text = render(article, layout)
    source = {"text": "a.txt", "markdown": "a.md", "html": "a.html"}[fmt]
    if fmt == "html":
        text = _as_html(text)
    doc = load_text(text, source)
    assert [p.text for p in doc.en] == list(article.en), text
    assert [p.text for p in doc.zh] == list(article.zh), text
    assert [(p.en, p.zh) for p in doc.pairs] == list(article.pairs), text
    assert [(g.term, g.definition, g.zh) for g in doc.glossary] == expected_glossary(article, layout), text
    if layout.date_style != "none" and fmt != "html":
        assert doc.date == article.date
    if article.title_zh:
        assert doc.title_zh == article.title_zh
    if article.title_en and "no-title-en" not in layout.extras:
        assert doc.title_en == article.title_en
