"""The web player in a real (headless) Chromium: tap to jump, A-B loop, speed, track switch, screenshot.

Uses Debian's /usr/bin/chromium through the `playwright` package; never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.browser import chromium

DOCS = Path(__file__).resolve().parents[2] / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def _pair_range(track: dict, pair: int) -> tuple[float, float]:
    segs = [s for s in track["segments"] if s.get("pair") == pair]
    return min(s["start_s"] for s in segs), max(s["end_s"] for s in segs)


def test_player_jump_loop_speed_track(browser, server, main_manifest, tmp_path):
    alternating = next(t for t in main_manifest["tracks"] if t["kind"] == "alternating")
    english = next(t for t in main_manifest["tracks"] if t["kind"] == "english")
    start, end = _pair_range(alternating, 2)  # pair 3 as users count

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, color_scheme="light")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(server.url) else None)
    try:
        page.goto(server.url + "a/mingpao-2025-05-12/")
        page.wait_for_function("() => document.getElementById('audio').readyState >= 1")
        assert page.locator("[data-pair]").count() == len(main_manifest["pairs"])
        assert page.locator("#track option").count() >= 3

        # Tap pair 3: playback jumps inside pair 3 of the current (alternating) track.
        page.locator('[data-pair="2"]').tap()
        page.wait_for_function("() => !document.getElementById('audio').paused")
        t = page.evaluate("() => document.getElementById('audio').currentTime")
        assert start - 0.05 <= t <= end, (t, start, end)
        page.wait_for_selector('[data-pair="2"].active')

        # Loop on; play just before the pair's end: it must come back to the pair's start.
        page.locator("#loop").tap()
        assert page.get_attribute("#loop", "aria-pressed") == "true"
        page.evaluate(f"() => {{ const a = document.getElementById('audio'); a.currentTime = {end - 0.4}; a.play(); }}")
        page.wait_for_function("() => window.__listen.loops >= 1", timeout=5000)
        t = page.evaluate("() => document.getElementById('audio').currentTime")
        assert start - 0.05 <= t < start + 1.5, (t, start)
        page.wait_for_timeout(300)
        t = page.evaluate("() => document.getElementById('audio').currentTime")
        assert start <= t < end, (t, start, end)

        # Speed keeps the pitch.
        page.select_option("#speed", "0.75")
        rate, pitch = page.evaluate("() => { const a = document.getElementById('audio'); return [a.playbackRate, a.preservesPitch]; }")
        assert rate == 0.75 and pitch is True

        # Switching to the English track keeps the place: pair 3's start in that track.
        english_index = str(main_manifest["tracks"].index(english))
        page.select_option("#track", english_index)
        page.wait_for_function("() => document.getElementById('audio').src.endsWith('/english.mp3')")
        en_start, en_end = _pair_range(english, 2)
        page.wait_for_function(
            f"() => {{ const t = document.getElementById('audio').currentTime; return t >= {en_start - 0.05} && t <= {en_end}; }}",
            timeout=5000,
        )

        # Tapping a glossary entry switches to a track that says it (the glossary track).
        page.locator('[data-gloss="0"]').tap()
        page.wait_for_function("() => document.getElementById('audio').src.endsWith('/glossary.mp3')")
        page.wait_for_selector('[data-gloss="0"].active')

        # A calm, deterministic state for the screenshot: back on alternating, paused in pair 3's Chinese.
        page.select_option("#track", str(main_manifest["tracks"].index(alternating)))
        page.wait_for_function("() => document.getElementById('audio').src.endsWith('/alternating.mp3')")
        page.locator('[data-pair="2"]').tap()
        page.wait_for_function("() => window.__listen.loop === 'pair' && window.__listen.unit === 'p2'")
        zh = next(s for s in alternating["segments"] if s.get("pair") == 2 and s["lang"] == "zh")
        page.evaluate(f"""async () => {{
            const a = document.getElementById('audio');
            a.pause();
            if (a.readyState < 1) await new Promise(r => a.addEventListener('loadedmetadata', r, {{once: true}}));
            a.currentTime = {zh['start_s'] + 0.8};
            await new Promise(r => a.addEventListener('seeked', r, {{once: true}}));
            document.querySelector('[data-pair="1"]').scrollIntoView({{block: 'start'}});
        }}""")
        page.wait_for_selector('.para.zh[data-para="2"] .sent.now')
        page.wait_for_timeout(150)
        shot = tmp_path / "player.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("LISTEN_UPDATE_SCREENSHOT") and DOCS.is_dir():
            shutil.copyfile(shot, DOCS / "player.png")  # refresh the README's picture on request
        assert not errors, errors
        assert not outside, f"page fetched outside resources: {outside}"
    finally:
        context.close()


def test_library_page_links_to_player(browser, server, main_manifest):
    from listen.output.manifest import duration_label

    main = main_manifest["tracks"][0]
    shown = duration_label(main["duration_s"])
    assert main["duration_s"] % 1 >= 0.5  # a length that rounding and flooring would show apart
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server.url)
        links = page.locator("#articles a")
        assert links.count() == 3
        assert page.locator("#articles .date").first.inner_text().endswith(f" · {shown}")
        links.first.click()
        page.wait_for_selector("#audio", state="attached")
        assert page.url.endswith("/a/mingpao-2025-05-12/")
        page.wait_for_function(f"() => document.getElementById('duration').textContent === {shown!r}")  # the same length
    finally:
        context.close()
