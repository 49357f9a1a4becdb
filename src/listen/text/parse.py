"""Find the structure of a bilingual article: date, titles, English and Chinese paragraphs, glossary.

Every input format first becomes `Line`s (`lines.plain_lines`, `markdown.markdown_lines`, the text
extracted from a web page). The parser then works in three steps:

1. **Lines to units.** A line that always stands alone (a heading, a byline, a date, a credit, a
   salutation, navigation: `classify.classify_line`) is a unit of its own; the other lines of a
   block are joined when they wrap one paragraph (a line that ends mid-sentence, a short first
   line that ends with a comma, hard-wrapped text) and kept apart when they are one paragraph per
   line; a line that holds an English paragraph glued to its Chinese translation is cut where the
   language changes at a sentence end. Under a glossary heading each line is a unit.
2. **Units in context.** The glossary under its heading, up to the first unit that is clearly no
   entry (a paragraph, a sentence, a block in the language its terms are not in, a new heading);
   a glossary without a heading (two or more entries beyond doubt after the last paragraph or
   between the blocks, or a quoted vocabulary box); the title of each language (the first
   title-like unit before its first paragraph, never a salutation, a byline or a label); bylines
   made only of names next to the title; subheadings (a short unpunctuated unit over a
   paragraph); menus (runs of short units before the article starts); copies of a title.
3. **The document**: paragraphs with their sentences, the glossary, and every unit that is not
   read (`Document.dropped`: its lines, kind, rule and confidence) so `listen inspect` can show it
   and `--keep-lines` can bring it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Document, Dropped, GlossaryEntry, Paragraph
from .classify import (
    READ,
    Verdict,
    classify_line,
    dated_header,
    is_name_line,
    is_name_list,
    is_salutation,
    is_sign_off,
    is_numbering,
    is_speaker_turn,
    original_title,
    section_label,
    is_related_heading,
)
from .glossary import (
    HEADING_MARK,
    glossary_entry,
    glossary_heading,
    headless_entry,
    is_headless_glossary,
    leaves_glossary,
    vocabulary_entry,
)
from .lang import ends_sentence, han_count, has_han, has_zh_sentence_punct, language_of, latin_count, squash
from .lines import Line, Meta, plain_lines
from .metadata import dated_title, editorial_title, find_date, strip_glued_metadata
from .script import detect_script, is_han
from .sentences import split_sentences

__all__ = ["parse", "parse_lines", "Unit"]

_ZH_TITLE_PREFIX = re.compile(r"^\s*(?:明報|明报)?(?:社評|社评|社論|社论)\s*[:：]\s*")
_SPACE = re.compile(r"\s")
_EN_TITLE_END = re.compile(r"[.!;:,][\"'”’)]*$")
_CONTINUES_ZH = re.compile(r"[，、：；「『（《—…,:;(]$")
_CONTINUES_EN = re.compile(r"(?:[A-Za-z0-9%$)’'\"”]|[,;:\-–—(])$")
_ENUMERATED = re.compile(r"^(?:[(（]\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*[)）]|(?:\d{1,2}|[a-z])\))\s*\S")
_SITE_SUFFIX = re.compile(
    r"^(?P<title>.{4,}?)\s*(?:[_|｜]|\s[-–—]\s|(?<=[^\x00-\x7f])-|::)\s*(?P<site>[^_|｜:-]{2,24}?)\s*:*$"
)
_SITE_WORDS = re.compile(r"網|网|報|报|news|times|post|daily|online|\.com|\.cn|\.hk|社|台|臺|頻道|频道|channel|pixnet|博客|blog", re.I)


@dataclass
class Unit:
    """A paragraph candidate: one line, or several lines of one block joined."""

    text: str
    first: int  # source line numbers (1-based)
    last: int
    hint: str = ""
    level: int = 0
    verdict: Verdict | None = None  # what the line says on its own (`classify_line`), None for text
    kept: bool = False  # the user asked for it to be read (`--keep-lines`)


# -------------------------------------------------------------------------------------------- helpers


@lru_cache(maxsize=1 << 16)
def _line_verdict(text: str, hint: str) -> Verdict | None:
    v = classify_line(text, hint)
    if v is None:
        if dated_title(text) is not None or editorial_title(text) is not None:
            return Verdict("title", 0.95, "dated or 'Editorial:' title line")
    return v


def _stands_alone(line: Line) -> Verdict | None:
    """The verdict of a line that never joins its neighbours (None: it may)."""
    v = _line_verdict(line.text, line.hint)
    if v is not None:
        return v
    if line.hint in ("heading", "strong", "table"):
        return Verdict("paragraph", 0.5, f"{line.hint} line")  # stands alone; what it is, the context says
    return None


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


def _continues(prev: str, nxt: str, lang: str | None) -> bool:
    """`prev` clearly goes on in `nxt`: it ends mid-clause (a comma, a colon, a dash, an open bracket)
    or, in English, mid-sentence before a lower-case word."""
    if lang == "zh":
        return bool(_CONTINUES_ZH.search(prev))
    if lang == "en":
        if prev.endswith((",", ";", "-", "–", "—", "(")):
            return True
        return bool(_CONTINUES_EN.search(prev)) and nxt[:1].islower()
    return False


def _wrap(lines: list[Line], markdown: bool = False) -> list[Unit]:
    """Group the ordinary lines of one block into paragraph candidates. In markdown the lines of a
    block are one paragraph (CommonMark), except where the language changes or a short unpunctuated
    line stands over a longer one."""
    if len(lines) == 1:
        ln = lines[0]
        return [Unit(ln.text, ln.number, ln.number, ln.hint, ln.level)]
    texts = [ln.text for ln in lines]
    if all(_menu_like(t) for t in texts):
        # A block of short items (a menu, a list of names): one unit each.
        return [Unit(ln.text, ln.number, ln.number, ln.hint, ln.level) for ln in lines]
    langs = [language_of(t) for t in texts]
    longest = max(len(t) for t in texts)
    # Whether the block is wrapped text or one paragraph per line, judged on its long lines: the
    # short ones (a title, a subtitle, a label) end without a full stop either way.
    longest_of = {lang: max(len(t) for t, la in zip(texts, langs) if la == lang) for lang in set(langs)}
    inner = [t for t, la in zip(texts[:-1], langs[:-1]) if len(t) >= 0.5 * longest_of[la]] or texts[:-1]
    ended = sum(1 for t in inner if ends_sentence(t))
    wrapped = markdown or ended / len(inner) < 0.5
    base_indent = min(ln.indent for ln in lines)
    indented = [ln.indent > base_indent for ln in lines]
    # Indentation marks paragraph starts only when some lines are indented and others not.
    indents_mark = wrapped and 0 < sum(indented) < len(lines)
    out: list[Unit] = []
    # The unit being built, as pieces joined once at the end (adding to one string line by line
    # is quadratic in the length of the paragraph); its last two characters and its length.
    parts = [texts[0]]
    first = lines[0].number
    tail, length = texts[0][-2:], len(texts[0])
    for k in range(1, len(lines)):
        prev, line, prev_lang, lang = texts[k - 1], texts[k], langs[k - 1], langs[k]
        short = len(prev) < 0.6 * longest_of[prev_lang]
        if lang != prev_lang or (indents_mark and indented[k]):
            join = False
        elif _heading_pair(prev, line, lang):
            join = False  # a title over a byline or a subtitle: two units
        elif _continues(prev, line, lang):
            join = True
        elif not wrapped:
            join = False
        elif markdown:
            join = not (short and lang is not None and _is_title_like(prev, lang) and not ends_sentence(prev))
        else:
            join = not ((short and not ends_sentence(prev)) or (ends_sentence(prev) and short))
        if join:
            sep = _separator(tail, length, line, lang)
            parts.append(sep)
            parts.append(line)
            tail, length = (tail + sep + line)[-2:], length + len(sep) + len(line)
        else:
            out.append(Unit("".join(parts), first, lines[k - 1].number, lines[k - 1].hint))
            parts = [line]
            first = lines[k].number
            tail, length = line[-2:], len(line)
    out.append(Unit("".join(parts), first, lines[-1].number, lines[-1].hint))
    return out


def _heading_pair(prev: str, line: str, lang: str | None) -> bool:
    """Two short lines without sentence or clause marks (a title and a byline, a title and its
    subtitle), or a line of names: never one wrapped paragraph."""
    if lang == "en" and (is_name_line(prev) or is_name_line(line)):
        return True
    if lang not in ("en", "zh") or _continues(prev, line, lang) or line[:1].islower():
        return False
    for t in (prev, line):
        if ends_sentence(t) or not _is_title_like(t, lang):
            return False
        if (han_count(t) > 20) if lang == "zh" else (len(t.split()) > 8 or len(t) > 50):
            return False
    return True


def _block_units(lines: list[Line], markdown: bool = False) -> list[Unit]:
    """`_wrap`, except that two or more consecutive glossary entries stay one unit each."""
    if len(lines) < 2:
        return _wrap(lines, markdown)
    entries = [headless_entry(ln.text) is not None or vocabulary_entry(ln.text) is not None for ln in lines]
    if sum(entries) < 2:
        return _wrap(lines, markdown)
    out: list[Unit] = []
    seg: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and entries[j]:
            j += 1
        if j - i >= 2:
            if seg:
                out.extend(_wrap(seg, markdown))
                seg = []
            out.extend(Unit(ln.text, ln.number, ln.number, ln.hint, ln.level) for ln in lines[i:j])
            i = j
        else:
            seg.extend(lines[i : max(j, i + 1)])
            i = max(j, i + 1)
    if seg:
        out.extend(_wrap(seg, markdown))
    return out


# A boundary where English turns into Chinese (or back) at the end of a sentence:
# `…on Sunday.卡特中心上周日表示…`, `…hummed with life. 在格林尼治村…。 Baristas in …`.
_EN_TO_ZH = re.compile(r"[.!?][\"'”’)\]]*\s*(?=(?:\d+\s*[、.．]?\s*)?[“「『《（(]?[" + "\u3400-\u9fff" + r"])")
_ZH_TO_EN = re.compile(
    r"(?:[。！？]|(?<=[\u3400-\u9fff])\.)[”’」』）)\]]*\s*(?=(?:\d{1,3}\s*[、.．]\s*)?[“\"‘'(]?[A-Z])"
    r"|(?<=[\u3400-\u9fff])(?=[_*]+[A-Z][^\u3400-\u9fff]*$)"
)  # `…的要求.The current …` (a machine translation may end a Chinese sentence with an ASCII stop);
# `…部长_Mike Ellis, Minister …_` (a name and title, then the English one in emphasis marks)


# A page copied from two columns, a Chinese cell and its English cell on one line with a TAB between
# (`加拿大政府宣布将：<TAB>The Canadian government announced it will:`): the TAB is marked before
# the markup is read (which turns it into a space), and the line is cut at the mark.
COLUMN = "\u2063"
_TAB_RUN = re.compile(r"[ \u3000]*\t[\t \u3000]*")
_ZH_PUNCT = re.compile(r"[，。！？；：]")


def _column_sides(line: str) -> tuple[str, str] | None:
    """(Chinese cell, English cell) when a TAB parts a line into one of each, else None."""
    parts = _TAB_RUN.split(line.strip(), maxsplit=1)
    if len(parts) != 2:
        return None
    left, right = parts
    if has_han(left) and not has_han(right) and latin_count(right) >= 2:
        return left, right
    if has_han(right) and not has_han(left) and latin_count(left) >= 2:
        return right, left
    return None


def mark_columns(text: str) -> str:
    """`text` with the TAB between a Chinese and an English cell marked (COLUMN), when at least two
    lines are clearly such rows (a Chinese sentence and four English words or more): one tab
    separated term and gloss, as vocabulary lists have, is left alone."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    sides = [_column_sides(line) if "\t" in line else None for line in lines]
    rows = sum(1 for s in sides if s and _ZH_PUNCT.search(s[0]) and len(s[1].split()) >= 4)
    if rows < 2:
        return text
    out = []
    for line, side in zip(lines, sides):
        if side is None:
            out.append(line)
        else:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + _TAB_RUN.sub(COLUMN, line.strip(), count=1))
    return "\n".join(out)


def _split_columns(lines: list[Line]) -> list[Line]:
    """Lines marked as two cells become two lines, each a block of its own (the Chinese cell first,
    as the page has it: the cells keep their order)."""
    if not any(COLUMN in line.text for line in lines):
        return lines
    out: list[Line] = []
    block, prev = -1, None
    for line in lines:
        if line.block != prev:
            block += 1
            prev = line.block
        if COLUMN not in line.text:
            out.append(Line(line.text, line.number, block, line.hint, line.level, line.indent))
            continue
        for k, cell in enumerate(c.strip() for c in line.text.split(COLUMN, 1)):
            if k:
                block += 1
            if cell:
                out.append(Line(cell.replace(COLUMN, " "), line.number, block, line.hint, line.level, line.indent))
        block += 1
        prev = None
    return out


def _split_languages(text: str) -> list[str]:
    """`text` cut where a paragraph of one language ends and one of the other begins; `[text]` when
    it holds one language (an English word in Chinese, a Chinese phrase quoted in English)."""
    if not (has_han(text) and latin_count(text) >= 20):
        return [text]
    cuts = sorted({m.end() for m in _EN_TO_ZH.finditer(text)} | {m.end() for m in _ZH_TO_EN.finditer(text)})
    if not cuts:
        return [text]
    pieces, start = [], 0
    for c in [*cuts, len(text)]:
        piece = text[start:c].strip()
        for mark in ("**", "__", "*", "_"):
            if len(piece) > 2 * len(mark) and piece.startswith(mark) and piece.endswith(mark):
                piece = piece[len(mark):-len(mark)].strip()  # the English in emphasis marks
                break
        if piece:
            pieces.append(piece)
        start = c
    # Merge consecutive pieces of one language, then keep the cuts only when every run is a real
    # paragraph of its language: English with no Chinese in it, Chinese with no long English in it.
    runs: list[list[str]] = []
    for piece in pieces:
        lang = language_of(piece)
        if runs and (lang is None or language_of(runs[-1][0]) == lang):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    if len(runs) < 2:
        return [text]
    out = [" ".join(run) if language_of(run[0]) == "en" else "".join(run) for run in runs]
    if len(out) == 3:
        middle = out[1]
        short = len(middle.split()) < 20 if language_of(middle) == "en" else han_count(middle) < 40
        if short:
            return [text]  # a sentence of one language quoted inside a paragraph of the other
    for run in out:
        if language_of(run) == "en":
            if has_han(run) or len(run.split()) < 5:
                return [text]
        elif han_count(run) < 6:
            return [text]
    return out


def _is_title_like(unit: str, lang: str) -> bool:
    if lang == "zh":
        s = unit.rstrip()
        return (
            len(_SPACE.sub("", unit)) <= 40
            and han_count(s) >= 2
            and han_count(s) * 2 >= sum(c.isdigit() for c in s)
            and not has_zh_sentence_punct(s[:-1])
            and not s.endswith(("。", "；", "，", ",", "、"))
        )
    words = unit.split()
    return len(unit) <= 120 and len(words) <= 16 and not _EN_TITLE_END.search(unit.rstrip())


def _is_headline(unit: str, lang: str) -> bool:
    """A long headline marked up as a heading (`## 某市报告新增病例，专家称…` of 50 characters, an
    English one of 20 words): a title when it comes before the article's text, though too long for
    an unmarked line. One sentence at most, no sentence stop inside."""
    s = unit.strip()
    if lang == "zh":
        return len(_SPACE.sub("", s)) <= 80 and han_count(s) >= 2 and not re.search(r"[。！？；]", s[:-1]) \
            and not s.endswith(("。", "；", "，", ",", "、"))
    return len(s) <= 200 and len(s.split()) <= 32 and not ends_sentence(s) and not re.search(r"[.!?]\s", s)


# A title given in both languages on one line: `India overheats 印度经济过热(陈继龙编译)`,
# `你愛我什麼What do you love me for`; a translator's credit in brackets may follow the Chinese.
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_ZH_THEN_EN = re.compile(r"^(?P<zh>[^A-Za-z]*[" + _HAN + r"][^A-Za-z]*?)\s*(?P<en>[A-Za-z][^" + _HAN + r"]*)$")
_EN_THEN_ZH = re.compile(r"^(?P<en>[A-Za-z][^" + _HAN + r"]*?)\s*(?P<zh>[^A-Za-z]*[" + _HAN + r"][^A-Za-z]*)$")
_TITLE_CREDIT = re.compile(r"\s*[(（][^()（）]{1,12}(?:编译|編譯|翻译|翻譯|译|譯|撰|文|整理)[)）]$")


def _bilingual_title(text: str) -> tuple[str, str] | None:
    """(English, Chinese) of a line that is a title in both languages, None for any other line."""
    if len(text) > 120 or ends_sentence(text):
        return None
    m = _ZH_THEN_EN.match(text) or _EN_THEN_ZH.match(text)
    if not m:
        return None
    en, zh = m.group("en").strip(), _TITLE_CREDIT.sub("", m.group("zh").strip())
    if len(en.split()) < 2 or han_count(zh) < 2 or not _is_title_like(en, "en") or not _is_title_like(zh, "zh"):
        return None
    return en, zh


def _entry_like(unit: Unit) -> bool:
    """A list item, a quotation or a vocabulary entry with a pronunciation or a part of speech:
    never a title (a lone `India overheats 印度经济过热` is one, though it reads like `term 释义`)."""
    return unit.hint in ("item", "quote") or (vocabulary_entry(unit.text) is not None and bool(_MARKED_ENTRY.search(unit.text)))


# A pronunciation or a part of speech: what makes `term 释义` a dictionary's line.
_MARKED_ENTRY = re.compile(r"\[[^\]]{1,40}\]|/[^/\s]{1,40}/|\b(?:n|v|vt|vi|adj|adv|prep|conj|pron|phr)\.")


def _pronounced(text: str) -> bool:
    """A vocabulary entry with its pronunciation and its Chinese sense (`choreographed：美 [...] 精心编制的`)."""
    entry = vocabulary_entry(text)
    return entry is not None and bool(entry.zh) and bool(_IPA_MARK.search(text))


_IPA_MARK = re.compile(r"\[[^\]" + "\u3400-\u9fff" + r"]{1,40}\]|/[^/\s]{1,40}/")


def _menu_like(t: str) -> bool:
    """A short item of a menu or a list (`双语新闻`, `Bilingual News`), no sentence."""
    if ends_sentence(t) or t.endswith((",", "，", "、", ":", "：")):
        return False
    return han_count(t) <= 6 and len(t) <= 12 if has_han(t) else len(t.split()) <= 3 and len(t) <= 30


def _short_menu_item(unit: Unit) -> bool:
    return unit.verdict is None and _menu_like(unit.text)


_TITLE_TAIL = re.compile(r"\s+[|｜–—-]\s+|\s*——\s*")


def _clean_site_suffix(title: str) -> str:
    """`对话……如何为中文读者写专栏_OK阅读网`, `…_教育频道_中国青年网` -> the title without the site's name."""
    for _ in range(3):
        m = _SITE_SUFFIX.match(title)
        if not (m and _SITE_WORDS.search(m.group("site")) and len(m.group("site")) < len(m.group("title"))):
            break
        title = m.group("title").strip()
    return title


# ------------------------------------------------------------------------------------------- step 1


# A site's name stamped at the start of many lines of a copied page (`学习啦在线学习网   My memory…`):
# the same few characters, then a run of spaces, on three lines or more.
_LINE_STAMP = re.compile(r"^(?P<stamp>\S{3,30}?)(?:\s{2,}|\u3000+)(?=\S)")
_STAMP_MIN_LINES = 3


def _strip_line_stamps(lines: list[Line]) -> tuple[list[Line], str | None]:
    """`lines` without a prefix that starts three or more of them followed by a run of spaces (a
    watermark of the page they were copied from), and the prefix taken away (None: none)."""
    counts: dict[str, int] = {}
    for ln in lines:
        m = _LINE_STAMP.match(ln.text)
        if m:
            counts[m.group("stamp")] = counts.get(m.group("stamp"), 0) + 1
    stamp = max(counts, key=counts.get, default=None)
    if stamp is None or counts[stamp] < _STAMP_MIN_LINES or ends_sentence(stamp):
        return lines, None
    out = []
    for ln in lines:
        m = _LINE_STAMP.match(ln.text)
        if m and m.group("stamp") == stamp:
            ln = Line(ln.text[m.end():], ln.number, ln.block, ln.hint, ln.level, ln.indent)
        out.append(ln)
    return out, stamp


# A translation given after a label on its own line: `翻译:春节被认为是中国人一年中最重要的节日。`
# (a translator's credit, `翻译：陈大文`, is a few characters of names, and stays a credit).
_TRANSLATION_LABEL = re.compile(r"^(?:翻译|翻譯|译文|譯文|参考译文|參考譯文|中文翻译|中文翻譯|中译|中譯)\s*[:：︰]\s*(?=\S)")


def _strip_translation_labels(lines: list[Line]) -> list[Line]:
    out = []
    for ln in lines:
        m = _TRANSLATION_LABEL.match(ln.text)
        if m:
            rest = ln.text[m.end():]
            if (han_count(rest) >= 5 or ends_sentence(rest)) and not is_name_list(rest):
                ln = Line(rest, ln.number, ln.block, ln.hint, ln.level, ln.indent)
        out.append(ln)
    return out


# Hard-wrapped text copied from a PDF or an e-book often comes with a blank line after every line:
# each line of a paragraph is then a block of its own. Such lines are recognised by their width (the
# lines that end mid-sentence are about as long as one another, and no longer than a page's line).
_WRAP_MAX_WIDTH = 120  # longer lines are paragraphs on one line, not a page's wrapped lines
_WRAP_MIN_LINES = 3


def _spaced_wrap_width(lines: list[Line]) -> int | None:
    """The width of the text when it is hard-wrapped with a blank line after every line (None when
    it is not): the lines that stand alone in their block, are English and end mid-sentence."""
    last: dict[int, int] = {}  # block -> the number of its last line
    for ln in lines:
        last[ln.block] = ln.number
    widths = sorted(
        len(ln.text) for ln in lines
        if last[ln.block] == ln.number and ln.hint == "" and len(ln.text) >= 30
        and language_of(ln.text) == "en" and not ends_sentence(ln.text) and _stands_alone(ln) is None
    )
    if len(widths) < _WRAP_MIN_LINES:
        return None
    width = widths[int(0.9 * (len(widths) - 1))]
    if width > _WRAP_MAX_WIDTH or sum(1 for w in widths if w >= 0.8 * width) < _WRAP_MIN_LINES:
        return None
    return width


def _rejoin_spaced_wraps(lines: list[Line]) -> list[Line]:
    """`lines` with the blank line between two lines of one hard-wrapped English paragraph taken
    away (the later line moves into the earlier line's block), so the paragraph is one unit."""
    width = _spaced_wrap_width(lines)
    if width is None:
        return lines
    out = list(lines)
    moved: dict[int, int] = {}  # old block -> new block
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if b.block == a.block or b.block in moved:
            continue
        if a.hint or b.hint or language_of(a.text) != "en" or language_of(b.text) != "en":
            continue
        if _stands_alone(a) is not None or _stands_alone(b) is not None:
            continue
        # A line that ends a sentence ends the paragraph too, unless the next line goes on in lower
        # case or the line fills the whole width (a paragraph's last line rarely does).
        wrapped = len(a.text) >= 0.6 * width and (
            not ends_sentence(a.text) or b.text[:1].islower() or len(a.text) >= width)
        if not wrapped:
            continue
        moved[b.block] = a.block
        for j in range(k + 1, len(out)):
            if lines[j].block != b.block:
                break
            out[j] = Line(out[j].text, out[j].number, a.block, out[j].hint, out[j].level, out[j].indent)
    return out



def _parallel_blocks(lines: list[Line]) -> frozenset[int]:
    """The lines of two neighbouring blocks, one English and one Chinese, of as many lines (three
    or more) each ending a sentence: a digest's summary sentences and their translations, one
    paragraph per line even where markdown would join a block's lines."""
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        if not line.hint:
            blocks.setdefault(line.block, []).append(line)
    order = sorted(blocks)

    def lang_of(block: list[Line]) -> str | None:
        langs = {language_of(ln.text) for ln in block}
        if len(langs) != 1 or len(block) < 3:
            return None
        lang = langs.pop()
        long_enough = all(len(ln.text.split()) >= 6 if lang == "en" else han_count(ln.text) >= 10 for ln in block)
        return lang if long_enough and all(ends_sentence(ln.text) for ln in block) else None

    out: set[int] = set()
    for a, b in zip(order, order[1:]):
        la, lb = lang_of(blocks[a]), lang_of(blocks[b])
        if la and lb and la != lb and len(blocks[a]) == len(blocks[b]):
            out.update(ln.number for ln in blocks[a] + blocks[b])
    return frozenset(out)


def _split_units(lines: list[Line], keep: frozenset[int], markdown: bool = False) -> tuple[list[Unit], set[int]]:
    """The units of the lines, and the units at which a glossary under a heading ends."""
    per_line = _parallel_blocks(lines) if markdown else frozenset()
    units: list[Unit] = []
    exits: set[int] = set()
    run: list[Line] = []
    in_glossary = False
    entry_lang: str | None = None  # the language of the terms of the glossary
    prev_block = None

    def flush() -> None:
        for unit in _block_units(run, markdown):
            pieces = _split_languages(unit.text)
            if len(pieces) == 1:
                units.append(unit)
            else:
                units.extend(Unit(p, unit.first, unit.last, unit.hint) for p in pieces)
        run.clear()

    for k, line in enumerate(lines):
        new_block = line.block != prev_block
        prev_block = line.block
        if new_block and run:
            flush()
        if line.number in keep:
            if run:
                flush()
            units.append(Unit(line.text, line.number, line.number, "", 0, None, True))
            continue
        if line.number in per_line:
            if run:
                flush()
            run.append(line)
            flush()
            continue
        text = line.text
        verdict = _stands_alone(line)
        strength = glossary_heading(text) if verdict is not None and verdict.kind == "glossary-heading" else 0
        if strength == 2 or (strength == 1 and _vocabulary_follows(lines, k)):
            in_glossary = True
            entry_lang = None
        elif in_glossary:
            entry = glossary_entry(text)
            if line.hint == "heading":
                in_glossary = False  # a heading of the markup: the glossary is over
                exits.add(len(units))
            elif entry is not None:
                entry_lang = language_of(entry.term)
            elif (
                leaves_glossary(text)
                or (new_block or _after_entry(lines, k)) and leaves_glossary(_wrapped_paragraph(lines, k))
                or (new_block and entry_lang and language_of(text) not in (None, entry_lang))
                or (new_block and _over_prose(lines, k))
            ):
                # A paragraph, prose, a heading, or a block in the language the terms are not in:
                # back to paragraphs. The run is empty here, so this line starts the next unit.
                in_glossary = False
                exits.add(len(units))
        if in_glossary or verdict is not None:
            if run:
                flush()
            units.append(Unit(text, line.number, line.number, line.hint, line.level, verdict))
            continue
        run.append(line)
    if run:
        flush()
    return units, exits


def _over_prose(lines: list[Line], k: int) -> bool:
    """Line `k` is a title over the prose that follows the glossary (a byline or a date may sit
    between them), not a stray line between entries."""
    for j in range(k + 1, min(len(lines), k + 5)):
        nxt = lines[j].text
        if glossary_entry(nxt) is not None:
            return False
        v = _stands_alone(lines[j])
        if v is not None and v.kind in ("byline", "credit", "date", "metadata", "figure", "separator", "note"):
            continue
        if is_name_line(nxt):  # `Mary Chan and Peter Wong` under the title: a byline
            continue
        return leaves_glossary(nxt) or leaves_glossary(_wrapped_paragraph(lines, j))
    return False


def _vocabulary_follows(lines: list[Line], k: int) -> bool:
    return k + 1 < len(lines) and vocabulary_entry(lines[k + 1].text) is not None


def _after_entry(lines: list[Line], k: int) -> bool:
    return k > 0 and (glossary_entry(lines[k - 1].text) is not None or _stands_alone(lines[k - 1]) is not None)


def _wrapped_paragraph(lines: list[Line], start: int, limit: int = 20) -> str:
    """The lines of `start`'s block from `start` up to an entry or a heading, joined ("" for one
    line): under a glossary heading, the first line of a hard-wrapped paragraph is no entry and may
    look like no prose either, but the paragraph it starts does."""
    parts: list[str] = [lines[start].text]
    block = lines[start].block
    for line in lines[start + 1 : start + limit]:
        if line.block != block or glossary_entry(line.text) is not None or _stands_alone(line) is not None:
            break
        parts.append(line.text)
    if len(parts) < 2:
        return ""
    lang = language_of(parts[0])
    text = parts[0]
    for part in parts[1:]:
        text = _join(text, part, lang)
    return text


# ------------------------------------------------------------------------------------------- step 2


class _Parser:
    def __init__(self, units: list[Unit], exits: set[int], meta: Meta):
        self.units = units
        self.exits = exits
        self.meta = meta
        self.date: str | None = meta.date if meta.explicit else None
        self.titles: dict[str, str | None] = {"zh": None, "en": None}
        self.title_units: dict[str, int] = {}
        self.paragraphs: dict[str, list[tuple[str, Unit, int]]] = {"en": [], "zh": []}
        self.glossary: list[GlossaryEntry] = []
        self.dropped: list[tuple[Unit, str, str, float, int]] = []
        self.warnings: list[str] = []
        self.original_title: str | None = None
        if meta.title and (meta.explicit or meta.page):
            # A front matter's title, or a web page's (its head names the article better than the
            # first short line of the body, which may be a share button's label).
            title = meta.title if meta.explicit else _clean_site_suffix(meta.title)
            lang = language_of(title)
            if lang:
                self.titles[lang] = title
        self._last: dict[str, int] = {}  # the unit of the last paragraph of each language
        self._k = 0  # the unit being looked at
        self._texts = [u.text for u in units]
        # The last unit that may be paragraph text.
        self._last_text = max((k for k, u in enumerate(units) if u.verdict is None or u.kept), default=-1)
        self._first_paragraph = self._find_first_paragraph()
        self.lead = (0, 0)  # paragraphs of each language before the article's bilingual title
        self._seen_short: set[str] = set()  # short lines seen (a page's title is often repeated)
        self._article_title = self._find_bilingual_title()

    # -- small decisions

    def set_date(self, iso: str | None) -> None:
        if iso and self.date is None:
            self.date = iso

    def drop(self, unit: Unit, kind: str, rule: str, confidence: float) -> None:
        self.dropped.append((unit, kind, rule, confidence, self._k))

    def _title_pair_at(self, k: int) -> tuple[int, str, str] | None:
        """(last unit, English, Chinese) when unit k starts a title given in both languages: one line
        holding both, or an English and a Chinese title-like line next to each other in one block."""
        u = self.units[k]
        if u.kept or (u.verdict is not None and u.verdict.kind not in ("paragraph", "heading")) or _entry_like(u):
            return None
        got = _bilingual_title(u.text)
        if got is not None:
            return k, got[0], got[1]
        if k + 1 >= len(self.units):
            return None
        w = self.units[k + 1]
        if w.kept or w.first != u.last + 1 or (w.verdict is not None and w.verdict.kind not in ("paragraph", "heading")) \
                or _entry_like(w):
            return None
        la, lb = language_of(u.text), language_of(w.text)
        if {la, lb} != {"en", "zh"}:
            return None
        for t, lang in ((u.text, la), (w.text, lb)):
            if not _is_title_like(t, lang) or ends_sentence(t) or is_salutation(t) or is_speaker_turn(t):
                return None
            if lang == "en" and (is_name_line(t) or len(t.split()) < 2):
                return None
        en, zh = (u.text, w.text) if la == "en" else (w.text, u.text)
        return k + 1, en, zh

    def _find_bilingual_title(self) -> tuple[int, int, str, str] | None:
        """(first unit, last unit, English, Chinese) of the article's title when it is given in both
        languages at one place; None otherwise. When the page opens with one or two paragraphs of
        one language (a site's introduction, an editor's note) and the title follows them, the
        title is the first one after them; otherwise it is the first one before the article's
        first paragraph."""
        cands: list[tuple[int, int, str, str]] = []
        longs: list[tuple[int, str]] = []  # (unit, language) of the paragraphs, up to the article's start
        k = 0
        while k < len(self.units) and len(longs) < 4:
            got = self._title_pair_at(k)
            if got is not None:
                cands.append((k, got[0], got[1], got[2]))
                k = got[0] + 1
                continue
            u = self.units[k]
            lang = language_of(u.text)
            if u.verdict is None and lang and len(u.text) >= 40 and ends_sentence(u.text):
                longs.append((k, lang))
                if lang != longs[0][1]:
                    break
            k += 1
        if not cands or not longs:
            return None
        switch = next((n for n, (_, lang) in enumerate(longs) if lang != longs[0][1]), None)
        if switch is not None and switch <= 2:
            # A lead of `switch` paragraphs, then the article: its title lies between them.
            lead_end, start = longs[switch - 1][0], longs[switch][0]
            inside = [c for c in cands if lead_end < c[0] < start]
            if inside:
                return inside[0]
        before = [c for c in cands if c[0] < longs[0][0]]
        # Two lines together (an English and a Chinese title, one over the other) name the article
        # better than a page's heading on one line above them.
        paired = [c for c in before if c[1] > c[0]]
        return paired[-1] if paired else before[0] if before else None

    def _find_first_paragraph(self) -> int:
        """The first unit that is surely paragraph text (a long unit with a sentence end)."""
        for k, u in enumerate(self.units):
            if u.verdict is None and language_of(u.text) and len(u.text) >= 40 and ends_sentence(u.text):
                return k
        return len(self.units)

    def content_lang(self, k: int, step: int) -> str | None:
        """The language of the first unit from k on (step +1 or -1) that may be a paragraph (None: none
        before a glossary heading or the end)."""
        while 0 <= k < len(self.units):
            u = self.units[k]
            if u.verdict is not None and u.verdict.kind == "glossary-heading" and u.verdict.confidence > 0.9:
                return None
            if u.verdict is None or u.verdict.kind in READ or u.kept:
                lang = language_of(u.text)
                if lang is not None:
                    return lang
            k += step
        return None

    def _next_text(self, k: int) -> Unit | None:
        """The next unit after k that is paragraph material."""
        for u in self.units[k + 1 : k + 4]:
            if u.verdict is None or u.kept or u.verdict.kind == "paragraph":
                return u
            if u.verdict.kind not in ("figure", "separator", "credit", "byline", "date", "metadata"):
                return None
        return None

    # -- the walk

    def run(self) -> None:
        units = self.units
        in_glossary = False
        glossary_heading_seen = False
        headless_end = 0
        in_headless = False
        in_notes = False  # under a study-notes label (`学习：`) until a text label, a heading or a number
        related = False  # under a related-links heading, until a unit that is no list item
        menu_end = self._menu_run_end()
        for k, unit in enumerate(units):
            self._k = k
            text = unit.text
            v = unit.verdict
            if unit.kept:
                self.add_paragraph(k, unit, text)
                continue
            if self._article_title is not None and self._article_title[0] <= k <= self._article_title[1]:
                if k == self._article_title[0]:
                    self.take_article_title()
                continue
            if related and unit.hint == "item":
                self.drop(unit, "navigation", "an item under a related-links heading", 0.8)
                continue
            related = is_related_heading(text)
            if related and v is None:
                self.drop(unit, "navigation", "a related-links heading", 0.8)
                continue
            label = section_label(text)
            if label == "notes":
                in_notes, in_glossary = True, False
                self.drop(unit, "label", "a study-notes label: what follows is notes", 0.8)
                continue
            if label == "text" or unit.hint == "heading" or is_numbering(text):
                in_notes = False
            if label == "text" and not unit.verdict:
                # `原文：`, `正文开始。`, `译文（译者不详）：`: what follows is the text, the line itself is not
                self.drop(unit, "label", "a label that opens the text or its translation", 0.8)
                continue
            if in_notes:
                entry = vocabulary_entry(text) or headless_entry(text)
                if entry is not None:
                    self.glossary.append(entry)
                else:
                    self.drop(unit, "note", "under a study-notes label (an explanation or example)", 0.7)
                continue
            if in_glossary:
                entry = glossary_entry(text)
                if entry is not None and v is not None and v.kind in ("byline", "boilerplate", "navigation", "note"):
                    entry = None  # `(责任编辑：杨卉)` under the glossary: an editor's credit, not a term
                    self.drop(unit, v.kind, v.rule, v.confidence)
                    continue
                if entry is not None:
                    self.glossary.append(entry)
                    continue
                if k not in self.exits and unit.hint != "heading" and not leaves_glossary(text):
                    if v is not None and v.kind not in READ and v.kind != "title":
                        self.drop(unit, v.kind, v.rule, v.confidence)
                        continue
                    if HEADING_MARK.match(text):
                        self.drop(unit, "heading", "heading mark", 0.8)
                        continue
                    if self.glossary and language_of(text) == "en" and text[:1].islower():
                        last = self.glossary[-1]
                        self.glossary[-1] = GlossaryEntry(last.term, (last.definition + " " + text).strip(), last.zh)
                        continue
                    self.warnings.append(f"Glossary line not understood, skipped: {text[:60]!r}")
                    continue
                in_glossary = False  # a paragraph, a heading or prose after the glossary: back to paragraphs

            if k >= headless_end:
                headless_end = max(k + 1, self._headless_end(k))
                in_headless = self._is_headless_glossary(k, headless_end)
                if in_headless:
                    self.glossary.extend(self._entry(u.text) for u in units[k:headless_end])
            if in_headless:
                continue

            if v is not None and v.kind == "glossary-heading":
                if v.confidence > 0.9 or (k + 1 < len(units) and vocabulary_entry(units[k + 1].text)):
                    in_glossary = True
                    glossary_heading_seen = True
                    continue
                v = None  # `Notes` over no vocabulary: an ordinary line

            if v is not None and v.kind == "figure":
                self.drop(unit, "figure", v.rule, v.confidence)
                continue
            text, iso = strip_glued_metadata(text)
            self.set_date(iso)
            if not text:
                continue

            if k < menu_end and (v is None or v.kind in ("paragraph",)):
                self.drop(unit, "navigation", "a run of short menu items before the article", 0.7)
                continue
            if v is not None and v.kind not in READ:
                self.handle_verdict(k, unit, text, v)
                continue
            self.handle_text(k, unit, text, v)

        self.footer()
        if glossary_heading_seen and not self.glossary:
            self.warnings.append("The glossary heading is followed by no entries.")
        if self.titles["en"] is None and self.original_title:
            self.titles["en"] = self.original_title
        if self.meta.title and not self.meta.explicit:
            lang = language_of(self.meta.title)
            if lang and self.titles[lang] is None:
                self.titles[lang] = self.meta.title
        if not self.meta.explicit:
            self.set_date(self.meta.date)

    def take_article_title(self) -> None:
        """The titles given in both languages at one place win over the short lines taken for titles
        before them (a site's name, a menu); the paragraphs before them are the page's, not the
        article's (read, never paired)."""
        first, last, en, zh = self._article_title
        self._seen_short.update(squash(u.text) for u in self.units[first : last + 1])
        for lang, title in (("en", en), ("zh", zh)):
            if self.meta.explicit and self.titles[lang] is not None:
                continue
            old = self.title_units.get(lang)
            if old is not None and old < first:
                self.drop(self.units[old], "heading", "a short line before the article's title", 0.55)
            self.titles[lang] = _ZH_TITLE_PREFIX.sub("", title) or title if lang == "zh" else title
            self.title_units[lang] = first
        self.lead = (len(self.paragraphs["en"]), len(self.paragraphs["zh"]))

    def _entry(self, text: str) -> GlossaryEntry:
        entry = headless_entry(text) or vocabulary_entry(text)
        assert entry is not None
        return entry

    def _headless_end(self, k: int) -> int:
        j = k
        while j < len(self.units):
            u = self.units[j]
            if u.kept or u.verdict is not None and u.verdict.kind != "paragraph":
                break
            if headless_entry(u.text) is None and not (u.hint == "quote" and vocabulary_entry(u.text)):
                break
            j += 1
        return j

    def _is_headless_glossary(self, i: int, j: int) -> bool:
        if j <= i:
            return False
        run = self.units[i:j]
        if all(u.hint == "quote" and vocabulary_entry(u.text) for u in run):
            # A quoted vocabulary box (`> cusp[kʌsp] 尖头`) next to the paragraph it explains.
            return True
        if all(vocabulary_entry(u.text) for u in run):
            # Learner's vocabulary beyond doubt (`noose：美 [nus] 活扣；绳套`) over the article, or one
            # such word between a paragraph and its translation's neighbour.
            before, after = self.content_lang(i - 1, -1), self.content_lang(j, 1)
            if after is not None and not self.paragraphs["en"] and not self.paragraphs["zh"]:
                return True
            if j - i == 1 and _pronounced(run[0].text) and before != after:
                return True
        if j - i < 2:
            return False
        return is_headless_glossary(self._texts, i, j, self.content_lang)

    def _menu_run_end(self) -> int:
        """Units before this index that are a run of four or more short menu items (`首页`, `双语新闻`,
        `Bilingual News`, ...) ahead of the article are navigation."""
        end = 0
        run_start = None
        for k, u in enumerate(self.units[: self._first_paragraph]):
            if _short_menu_item(u) and u.hint not in ("heading", "strong"):
                if run_start is None:
                    run_start = k
                if k - run_start + 1 >= 4:
                    end = k + 1
            else:
                run_start = None
        return end

    def handle_verdict(self, k: int, unit: Unit, text: str, v: Verdict) -> None:
        kind = v.kind
        if kind == "title":
            got = dated_title(text)
            if got is not None:
                iso, title = got
                self.set_date(iso)
                lang = language_of(title)
                if lang and self.titles[lang] is None:
                    self.titles[lang] = title
                    self.title_units[lang] = k
                return
            title = editorial_title(text)
            if title and self.titles["en"] is None:
                self.titles["en"] = title
                self.title_units["en"] = k
            return
        if kind in ("date", "metadata", "byline", "credit", "note"):
            self.set_date(find_date(text)[0])
            if kind == "credit":
                title = original_title(text)
                if title and self.original_title is None:
                    self.original_title = title
        if kind == "heading":
            bare = HEADING_MARK.sub("", text).strip() if unit.hint != "heading" else text
            lang = language_of(bare)
            if lang and bare and self.title_candidate(k, unit, bare, lang, heading=True):
                return
        self.drop(unit, kind, v.rule, v.confidence)

    def title_candidate(self, k: int, unit: Unit, text: str, lang: str, *, heading: bool = False) -> bool:
        """Take `text` as the title of its language when it can be one; True when taken (or a copy)."""
        title = self.titles[lang]
        if title is not None and squash(_clean_site_suffix(text)) in (squash(title), squash(_clean_site_suffix(title))):
            self.drop(unit, "duplicate", "the title again", 0.9)
            return True
        if title is not None and heading and squash(_TITLE_TAIL.split(title, maxsplit=1)[0]) == squash(text) \
                and squash(text) != squash(title):
            # `title: "On Walking | A. Writer"` over `### On Walking`: the heading is the title, the
            # rest the author's or the site's name.
            self.titles[lang] = text.strip()
            self.title_units[lang] = k
            self.drop(unit, "duplicate", "the title again, without the name after it", 0.85)
            return True
        title_like = _is_title_like(text, lang) or (unit.hint == "heading" and _is_headline(text, lang))
        if self.paragraphs[lang] or not title_like or is_salutation(text) or is_speaker_turn(text) \
                or is_sign_off(text):
            return False
        if title is not None:
            # A cleaner copy of a title with a site's name (`…_OK阅读网`) replaces it.
            if squash(text) == squash(_clean_site_suffix(title)) and text != title:
                self.titles[lang] = text
                self.drop(unit, "duplicate", "the title again", 0.9)
                return True
            return False
        if lang == "en" and is_name_line(text) and not heading and self._names_are_byline(k, text):
            return False
        if not heading and unit.hint not in ("heading", "strong") and dated_header(text):
            return False
        if lang == "zh":
            self.titles["zh"] = _ZH_TITLE_PREFIX.sub("", text) or text
        else:
            self.titles["en"] = text
        self.title_units[lang] = k
        return True

    def _names_are_byline(self, k: int, text: str) -> bool:
        """A line of names as the first English unit: a byline rather than the title when it is
        clearly names (all capitals, two names joined, a news agency) or follows a title."""
        if "en" in self.title_units:
            return True
        words = text.split()
        strong = text.isupper() or any(w.lower() in ("and", "&") for w in words) or "," in text
        return strong or len(words) <= 2

    def handle_text(self, k: int, unit: Unit, text: str, v: Verdict | None) -> None:
        lang = language_of(text)
        if lang is None:
            self.drop(unit, "separator", "no letters", 0.9)
            return
        if v is None or v.kind not in ("salutation", "sign-off"):
            iso = None if unit.hint in ("heading", "strong") else dated_header(text)
            if iso and not self.paragraphs["en"] and not self.paragraphs["zh"]:
                self.set_date(iso)
                self.drop(unit, "date", "a short header line with a date", 0.7)
                return
            if self._article_title is not None and k < self._article_title[0] and _bilingual_title(text) is not None:
                self.drop(unit, "heading", "a page's heading in both languages, above the article's title", 0.6)
                return
            if len(text) <= 80 and squash(text) in self._seen_short and not ends_sentence(text):
                self.drop(unit, "duplicate", "a short line repeated", 0.8)
                return
            if len(text) <= 80:
                self._seen_short.add(squash(text))
            if self.title_candidate(k, unit, text, lang, heading=unit.hint == "heading"):
                return
            if lang == "en" and is_name_line(text) and self._byline_position(k, lang):
                self.drop(unit, "byline", "a line of names next to the title or at the end", 0.65)
                return
            deck = self.titles[lang] is not None and not self.paragraphs[lang] and self._is_deck(unit, text, lang)
            if deck and not self._translated_deck(k, lang):
                self.drop(unit, "heading", _DECK_RULE, 0.55)
                return
            if not deck and self._is_subheading(k, unit, text, lang):
                self.drop(unit, "heading", "a short line over a paragraph" if not unit.hint else f"{unit.hint} line",
                          0.6 if not unit.hint else 0.85)
                return
        self.add_paragraph(k, unit, text)

    def _translated_deck(self, k: int, lang: str) -> bool:
        """The short line at k has its translation next to it (a standfirst given in both
        languages, after the titles): it is read, with its translation."""
        for j in (k - 1, k + 1):
            if not 0 <= j < len(self.units):
                continue
            u = self.units[j]
            other = language_of(u.text)
            if other in (None, lang) or u.verdict is not None and u.verdict.kind != "paragraph":
                continue
            if j in self.title_units.values() or (self._article_title and self._article_title[0] <= j <= self._article_title[1]):
                continue
            # Its translation is a standfirst too: after the title of its language, before its text.
            read = self.paragraphs[other]
            if self.titles[other] is not None and (not read or len(read) == 1 and read[0][2] == j) \
                    and self._is_deck(u, u.text, other):
                return True
        return False

    def _is_deck(self, unit: Unit, text: str, lang: str) -> bool:
        if not _is_title_like(text, lang) or ends_sentence(text) or is_salutation(text) or is_speaker_turn(text):
            return False
        return han_count(text) <= 24 if lang == "zh" else len(text.split()) <= 12

    def footer(self) -> None:
        """What follows the article's last closing line (a credit, a subscription line, a menu) when
        it is a few units of one language only: a teaser of another article, a blog's box."""
        closers = sorted(
            (j, kind) for _, kind, rule, _, j in self.dropped
            if kind in ("boilerplate", "navigation") or (kind == "credit" and "photo" not in rule)
        )
        for c, kind in closers:
            tail = [(lang, t, u, j) for lang in ("en", "zh") for t, u, j in self.paragraphs[lang] if j > c]
            if not tail or len(tail) > 3 or len({lang for lang, *_ in tail}) != 1:
                continue
            lang = tail[0][0]
            own = [j for t, u, j in self.paragraphs[lang] if j < c]
            other = [j for t, u, j in self.paragraphs["zh" if lang == "en" else "en"] if j < c]
            if other and len(own) < len(other):
                continue  # the tail completes its language (an advertisement mid-block): not a footer
            if not other and (kind != "boilerplate" or len(tail) > 2 or len(own) < 3):
                # One language only: a footer only after a site's line, short, after a real article.
                continue
            for _, t, u, j in tail:
                self.dropped.append((u, "boilerplate", "after the article's closing line (a footer or teaser)", 0.6, j))
            self.paragraphs[lang] = [(t, u, j) for t, u, j in self.paragraphs[lang] if j <= c]
            return

    def _byline_position(self, k: int, lang: str) -> bool:
        if not self.paragraphs[lang]:
            return True
        return k >= self._last_text or self.content_lang(k + 1, 1) is None

    def _is_subheading(self, k: int, unit: Unit, text: str, lang: str, depth: int = 0) -> bool:
        """A short unpunctuated unit over a paragraph (or over another such unit over one), or a
        heading of the markup, after the article has started."""
        if not _is_title_like(text, lang) or is_salutation(text) or is_speaker_turn(text):
            return False
        if unit.hint == "heading":
            return True
        nxt = self._next_text(k)
        if nxt is None:
            return False
        nlang = language_of(nxt.text)
        long_next = len(nxt.text) >= max(2.5 * len(text), 40) and ends_sentence(nxt.text)
        if unit.hint == "strong":
            if long_next or nlang != lang:
                return True
            if depth == 0 and nlang is not None and nxt.hint in ("strong", "heading"):
                j = self.units.index(nxt, k + 1)
                return self._is_subheading(j, nxt, nxt.text, nlang, depth + 1)
            return False
        if ends_sentence(text):
            return False  # `圣诞快乐！` is a short paragraph
        short = han_count(text) <= 20 if lang == "zh" else len(text.split()) <= 10
        if not short or not (self.paragraphs["en"] or self.paragraphs["zh"]):
            return False
        if long_next:
            return True
        if depth < 2 and nlang is not None and nxt.verdict is None:
            # A title and its translation over a byline over the article.
            j = self.units.index(nxt, k + 1)
            return self._is_subheading(j, nxt, nxt.text, nlang, depth + 1)
        return False

    def add_paragraph(self, k: int, unit: Unit, text: str) -> None:
        lang = language_of(text)
        if lang is None:
            self.drop(unit, "separator", "no letters", 0.9)
            return
        own = self.paragraphs[lang]
        if own and _ENUMERATED.match(text) and own[-1][0].rstrip().endswith((":", "：")) \
                and self._last.get(lang) == k - 1 and not unit.kept:
            # `… we take into account that:` then `(1) …`: the items belong to the paragraph that
            # announces them.
            prev, first, j = own[-1]
            own[-1] = (_join(prev, text, lang), Unit(prev, first.first, unit.last), j)
        else:
            own.append((text, unit, k))
        self._last[lang] = k


_DECK_RULE = "a short line between the title and the article"


def _restore_deck_pair(p: "_Parser") -> None:
    """A short line between the title and the article in each language (`**Rain: A Week Indoors**`
    over the English essay, `- **雨：室内的一周**` over its translation, the blocks one after the
    other): the essay's own title and its translation, a short pair worth hearing; both are read.
    One such line in one language only stays dropped (a kicker, a deck without translation)."""
    decks = [d for d in p.dropped if d[2] == _DECK_RULE]
    langs = [language_of(d[0].text) for d in decks]
    if len(decks) != 2 or set(langs) != {"en", "zh"} or not (p.paragraphs["en"] and p.paragraphs["zh"]):
        return
    for d, lang in zip(decks, langs):
        p.paragraphs[lang].append((d[0].text, d[0], d[4]))
        p.paragraphs[lang].sort(key=lambda t: t[2])
    p.dropped[:] = [d for d in p.dropped if d[2] != _DECK_RULE]


def _mirrored_heading_title(p: "_Parser") -> None:
    """One language's title is a markup heading inside the page (`### On walking`, over the English
    text) and the other language has none: the one heading of that other language at the same
    level (`### 走路上学`, over the translation, after a blog's intro) is its title. Two or more such
    headings, or another heading of the title's language at that level, and none is taken."""
    for lang, other in (("zh", "en"), ("en", "zh")):
        k = p.title_units.get(other)
        if p.titles[lang] is not None or k is None or p.units[k].hint != "heading":
            continue
        level = p.units[k].level
        same = [d for d in p.dropped if d[1] == "heading" and d[0].hint == "heading" and d[0].level == level]
        mine = [d for d in same if language_of(d[0].text) == lang]
        if len(mine) == 1 and len(same) == 1:
            p.titles[lang] = mine[0][0].text
            p.title_units[lang] = mine[0][4]
            p.dropped.remove(mine[0])


def _restore_cells(p: "_Parser", columns: frozenset[int]) -> None:
    """A cell of a two-column line dropped as a label or a short heading while the other cell of
    its line is read (`市议会宣布将：` beside `The city council announced it will:`): the two
    cells translate each other, so it is read too. A subheading given in both cells of one line
    inside the article (`### 申请步骤<TAB>How to apply`, after paragraphs of both languages) is a
    short pair worth hearing: both cells are read."""
    read = {u.first for lang in ("en", "zh") for _, u, _ in p.paragraphs[lang]}
    first_read = min((u.first for lang in ("en", "zh") for _, u, _ in p.paragraphs[lang]), default=None)
    headed = {}
    for d in p.dropped:
        if d[1] == "heading" and d[0].first == d[0].last and d[0].first in columns:
            headed.setdefault(d[0].first, set()).add(language_of(d[0].text))
    body_heads = {line for line, langs in headed.items()
                  if langs == {"en", "zh"} and first_read is not None and line > first_read}
    keep = []
    for d in p.dropped:
        unit, kind = d[0], d[1]
        lang = language_of(unit.text)
        if kind in ("label", "heading") and unit.first == unit.last and unit.first in columns \
                and (unit.first in read or unit.first in body_heads) and lang is not None \
                and all(u.first != unit.first for _, u, _ in p.paragraphs[lang]):
            p.paragraphs[lang].append((unit.text, unit, d[4]))
            p.paragraphs[lang].sort(key=lambda t: t[2])
        else:
            keep.append(d)
    p.dropped[:] = keep


# ------------------------------------------------------------------------------------------- step 3


def _kind(unit: Unit) -> str:
    """How a paragraph stands: on its own (a salutation, a sign-off, a kept credit) or as text."""
    v = unit.verdict if unit.verdict is not None else (_line_verdict(unit.text, unit.hint) if unit.kept else None)
    return v.kind if v is not None and v.kind not in ("paragraph", "title") else "paragraph"


def parse_lines(lines: list[Line], source: str = "-", meta: Meta | None = None,
                keep: frozenset[int] = frozenset(), *, markdown: bool = False) -> Document:
    """The structure of an article given as `Line`s, as a Document without pairs (`markdown`: the
    lines of a block are one paragraph unless they look otherwise)."""
    meta = meta or Meta()
    columns = frozenset(line.number for line in lines if COLUMN in line.text)
    lines, stamp = _strip_line_stamps(_split_columns(lines))
    lines = _strip_translation_labels(lines)
    units, exits = _split_units(_rejoin_spaced_wraps(lines), keep, markdown)
    p = _Parser(units, exits, meta)
    p.run()
    _restore_deck_pair(p)
    _mirrored_heading_title(p)
    if columns:
        _restore_cells(p, columns)
    en = [t for t, _, _ in p.paragraphs["en"]]
    zh = [t for t, _, _ in p.paragraphs["zh"]]
    lead = dict(zip(("en", "zh"), p.lead))
    warnings = list(p.warnings)
    if not en and zh:
        warnings.append("No English paragraphs found; only the Chinese will be read.")
    if not zh and en:
        warnings.append("No Chinese paragraphs found; only the English will be read.")
    script = detect_script("".join(zh) or (p.titles["zh"] or ""))
    dropped = [Dropped((u.first, u.last), u.text, kind, rule, round(conf, 2)) for u, kind, rule, conf, _ in p.dropped]
    dropped.sort(key=lambda d: d.lines)
    return Document(
        source=source,
        date=p.date,
        title_zh=p.titles["zh"],
        title_en=p.titles["en"],
        en=[Paragraph(t, tuple(split_sentences(t, "en")), "lead" if n < lead["en"] else _kind(u))
            for n, (t, u, _) in enumerate(p.paragraphs["en"])],
        zh=[Paragraph(t, tuple(split_sentences(t, "zh")), "lead" if n < lead["zh"] else _kind(u))
            for n, (t, u, _) in enumerate(p.paragraphs["zh"])],
        glossary=p.glossary,
        pairs=[],
        script=script,
        warnings=warnings,
        dropped=dropped,
        notes=[f"A prefix repeated at the start of lines was taken away: {stamp!r}"] if stamp else [],
        paragraph_lines={lang: [(u.first, u.last) for _, u, _ in p.paragraphs[lang]] for lang in ("en", "zh")},
    )


def parse(text: str, source: str = "-", *, markdown: bool = False, meta: Meta | None = None,
          keep: frozenset[int] = frozenset()) -> Document:
    """The structure of `text` (already decoded and normalised) as a Document without pairs;
    `markdown` reads it as markdown."""
    text = mark_columns(text)
    if markdown:
        from .markdown import markdown_lines

        lines, md_meta = markdown_lines(text)
        if meta is None or md_meta.explicit:
            meta = md_meta if meta is None or md_meta.title or md_meta.date else meta
        doc = parse_lines(lines, source, meta, keep, markdown=True)
        doc.format = "markdown"
        return doc
    doc = parse_lines(plain_lines(text), source, meta, keep)
    doc.format = "text"
    return doc
