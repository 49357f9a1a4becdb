"""Glossary entries (`term : definition`, `term (n.) 定義`, `term n. 释义`, `word[IPA] 释义`, `党章Party
constitution`, ...), glossary headings, and glossaries without a heading.

Every function here is a pure function of its text; the costly ones are cached, since the unit
splitter and the parser both look at each unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import GlossaryEntry
from .lang import (
    HAN_CLASS,
    ends_sentence,
    han_count,
    has_latin,
    has_zh_sentence_punct,
    language_of,
    latin_count,
    squash,
)
from .metadata import is_title_line, metadata_line
from .sentences import split_sentences

__all__ = [
    "HEADING_MARK", "parse_glossary_entry", "glossary_heading", "is_glossary_heading", "glossary_entry",
    "leaves_glossary", "headless_entry", "headless_run", "is_headless_glossary", "vocabulary_entry",
]

# Marks that start a heading line in plain text: `■ Glossary`, `◆ 社評`, `## New Words`.
HEADING_MARK = re.compile(r"^[■□▌▍◆◇●○▲△►▶★☆※◎#]+")
_GLOSSARY_WORDS = re.compile(
    r"glossary|vocabulary|vocab|key\s*words|key\s*terms|key\s*phrases|word\s*bank|word\s*list|new\s*words|"
    r"useful\s*(?:words|expressions|phrases)|words\s*(?:and|&)\s*(?:expressions|phrases)|生字|詞彙|词汇|生詞|生词|"
    r"字詞|字词|詞語|词语|單詞|单词|重點詞彙|重点词汇|詞匯|词匯|熱詞|热词",
    re.I,
)
# Headings that open a glossary only when what follows looks like vocabulary (they may also head
# footnotes or remarks): `Notes`, `Words`, `Phrases`, `注釋`.
_WEAK_GLOSSARY_WORDS = re.compile(r"^(?:notes?|words|phrases|expressions|注释|注釋|註釋|注解|註解)$", re.I)
_GLOSSARY_FILLER = re.compile(r"\b(?:and|&|with|list|of|the|today'?s|今日|本文|本期)\b", re.I)
# List numbering or a bullet before an entry: `1. term`, `2) term`, `3、term`, `- term`, and a bare
# number before an English term (`1 literature n. 文學`, a numbered vocabulary box).
_LIST_MARK = re.compile(r"^(?:\d{1,2}(?:[.)]\s+|、\s*|\s+(?=[A-Za-z]))|[-*•·]\s+)(?=\S)")
_NUMBER_MARK = re.compile(r"^\d{1,2}[.)]\s+")


def glossary_heading(line: str) -> int:
    """2 for a glossary heading (`■ Glossary 生字 /`, `Vocabulary`, `## New Words`), 1 for a heading
    that is one only when vocabulary follows (`Notes`), 0 for anything else."""
    if len(line) > 50:
        return 0
    bare = HEADING_MARK.sub("", line.strip()).strip(" :：/")
    if _WEAK_GLOSSARY_WORDS.match(bare):
        return 1
    if not _GLOSSARY_WORDS.search(line):
        return 0
    rest = _GLOSSARY_WORDS.sub("", bare)
    rest = _GLOSSARY_FILLER.sub("", rest)
    return 2 if squash(rest) == "" else 0


def is_glossary_heading(line: str) -> bool:
    """A heading that opens a glossary by itself (`glossary_heading` 2)."""
    return glossary_heading(line) == 2


_POS_WORD = r"(?:n|v|vt|vi|adj|a|adv|ad|prep|conj|pron|phr|phrase|num|art|int|interj|abbr|aux|pl)"
_POS = r"\((?:[a-z]{1,6}\.?\s*){1,3}\)|\[(?:[a-z]{1,6}\.?\s*){1,3}\]"
# A bare part of speech after the term: `sitcom n.情景喜剧`, `binge v. 狂看`, `adj./adv.`, `n.&v.`.
_BARE_POS = _POS_WORD + r"\.(?:\s*[/&,]\s*" + _POS_WORD + r"\.)*"
# A pronunciation after the term: `cusp[kʌsp]`, `whirl [hwɜrl]`, `valet /ˈvæleɪ/`.
_IPA = r"\[[^\]\[" + HAN_CLASS + r"]{1,40}\]|/[^/\s" + HAN_CLASS + r"][^/" + HAN_CLASS + r"]{0,38}/"
# A pronunciation after a colon, with the accent it is in: `noose：美 [nus] 活扣；绳套`, `tightens: UK /ˈtaɪt(ə)nz/ 变紧`.
_ENTRY_COLON_IPA = re.compile(
    r"^(?P<term>[A-Za-z][A-Za-z '’\-.]{0,40}?)\s*[:：]\s*(?:美|英|US|UK|AmE|BrE)?\s*(?:" + _IPA + r")\s*"
    r"(?:(?:" + _BARE_POS + r")\s*)?(?P<rest>\S.*)$")
_ENTRY_POS = re.compile(r"^(?P<term>[^()\[\]]+?)\s*(?:" + _POS + r")\s*[:：\-–—]?\s*(?P<rest>\S.*)$", re.I)
_ENTRY_BARE_POS = re.compile(
    r"^(?P<term>[A-Za-z][A-Za-z '’\-]{0,40}?)\s+(?:" + _BARE_POS + r")\s*[:：\-–—]?\s*(?P<rest>\S.*)$")
_ENTRY_IPA = re.compile(
    r"^(?P<term>[A-Za-z][A-Za-z '’\-.]{0,40}?)\s*(?:" + _IPA + r")\s*(?:(?:" + _BARE_POS + r")\s*)?[:：\-–—]?\s*"
    r"(?P<rest>\S.*)$")
_ENTRY_COLON = re.compile(r"^(?P<term>[^:：]+?)\s*[:：]\s*(?P<rest>\S.*)$")
_ENTRY_DASH = re.compile(r"^(?P<term>.+?)(?:\s+[-–—]{1,2}\s+|\s*[–—]\s*)(?P<rest>\S.*)$")
_ENTRY_TAB = re.compile(r"^(?P<term>[^\t]+?)\t+(?P<rest>\S.*)$")
_ENTRY_ZH = re.compile(r"^(?P<term>[A-Za-z][A-Za-z '’\-.]*?)\s+(?P<rest>[\u3400-\u9fff\uf900-\ufaff].*)$")
# A Chinese term glued to its English rendering: `党章Party constitution`, `入党join the Party`.
_ENTRY_ZH_GLUED = re.compile(r"^(?P<term>[" + HAN_CLASS + r"]{1,12})\s*(?P<rest>[A-Za-z][A-Za-z '’\-,()]*)$")
_HAN_RUN = r"[\u3400-\u9fff\uf900-\ufaff][^A-Za-z]*"
_LEADING_ZH = re.compile(r"^(?P<zh>" + _HAN_RUN + r"?)\s*[;；,，/|:：]?\s+(?P<def>[A-Za-z(].*)$")
_TRAILING_ZH = re.compile(r"^(?P<def>.*?[A-Za-z0-9.)\]'\"’”])\s*[;；,，/|(（]?\s*(?P<zh>" + _HAN_RUN + r")$")


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def _split_definition(rest: str) -> tuple[str, str | None]:
    rest = rest.strip()
    if language_of(rest) == "zh" and not has_latin(_BRACKETED.sub("", rest)):
        return "", rest.strip(" ;；,，/|")  # `（使）变紧；（tighten的第三人称单数）`: Latin only in a remark
    m = _LEADING_ZH.match(rest)
    if m and not has_latin(m.group("zh")):
        return m.group("def").strip(), m.group("zh").strip(" ;；,，/|:：")
    m = _TRAILING_ZH.match(rest)
    if m:
        zh = m.group("zh").strip(" ;；,，/|（）()")
        if zh and not has_latin(zh):
            return m.group("def").strip(" ;；,，/|("), zh
    return rest, None


@lru_cache(maxsize=1 << 16)
def parse_glossary_entry(line: str) -> GlossaryEntry | None:
    """`term : definition`, `term (n.) 定義`, `term — definition`, `term n. 释义`, `word[IPA] 释义` and the
    like; None for a line that has no term and definition."""
    s = HEADING_MARK.sub("", line.strip()).strip()
    s = _LIST_MARK.sub("", s)  # list numbering or bullets
    if not s:
        return None
    m = _ENTRY_ZH_GLUED.match(s)
    if m and len(m.group("rest").split()) <= 6:
        return GlossaryEntry(term=m.group("term"), definition=m.group("rest").strip())
    for pattern in (_ENTRY_COLON_IPA, _ENTRY_IPA, _ENTRY_POS, _ENTRY_BARE_POS, _ENTRY_COLON, _ENTRY_TAB, _ENTRY_DASH, _ENTRY_ZH):
        m = pattern.match(s)
        if not m:
            continue
        term = m.group("term").strip(" :：-–—")
        rest = m.group("rest").strip()
        if not term or not rest or len(term) > 60 or len(term.split()) > 8:
            continue
        if ends_sentence(term) and not term.endswith("."):
            continue
        definition, zh = _split_definition(rest)
        if not definition and not zh:
            continue
        return GlossaryEntry(term=term, definition=definition, zh=zh)
    return None


# What parts a term from its gloss; a long Chinese text after a bare space is a sentence instead.
_AFTER_TERM_SEP = re.compile(r"\s*[:：\t=|/\-–—(（\[]|\s*\S{0,12}\s*[\[/]")


def vocabulary_entry(line: str) -> GlossaryEntry | None:
    """`line` as the entry of a learner's vocabulary list, beyond doubt: an English term of a few
    words with a pronunciation, a part of speech or a Chinese gloss (`cusp[kʌsp] 尖头`, `sitcom n.情景喜剧`,
    `stick up 突出；竖起`)."""
    s = HEADING_MARK.sub("", line.strip()).strip()
    s = _LIST_MARK.sub("", s)
    if len(s) > 160 or not s[:1].isascii() or not s[:1].isalpha():
        return None
    entry = parse_glossary_entry(s)
    if entry is None or language_of(entry.term) != "en" or len(entry.term.split()) > 5:
        return None
    if not (entry.zh or _ENTRY_IPA.match(s) or _ENTRY_COLON_IPA.match(s) or _ENTRY_BARE_POS.match(s)):
        return None
    if entry.definition and len(entry.definition.split()) > 12:
        return None
    if han_count(entry.zh or "") > 30 and not _AFTER_TERM_SEP.match(s[len(entry.term):]):
        return None  # `IRCC 恢复对…的任何人`: a Chinese sentence that starts with an acronym
    return entry


def glossary_entry(unit: str) -> GlossaryEntry | None:
    """An entry under a glossary heading: `parse_glossary_entry`, except that a Chinese sentence with
    a colon in it (`政府表示：計劃明年開始。`) is prose, not a term and its definition, and so is the
    dated title of a next article."""
    entry = parse_glossary_entry(unit)
    if entry is None:
        return None
    if not has_latin(entry.term) and has_zh_sentence_punct(unit):
        return None
    if is_title_line(unit):
        return None
    return entry


def leaves_glossary(unit: str) -> bool:
    """Under a glossary heading, a unit (not an entry) that is clearly no part of the glossary, so
    the glossary ends there: prose (long, or more than one sentence), a Chinese sentence or a longer
    Chinese line, a complete English sentence, or a new `■` heading."""
    lang = language_of(unit)
    if lang is None:
        return False
    if len(unit) > 80 or len(split_sentences(unit, lang)) > 1:
        return True
    if glossary_heading(unit):
        return False
    if is_title_line(unit):
        return True
    if HEADING_MARK.match(unit):
        return language_of(HEADING_MARK.sub("", unit)) is not None
    if lang == "zh":
        return has_zh_sentence_punct(unit) or han_count(unit) >= 8
    return (
        bool(_EN_SENTENCE_END.search(unit))
        and not unit[:1].islower()
        and len(unit.split()) >= 3
    )


# A glossary without a heading is recognised only from entries beyond doubt (`headless_entry`):
# the separator comes early, the term is a few words with Latin letters, and neither the term nor
# the definition reads like the start or the whole of a sentence.
_ENTRY_HINT = re.compile(r"[:：\t\-–—(\[/" + HAN_CLASS + "]|\b" + _POS_WORD + r"\.")
_HEADLESS_TERM_END = re.compile(r"[.!?,;:，。！？；：…]$")
_PROSE_WORDS = frozenset(
    "the this that these those it he she they we i you our their his her its my there here what which "
    "who is was are were will would has have had can could should must does did".split()
)
_NOT_TERMS = frozenset(
    "note notes nb ps source sources photo photos picture update updated correction disclaimer remark "
    "remarks caption credit credits related tags tel fax email e-mail phone address q a by translated "
    "translator editor reporter author writer".split()
)
_EN_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


_GLOSS_SEP = re.compile(r"[；;]")
_ZH_SENTENCE_END = re.compile(r"[。！？]")


def _gloss_list(line: str) -> bool:
    """`活扣；绳套；绞索；`: Chinese senses separated by semicolons (a dictionary's way), not sentences:
    no full stop, and every sense a few characters long."""
    if _ZH_SENTENCE_END.search(line):
        return False
    senses = [p for p in _GLOSS_SEP.split(line) if p.strip()]
    return len(senses) >= 2 and all(han_count(_BRACKETED.sub("", p)) <= 12 for p in senses[1:])


@lru_cache(maxsize=1 << 16)
def headless_entry(line: str) -> GlossaryEntry | None:
    """`line` as a glossary entry when it is one beyond doubt, even without a glossary heading."""
    if len(line) > 300 or not _ENTRY_HINT.search(line, 0, 64):
        return None
    if has_zh_sentence_punct(line) and not _gloss_list(line):
        return None
    entry = parse_glossary_entry(line)
    if entry is None:
        return None
    term = entry.term
    if _ENTRY_ZH_GLUED.match(_LIST_MARK.sub("", line.strip())) and entry.term == term and not has_latin(term):
        # `党章Party constitution`: a short Chinese term and a short English rendering.
        return entry if han_count(term) <= 8 and len(entry.definition.split()) <= 5 else None
    words = term.lower().split()
    if (
        len(words) > 4
        or len(term) > 40
        or latin_count(term) < 2
        or language_of(term) != "en"
        or _HEADLESS_TERM_END.search(term)
        or "," in term
        or words[0] in _PROSE_WORDS
        or any(w in _PROSE_WORDS for w in words[1:])
        or term.lower() in _NOT_TERMS
        or words[0] in _NOT_TERMS
        or is_glossary_heading(term)
    ):
        return None
    d = entry.definition
    if d and d[:1].isupper() and _EN_SENTENCE_END.search(d):
        return None  # `Chan: We will wait.` is a speaker and a sentence
    rest = line.strip()[line.strip().find(term) + len(term):]
    if han_count(entry.zh or "") > 30 and not _AFTER_TERM_SEP.match(rest):
        return None  # a Chinese sentence that starts with an acronym
    if glossary_heading(line) or metadata_line(line)[0] or is_title_line(line):
        return None
    return entry


def headless_run(units: list[str], i: int) -> int:
    """The end of the run of headless-glossary entries starting at unit `i` (`i` when there is no
    entry there)."""
    j = i
    while j < len(units) and headless_entry(units[j]) is not None:
        j += 1
    return j


def is_headless_glossary(units: list[str], i: int, j: int, content_lang) -> bool:
    """Units i..j-1, entries without a glossary heading, are a glossary: at least two of them,
    after the last paragraph or between a block of one language and a block of the other.
    `content_lang(k, step)` is the language of the first unit from k on (step +1 or -1) that may be a
    paragraph, None when there is none before a glossary heading or the end."""
    if j - i < 2:
        return False
    before = content_lang(i - 1, -1)
    after = content_lang(j, 1)
    return after is None or (before is not None and before != after)
