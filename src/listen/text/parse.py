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

import datetime as _dt
import re

from ..model import Document, GlossaryEntry, Paragraph
from .script import detect_script, is_han
from .sentences import split_sentences

__all__ = ["parse", "find_date", "language_of", "parse_glossary_entry"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_PATTERNS: list[tuple[re.Pattern, tuple[int, int, int]]] = [
    # (pattern, (year group, month group, day group)); month groups may be names
    (re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]?"), (1, 2, 3)),
    (re.compile(r"(?<![\d.])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![\d])"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"\.?,?\s+(\d{4})(?!\d)", re.I), (3, 2, 1)),
    (re.compile(r"\b" + _MONTH_RE + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I), (3, 1, 2)),
]
_WEEKDAYS = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?|星期[一二三四五六日天]|週[一二三四五六日]|周[一二三四五六日]",
    re.I,
)
_META_WORDS = {
    "", "date", "dated", "日期", "明報社評", "明报社评", "明報社論", "社評", "社评", "社論", "社论", "明報",
    "明报", "editorial", "editorials", "mingpao", "mingpaoeditorial", "mingpaonews", "englishtranslation",
    "translation", "englishversion", "chineseversion", "englishtext", "chinesetext", "english", "chinese",
    "中文", "英文", "英文翻譯", "英文翻译", "英譯", "英译", "中譯", "中译", "中英對照", "中英对照", "譯文", "译文",
    "published", "updated", "posted", "publishedon", "updatedon", "明報新聞網", "明报新闻网", "今日", "today",
}
_BYLINE = re.compile(
    r"^(?:by|written by|translated by|translation by|source|reporter|editor|撰文|文|譯|译|翻譯|翻译|來源|来源|"
    r"編輯|编辑|記者|记者|作者|出處|出处)\s*[:：]",
    re.I,
)
_URL = re.compile(r"^(?:<?https?://|www\.)\S+>?$", re.I)
_BRACKETED = re.compile(r"^[(（\[【〔][^()（）\[\]【】]{0,60}[)）\]】〕]$")
_HEADING_MARK = re.compile(r"^[■□▌▍◆◇●○▲△►▶★☆※◎#]+")
_GLOSSARY_WORDS = re.compile(
    r"glossary|vocabulary|vocab|key\s*words|key\s*terms|word\s*bank|生字|詞彙|词汇|生詞|生词|字詞|字词|詞語|词语",
    re.I,
)
_GLUED_DATE = re.compile(r"^\s*(?:date|dated|日期)\s*[:：]?\s*", re.I)
_TITLE_WITH_DATE = re.compile(
    r"^\s*(?P<prefix>[^\d:：]{0,16}?)\s*(?P<date>\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日號号]?)"
    r"\s*[:：]\s*(?P<title>\S.*)$"
)
_ZH_TITLE_PREFIX = re.compile(r"^\s*(?:明報|明报)?(?:社評|社评|社論|社论)\s*[:：]\s*")
_EDITORIAL_PREFIX = re.compile(r"^\s*(?:ming\s*pao\s+)?editorial\s*[:：\-–—|]\s*(?P<title>\S.*)$", re.I)
_TERMINAL_END = re.compile(r"[.!?。！？；;…][\"'”’」』）)》\]]*$")
_ZH_SENTENCE_PUNCT = re.compile(r"[。！？；]")
_LATIN = re.compile(r"[A-Za-z]")
# Prefilters that skip a costly regex when it cannot match (exact: non-ASCII text always runs it,
# since IGNORECASE lets a few non-ASCII letters such as "ſ" match ASCII ones).
_WEEKDAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TOO_MANY_WORD_CHARS = re.compile(r"(?:[\W_]*[^\W_]){" + str(max(len(w) for w in _META_WORDS) + 1) + "}")
# The characters `script.is_han` accepts, as a regex class: counting with C-level regexes instead of
# a Python loop over every character is what keeps the parser fast on megabytes of text.
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_ANY = re.compile("[" + _HAN_CLASS + "]")
_NOT_HAN = re.compile("[^" + _HAN_CLASS + "]+")
_NOT_LATIN = re.compile(r"[^A-Za-z]+")
_YEAR = re.compile(r"\d{4}")  # every date pattern has a four-digit year
_SQUASH = re.compile(r"[\s\W_]+")
_BY_NAME = re.compile(r"^by\s+[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3}$")
_SPACE = re.compile(r"\s")
_ISO_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(?=\S)")
_GLOSSARY_FILLER = re.compile(r"\b(?:and|&|with|list|of|the|today'?s|今日|本文)\b", re.I)
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.)]|[-*•·])\s+")
_EN_TITLE_END = re.compile(r"[.!;:,][\"'”’)]*$")


# --------------------------------------------------------------------------------------------
# small helpers


def find_date(text: str) -> tuple[str | None, re.Match | None]:
    """The first valid date in `text` as an ISO string, and its match."""
    if not _YEAR.search(text):
        return None, None
    low = text.lower()
    # Skip the patterns that cannot match: `年` is literal; month names only in ASCII letters
    # (non-ASCII text always tries them, as IGNORECASE lets "ſ" match "s").
    has_nian = "年" in text
    has_month = not low.isascii() or any(stem in low for stem in _MONTH_STEMS)
    best: tuple[int, str, re.Match] | None = None
    for n, (pattern, (gy, gm, gd)) in enumerate(_DATE_PATTERNS):
        if (n == 0 and not has_nian) or (n >= 2 and not has_month):
            continue
        for m in pattern.finditer(text):
            try:
                month_raw = m.group(gm)
                month = int(month_raw) if month_raw.isdigit() else _MONTHS[month_raw.lower().rstrip(".")]
                iso = _dt.date(int(m.group(gy)), month, int(m.group(gd))).isoformat()
            except (ValueError, KeyError):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), iso, m)
            break
    return (best[1], best[2]) if best else (None, None)


def language_of(text: str) -> str | None:
    """"zh" when Han characters dominate, "en" when Latin letters do, None for neither.

    A Han character carries about as much as three Latin letters, so Chinese text with English
    names or acronyms in it (NATO, GDP, Trump) stays Chinese.
    """
    if not _HAN_ANY.search(text):
        return "en" if _LATIN.search(text) else None
    han = len(_NOT_HAN.sub("", text))
    latin = len(_NOT_LATIN.sub("", text))
    return "zh" if han * 3 >= latin else "en"


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


def _is_glossary_heading(line: str) -> bool:
    if len(line) > 50 or not _GLOSSARY_WORDS.search(line):
        return False
    rest = _GLOSSARY_WORDS.sub("", _HEADING_MARK.sub("", line.strip()))
    rest = _GLOSSARY_FILLER.sub("", rest)
    return _squash(rest) == ""


def _metadata_date(line: str) -> tuple[bool, str | None]:
    """(is this line metadata, the date it holds)."""
    s = line.strip()
    if not s:
        return True, None
    if _URL.match(s):
        return True, None
    if len(s) > 100:
        return False, None
    if _BYLINE.match(s) or _BY_NAME.match(s):
        return True, None
    iso, m = find_date(s)
    rest = s
    if m is not None:
        rest = s[: m.start()] + " " + s[m.end():]
    low = rest.lower()
    if not low.isascii() or any(stem in low for stem in _WEEKDAY_STEMS):
        rest = _WEEKDAYS.sub(" ", rest)
        low = rest.lower()
    # Only a short remainder can be a metadata word: count up to the longest before squashing.
    if not _TOO_MANY_WORD_CHARS.match(low) and _SQUASH.sub("", low) in _META_WORDS:
        return True, iso
    if _BRACKETED.match(s) and (m is not None or len(s) <= 40):
        if language_of(s) is None or len(_squash(s)) <= 30:
            return True, iso
    return False, None


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL_END.search(line.rstrip()))


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


def _strip_glued_metadata(unit: str) -> tuple[str, str | None]:
    """` date 2025-05-12 The primary…` -> ("The primary…", "2025-05-12")."""
    m = _GLUED_DATE.match(unit)
    if m:
        iso, dm = find_date(unit[m.end():])
        if dm is not None and dm.start() == 0:
            return unit[m.end() + dm.end():].strip(), iso
    m = _ISO_PREFIX.match(unit)
    if m:
        iso, dm = find_date(m.group(1))
        if iso and len(unit) - m.end() > 40:
            return unit[m.end():].strip(), iso
    return unit, None


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
