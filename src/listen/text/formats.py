"""Which front end reads an input: plain text, markdown or a saved web page.

By the file's suffix (`.md`, `.markdown`; `.html`, `.htm`); otherwise (`.txt`, standard input) by
its content: a text that starts as a web page does is one, a text with a front matter or two kinds
of markdown syntax is markdown, anything else is plain text.
"""

from __future__ import annotations

import os
from typing import Literal

from .html import looks_like_html
from .markdown import looks_like_markdown

__all__ = ["Format", "MARKDOWN_SUFFIXES", "HTML_SUFFIXES", "format_by_name", "input_format"]

Format = Literal["text", "markdown", "html"]

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def format_by_name(path: str) -> Format | None:
    """The format a file's suffix names, None when it names none (`.txt`, `-`)."""
    if path in ("-", ""):
        return None
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    return None


def input_format(path: str, text: str) -> Format:
    """How to read `text`, the decoded content of `path`."""
    named = format_by_name(path)
    if named is not None:
        return named
    if looks_like_html(text):
        return "html"
    if looks_like_markdown(text):
        return "markdown"
    return "text"
