"""DNS rebinding in a real browser: a page whose name resolves to this machine cannot read the
library. Chromium's --host-resolver-rules plays the attacker's DNS (rebind.attacker.example ->
127.0.0.1); the page loads from the attacker's name, so its requests carry that Host and get 421,
while the same server answers the user at 127.0.0.1."""

from __future__ import annotations

import pytest

from support.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATTACKER = "rebind.attacker.example"


@pytest.fixture(scope="module")
def rebinding_browser():
    yield from chromium(f"--host-resolver-rules=MAP {ATTACKER} 127.0.0.1")


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
