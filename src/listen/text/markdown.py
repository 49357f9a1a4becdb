"""Markdown to `Line`s: headings, emphasis, links, images, lists, quotations, tables and HTML blocks
understood (through markdown-it-py, CommonMark), so that none of their syntax is read aloud.

Real articles are sloppy markdown, so a few things are read the way their writers meant them
rather than as CommonMark says: `#Title` (no space) is a heading; indented paragraphs are
paragraphs, not code; a YAML front matter gives the title and the date; mkdocs admonitions
(`??? info "Title"`) are a heading over their indented body; Hugo shortcodes (`{{< video >}}`) and
`==highlight==` marks are dropped. Line numbers are the source's.
"""

from __future__ import annotations

import re

from .lines import Line, Meta
from .metadata import find_date, parse_front_matter

__all__ = ["markdown_lines", "looks_like_markdown"]

_FRONT_OPEN = re.compile(r"^---\s*$")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)\s*$")
_ATX_NO_SPACE = re.compile(r"^(\s{0,3}#{1,6})(?=[^#\s])")
_ADMONITION = re.compile(r"^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+\"(?P<title>[^\"]*)\")?\s*$")
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_MEDIA_HTML = re.compile(r"<\s*(?:figure|img|video|iframe|audio|picture|source|svg|embed|object)\b", re.I)
_DROP_HTML = re.compile(r"<\s*(script|style|noscript)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BREAK_TAG = re.compile(r"<\s*br\s*/?\s*>|</\s*(?:p|div|li|h[1-6]|figcaption|tr)\s*>", re.I)
_SEPARATORS = re.compile(r"^[\s|｜/·•,，、>»›\-–—]*$")

# What makes a plain-text file markdown (`looks_like_markdown`).
_MD_SIGNS = (
    re.compile(r"^#{1,6}\s*[^#\s]", re.M),  # headings
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # bold
    re.compile(r"!?\[[^\]\n]+\]\([^)\n]+\)"),  # links and images
    re.compile(r"^\s{0,3}>\s?\S", re.M),  # quotations
    re.compile(r"^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s+\S", re.M),  # list items
    re.compile(r"^\s{0,3}(?:```|~~~)", re.M),  # fences
    re.compile(r"<(?:figure|img|figcaption)\b", re.I),  # HTML in markdown
)


def looks_like_markdown(text: str) -> bool:
    """A plain-text file written in markdown: a front matter, or at least two kinds of markdown
    syntax (headings, bold, links, quotations, list items, fences, HTML figures)."""
    head = text[:200_000]
    if _FRONT_OPEN.match(head.split("\n", 1)[0]) and re.search(r"^(?:title|date)\s*:", head[:4000], re.M):
        return True
    kinds = sum(1 for sign in _MD_SIGNS if sign.search(head))
    return kinds >= 2


def _front_matter(lines: list[str]) -> tuple[int, Meta]:
    """(number of lines the front matter takes, what it says)."""
    if not lines or not _FRONT_OPEN.match(lines[0]):
        return 0, Meta()
    for k in range(1, min(len(lines), 200)):
        if _FRONT_CLOSE.match(lines[k]):
            fields = parse_front_matter(lines[1:k])
            title = fields.get("title") or None
            date = find_date(fields.get("date", ""))[0] if fields.get("date") else None
            return k + 1, Meta(title=title, date=date, explicit=True)
    return 0, Meta()


def _prepare(lines: list[str]) -> list[str]:
    """Sloppy markdown made CommonMark, line for line (the line count never changes)."""
    out = list(lines)
    k = 0
    while k < len(out):
        line = out[k]
        m = _ADMONITION.match(line)
        if m:
            indent = len(m.group("indent"))
            title = (m.group("title") or "").strip()
            out[k] = f"#### {title}" if title else ""
            # Its body is indented by four more spaces: dedent it so it reads as markdown.
            j = k + 1
            while j < len(out) and (not out[j].strip() or len(out[j]) - len(out[j].lstrip()) >= indent + 4):
                out[j] = out[j][indent + 4:] if out[j].strip() else ""
                j += 1
            k += 1
            continue
        if "{{" in line:
            line = _SHORTCODE.sub("", line)
        line = _ATX_NO_SPACE.sub(r"\1 ", line)
        out[k] = line
        k += 1
    return out


class _LineBuilder:
    """The lines of one inline run, with what their markup says."""

    def __init__(self, first: int):
        self.number = first
        self.lines: list[tuple[int, str, str]] = []  # (number, text, hint)
        self._parts: list[str] = []
        self._plain = False  # some text outside emphasis
        self._emph = False  # some text inside emphasis
        self._outside_link = False
        self._in_link = False
        self._image = False
        self._alt: list[str] = []
        self.strong = 0
        self.link = 0

    def text(self, s: str) -> None:
        if not s:
            return
        self._parts.append(s)
        if not s.strip():
            return
        if self.strong:
            self._emph = True
        else:
            self._plain = True
        if self.link:
            self._in_link = True
        elif not _SEPARATORS.match(s):
            self._outside_link = True

    def image(self, alt: str) -> None:
        self._image = True
        self._alt.append(alt.strip())

    def end_line(self) -> None:
        text = "".join(self._parts)
        text = _HIGHLIGHT.sub(r"\1", text)
        text = _FOOTNOTE_REF.sub("", text)
        text = " ".join(text.split())
        hint = ""
        if text and self._in_link and not self._outside_link:
            hint = "links"
        elif text and self._emph and not self._plain:
            hint = "strong"
        elif not text and self._image:
            hint, text = "figure", " ".join(a for a in self._alt if a)
        if text or hint == "figure":
            self.lines.append((self.number, text, hint))
        self.number += 1
        self._parts = []
        self._plain = self._emph = self._outside_link = self._in_link = self._image = False
        self._alt = []


def _inline_lines(token, first: int) -> list[tuple[int, str, str]]:
    b = _LineBuilder(first)
    for child in token.children or ():
        t = child.type
        if t in ("text", "code_inline"):
            b.text(child.content)
        elif t in ("softbreak", "hardbreak"):
            b.end_line()
        elif t in ("strong_open", "em_open", "s_open"):
            b.strong += 1
        elif t in ("strong_close", "em_close", "s_close"):
            b.strong = max(0, b.strong - 1)
        elif t == "link_open":
            b.link += 1
        elif t == "link_close":
            b.link = max(0, b.link - 1)
        elif t == "image":
            b.image(child.content or "")
        elif t == "html_inline":
            if _BREAK_TAG.match(child.content):
                b.end_line()
    b.end_line()
    return b.lines


def _html_text_lines(html: str) -> list[str]:
    html = _COMMENT.sub("", html)
    html = _DROP_HTML.sub("", html)
    html = _BREAK_TAG.sub("\n", html)
    from html import unescape

    return [" ".join(unescape(_TAG.sub(" ", part)).split()) for part in html.split("\n")]


def markdown_lines(text: str) -> tuple[list[Line], Meta]:
    """The lines of a markdown document, and what its front matter says."""
    from markdown_it import MarkdownIt

    raw = text.split("\n")
    skip, meta = _front_matter(raw)
    prepared = [""] * skip + _prepare(raw[skip:])
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("code")
    tokens = md.parse("\n".join(prepared))

    out: list[Line] = []
    block = 0
    quote = 0
    items: list[int | None] = []  # open list items: the ordered number, None for bullets
    item_first = False  # the next paragraph is the first of its list item
    heading_level = 0
    row: list[str] = []
    row_line = 0
    row_head = False

    def add(lines: list[tuple[int, str, str]], hint: str, level: int = 0) -> None:
        nonlocal block
        for number, text, line_hint in lines:
            kind = line_hint if line_hint in ("links", "figure") else (hint or line_hint)
            out.append(Line(text, number, block, kind, level))
        block += 1

    for k, tok in enumerate(tokens):
        t = tok.type
        if t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "list_item_open":
            info = tok.info if tok.info and tok.info.isdigit() else None
            items.append(int(info) if info is not None and tok.markup in (".", ")") else None)
            item_first = True
        elif t == "list_item_close":
            items.pop()
            item_first = False
        elif t == "heading_open":
            heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif t == "heading_close":
            heading_level = 0
        elif t == "tr_open":
            row, row_line, row_head = [], (tok.map[0] + 1 if tok.map else 0), False
        elif t == "th_open":
            row_head = True
        elif t == "tr_close":
            cells = [c for c in row if c]
            if cells:
                text_ = " : ".join(cells) if len(cells) == 2 else "  ".join(cells)
                out.append(Line(text_, row_line, block, "heading" if row_head else "table"))
                block += 1
        elif t == "inline":
            first = tok.map[0] + 1 if tok.map else (out[-1].number + 1 if out else 1)
            if tokens[k - 1].type in ("th_open", "td_open"):
                row.append(" ".join(line for _, line, _ in _inline_lines(tok, first)))
                continue
            lines = _inline_lines(tok, first)
            if heading_level:
                add(lines, "heading", heading_level)
            elif items:
                if item_first and items[-1] is not None and lines:
                    number, text_, hint = lines[0]
                    lines[0] = (number, f"{items[-1]}. {text_}", hint)
                item_first = False
                add(lines, "quote" if quote else "item", items[-1] or 0)
            else:
                add(lines, "quote" if quote else "")
        elif t == "html_block":
            first = tok.map[0] + 1 if tok.map else 1
            media = bool(_MEDIA_HTML.search(tok.content))
            lines = [(first + n, s, "figure" if media else "") for n, s in enumerate(_html_text_lines(tok.content))]
            add([x for x in lines if x[1]] or ([(first, "", "figure")] if media else []), "")
        elif t in ("fence", "code_block"):
            first = tok.map[0] + 2 if tok.map else 1
            add([(first + n, s.strip(), "") for n, s in enumerate(tok.content.split("\n")) if s.strip()], "code")
    return [line for line in out if line.text or line.hint == "figure"], meta
