"""Metadata lines of an editorial: dates, source names, URLs, dated title lines, front matter."""

from __future__ import annotations

import datetime as _dt
import re

from .lang import language_of, squash

__all__ = [
    "find_date", "metadata_line", "strip_glued_metadata", "dated_title", "editorial_title", "is_title_line",
    "parse_front_matter",
]

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
# A time of day next to a date (`2021-04-20 06:11`, `上午10:30`, `10:30 HKT`).
_TIME = re.compile(r"(?:上午|下午|凌晨|晚上)?\s*(?<!\d)\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?!\d)\s*(?:am|pm|a\.m\.|p\.m\.|hkt|gmt|utc)?",
                   re.I)
_META_WORDS = {
    "", "date", "dated", "日期", "明報社評", "明报社评", "明報社論", "社評", "社评", "社論", "社论", "明報",
    "明报", "editorial", "editorials", "mingpao", "mingpaoeditorial", "mingpaonews", "englishtranslation",
    "translation", "englishversion", "chineseversion", "englishtext", "chinesetext", "english", "chinese",
    "中文", "英文", "英文翻譯", "英文翻译", "英譯", "英译", "中譯", "中译", "中英對照", "中英对照", "譯文", "译文",
    "published", "updated", "posted", "publishedon", "updatedon", "明報新聞網", "明报新闻网", "今日", "today",
    "發佈", "发布", "發布", "更新", "發表", "发表", "發表於", "发表于", "出版", "最後更新", "最后更新", "lastupdated",
    "發佈時間", "发布时间", "更新時間", "更新时间", "時間", "时间",
}
_BYLINE = re.compile(
    r"^(?:by|written by|translated by|translation by|source|reporter|editor|撰文|文|譯|译|翻譯|翻译|來源|来源|"
    r"編輯|编辑|記者|记者|作者|出處|出处)\s*[:：]",
    re.I,
)
# A page's field in both languages: `keywords/关键词: …`, `publish date/发表日期: 2020-04-10 …`,
# `作者/Author: …`.
_BILINGUAL_FIELD = re.compile(
    r"^(?:[A-Za-z][A-Za-z ]{1,23}\s*/\s*[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{1,8}\s*/\s*[A-Za-z][A-Za-z ]{1,23})\s*[:：]"
)
# A blog's date line: `Posted on December 2, 2022 by Manitoba Immigration Pathways`.
_POSTED = re.compile(r"^(?:posted|published|updated)\b", re.I)
_BY_NAME = re.compile(r"^by\s+[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3}$")
_URL = re.compile(r"^(?:<?https?://|www\.)\S+>?$", re.I)
_BRACKETED = re.compile(r"^[(（\[【〔][^()（）\[\]【】]{0,60}[)）\]】〕]$")
_GLUED_DATE = re.compile(r"^\s*(?:date|dated|日期)\s*[:：]?\s*", re.I)
_TITLE_WITH_DATE = re.compile(
    r"^\s*(?P<prefix>[^\d:：]{0,16}?)\s*(?P<date>\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日號号]?)"
    r"\s*[:：]\s*(?P<title>\S.*)$"
)
_EDITORIAL_PREFIX = re.compile(r"^\s*(?:ming\s*pao\s+)?editorial\s*[:：\-–—|]\s*(?P<title>\S.*)$", re.I)
# Prefilters that skip a costly regex when it cannot match (exact: non-ASCII text always runs it,
# since IGNORECASE lets a few non-ASCII letters such as "ſ" match ASCII ones).
_WEEKDAY_STEMS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TOO_MANY_WORD_CHARS = re.compile(r"(?:[\W_]*[^\W_]){" + str(max(len(w) for w in _META_WORDS) + 1) + "}")
_YEAR = re.compile(r"\d{4}")  # every date pattern has a four-digit year
_ISO_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(?=\S)")
_ZH_SENTENCE = re.compile(r"[。！？]")


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


def metadata_line(line: str) -> tuple[bool, str | None]:
    """(is this line metadata — a date, a URL, a source name, `(English translation)` —, the date it holds)."""
    s = line.strip()
    if not s:
        return True, None
    if _URL.match(s):
        return True, None
    if _BILINGUAL_FIELD.match(s):
        return True, find_date(s)[0]
    if len(s) > 100:
        return False, None
    if _BYLINE.match(s) or _BY_NAME.match(s):
        return True, find_date(s)[0]
    iso, m = find_date(s)
    if m is not None and _POSTED.match(s) and re.fullmatch(r"(?:(?:by|in)\s+[^.!?]*)?", s[m.end():].strip(), re.I):
        return True, iso  # `Posted on <date> [by <name>]`, not `Updated on <date>, the rules …`
    rest = s
    if m is not None:
        rest = s[: m.start()] + " " + s[m.end():]
        if ":" in rest or "：" in rest:
            rest = _TIME.sub(" ", rest)
    low = rest.lower()
    if not low.isascii() or any(stem in low for stem in _WEEKDAY_STEMS):
        rest = _WEEKDAYS.sub(" ", rest)
        low = rest.lower()
    # Only a short remainder can be a metadata word: count up to the longest before squashing.
    if not _TOO_MANY_WORD_CHARS.match(low) and squash(low) in _META_WORDS:
        return True, iso
    if _BRACKETED.match(s) and (m is not None or len(s) <= 40):
        if language_of(s) is None or len(squash(s)) <= 30:
            return True, iso
    return False, None


def strip_glued_metadata(unit: str) -> tuple[str, str | None]:
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


def dated_title(line: str) -> tuple[str | None, str] | None:
    """`明報社評2025.05.12：標題` -> ("2025-05-12", "標題"); None when `line` is no dated title."""
    m = _TITLE_WITH_DATE.match(line)
    if not m:
        return None
    title = m.group("title").strip()
    if len(title) > 80 or _ZH_SENTENCE.search(title[:-1]):
        return None
    return find_date(m.group("date"))[0], title


def editorial_title(line: str) -> str | None:
    """`Editorial: Title` -> "Title" (English titles only)."""
    m = _EDITORIAL_PREFIX.match(line)
    if m and len(line) <= 150 and language_of(m.group("title")) == "en":
        return m.group("title").strip()
    return None


def is_title_line(unit: str) -> bool:
    """`明報社評2025.05.12：標題` or `Editorial: Title`: a title line (of this or of the next article)."""
    return bool(_TITLE_WITH_DATE.match(unit) or _EDITORIAL_PREFIX.match(unit))


_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")


def parse_front_matter(lines: list[str]) -> dict[str, str]:
    """The `key: value` pairs of a YAML front matter block (top-level scalars only, quotes removed);
    lists, nested maps and anything else YAML allows are skipped, not misread."""
    out: dict[str, str] = {}
    for line in lines:
        if line[:1].isspace() or line.lstrip().startswith(("-", "#")):
            continue
        m = _FRONT_KEY.match(line)
        if not m:
            continue
        value = m.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if value and value[0] not in "[{|>&*!":
            out[m.group("key").lower()] = value.strip()
    return out
