"""The phone as a study tool, in a real (headless) Chromium on espeak builds: download an article,
cut the network and stop the server, reload, play and seek from the service worker's cache (206),
Jyutping over a Cantonese build and pinyin over a Mandarin one, a glossary term tapped and heard,
and a download removed from the library page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from listen.publish.server import make_server, start

from support.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "phone"


@pytest.fixture(scope="module")
def browser():
    # phone.test: a name for this machine as a phone on the LAN reaches it (not a secure origin)
    yield from chromium("--host-resolver-rules=MAP phone.test 127.0.0.1")


@pytest.fixture(scope="module")
def phone_library(tmp_path_factory) -> Path:
    """Two espeak builds of one short article: Cantonese (learning Chinese) and Mandarin (learning English)."""
    root = tmp_path_factory.mktemp("phone") / "audio"
    for text, options in (("ferry-fares.txt", ["--learning", "zh"]), ("ferry-fares-simplified.txt", [])):
        subprocess.run([sys.executable, "-m", "listen", "build", str(FIXTURES / text), "--engine", "espeak",
                        "-o", str(root), *options], check=True, capture_output=True)
    return root


def _manifest(root: Path, name: str) -> dict:
    return json.loads((root / name / "manifest.json").read_text("utf-8"))


def _first_readings(manifest: dict, count: int) -> list[str]:
    tokens = manifest["paragraphs"]["zh"][0]["romanisation"][0]["tokens"]
    return [reading for _, reading in tokens if reading][:count]


def _context(browser):
    return browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                               is_mobile=True, has_touch=True, service_workers="allow")


def test_mandarin_build_shows_pinyin_ruby_on_request(browser, phone_library):
    server = make_server(phone_library, "127.0.0.1", 0)
    thread = start(server)
    context = _context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url + "a/ferry-fares-simplified/")
        page.wait_for_function("() => document.body.classList.contains('ready')")
        assert page.inner_text("#roman") == "拼 Pinyin"
        # learning English: the reading is there but hidden until asked for
        assert page.get_attribute("#roman", "aria-pressed") == "false"
        rt = page.locator('.sent[data-lang="zh"] rt').first
        assert not rt.is_visible()
        page.locator("#roman").tap()
        assert rt.is_visible()
        shown = page.locator('.sent[data-lang="zh"][data-para="0"][data-sent="0"] rt').all_inner_texts()[:4]
        assert shown == ["dù", "lún", "piào", "jià"] == _first_readings(_manifest(phone_library, "ferry-fares-simplified"), 4)
        assert not errors, errors
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_download_then_offline_play_seek_ruby_and_glossary(browser, phone_library):
    name = "ferry-fares"
    manifest = _manifest(phone_library, name)
    mp3 = (phone_library / name / "alternating.mp3").read_bytes()
    server = make_server(phone_library, "127.0.0.1", 0)
    thread = start(server)
    url = server.url
    context = _context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    worker_206: list[str] = []
    page.on("response", lambda r: worker_206.append(r.url) if r.status == 206 and r.from_service_worker else None)
    stopped = False
    try:
        page.goto(url + f"a/{name}/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10000)
        page.wait_for_function("() => window.__offline.ready")
        note = page.inner_text("#offline-note")
        assert "5 tracks (alternating.mp3, sentences.mp3, english.mp3, chinese.mp3, glossary.mp3)" in note, note
        planned = sum((phone_library / name / f).stat().st_size for f in
                      ("alternating.mp3", "sentences.mp3", "english.mp3", "chinese.mp3", "glossary.mp3"))
        assert planned > 100_000

        page.locator("#offline").tap()
        page.wait_for_function("() => window.__offline.downloaded && !window.__offline.busy", timeout=20000)
        kept = page.evaluate("""async () => {
            const c = await caches.open('listen-article:' + location.pathname);
            return (await c.keys()).map(r => new URL(r.url).pathname); }""")
        assert f"/files/{name}/alternating.mp3" in kept and f"/files/{name}/alternating.vtt" in kept
        assert f"/files/{name}/manifest.json" in kept and f"/a/{name}/" in kept
        assert not any("/pairs/" in k or "/paragraphs/" in k for k in kept)  # per-pair files stay online
        stored = page.evaluate("() => window.__offline.bytes")
        assert planned < stored < planned + 200_000
        assert "Downloaded" in page.inner_text("#offline")

        # No network, no server.
        context.set_offline(True)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        stopped = True
        page.reload()
        page.wait_for_function("() => document.body.classList.contains('ready')")
        assert page.evaluate("() => window.__listen.track") is not None

        # Jyutping over the Cantonese, shown by default since Chinese is being learned.
        assert page.get_attribute("#roman", "aria-pressed") == "true"
        assert page.inner_text("#roman") == "粵 Jyutping"
        shown = page.locator('.sent[data-lang="zh"][data-para="0"][data-sent="0"] rt').all_inner_texts()[:4]
        assert shown == ["dou6", "leon4", "piu3", "gaa3"] == _first_readings(manifest, 4)
        assert page.locator('.sent[data-lang="zh"] rt').first.is_visible()

        # The service worker answers a Range request from its cache: 206, the bytes asked for.
        got = page.evaluate(f"""async () => {{
            const r = await fetch('/files/{name}/alternating.mp3', {{headers: {{Range: 'bytes=100-199'}}}});
            const b = new Uint8Array(await r.arrayBuffer());
            return [r.status, r.headers.get('Content-Range'), r.headers.get('X-Listen-Offline'), Array.from(b)]; }}""")
        assert got[:3] == [206, f"bytes 100-199/{len(mp3)}", "1"]
        assert bytes(got[3]) == mp3[100:200]
        tail = page.evaluate(f"""async () => {{
            const r = await fetch('/files/{name}/alternating.mp3', {{headers: {{Range: 'bytes=-10'}}}});
            return [r.status, r.headers.get('Content-Range'), (await r.arrayBuffer()).byteLength]; }}""")
        assert tail == [206, f"bytes {len(mp3) - 10}-{len(mp3) - 1}/{len(mp3)}", 10]

        # Play, then seek past the middle: it plays on from there, with no connection.
        page.locator("#play").tap()
        page.wait_for_function("() => document.getElementById('audio').currentTime > 0.5", timeout=10000)
        duration = manifest["tracks"][0]["duration_s"]
        target = round(duration * 0.6, 2)
        page.evaluate(f"() => {{ document.getElementById('audio').currentTime = {target}; }}")
        page.wait_for_function(f"() => document.getElementById('audio').currentTime > {target + 0.4}", timeout=10000)
        assert page.evaluate("() => document.getElementById('audio').error") is None
        assert any(u.endswith(f"/files/{name}/alternating.mp3") for u in worker_206), worker_206

        # Tap a glossary term in the English: its card, and the term is heard from the glossary track.
        term = page.locator('.sent[data-lang="en"] .term[data-term="1"]').first
        assert term.inner_text() == "commuters"
        term.tap()
        page.wait_for_selector("#gloss-card:not([hidden])")
        assert page.inner_text("#gc-term") == "commuter"
        assert page.inner_text("#gc-def") == manifest["glossary"][1]["definition"]
        seg = next(s for t in manifest["tracks"] if t["kind"] == "glossary" for s in t["segments"]
                   if s["id"] == "glossary-02-term")
        page.wait_for_function(f"""() => {{ const g = document.getElementById('gloss-audio');
            return !g.paused && g.currentTime > {seg['start_s'] + 0.2}; }}""", timeout=10000)
        assert page.evaluate("() => document.getElementById('gloss-audio').src").endswith(f"/files/{name}/glossary.mp3")
        assert page.evaluate("() => document.getElementById('audio').paused")  # one voice at a time
        # ... and it stops at the end of the term.
        page.wait_for_function("() => document.getElementById('gloss-audio').paused", timeout=10000)
        assert page.evaluate("() => document.getElementById('gloss-audio').currentTime") < seg["end_s"] + 0.5
        # The Chinese gloss is marked too.
        assert page.locator('.sent[data-lang="zh"] .term[data-term="0"]').first.inner_text().startswith("票")

        # The library page, offline, lists the download; removing it empties the cache.
        page.goto(url)
        page.wait_for_function("() => window.__offline.ready")
        items = page.locator("#offline-list .offline-item")
        assert items.count() == 1
        size = f"{stored / 1e6:.1f} MB" if stored >= 1e6 else f"{int(stored / 1e3 + 0.5)} kB"
        assert page.text_content("#offline-list h2") == f"Downloaded for offline · {size}"
        assert items.first.locator(".size").text_content() == size
        items.first.locator(".remove").tap()
        page.wait_for_function("() => document.getElementById('offline-list').hidden")
        assert page.evaluate("async () => (await caches.keys()).filter(k => k.startsWith('listen-article:'))") == []
        assert not errors, errors
    finally:
        context.close()
        if not stopped:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def test_over_plain_http_on_the_lan_the_player_works_without_download(browser, phone_library):
    """A LAN address is no secure origin: no service worker, so no Download button (as the README says)."""
    server = make_server(phone_library, "127.0.0.1", 0, allow_hosts=["phone.test"])
    thread = start(server)
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(f"http://phone.test:{server.port}/a/ferry-fares/")
        page.wait_for_function("() => document.body.classList.contains('ready') && window.__offline.ready")
        assert page.evaluate("() => [window.isSecureContext, window.__offline.supported]") == [False, False]
        assert page.locator("#offline").is_hidden()
        assert page.locator('.sent[data-lang="zh"] rt').first.is_visible()  # the rest of the player works
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
