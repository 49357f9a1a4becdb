"""Saved web pages: decode the bytes, extract the article (trafilatura) as markdown, and read the
page's title and date.

The bytes are decoded by listen's own reader, never by the extractor: a page labelled `gb2312`
is usually GBK or GB18030, one labelled `big5` often uses HKSCS characters, and a page's label
may be wrong altogether (UTF-8 bytes under `<meta charset=gb2312>`). So the reader's detector
decides (a byte order mark, UTF-16, UTF-8, then Big5-HKSCS or GB18030 by plausibility); only a
page it cannot read (an English page in Windows-1252) is read with the codec its head declares
(`declared_charset`, mapped to the superset codec).

trafilatura is imported only when a web page is read (it takes a quarter of a second).
The article comes out as markdown so its headings, bold subheadings, lists and quotations reach
the same front end as a markdown file; the title and the date come from the page's metadata
(`extensive=False`: a date found in the page's head, never one guessed from the text).
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from .glossary import glossary_heading
from .lines import Meta

__all__ = ["declared_charset", "extract_article", "glossary_boxes", "looks_like_html"]

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


def glossary_boxes(html: str) -> list[str]:
    """The glossaries of a page as markdown (`### Glossary 生字` and one `- entry` per line), found by
    their heading wherever they sit: extractors drop an `<aside>` or a side box, and read a `<dl>` as
    loose lines."""
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - trafilatura's dependency
        return []
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out: list[str] = []
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
            out.append("### " + heading + "\n\n" + "\n".join("- " + e for e in entries))
    return out


def _has_glossary(markdown: str) -> bool:
    return any(glossary_heading(line.lstrip("#*- ").strip("* ")) == 2 for line in markdown.splitlines() if len(line) <= 60)


def extract_article(html: str, name: str = "The page") -> tuple[str, Meta]:
    """The article of a web page as markdown, and the page's title and date."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a dependency; only a broken install lacks it
        raise InputError(f"Reading a web page needs trafilatura ({exc}); reinstall listen.") from None
    _quiet()
    try:
        meta = trafilatura.extract_metadata(html, extensive=False)
        body = trafilatura.extract(
            html, output_format="markdown", favor_recall=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, deduplicate=False, with_metadata=False,
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise InputError(f"Cannot read the web page {name}: {exc}.") from None
    if not body or not body.strip():
        raise InputError(f"{name} is a web page with no article text that listen can find.")
    if not _has_glossary(body) or "<dl" in html.lower():
        boxes = glossary_boxes(html)
        if boxes:
            if _has_glossary(body):
                body = _without_glossary(body)
            body = body.rstrip() + "\n\n" + "\n\n".join(boxes) + "\n"
    title = (meta.title or "").strip() or None if meta is not None else None
    date = meta.date if meta is not None and meta.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date) else None
    return body, Meta(title=title, date=date, explicit=False)


def _without_glossary(markdown: str) -> str:
    """`markdown` up to its glossary heading (the box read from the page replaces what follows)."""
    lines = markdown.splitlines()
    for k, line in enumerate(lines):
        if len(line) <= 60 and glossary_heading(line.lstrip("#*- ").strip("* ")) == 2:
            return "\n".join(lines[:k])
    return markdown
