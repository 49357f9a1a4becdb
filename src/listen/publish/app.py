"""The player as an installable web app: its web app manifest and its icons, drawn locally.

A phone that opens the served library can add it to the home screen (standalone, no browser
chrome) and, with the service worker (static/sw.js), play downloaded articles with no connection.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache

__all__ = ["ICON_SIZES", "MANIFEST_PATH", "SERVICE_WORKER", "icon_png", "web_manifest"]

ICON_SIZES = (192, 512)
MANIFEST_PATH = "manifest.webmanifest"
SERVICE_WORKER = "sw.js"  # served from the root so that it controls every page and file
_ACCENT = (180, 71, 47)
_PAPER = (246, 244, 239)


@lru_cache(maxsize=4)
def icon_png(size: int) -> bytes:
    """The app icon, `size` pixels square: 聽 ("listen") on the accent colour, inside the middle
    60% so that a launcher's round or squircle mask (maskable icons) never cuts it."""
    from PIL import Image, ImageDraw

    from .cover import _font

    image = Image.new("RGB", (size, size), _ACCENT)
    draw = ImageDraw.Draw(image)
    font = _font(int(size * 0.46), bold=True)
    box = draw.textbbox((0, 0), "聽", font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), "聽", font=font, fill=_PAPER)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def web_manifest(title: str) -> str:
    """The web app manifest (JSON) of a library titled `title`."""
    data = {
        "name": title,
        "short_name": title[:12],
        "description": "Bilingual listening: English and Chinese, pair by pair",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f4ef",
        "theme_color": "#b4472f",
        "icons": [{"src": f"/icons/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any maskable"}
                  for n in ICON_SIZES],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
