"""Cover art: square RGB PNGs as Apple asks, real Chinese glyphs (no tofu), Latin only without a CJK font."""

from __future__ import annotations

import io

from PIL import Image

from listen.publish import cover as cover_module
from listen.publish.cover import COVER_SIZE, Cover, cover_png, font_note

ZH = "中俄不會結盟 但會共同抵制美國"
EN = "China and Russia will not form an alliance, but will jointly resist the US"


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_square_rgb_png_with_an_empty_bottom_fifth():
    image = _image(cover_png(Cover("listen 明報社評", ZH, EN, "2025-05-12", seed="mingpao-2025-05-12")))
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (COVER_SIZE, COVER_SIZE)
    bottom = image.crop((0, COVER_SIZE * 4 // 5, COVER_SIZE, COVER_SIZE))
    assert len(bottom.getcolors()) == 1  # nothing drawn where apps put their controls
    assert len(image.getcolors(maxcolors=1 << 16)) > 10  # text was drawn above


def test_chinese_glyphs_are_real():
    assert font_note() is None  # the CJK font comes with the package's dependencies
    # With a font lacking CJK every character is the same box: different characters would look alike.
    a = cover_png(Cover("listen", "中", seed="s"))
    b = cover_png(Cover("listen", "國", seed="s"))
    assert a != b
    assert cover_png(Cover("listen", "中", seed="s")) == a  # and drawing is deterministic


def test_without_a_cjk_font_only_latin_text_is_drawn(monkeypatch):
    monkeypatch.setattr(cover_module, "cjk_font", lambda: None)
    assert "Latin text only" in font_note()
    with_zh = cover_png(Cover("listen 明報", ZH, EN, "2025-05-12", seed="x"))
    without = cover_png(Cover("listen", None, EN, "2025-05-12", seed="x"))
    assert with_zh == without  # no boxes where the Chinese would be: it is left out
    assert Cover("listen", ZH, seed="x").key != Cover("listen", ZH, seed="x", date="2025-05-12").key


def test_key_names_what_is_drawn():
    one = Cover("listen", ZH, EN, "2025-05-12", seed="a")
    assert one.key == Cover("listen", ZH, EN, "2025-05-12", seed="a").key
    assert len(one.key) == 16 and int(one.key, 16) >= 0
    assert one.key != Cover("renamed", ZH, EN, "2025-05-12", seed="a").key
