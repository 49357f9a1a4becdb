"""Find the structure of a bilingual editorial: date, titles, English and Chinese paragraphs, glossary.

The parser works on *units*: a line, or several hard-wrapped lines joined. Layouts it understands:
the English block then the Chinese block (or the reverse), interleaved English/Chinese paragraphs,
paragraphs separated by blank lines or one per line, hard-wrapped paragraphs, and a metadata line
glued to the first paragraph (` date 2025-05-12 The primary…`). Metadata (dates, source names,
bylines, URLs, `(English translation)`), `■` headings and the glossary are never paragraphs.

A glossary under a heading (`■ Glossary 生字`) may sit at the end or between the blocks: it ends at
the first unit that is clearly no entry (a paragraph, a sentence, a block in the language its terms
are not in, a new heading). A glossary without a heading is two or more consecutive entries with
short terms (`subvert — to weaken secretly`) after the last paragraph or between the blocks.
"""

from __future__ import annotations

import re

from ..model import Document, GlossaryEntry, Paragraph
from .glossary import (
    _HEADING_MARK,
    _UNSET,
    _glossary_entry,
    _headless_entry,
    _headless_run,
    _is_glossary_heading,
    _is_headless_glossary,
    _leaves_glossary,
    parse_glossary_entry,
)
from .lang import _TERMINAL_END, _ZH_SENTENCE_PUNCT, language_of
from .metadata import (
    _EDITORIAL_PREFIX,
    _TITLE_WITH_DATE,
    _metadata_date,
    _strip_glued_metadata,
    find_date,
)
from .script import detect_script, is_han
from .sentences import split_sentences

__all__ = ["parse"]

_ZH_TITLE_PREFIX = re.compile(r"^\s*(?:明報|明报)?(?:社評|社评|社論|社论)\s*[:：]\s*")
_SPACE = re.compile(r"\s")
_EN_TITLE_END = re.compile(r"[.!;:,][\"'”’)]*$")


# --------------------------------------------------------------------------------------------
# small helpers


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL_END.search(line.rstrip()))


# --------------------------------------------------------------------------------------------
# units: lines, with hard-wrapped paragraphs joined


def _special(line: str) -> bool:
    """A line that always stands alone: headings, metadata, a dated title line."""
    return bool(
        _HEADING_MARK.match(line)
        or _is_glossary_heading(line)
        or _metadata_date(line)[0]
        or _TITLE_WITH_DATE.match(line)
        or _EDITORIAL_PREFIX.match(line)
    )


def _separator(a_tail: str, a_len: int, b: str, lang: str | None) -> str:
    """What goes between a unit ending in `a_tail` (its last two characters; `a_len` long) and the
    next wrapped line `b`."""
    if lang == "zh" or (a_tail and is_han(a_tail[-1]) and b and is_han(b[0])):
        return ""
    if a_tail.endswith("-") and a_len > 1 and a_tail[-2].isalpha() and b[:1].islower():
        return ""  # a word hyphenated at the line end (best effort)
    return " "


def _join(a: str, b: str, lang: str | None) -> str:
    return a + _separator(a[-2:], len(a), b, lang) + b


def _units(lines: list[str]) -> list[str]:
    """Group a run of non-blank, non-special lines into paragraph candidates."""
    if len(lines) == 1:
        return lines
    langs = [language_of(line) for line in lines]
    longest = max(len(line) for line in lines)
    inner = lines[:-1]
    ended = sum(1 for line in inner if _ends_sentence(line))
    wrapped = ended / len(inner) < 0.5
    if not wrapped:
        return lines
    out: list[str] = []
    # The unit being built, as pieces joined once at the end (adding to one string line by line
    # is quadratic in the length of the paragraph); its last two characters and its length.
    parts = [lines[0]]
    tail, length = lines[0][-2:], len(lines[0])
    for prev_lang, line, lang, prev in zip(langs, lines[1:], langs[1:], lines):
        title_like = len(prev) < 0.6 * longest and not _ends_sentence(prev)
        if lang == prev_lang and not title_like and not (_ends_sentence(prev) and len(prev) < 0.6 * longest):
            sep = _separator(tail, length, line, lang)
            parts.append(sep)
            parts.append(line)
            tail, length = (tail + sep + line)[-2:], length + len(sep) + len(line)
        else:
            out.append("".join(parts))
            parts = [line]
            tail, length = line[-2:], len(line)
    out.append("".join(parts))
    return out


def _split_units(text: str) -> tuple[list[str], list[object], list[object], set[int]]:
    """The units of `text`, with what is known of each already: its `parse_glossary_entry` and its
    `_headless_entry` (or `_UNSET`); and the units at which a glossary under a heading ends."""
    units: list[str] = []
    raws: list[object] = []
    heads: list[object] = []
    exits: set[int] = set()
    run: list[str] = []
    in_glossary = False
    prev_entry: object = _UNSET  # the `_glossary_entry` of the previous line, when known
    entry_lang: str | None = None  # the language of the terms of the glossary
    lines = [raw.strip() for raw in text.split("\n")]

    def flush() -> None:
        block, block_heads = _block_units(run)
        units.extend(block)
        raws.extend([_UNSET] * len(block))
        heads.extend(block_heads)
        run.clear()

    for k, line in enumerate(lines):
        raw: object = _UNSET
        entry: object = _UNSET
        if line and _is_glossary_heading(line):
            in_glossary = True
            entry_lang = None
        elif in_glossary and line:
            raw = parse_glossary_entry(line)
            entry = _glossary_entry(line, raw)
            if entry is not None:
                entry_lang = language_of(entry.term)  # type: ignore[union-attr]
            elif (
                _leaves_glossary(line)
                or (_starts_block(lines, k, prev_entry) and _leaves_glossary(_wrapped_paragraph(lines, k)))
                or (k and not lines[k - 1] and entry_lang and language_of(line) not in (None, entry_lang))
            ):
                # A paragraph, prose, a heading, or a block in the language the terms are not in:
                # back to paragraphs. The run is empty here, so this line starts the next unit.
                in_glossary = False
                exits.add(len(units))
        prev_entry = entry
        if not line or in_glossary or _special(line):
            if run:
                flush()
            if line:
                units.append(line)
                raws.append(raw)
                heads.append(_UNSET)
            continue
        run.append(line)
    if run:
        flush()
    return units, raws, heads, exits


def _starts_block(lines: list[str], k: int, prev_entry: object = _UNSET) -> bool:
    """Line `k` follows a blank line, an entry or a heading (so each line is looked ahead from once)."""
    prev = lines[k - 1] if k else ""
    if not prev:
        return True
    if prev_entry is _UNSET:
        prev_entry = _glossary_entry(prev)
    return prev_entry is not None or _special(prev)


def _wrapped_paragraph(lines: list[str], start: int, limit: int = 20) -> str:
    """The lines from `start` up to a blank line, an entry or a heading, joined ("" for one line):
    under a glossary heading, the first line of a hard-wrapped paragraph is no entry and may look
    like no prose either, but the paragraph it starts does."""
    parts: list[str] = [lines[start]]
    for line in lines[start + 1 : start + limit]:
        if not line or _glossary_entry(line) is not None or _special(line):
            break
        parts.append(line)
    if len(parts) < 2:
        return ""
    lang = language_of(parts[0])
    text = parts[0]
    for line in parts[1:]:
        text = _join(text, line, lang)
    return text


def _block_units(lines: list[str]) -> tuple[list[str], list[object]]:
    """`_units`, except that two or more consecutive glossary entries stay one unit each; and the
    `_headless_entry` of each unit, where known."""
    if len(lines) < 2:
        units = _units(lines)
        return units, [_UNSET] * len(units)
    entries = [_headless_entry(line) for line in lines]
    if sum(e is not None for e in entries) < 2:
        units = _units(lines)
        return units, [_UNSET] * len(units)
    out: list[str] = []
    heads: list[object] = []
    seg: list[str] = []

    def flush() -> None:
        units = _units(seg)
        out.extend(units)
        heads.extend([_UNSET] * len(units))
        seg.clear()

    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and entries[j] is not None:
            j += 1
        if j - i >= 2:
            if seg:
                flush()
            out.extend(lines[i:j])
            heads.extend(entries[i:j])
            i = j
        else:
            seg.extend(lines[i : max(j, i + 1)])
            i = max(j, i + 1)
    if seg:
        flush()
    return out, heads


# --------------------------------------------------------------------------------------------


def _is_title_like(unit: str, lang: str) -> bool:
    if lang == "zh":
        return (
            len(_SPACE.sub("", unit)) <= 40
            and not _ZH_SENTENCE_PUNCT.search(unit)
            and not unit.rstrip().endswith(("，", ",", "、"))
        )
    words = unit.split()
    return len(unit) <= 120 and len(words) <= 16 and not _EN_TITLE_END.search(unit.rstrip())


def parse(text: str, source: str = "-") -> "Document":
    """The structure of `text` (already decoded and normalised) as a Document without pairs."""
    warnings: list[str] = []
    date: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    en: list[str] = []
    zh: list[str] = []
    glossary: list[GlossaryEntry] = []
    in_glossary = False
    glossary_heading_seen = False

    def set_date(iso: str | None) -> None:
        nonlocal date
        if iso and date is None:
            date = iso

    units, raws, heads, exits = _split_units(text)
    headless_end = 0  # units before this one have been looked at as headless-glossary entries
    in_headless = False  # unit k is in a run of entries found to be a glossary without a heading
    for k, unit in enumerate(units):
        if in_glossary:
            entry = _glossary_entry(unit, raws[k])
            if entry is not None:
                glossary.append(entry)
                continue
            if k not in exits and not _leaves_glossary(unit):
                if _is_glossary_heading(unit) or _metadata_date(unit)[0] or _HEADING_MARK.match(unit):
                    continue
                if glossary and language_of(unit) == "en" and unit[:1].islower():
                    last = glossary[-1]
                    glossary[-1] = GlossaryEntry(last.term, (last.definition + " " + unit).strip(), last.zh)
                    continue
                warnings.append(f"Glossary line not understood, skipped: {unit[:60]!r}")
                continue
            in_glossary = False  # a paragraph, a heading or prose after the glossary: back to paragraphs

        if k >= headless_end:
            headless_end = max(k + 1, _headless_run(units, raws, heads, k))
            if _is_headless_glossary(units, k, headless_end):
                glossary.extend(heads[k:headless_end])  # type: ignore[arg-type]
                in_headless = True
            else:
                in_headless = False
        if in_headless:
            continue

        if _is_glossary_heading(unit):
            in_glossary = True
            glossary_heading_seen = True
            continue

        unit, iso = _strip_glued_metadata(unit)
        set_date(iso)
        if not unit:
            continue

        is_meta, iso = _metadata_date(unit)
        if is_meta:
            set_date(iso)
            continue

        m = _TITLE_WITH_DATE.match(unit)
        if m and len(m.group("title")) <= 80 and not _ZH_SENTENCE_PUNCT.search(m.group("title")[:-1]):
            set_date(find_date(m.group("date"))[0])
            title = m.group("title").strip()
            if language_of(title) == "zh":
                title_zh = title_zh or title
            elif language_of(title) == "en":
                title_en = title_en or title
            continue

        m = _EDITORIAL_PREFIX.match(unit)
        if m and len(unit) <= 150 and language_of(m.group("title")) == "en":
            title_en = title_en or m.group("title").strip()
            continue

        if _HEADING_MARK.match(unit):
            continue  # a `■ ...` heading

        lang = language_of(unit)
        if lang is None:
            continue  # numbers or punctuation only: page numbers, separators
        if lang == "zh":
            if title_zh is None and not zh and _is_title_like(unit, "zh"):
                title_zh = _ZH_TITLE_PREFIX.sub("", unit) or unit
                continue
            zh.append(unit)
        else:
            if title_en is None and not en and _is_title_like(unit, "en"):
                title_en = unit
                continue
            en.append(unit)

    if glossary_heading_seen and not glossary:
        warnings.append("The glossary heading is followed by no entries.")
    if not en and zh:
        warnings.append("No English paragraphs found; only the Chinese will be read.")
    if not zh and en:
        warnings.append("No Chinese paragraphs found; only the English will be read.")

    script = detect_script("".join(zh) or (title_zh or ""))
    return Document(
        source=source,
        date=date,
        title_zh=title_zh,
        title_en=title_en,
        en=[Paragraph(p, tuple(split_sentences(p, "en"))) for p in en],
        zh=[Paragraph(p, tuple(split_sentences(p, "zh"))) for p in zh],
        glossary=glossary,
        pairs=[],
        script=script,
        warnings=warnings,
    )
