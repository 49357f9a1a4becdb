"""Glossary entries (`term : definition`, `term (n.) 定義`, ...), glossary headings, and glossaries
without a heading."""

from __future__ import annotations

import re

from ..model import GlossaryEntry
from .lang import (
    _HAN_CLASS,
    _LATIN,
    _NOT_HAN,
    _NOT_LATIN,
    _TERMINAL_END,
    _ZH_SENTENCE_PUNCT,
    _squash,
    language_of,
)
from .metadata import _EDITORIAL_PREFIX, _TITLE_WITH_DATE, _metadata_date
from .sentences import split_sentences

__all__ = ["parse_glossary_entry"]

_HEADING_MARK = re.compile(r"^[■□▌▍◆◇●○▲△►▶★☆※◎#]+")
_GLOSSARY_WORDS = re.compile(
    r"glossary|vocabulary|vocab|key\s*words|key\s*terms|word\s*bank|生字|詞彙|词汇|生詞|生词|字詞|字词|詞語|词语",
    re.I,
)
_GLOSSARY_FILLER = re.compile(r"\b(?:and|&|with|list|of|the|today'?s|今日|本文)\b", re.I)
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.)]|[-*•·])\s+")


def _is_glossary_heading(line: str) -> bool:
    if len(line) > 50 or not _GLOSSARY_WORDS.search(line):
        return False
    rest = _GLOSSARY_WORDS.sub("", _HEADING_MARK.sub("", line.strip()))
    rest = _GLOSSARY_FILLER.sub("", rest)
    return _squash(rest) == ""


_POS = r"\((?:[a-z]{1,6}\.?\s*){1,3}\)|\[(?:[a-z]{1,6}\.?\s*){1,3}\]"
_ENTRY_POS = re.compile(r"^(?P<term>[^()\[\]]+?)\s*(?:" + _POS + r")\s*[:：\-–—]?\s*(?P<rest>\S.*)$", re.I)
_ENTRY_COLON = re.compile(r"^(?P<term>[^:：]+?)\s*[:：]\s*(?P<rest>\S.*)$")
_ENTRY_DASH = re.compile(r"^(?P<term>.+?)(?:\s+[-–—]{1,2}\s+|\s*[–—]\s*)(?P<rest>\S.*)$")
_ENTRY_TAB = re.compile(r"^(?P<term>[^\t]+?)\t+(?P<rest>\S.*)$")
_ENTRY_ZH = re.compile(r"^(?P<term>[A-Za-z][A-Za-z '’\-.]*?)\s+(?P<rest>[\u3400-\u9fff\uf900-\ufaff].*)$")
_HAN_RUN = r"[\u3400-\u9fff\uf900-\ufaff][^A-Za-z]*"
_LEADING_ZH = re.compile(r"^(?P<zh>" + _HAN_RUN + r"?)\s*[;；,，/|:：]?\s+(?P<def>[A-Za-z(].*)$")
_TRAILING_ZH = re.compile(r"^(?P<def>.*?[A-Za-z0-9.)\]'\"’”])\s*[;；,，/|(（]?\s*(?P<zh>" + _HAN_RUN + r")$")


def _split_definition(rest: str) -> tuple[str, str | None]:
    rest = rest.strip()
    if language_of(rest) == "zh" and not _LATIN.search(rest):
        return "", rest.strip(" ;；,，/|")
    m = _LEADING_ZH.match(rest)
    if m and not _LATIN.search(m.group("zh")):
        return m.group("def").strip(), m.group("zh").strip(" ;；,，/|:：")
    m = _TRAILING_ZH.match(rest)
    if m:
        zh = m.group("zh").strip(" ;；,，/|（）()")
        if zh and not _LATIN.search(zh):
            return m.group("def").strip(" ;；,，/|("), zh
    return rest, None


def parse_glossary_entry(line: str) -> GlossaryEntry | None:
    """`term : definition`, `term (n.) 定義`, `term — definition`, `term - definition` and the like."""
    s = _HEADING_MARK.sub("", line.strip()).strip()
    s = _LIST_MARK.sub("", s)  # list numbering or bullets
    if not s:
        return None
    for pattern in (_ENTRY_POS, _ENTRY_COLON, _ENTRY_TAB, _ENTRY_DASH, _ENTRY_ZH):
        m = pattern.match(s)
        if not m:
            continue
        term = m.group("term").strip(" :：-–—")
        rest = m.group("rest").strip()
        if not term or not rest or len(term) > 60 or len(term.split()) > 8:
            continue
        if _TERMINAL_END.search(term) and not term.endswith("."):
            continue
        definition, zh = _split_definition(rest)
        if not definition and not zh:
            continue
        return GlossaryEntry(term=term, definition=definition, zh=zh)
    return None


# "Not computed yet" in the per-unit caches of `parse_glossary_entry` and `_headless_entry` results
# (a unit is looked at by the splitter, the parser and the headless-glossary check).
_UNSET: object = object()


def _glossary_entry(unit: str, raw: object = _UNSET) -> GlossaryEntry | None:
    """An entry under a glossary heading: `parse_glossary_entry` (`raw`, when already known),
    except that a Chinese sentence with a colon in it (`政府表示：計劃明年開始。`) is prose, not a
    term and its definition, and so is the dated title of a next article."""
    entry = parse_glossary_entry(unit) if raw is _UNSET else raw
    if entry is None:
        return None
    assert isinstance(entry, GlossaryEntry)
    if not _LATIN.search(entry.term) and _ZH_SENTENCE_PUNCT.search(unit):
        return None
    if _is_title_line(unit):
        return None
    return entry


def _is_title_line(unit: str) -> bool:
    """`明報社評2025.05.12：標題` or `Editorial: Title`: the title of the next article, not an entry."""
    return bool(_TITLE_WITH_DATE.match(unit) or _EDITORIAL_PREFIX.match(unit))


def _leaves_glossary(unit: str) -> bool:
    """Under a glossary heading, a unit (not an entry) that is clearly no part of the glossary, so
    the glossary ends there: prose (long, or more than one sentence), a Chinese sentence or a longer
    Chinese line, a complete English sentence, or a new `■` heading."""
    lang = language_of(unit)
    if lang is None:
        return False
    if len(unit) > 80 or len(split_sentences(unit, lang)) > 1:
        return True
    if _is_glossary_heading(unit):
        return False
    if _is_title_line(unit):
        return True
    if _HEADING_MARK.match(unit):
        return language_of(_HEADING_MARK.sub("", unit)) is not None
    if lang == "zh":
        return bool(_ZH_SENTENCE_PUNCT.search(unit)) or len(_NOT_HAN.sub("", unit)) >= 8
    return (
        bool(_EN_SENTENCE_END.search(unit))
        and not unit[:1].islower()
        and len(unit.split()) >= 3
    )


# A glossary without a heading is recognised only from entries beyond doubt (`_headless_entry`):
# the separator comes early, the term is a few words with Latin letters, and neither the term nor
# the definition reads like the start or the whole of a sentence.
_ENTRY_HINT = re.compile(r"[:：\t\-–—(\[" + _HAN_CLASS + "]")
_HEADLESS_TERM_END = re.compile(r"[.!?,;:，。！？；：…]$")
_PROSE_WORDS = frozenset(
    "the this that these those it he she they we i you our their his her its my there here what which "
    "who is was are were will would has have had can could should must does did".split()
)
_NOT_TERMS = frozenset(
    "note notes nb ps source sources photo photos picture update updated correction disclaimer remark "
    "remarks caption credit credits related tags tel fax email e-mail phone address q a".split()
)
_EN_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def _headless_entry(line: str, raw: object = _UNSET) -> GlossaryEntry | None:
    """`line` as a glossary entry when it is one beyond doubt, even without a glossary heading
    (`raw`: its `parse_glossary_entry`, when already known)."""
    if len(line) > 300 or not _ENTRY_HINT.search(line, 0, 64) or _ZH_SENTENCE_PUNCT.search(line):
        return None
    entry = parse_glossary_entry(line) if raw is _UNSET else raw
    if entry is None:
        return None
    assert isinstance(entry, GlossaryEntry)
    term = entry.term
    words = term.lower().split()
    if (
        len(words) > 4
        or len(term) > 40
        or len(_NOT_LATIN.sub("", term)) < 2
        or language_of(term) != "en"
        or _HEADLESS_TERM_END.search(term)
        or "," in term
        or words[0] in _PROSE_WORDS
        or any(w in _PROSE_WORDS for w in words[1:])
        or term.lower() in _NOT_TERMS
        or _is_glossary_heading(term)
    ):
        return None
    d = entry.definition
    if d and d[:1].isupper() and _EN_SENTENCE_END.search(d):
        return None  # `Chan: We will wait.` is a speaker and a sentence
    if _is_glossary_heading(line) or _metadata_date(line)[0] or _is_title_line(line):
        return None
    return entry


def _headless_run(units: list[str], raws: list[object], heads: list[object], i: int) -> int:
    """The end of the run of headless-glossary entries starting at unit `i` (`i` when there is no
    entry there); fills `heads` with the `_headless_entry` of the units it looks at."""
    j = i
    while j < len(units):
        if heads[j] is _UNSET:
            heads[j] = _headless_entry(units[j], raws[j])
        if heads[j] is None:
            break
        j += 1
    return j


def _is_headless_glossary(units: list[str], i: int, j: int) -> bool:
    """Units i..j-1, entries without a glossary heading, are a glossary: at least two of them,
    after the last paragraph or between a block of one language and a block of the other."""
    if j - i < 2:
        return False
    before = _content_lang(units, range(i - 1, -1, -1))
    after = _content_lang(units, range(j, len(units)))
    return after is None or (before is not None and before != after)


def _content_lang(units: list[str], order: range) -> str | None:
    """The language of the first unit in `order` that may be a paragraph (None: none before a
    glossary heading or the end)."""
    for k in order:
        unit = units[k]
        if _is_glossary_heading(unit):
            return None
        if _HEADING_MARK.match(unit) or _metadata_date(unit)[0]:
            continue
        lang = language_of(unit)
        if lang is not None:
            return lang
    return None
