"""DNS rebinding in a real browser: a page whose name resolves to this machine cannot read the
library. Chromium's --host-resolver-rules plays the attacker's DNS (rebind.attacker.example ->
127.0.0.1); the page loads from the attacker's name, so its requests carry that Host and get 421,
while the same server answers the user at 127.0.0.1."""

from __future__ import annotations

import pytest

from test_browser import ARGS, CHROMIUM, _missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATTACKER = "rebind.attacker.example"


@pytest.fixture(scope="module")
def rebinding_browser():
    if not CHROMIUM.exists():
        _missing("needs /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("needs the playwright package (pip install playwright; no browser download needed)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                              args=[*ARGS, f"--host-resolver-rules=MAP {ATTACKER} 127.0.0.1"])
        try:
            yield b
        finally:
            b.close()


def test_a_page_under_a_rebound_name_cannot_read_the_library(rebinding_browser, server):
    page = rebinding_browser.new_page()
    try:
        response = page.goto(f"http://{ATTACKER}:{server.port}/")
        assert response.status == 421
        assert "延長圖書館開放時間" not in page.content()
        # What a script on that page would do next: fetch the library's files from its own origin.
        fetched = page.evaluate("""async () => {
            const r = await fetch('/files/mingpao-2025-05-12/manifest.json');
            return [r.status, await r.text()];
        }""")
        assert fetched[0] == 421 and '"tracks"' not in fetched[1]
        ok = page.goto(f"http://127.0.0.1:{server.port}/")
        assert ok.status == 200 and "延長圖書館開放時間" in page.content()
    finally:
        page.close()
