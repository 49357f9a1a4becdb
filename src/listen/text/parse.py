"""Find the structure of a bilingual editorial: date, titles, English and Chinese paragraphs, glossary.

The parser works on *units*: a line, or several hard-wrapped lines joined. Layouts it understands:
the English block then the Chinese block (or the reverse), interleaved English/Chinese paragraphs,
paragraphs separated by blank lines or one per line, hard-wrapped paragraphs, and a metadata line
glued to the first paragraph (` date 2025-05-12 The primary…`). Metadata (dates, source names,
bylines, URLs, `(English translation)`), `■` headings and the glossary are never paragraphs.
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
_TOO_MANY_WORD_CHARS = re.compile(r"(?:[\W_]*[^\W_]){%d}" % (max(len(w) for w in _META_WORDS) + 1))
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
    best: tuple[int, str, re.Match] | None = None
    for pattern, (gy, gm, gd) in _DATE_PATTERNS:
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


def _join(a: str, b: str, lang: str | None) -> str:
    if lang == "zh" or (a and is_han(a[-1]) and b and is_han(b[0])):
        return a + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        return a + b  # a word hyphenated at the line end (best effort)
    return a + " " + b


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
    cur = lines[0]
    for prev_lang, line, lang, prev in zip(langs, lines[1:], langs[1:], lines):
        title_like = len(prev) < 0.6 * longest and not _ends_sentence(prev)
        if lang == prev_lang and not title_like and not (_ends_sentence(prev) and len(prev) < 0.6 * longest):
            cur = _join(cur, line, lang)
        else:
            out.append(cur)
            cur = line
    out.append(cur)
    return out


def _split_units(text: str) -> list[str]:
    units: list[str] = []
    run: list[str] = []
    in_glossary = False
    for raw in text.split("\n"):
        line = raw.strip()
        if line and _is_glossary_heading(line):
            in_glossary = True
        elif in_glossary and line and len(line) > 200:
            in_glossary = False  # prose again (the parser makes the same call per unit)
        if not line or in_glossary or _special(line):
            if run:
                units.extend(_units(run))
                run = []
            if line:
                units.append(line)
            continue
        run.append(line)
    if run:
        units.extend(_units(run))
    return units


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

    for unit in _split_units(text):
        if in_glossary:
            entry = parse_glossary_entry(unit)
            if entry is not None:
                glossary.append(entry)
                continue
            lang = language_of(unit)
            long_prose = lang is not None and (len(unit) > 80 or len(split_sentences(unit, lang)) > 1)
            if not long_prose:
                if _is_glossary_heading(unit) or _metadata_date(unit)[0] or _HEADING_MARK.match(unit):
                    continue
                if glossary and lang == "en" and unit[:1].islower():
                    last = glossary[-1]
                    glossary[-1] = GlossaryEntry(last.term, (last.definition + " " + unit).strip(), last.zh)
                    continue
                warnings.append(f"Glossary line not understood, skipped: {unit[:60]!r}")
                continue
            in_glossary = False  # prose after the glossary: back to paragraphs

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
