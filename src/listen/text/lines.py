"""The lines every input format is turned into before parsing.

Plain text, markdown and the text extracted from a web page all become a list of `Line`s: the text
of the line without markup, its number in the source (what `listen inspect` shows and
`--keep-lines` names), the block it belongs to (lines of one block have no blank line or block
boundary between them), and what the markup said about it (`hint`): a heading, a list item, a
quotation, a whole line in bold, ... Plain text has no hints but its indentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Line", "Meta", "HINTS", "plain_lines"]

# What a format's markup says about a line.
HINTS = frozenset({
    "",  # nothing: ordinary text
    "heading",  # a markdown heading (`level` 1-6) or an HTML <h1>-<h6>
    "strong",  # the whole line is bold or emphasised (`**Bold heading**`)
    "item",  # a list item (`level`: the ordered number, 0 for bullets)
    "quote",  # inside a blockquote
    "table",  # a table row
    "code",  # inside a fenced code block
    "links",  # nothing but links (and separators): navigation
    "figure",  # an image, a figure, an embedded video or other media, with its caption
    "rule",  # a thematic break (`---`)
})


@dataclass(frozen=True)
class Line:
    text: str
    number: int  # 1-based, in the source (or in the text extracted from a web page)
    block: int  # lines with the same block number have no blank line between them
    hint: str = ""
    level: int = 0
    indent: int = 0  # leading spaces (plain text only)


@dataclass(frozen=True)
class Meta:
    """What a format knows of the article besides its lines: a front matter or a web page's head."""

    title: str | None = None
    date: str | None = None
    explicit: bool = False  # front matter: it wins over what the text suggests
    page: bool = False  # a web page's head: its title wins, its date fills in
    extra_titles: tuple[str, ...] = field(default_factory=tuple)  # other titles the page gives (og:title ...)


def plain_lines(text: str) -> list[Line]:
    """The lines of plain (normalised) text; blank lines separate blocks."""
    out: list[Line] = []
    block = 0
    blank = True
    for n, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped:
            if not blank:
                block += 1
            blank = True
            continue
        blank = False
        indent = len(raw) - len(raw.lstrip(" \t"))
        out.append(Line(stripped, n, block, "", 0, indent))
    return out
