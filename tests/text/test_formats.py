"""Markdown and saved web pages go through the same front end as plain text: `listen inspect` on
the article as `.md`, as a web page (UTF-8, Big5, GB2312, with navigation, a related list,
comments, a footer and a glossary box) gives the same paragraphs, pairs, title, date and glossary
as on its clean text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.cli import cli
from listen.text import load_document, load_text
from listen.text.formats import input_format
from listen.text.html import declared_charset, looks_like_html

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "text" / "page"


def inspect_json(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["inspect", "--json", str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def essentials(data: dict) -> dict:
    return {
        "date": data["date"],
        "title": data["title"],
        "paragraphs": {lang: [{k: v for k, v in p.items() if k != "lines"} for p in paras]
                       for lang, paras in data["paragraphs"].items()},
        "pairs": [(p["en"], p["zh"]) for p in data["pairs"]],
        "glossary": data["glossary"],
        "warnings": data["warnings"],
    }


@pytest.mark.parametrize(
    "page, clean, encoding",
    [
        ("bikes.md", "bikes.txt", "utf-8"),
        ("bikes.html", "bikes.txt", "utf-8"),
        ("bikes.big5.html", "bikes.txt", "big5hkscs"),  # `<meta charset="big5">`, glossary in an <aside>
        ("bikes-simplified.gb2312.html", "bikes-simplified.txt", "gb18030"),  # `charset=gb2312` in http-equiv
    ],
)
def test_same_article_in_every_format(page, clean, encoding):
    got = inspect_json(PAGE / page)
    want = inspect_json(PAGE / clean)
    assert essentials(got) == essentials(want)
    assert got["encoding"] == encoding
    assert got["format"] == ("markdown" if page.endswith(".md") else "html")
    assert want["format"] == "text"
    assert len(want["paragraphs"]["en"]) == 4 and len(want["glossary"]) == 3


def test_page_chrome_is_not_read():
    doc = load_document(str(PAGE / "bikes.html"))
    text = " ".join(p.text for p in doc.en + doc.zh)
    for chrome in ("Home", "Subscribe", "Advertisement", "Related", "Night ferries", "comment", "cyclist_hk",
                   "斷斷續續", "All rights reserved", "Share on", "Cyclists wait"):
        assert chrome not in text


def test_the_extractor_is_imported_only_for_web_pages():
    code = (
        "import sys; from listen.text import load_document; "
        "load_document(sys.argv[1]); print(sorted(m for m in ('trafilatura', 'markdown_it') if m in sys.modules))"
    )
    for name, loaded in (("bikes.txt", "[]"), ("bikes.md", "['markdown_it']"),
                         ("bikes.html", "['trafilatura']")):
        done = subprocess.run([sys.executable, "-c", code, str(PAGE / name)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == loaded, name


def test_formats_by_name_and_by_content():
    html = (PAGE / "bikes.html").read_text(encoding="utf-8")
    md = (PAGE / "bikes.md").read_text(encoding="utf-8")
    txt = (PAGE / "bikes.txt").read_text(encoding="utf-8")
    assert input_format("a.htm", txt) == "html" and input_format("a.markdown", txt) == "markdown"
    assert input_format("-", html) == "html" and input_format("a.txt", md) == "markdown"
    assert input_format("-", txt) == "text"
    assert looks_like_html("<!-- saved -->\n<!DOCTYPE html><html>") and not looks_like_html("<b>bold</b> text")


def test_a_web_page_on_standard_input(monkeypatch):
    import io

    class Stdin:
        buffer = io.BytesIO((PAGE / "bikes.big5.html").read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    doc = load_document("-")
    assert doc.format == "html" and doc.encoding == "big5hkscs" and len(doc.zh) == 4


@pytest.mark.parametrize(
    "head, codec",
    [
        (b'<meta charset="gb2312">', "gb18030"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gb18030"),
        (b"<meta charset=big5>", "big5hkscs"),
        (b'<meta charset="iso-8859-1">', "cp1252"),
        (b'<?xml version="1.0" encoding="windows-1252"?>', "cp1252"),
        (b'<meta charset="nonsense">', None),
        (b"<p>no charset</p>", None),
    ],
)
def test_declared_charset(head, codec):
    assert declared_charset(b"<html><head>" + head + b"</head>") == codec


def test_a_latin_page_is_read_with_its_declared_charset(tmp_path):
    page = (
        '<html><head><meta charset="windows-1252"><title>Cafés close early</title></head><body><article>'
        "<h1>Cafés close early</h1><p>The city\u2019s caf\u00e9s now close at nine, two hours earlier than "
        "last year. Owners blame rents that rose 20 per cent.</p>"
        "<p>\u201cWe cannot pay staff to sit in an empty room,\u201d one owner said. Most expect to reopen "
        "later in the spring.</p></article></body></html>"
    )
    path = tmp_path / "cafes.html"
    path.write_bytes(page.encode("cp1252"))
    doc = load_document(str(path))
    assert doc.encoding == "cp1252"
    assert doc.en[0].text.startswith("The city\u2019s caf\u00e9s now close at nine")
    assert doc.title_en == "Cafés close early"


def test_a_page_with_no_article_is_one_clear_error(tmp_path):
    from listen.errors import InputError

    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(InputError, match="no article text|no English or Chinese paragraphs"):
        load_document(str(path))


# ------------------------------------------------------------------ what is not read, and how to read it


def test_inspect_lists_dropped_lines_and_keep_lines_reads_one(tmp_path):
    src = tmp_path / "bikes.md"
    src.write_bytes((PAGE / "bikes.md").read_bytes())
    result = CliRunner().invoke(cli, ["inspect", str(src)], catch_exceptions=False)
    out = result.output
    assert "Not read (7; --keep-lines N reads line N as a paragraph):" in out
    assert "  line 12  byline      By Mary Chan" in out
    assert "  line 36  credit      翻譯：李華" in out
    before = inspect_json(src)
    after = inspect_json(src, "--keep-lines", "12")
    assert [p["text"] for p in after["paragraphs"]["en"]] == ["By Mary Chan"] + [
        p["text"] for p in before["paragraphs"]["en"]]
    assert after["paragraphs"]["en"][0]["lines"] == [12, 12] and after["paragraphs"]["en"][0]["kind"] == "byline"
    assert not any(d["lines"] == [12, 12] for d in after["dropped"])
    # the same from a sidecar
    (tmp_path / "bikes.md.keep").write_text("# read the byline\n12\n", encoding="utf-8")
    assert inspect_json(src)["paragraphs"] == after["paragraphs"]


def test_bad_keep_lines_is_one_line_error():
    result = CliRunner().invoke(cli, ["inspect", str(PAGE / "bikes.txt"), "--keep-lines", "3-a"])
    assert result.exit_code == 2
    assert result.output.strip() == "listen: error: --keep-lines: Line numbers '3-a' are not N or N-M (for example '3, 7-9')."


def test_load_text_reads_html_given_as_text():
    html = (PAGE / "bikes.html").read_text(encoding="utf-8")
    doc = load_text(html, "-")
    assert doc.format == "html" and doc.title_en == "Public bicycles need safer lanes" and len(doc.en) == 4
