"""The player at the sentence, in a real (headless) Chromium at a phone's size: a real build of the
example (fake engine, real ffmpeg) with a drill of pair 3 and a shadowing drill.

Taps a sentence and sees it highlighted while it plays (its counterpart lightly), loops it twice,
steps with the keyboard, hides the language being learned and reveals one sentence, and follows a
drill of pair 3 with auto-scroll and the "your turn" cue in its shadowing gaps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-ferries.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from listen.build.builder import build, drill
    from listen.config import load_config
    from listen.engines.registry import register, unregister
    from listen.plan.drill import DrillOptions
    from listen.text import load_document
    from support.fake_engine import FakeEngine

    register(FakeEngine)
    try:
        root = tmp_path_factory.mktemp("site") / "audio"
        config = load_config().with_options(engine="fake", output=str(root), cache_dir=str(root.parent / "cache"))
        doc = load_document(str(EXAMPLE))
        build(doc, config)
        drill(doc, config, DrillOptions(pair=3, repeat=2))
        drill(doc, config, DrillOptions(pair=2, sentence=1, repeat=2, shadow=True))
    finally:
        unregister(FakeEngine.NAME)
    return root, json.loads((root / EXAMPLE.stem / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page(browser, built):
    from listen.publish.server import running

    root, _ = built
    with running(root, "127.0.0.1", 0) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url + f"a/{EXAMPLE.stem}/")
        page.wait_for_function("() => document.getElementById('audio').readyState >= 1")
        yield page
        assert not errors, errors
        context.close()


def _sentence(manifest, kind, lang, para, sent):
    track = next(t for t in manifest["tracks"] if t["kind"] == kind)
    for seg in track["segments"]:
        if seg["lang"] == lang and seg["paragraph"] == para:
            for s in seg.get("sentences") or [{"index": 0, "start_s": seg["start_s"], "end_s": seg["end_s"]}]:
                if s["index"] == sent:
                    return s["start_s"], s["end_s"]
    raise KeyError((kind, lang, para, sent))


def _now(page) -> dict:
    return page.evaluate("""() => { const n = document.querySelector('.sent.now');
        return n ? {lang: n.dataset.lang, para: n.dataset.para, sent: n.dataset.sent} : null; }""")


def test_tap_a_sentence_highlight_counterpart_and_loop_it_twice(page, built):
    _, manifest = built
    start, end = _sentence(manifest, "alternating", "en", 1, 1)  # English paragraph 2, sentence 2
    page.locator('.sent[data-lang="en"][data-para="1"][data-sent="1"]').tap()
    page.wait_for_function("() => !document.getElementById('audio').paused")
    page.wait_for_function("() => document.querySelector('.sent.now') !== null")
    assert _now(page) == {"lang": "en", "para": "1", "sent": "1"}
    t = page.evaluate("() => document.getElementById('audio').currentTime")
    assert start - 0.05 <= t <= end, (t, start, end)
    # Its counterpart in the Chinese (same bead) is marked lightly.
    assert page.locator('.sent.counter[data-lang="zh"]').count() >= 1
    assert page.locator(".pair.active").get_attribute("data-pair") == "1"

    page.locator("#loop-sent").tap()
    assert page.get_attribute("#loop-sent", "aria-pressed") == "true"
    page.evaluate(f"() => {{ document.getElementById('audio').currentTime = {end - 0.3}; }}")
    page.wait_for_function("() => window.__listen.loops >= 2", timeout=20000)
    t = page.evaluate("() => document.getElementById('audio').currentTime")
    assert start - 0.05 <= t <= end + 0.05, (t, start, end)
    assert _now(page) == {"lang": "en", "para": "1", "sent": "1"}  # still that sentence, looping


def test_keyboard_steps_sentence_by_sentence(page, built):
    _, manifest = built
    page.locator('.sent[data-lang="en"][data-para="0"][data-sent="0"]').tap()
    page.wait_for_function("() => document.querySelector('.sent.now') !== null")
    page.evaluate("() => document.getElementById('audio').pause()")
    page.keyboard.press("ArrowRight")
    start, end = _sentence(manifest, "alternating", "en", 0, 1)
    page.wait_for_function(f"() => {{ const t = document.getElementById('audio').currentTime; "
                           f"return t >= {start - 0.05} && t <= {end}; }}")
    page.keyboard.press("s")
    assert page.evaluate("() => window.__listen.loop") == "sentence"


def test_listen_first_hides_the_language_learned_until_revealed(page):
    page.locator("#listen-first").tap()
    node = page.locator('.sent[data-lang="en"][data-para="0"][data-sent="0"]')
    hidden = lambda: node.evaluate("n => getComputedStyle(n).color")  # noqa: E731
    selector = '.sent[data-lang="en"][data-para="0"][data-sent="0"]'
    page.wait_for_function(f"() => getComputedStyle(document.querySelector('{selector}')).color === 'rgba(0, 0, 0, 0)'")
    assert hidden() == "rgba(0, 0, 0, 0)"  # transparent: the learner hears it first
    zh = page.locator('.sent[data-lang="zh"][data-para="0"][data-sent="0"]')
    assert zh.evaluate("n => getComputedStyle(n).color") != "rgba(0, 0, 0, 0)"  # the other language shows
    node.tap()  # the first tap reveals, without jumping
    assert "revealed" in node.get_attribute("class")
    page.wait_for_function(f"() => getComputedStyle(document.querySelector('{selector}')).color !== 'rgba(0, 0, 0, 0)'")
    assert page.evaluate("() => document.getElementById('audio').paused")
    other = page.locator('.sent[data-lang="en"][data-para="0"][data-sent="1"]')
    assert "revealed" not in (other.get_attribute("class") or "")
    page.locator("#reveal").tap()  # or all at once
    assert page.locator('.sent[data-lang="en"]:not(.revealed)').count() == 0


def test_a_drill_of_pair_3_is_followed_with_auto_scroll(page, built):
    _, manifest = built
    (index,) = [i for i, t in enumerate(manifest["tracks"]) if t["kind"] == "drill" and t["options"]["pair"] == 3
                and not t["options"]["shadow"]]
    assert manifest["tracks"][index]["file"] == "drills/pair-03-x2.mp3"
    page.evaluate("() => window.scrollTo(0, 0)")
    page.select_option("#track", str(index))
    page.wait_for_function("() => { const a = document.getElementById('audio');"
                           " return a.src.endsWith('/drills/pair-03-x2.mp3') && a.readyState >= 1; }")
    page.evaluate("() => { const a = document.getElementById('audio'); a.currentTime = 1.0; return a.play(); }")
    where = page.wait_for_function("""() => { const now = document.querySelectorAll('.sent.now');
        if (now.length !== 1 || document.getElementById('audio').currentTime < 1.1) return null;
        return [document.querySelector('.pair.active').dataset.pair, now[0].closest('.pair').dataset.pair]; }""",
        timeout=10000).json_value()
    assert where == ["2", "2"]  # the sentence heard is in pair 3, not pair 1
    page.wait_for_function("""() => { const n = document.querySelector('.sent.now');
        if (!n) return false;  // between two sentences
        const r = n.getBoundingClientRect(), bar = document.getElementById('player').getBoundingClientRect().top;
        return r.top >= 50 && r.bottom <= bar; }""", timeout=5000)  # scrolled into view above the player


def test_your_turn_in_a_shadowing_gap(page, built):
    _, manifest = built
    index, track = next((i, t) for i, t in enumerate(manifest["tracks"]) if (t.get("options") or {}).get("shadow"))
    first = track["segments"][0]
    page.select_option("#track", str(index))
    page.wait_for_function(f"() => document.getElementById('audio').src.endsWith('/{track['file']}')")
    page.evaluate(f"() => {{ const a = document.getElementById('audio'); a.currentTime = {first['end_s'] + 0.3}; a.play(); }}")
    page.wait_for_selector("#cue:not([hidden])", timeout=5000)
    assert page.inner_text("#cue") == "Your turn — say it"
