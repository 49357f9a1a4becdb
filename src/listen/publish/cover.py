"""Podcast cover art drawn locally with Pillow: one for the library (the channel), one per article.

`cover_png(cover)` draws a square RGB PNG (no alpha, as Apple Podcasts asks; 1400 px, its minimum)
with the channel's name in a band at the top, the date, the Chinese and the English title, and
nothing in the bottom fifth (where apps lay their own controls). `Cover.key` names the picture
by what is drawn on it, so a changed title gets a new URL and apps do not show a stale cached one.

Chinese needs a CJK font: Noto Sans CJK comes from the `manimgx-fonts-cjk` wheel (SIL OFL 1.1).
Without it only what Pillow's own font can draw (Latin text) is drawn; `font_note()` says so.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COVER_SIZE", "Cover", "cover_png", "font_note", "cjk_font"]

COVER_SIZE = 1400
_VERSION = "1"  # bump when the drawing changes: every cover gets a new key
_TC_FACE = 3  # NotoSansCJK-VF.otf.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
_PALETTE = [(18, 52, 86), (92, 34, 58), (24, 78, 62), (70, 46, 110), (120, 58, 20), (38, 60, 100)]
_ACCENT = (242, 169, 0)
_FG = (255, 255, 255)


@dataclass(frozen=True)
class Cover:
    """What a cover shows: `band` at the top (the channel's name), the date, a big `title` (an
    article's Chinese title) and a smaller `subtitle` (its English one). `seed` picks the colour."""

    band: str
    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    seed: str = ""

    @property
    def key(self) -> str:
        """16 hex digits naming this picture (its file name in covers/)."""
        font = cjk_font()
        parts = [_VERSION, str(COVER_SIZE), self.band, self.title or "", self.subtitle or "", self.date or "",
                 self.seed, font.name if font else "-"]
        return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def cjk_font() -> Path | None:
    """The CJK font file (Noto Sans CJK from the manimgx-fonts-cjk wheel), or None."""
    try:
        import manimgx_fonts_cjk
    except ImportError:
        return None
    path = Path(manimgx_fonts_cjk.__file__).resolve().parent / "NotoSansCJK-VF.otf.ttc"
    return path if path.is_file() else None


def font_note() -> str | None:
    """Why covers carry no Chinese here, or None when they do."""
    if cjk_font() is None:
        return ("covers show Latin text only: the CJK font package is not installed "
                "(pip install manimgx-fonts-cjk)")
    return None


def _font(size: int, bold: bool):
    from PIL import ImageFont

    path = cjk_font()
    if path is None:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1: scalable, Latin only
    font = ImageFont.truetype(str(path), size, index=_TC_FACE)
    try:
        font.set_variation_by_name("Bold" if bold else "Regular")
    except (OSError, ValueError):
        pass  # a static (non-variable) build of the font: its one weight
    return font


def _drawable(text: str | None) -> str:
    """`text` as the available font can draw it: whole when there is a CJK font, else its Latin part."""
    if not text:
        return ""
    text = " ".join(text.split())
    if cjk_font() is not None:
        return text
    kept = "".join(ch if ord(ch) < 0x250 or 0x2000 <= ord(ch) < 0x2070 else " " for ch in text)
    return " ".join(kept.split())


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF


def _tokens(text: str) -> list[str]:
    """Words for wrapping: a CJK character is a word of its own; Latin words keep their spaces."""
    out: list[str] = []
    for ch in text:
        if _is_wide(ch) or not out or _is_wide(out[-1][-1]) or out[-1].endswith(" "):
            out.append(ch)
        else:
            out[-1] += ch
    return out


def _wrap(draw, text: str, font, width: int, words_only: bool = False) -> list[str] | None:
    """Lines of at most `width` pixels, broken at spaces; unless `words_only`, also between CJK
    characters when a word is too wide (a Chinese title is one long word). None: it does not fit."""
    words = [w + " " for w in text.split()]
    if all(draw.textlength(w.rstrip(), font=font) <= width for w in words):
        return _fill(draw, words, font, width)
    return None if words_only else _fill(draw, _tokens(text), font, width)


def _fill(draw, tokens: list[str], font, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in tokens:
        trial = current + token
        if not current or draw.textlength(trial.rstrip(), font=font) <= width:
            current = trial
        else:
            lines.append(current.rstrip())
            current = token.lstrip()
    if current.strip():
        lines.append(current.rstrip())
    return lines


_LEADING = 1.3


def _fit(draw, text: str, width: int, sizes: range, max_lines: int, bold: bool, height: int | None = None):
    """The largest font size at which `text` wraps into `max_lines` lines within `height` pixels;
    (font, size, lines), the last line ending in "…" when even the smallest size is too big."""
    for words_only in (True, False):  # a break at a space, at a smaller size, reads better
        for size in sizes:
            allowed = max_lines if height is None else min(max_lines, int(height // (size * _LEADING)))
            font = _font(size, bold)
            lines = _wrap(draw, text, font, width, words_only)
            if lines and len(lines) <= allowed:
                return font, size, lines
    size = sizes[-1]
    allowed = max(1, max_lines if height is None else min(max_lines, int(height // (size * _LEADING))))
    font = _font(size, bold)
    lines = _wrap(draw, text, font, width)
    if len(lines) > allowed:
        lines = lines[:allowed]
        lines[-1] = lines[-1].rstrip(" ,，、") + "…"
    return font, size, lines


def cover_png(cover: Cover) -> bytes:
    """The cover as PNG bytes (COVER_SIZE square, RGB)."""
    from PIL import Image, ImageDraw

    size = COVER_SIZE
    colour = _PALETTE[int(hashlib.sha256(cover.seed.encode("utf-8", "surrogatepass")).hexdigest(), 16) % len(_PALETTE)]
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    margin = size // 12
    width = size - 2 * margin
    band = size // 9
    draw.rectangle([0, 0, size, band], fill=_ACCENT)
    channel = _drawable(cover.band) or "listen"
    font, _, lines = _fit(draw, channel, width, range(size // 18, size // 40, -4), 1, bold=True)
    draw.text((margin, band // 2), lines[0], font=font, fill=colour, anchor="lm")
    y = band + margin * 2 // 3
    limit = size * 4 // 5  # the bottom fifth stays empty
    if cover.date:
        font = _font(size // 20, bold=False)
        draw.text((margin, y), cover.date, font=font, fill=_ACCENT)
        y += size // 20 * 3 // 2
    for text, sizes, max_lines, bold in ((_drawable(cover.title), range(size // 9, size // 20, -6), 3, True),
                                         (_drawable(cover.subtitle), range(size // 15, size // 30, -4), 4, False)):
        if not text or y >= limit:
            continue
        font, font_size, lines = _fit(draw, text, width, sizes, max_lines, bold, height=limit - y)
        step = int(font_size * _LEADING)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=_FG)
            y += step
        y += font_size // 2
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
