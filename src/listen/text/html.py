"""Saved web pages: decode the bytes, extract the article (trafilatura) as markdown, and read the
page's title and date.

The bytes are decoded by listen's own reader, never by the extractor: a page labelled `gb2312`
is usually GBK or GB18030, one labelled `big5` often uses HKSCS characters, and a page's label
may be wrong altogether (UTF-8 bytes under `<meta charset=gb2312>`). So the reader's detector
decides (a byte order mark, UTF-16, UTF-8, then Big5-HKSCS or GB18030 by plausibility); only a
page it cannot read (an English page in Windows-1252) is read with the codec its head declares
(`declared_charset`, mapped to the superset codec).

trafilatura is imported only when a web page is read (it takes a quarter of a second).
The article comes out as trafilatura's XML, which keeps a paragraph's line breaks (`<br>`) inside
the paragraph, its headings, bold subheadings, lists, quotations and tables; `xml_lines` makes
them the same `Line`s a markdown file gives, so they reach the same front end. The title and the
date come from the page's metadata (`extensive=False`: a date found in the page's head, never one
guessed from the text). A glossary box the extractor drops (an `<aside>`) is read from the page.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from .glossary import glossary_heading
from .lines import Line, Meta

__all__ = ["declared_charset", "extract_article", "glossary_boxes", "looks_like_html", "xml_lines"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Labels pages use for a codec whose superset is what the bytes really are.
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
    "csgb2312": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "big5-hkscs": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """Text that starts as a web page does (`<!DOCTYPE html>`, `<html>`)."""
    return bool(_HTML_START.match(text[:2000]))


def declared_charset(head: bytes) -> str | None:
    """The codec a page's head declares (`<meta charset=…>`, `<?xml encoding=…?>`), as the superset
    codec the bytes really are in (gb2312 -> gb18030, big5 -> big5hkscs, latin-1 -> cp1252)."""
    m = _META_CHARSET.search(head[:8192]) or _XML_ENCODING.search(head[:8192])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _quiet() -> None:
    """trafilatura and htmldate log warnings (`not enough text`) that mean nothing to a user."""
    import logging

    for logger in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(logger).setLevel(logging.ERROR)


_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "caption", "legend", "p", "span", "div", "dt")


def _text(el) -> str:
    return " ".join(el.text_content().split())


def glossary_boxes(html: str) -> list[tuple[str, list[str]]]:
    """The glossaries of a page, (heading, entries), found by their heading wherever they sit:
    extractors drop an `<aside>` or a side box, and read a `<dl>` as loose lines."""
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - trafilatura's dependency
        return []
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out: list[tuple[str, list[str]]] = []
    seen: set[int] = set()
    for el in root.iter(*_HEADING_TAGS):
        heading = _text(el)
        if not heading or len(heading) > 40 or glossary_heading(heading) != 2 or len(el) > 2:
            continue
        box = el.getparent()
        while box is not None and len(_text(box)) <= len(heading) + 2:
            box = box.getparent()
        if box is None or id(box) in seen or len(_text(box)) > 5000:
            continue
        entries: list[str] = []
        for dt in box.iter("dt"):
            dd = dt.getnext()
            if dd is not None and dd.tag == "dd":
                entries.append(f"{_text(dt)} : {_text(dd)}")
        if not entries:
            for tr in box.iter("tr"):
                cells = [_text(c) for c in tr if c.tag in ("td", "th")]
                if len(cells) >= 2 and glossary_heading(cells[0]) != 2:
                    entries.append(" : ".join(cells[:2]) if len(cells) == 2 else " ".join(cells))
        if not entries:
            entries = [_text(li) for li in box.iter("li")]
        if not entries:
            entries = [_text(p) for p in box.iter("p") if p is not el and _text(p) != heading]
        entries = [e for e in entries if e]
        if entries:
            seen.add(id(box))
            out.append((heading, entries))
    return out


class _Lines:
    """`Line`s numbered as the article's text reads: one line each, a blank line between blocks."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.number = 0
        self.block = 0

    def add(self, texts: list[tuple[str, str]], hint: str = "", level: int = 0) -> None:
        texts = [(" ".join(t.split()), h) for t, h in texts]
        texts = [(t, h) for t, h in texts if t]
        if not texts:
            return
        if self.lines:
            self.number += 1  # the blank line before a block
        for text, line_hint in texts:
            self.number += 1
            self.lines.append(Line(text, self.number, self.block, hint or line_hint, level))
        self.block += 1


_EMPHASIS = ("#b", "#i", "#u", "#t", "#sup", "#sub", "b", "i", "strong", "em")


def _inline(el) -> list[tuple[str, str]]:
    """The lines of a block element (cut at `<lb/>`), each with "strong" when all of it is emphasised."""
    lines: list[tuple[str, str]] = []
    parts: list[str] = []
    plain = emph = False

    def text(s: str | None, emphasised: bool) -> None:
        nonlocal plain, emph
        if not s:
            return
        parts.append(s)
        if s.strip():
            if emphasised:
                emph = True
            else:
                plain = True

    def end() -> None:
        nonlocal parts, plain, emph
        line = "".join(parts)
        lines.append((line, "strong" if emph and not plain else ""))
        parts, plain, emph = [], False, False

    def walk(node, emphasised: bool) -> None:
        text(node.text, emphasised)
        for child in node:
            if child.tag == "lb":
                end()
            elif child.tag == "graphic":
                pass
            else:
                walk(child, emphasised or (child.tag == "hi" and child.get("rend", "") in _EMPHASIS))
            text(child.tail, emphasised)

    walk(el, False)
    end()
    return lines


def xml_lines(xml: str) -> list[Line]:
    """trafilatura's XML of an article as `Line`s: headings, paragraphs (with their line breaks),
    list items, quotations and table rows."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
    main = root.find("main") if root is not None else None
    out = _Lines()

    def walk(node, hint: str = "") -> None:
        for el in node:
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag == "head":
                rend = el.get("rend", "h2")
                level = int(rend[1:]) if rend[1:].isdigit() else 2
                out.add([(t, "") for t, _ in _inline(el)], "heading", level)
            elif tag == "p":
                out.add(_inline(el), hint)
            elif tag == "list":
                ordered = el.get("rend", "") == "ol"
                for n, item in enumerate((i for i in el if i.tag == "item"), 1):
                    lines = _inline(item)
                    if ordered and lines:
                        lines[0] = (f"{n}. {lines[0][0]}", lines[0][1])
                    out.add(lines, "quote" if hint == "quote" else "item")
                    nested = [c for c in item if c.tag == "list"]
                    for sub in nested:
                        walk([sub], hint)
            elif tag == "quote":
                if any(c.tag in ("p", "list", "head") for c in el):
                    walk(el, "quote")
                else:
                    out.add(_inline(el), "quote")
            elif tag == "table":
                for row in el.iter("row"):
                    cells = [" ".join("".join(c.itertext()).split()) for c in row if c.tag == "cell"]
                    cells = [c for c in cells if c]
                    if cells:
                        out.add([(" : ".join(cells) if len(cells) == 2 else "  ".join(cells), "")], "table")
            elif tag == "code":
                out.add([(line, "") for line in "".join(el.itertext()).split("\n")], "code")
            elif tag in ("graphic", "lb"):
                continue
            elif len(el):
                walk(el, hint)
            else:
                out.add(_inline(el), hint)

    if main is not None:
        walk(main)
    return out.lines


def extract_article(html: str, name: str = "The page") -> tuple[list[Line], Meta]:
    """The article of a web page as `Line`s (numbered as its text reads, blocks apart by a blank
    line), and the page's title and date."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a dependency; only a broken install lacks it
        raise InputError(f"Reading a web page needs trafilatura ({exc}); reinstall listen.") from None
    _quiet()
    try:
        meta = trafilatura.extract_metadata(html, extensive=False)
        xml = trafilatura.extract(
            html, output_format="xml", favor_recall=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=True, deduplicate=False,
            with_metadata=False,
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InputError(f"Cannot read the web page {name}: {exc}.") from None
    lines = xml_lines(xml) if xml else []
    if not lines:
        raise InputError(f"{name} is a web page with no article text that listen can find.")
    found = [k for k, line in enumerate(lines) if len(line.text) <= 60 and glossary_heading(line.text) == 2]
    if not found or "<dl" in html.lower():
        boxes = glossary_boxes(html)
        if boxes:
            if found:
                lines = lines[: found[0]]  # the box read from the page replaces what the extractor made of it
            builder = _Lines()
            builder.lines, builder.number, builder.block = list(lines), (lines[-1].number if lines else 0), \
                (lines[-1].block + 1 if lines else 0)
            for heading, entries in boxes:
                builder.add([(heading, "")], "heading", 3)
                for entry in entries:
                    builder.add([(entry, "")], "item")
            lines = builder.lines
    title = (meta.title or "").strip() or None if meta is not None else None
    date = meta.date if meta is not None and meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date) else None
    return lines, Meta(title=title, date=date, explicit=False, page=True)
