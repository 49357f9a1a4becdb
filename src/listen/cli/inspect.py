"""`listen inspect FILE`: show what listen understood of a text (structure, alignment, glossary)."""

from __future__ import annotations

import json
import unicodedata

import click

from ..model import Document
from ..voicing import Voicing
from . import printable
from ._common import MAX_INPUT

__all__ = ["command", "render", "render_spoken", "display_width", "truncate"]

_SIDE_WIDTH = 34
_FORMATS = {"markdown": "markdown", "html": "web page (line numbers are those of the extracted article text)"}


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def truncate(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, with "…" when cut."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out = []
    used = 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out).rstrip() + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _nums(ix: tuple[int, ...]) -> str:
    return "+".join(str(k + 1) for k in ix) if ix else "–"


def _side(doc: Document, lang: str, ix: tuple[int, ...]) -> str:
    paragraphs = doc.en if lang == "en" else doc.zh
    return " ".join(paragraphs[k].text for k in ix)


def _bead_lines(doc: Document, pair, indent: str) -> list[str]:
    """The sentence beads of a pair, side by side, with their confidence; or why it fell back."""
    if pair.beads is None:
        return []
    en, zh = doc.pair_sentences(pair)
    if pair.fallback:
        return [f"{indent}(read as whole paragraphs: {pair.fallback})"]
    if len(en) <= 1 and len(zh) <= 1:
        return []
    out = []
    for bead in pair.beads:
        left = truncate(" ".join(en[k] for k in bead.en), _SIDE_WIDTH - 4) if bead.en else ""
        right = truncate(" ".join(zh[k] for k in bead.zh), _SIDE_WIDTH - 6) if bead.zh else ""
        score = f"{bead.score:.0%}"
        out.append(f"{indent}  {_nums(bead.en):<5} {_pad(left, _SIDE_WIDTH - 4)} | {_nums(bead.zh):<3} "
                   f"{_pad(right, _SIDE_WIDTH - 6)} {score:>4}".rstrip())
    return out


def render(doc: Document, voicing: Voicing, voices: list[str] | None = None) -> str:
    """The report; `voices` (listen.engines.voices: engine and voice per language, and advice)
    is shown after the languages when given."""
    lines = []
    lines.append(f"Source:    {doc.source}")
    lines.append(f"Date:      {doc.date or '–'}")
    lines.append(f"Title (zh): {doc.title_zh or '–'}")
    lines.append(f"Title (en): {doc.title_en or '–'}")
    lines.append(f"Encoding:  {doc.encoding or '–'}")
    if doc.format and doc.format != "text":
        lines.append(f"Format:    {_FORMATS.get(doc.format, doc.format)}")
    lines.append(f"Script:    {doc.script.capitalize() if doc.script else '–'}")
    lines.append(f"Chinese voice: {voicing.describe_chinese()}")
    lines.append(f"Learning:  {voicing.describe_learning()}")
    if voices:
        lines.append("Voices:")
        lines.extend(f"  {line}" for line in voices)
    sentences = [doc.pair_sentences(p) for p in doc.pairs]
    fell_back = sum(1 for p in doc.pairs if p.fallback)
    lines.append(
        f"Paragraphs: {len(doc.en)} English, {len(doc.zh)} Chinese; {len(doc.pairs)} pairs; "
        f"sentences: {sum(len(e) for e, _ in sentences)} English, {sum(len(z) for _, z in sentences)} Chinese"
        + (f" ({fell_back} pair{'s' if fell_back != 1 else ''} read as whole paragraphs)" if fell_back else "")
    )
    lines.append("")
    pair_w = len(str(len(doc.pairs)))
    en_w = max([len(_nums(p.en)) for p in doc.pairs] + [1])
    zh_w = max([len(_nums(p.zh)) for p in doc.pairs] + [1])
    for n, p in enumerate(doc.pairs, 1):
        en_text = truncate(_side(doc, "en", p.en), _SIDE_WIDTH) if p.en else ""
        zh_text = truncate(_side(doc, "zh", p.zh), _SIDE_WIDTH) if p.zh else ""
        left = f"EN {_nums(p.en).ljust(en_w)} {_pad(en_text, _SIDE_WIDTH)}"
        right = f"ZH {_nums(p.zh).ljust(zh_w)} {zh_text}"
        lines.append(f"Pair {str(n).rjust(pair_w)}  {left} | {right}".rstrip())
        lines.extend(_bead_lines(doc, p, " " * (len("Pair ") + pair_w + 2)))
    lines.append("")
    if doc.glossary:
        lines.append(f"Glossary ({len(doc.glossary)}):")
        for g in doc.glossary:
            zh = f" [{g.zh}]" if g.zh else ""
            lines.append(f"  {g.term} : {truncate(g.definition, 60) if g.definition else '–'}{zh}")
    else:
        lines.append("Glossary: none")
    if doc.dropped:
        lines.append("")
        lines.append(f"Not read ({len(doc.dropped)}; --keep-lines N reads line N as a paragraph):")
        lines.extend(_dropped_lines(doc))
    if doc.notes:
        lines.append("")
        lines.append(f"Notes ({len(doc.notes)}):")
        lines.extend(f"  - {n}" for n in doc.notes)
    if doc.warnings:
        lines.append("")
        lines.append(f"Warnings ({len(doc.warnings)}):")
        lines.extend(f"  - {w}" for w in doc.warnings)
    return "\n".join(lines)


def render_spoken(doc: Document, voicing: Voicing) -> str:
    """Every sentence as the engine will be given it (the pronunciation lexicon applied), in
    document order; a "*" marks text the lexicon changed."""
    units: list[tuple[str, str, str]] = []  # (label, lang, text)
    if doc.title_en:
        units.append(("Title EN", "en", doc.title_en))
    if doc.title_zh:
        units.append(("Title ZH", "zh", doc.title_zh))
    for lang in ("en", "zh"):
        for n, paragraph in enumerate(getattr(doc, lang), 1):
            for k, sentence in enumerate(paragraph.sentences or (paragraph.text,), 1):
                units.append((f"{lang.upper()} {n}.{k}", lang, sentence))
    for n, entry in enumerate(doc.glossary, 1):
        units.append((f"Glossary {n}", "en", entry.term))
    width = max([len(label) for label, _, _ in units] + [1])
    changed = 0
    lines = []
    for label, lang, text in units:
        said = voicing.spoken(text, lang)
        mark = "*" if said != " ".join(text.split()) else " "
        changed += mark == "*"
        lines.append(f"{label.ljust(width)} {mark} {said}")
    size = voicing.lexicon.size if voicing.lexicon is not None else 0
    head = (f"Spoken text ({changed} of {len(units)} changed by the pronunciation lexicon, {size} rules; "
            "* = changed):")
    return "\n".join([head, *lines])


def _dropped_lines(doc: Document) -> list[str]:
    """One line per unit not read: its source lines, what it was taken for, and the start of it."""
    where = [f"line {a}" if a == b else f"lines {a}-{b}" for a, b in (d.lines for d in doc.dropped)]
    width = max(len(w) for w in where)
    kind_w = max(len(d.kind) for d in doc.dropped)
    out = []
    for w, d in zip(where, doc.dropped):
        text = truncate(d.text, 40) if d.text else "(no text)"
        out.append(f"  {w.ljust(width)}  {d.kind.ljust(kind_w)}  {_pad(text, 40)}  {d.rule}, {d.confidence:.0%}")
    return out


@click.command("inspect")
@click.argument("file", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed document as JSON.")
@click.option("--encoding", metavar="NAME", help="Decode the file with this encoding (default: detect).")
@click.option(
    "--pairs",
    "pairs",
    metavar="SPEC",
    help="Manual alignment, 1-based, e.g. '-:1, 1:2, 2:3, 3+4:5' (default: FILE.pairs if present, else automatic).",
)
@click.option(
    "--chinese",
    type=click.Choice(["mandarin", "cantonese"]),
    default=None,
    help="Spoken Chinese to show (default: by script; Traditional -> Cantonese, Simplified -> Mandarin).",
)
@click.option("--learning", type=click.Choice(["en", "zh"]), default=None, help="The language you are learning.")
@MAX_INPUT
@click.option("--spoken", is_flag=True,
              help="Show every sentence as the engines will say it (the pronunciation lexicon applied).")
@click.option(
    "--keep-lines",
    "keep_lines",
    metavar="LINES",
    help="Read these lines as paragraphs whatever they look like, e.g. '3, 7-9' (default: FILE.keep if present).",
)
def command(file: str, as_json: bool, encoding: str | None, pairs: str | None, chinese: str | None,
            learning: str | None, max_input_mb: int | None, spoken: bool, keep_lines: str | None) -> None:
    """Show the date, titles, paragraphs, alignment and glossary found in FILE ('-' reads stdin)."""
    from ..config import load_config
    from ..text.load import load_document

    config = load_config().with_options(chinese=chinese, learning=learning, max_input_mb=max_input_mb)
    doc = load_document(file, encoding=encoding, pairs=pairs, cache_dir=config.output.cache_path,
                        max_bytes=config.input.max_bytes, keep_lines=keep_lines)
    from ..lexicon import load_lexicon

    voicing = Voicing.decide(doc.script, config.voice, config.timing, load_lexicon())
    if spoken and not as_json:
        click.echo(printable(render_spoken(doc, voicing)))
    elif as_json:
        click.echo(printable(json.dumps(doc.to_json(), ensure_ascii=False, indent=2)))
    else:
        click.echo(printable(render(doc, voicing, _voices(doc, voicing, config))))


def _voices(doc: Document, voicing: Voicing, config) -> list[str]:
    """Which engine and voice each spoken language of `doc` gets (as a build would choose them)."""
    from ..engines.auto import select
    from ..engines.voices import advice, voice_lines
    from ..errors import ListenError

    languages = (["en"] if doc.en or doc.title_en else []) + ([voicing.language("zh")] if doc.zh or doc.title_zh else [])
    try:
        chosen = select(config, languages, strict=False)
    except ListenError as exc:  # e.g. a named engine that does not speak a language
        return [str(exc)]
    return voice_lines(chosen) + [f"note: {line}" for line in advice(chosen, config)]
