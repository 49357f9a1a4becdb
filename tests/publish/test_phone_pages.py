"""The phone study tools in the served pages: ruby over the Chinese, glossary terms marked, the
offline download list, and the web app files (manifest, icons, service worker)."""

from __future__ import annotations

import io
import json
import re

from PIL import Image

from listen.output.library import load_entry
from listen.publish.pages import _marked, offline_files, render_article
from listen.publish.server import running


def _article(folder, *, romanise=True):
    folder.mkdir(parents=True)
    zh = {"text": "渡輪乘客減少。票價上升。", "sentences": ["渡輪乘客減少。", "票價上升。"], "romanisation": None}
    if romanise:
        zh["romanisation"] = [
            {"system": "jyutping", "tokens": [["渡", "dou6"], ["輪", "leon4"], ["乘", "sing4"], ["客", "haak3"],
                                              ["減", "gaam2"], ["少", "siu2"], ["。", None]]},
            {"system": "jyutping", "tokens": [["票", "piu3"], ["價", "gaa3"], ["上", "soeng5"], ["升", "sing1"], ["。", None]]},
        ]
    manifest = {
        "version": 2, "name": folder.name, "date": "2026-03-14", "title": {"zh": "渡輪", "en": "Ferries"},
        "learning": "zh", "chinese": "cantonese",
        "paragraphs": {"en": [{"text": "Fewer commuters ride. The fare rose.",
                               "sentences": ["Fewer commuters ride.", "The fare rose."], "romanisation": None}],
                       "zh": [zh]},
        "pairs": [{"en": [0], "zh": [0]}],
        "glossary": [{"term": "commuter", "definition": "a person who travels to work", "zh": None},
                     {"term": "fare", "definition": "money paid for a journey", "zh": "票價"}],
        "tracks": [
            {"file": "alternating.mp3", "kind": "alternating", "title": "a", "duration_s": 1.0, "vtt": "alternating.vtt",
             "lrc": "alternating.lrc", "txt": "alternating.txt", "segments": []},
            {"file": "glossary.mp3", "kind": "glossary", "title": "g", "duration_s": 1.0, "segments": []},
            {"file": "pairs/pair-01.mp3", "kind": "pair", "title": "p", "duration_s": 1.0, "segments": []},
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    for name, size in (("alternating.mp3", 3000), ("alternating.vtt", 40), ("alternating.lrc", 30),
                       ("alternating.txt", 20), ("glossary.mp3", 1000), ("pairs/pair-01.mp3", 500)):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x" * size)
    return folder


def test_chinese_sentences_carry_ruby_and_terms_are_marked(tmp_path):
    page = render_article(load_entry(_article(tmp_path / "ferries"), tmp_path))
    assert ('<span class="sent" data-lang="zh" data-para="0" data-sent="0"><ruby>渡<rt>dou6</rt></ruby>'
            '<ruby>輪<rt>leon4</rt></ruby><ruby>乘<rt>sing4</rt></ruby><ruby>客<rt>haak3</rt></ruby>'
            '<ruby>減<rt>gaam2</rt></ruby><ruby>少<rt>siu2</rt></ruby>。</span>') in page
    # the Chinese gloss of "fare" is marked where it occurs, around its ruby
    assert ('<span class="term" data-term="1" tabindex="0"><ruby>票<rt>piu3</rt></ruby><ruby>價<rt>gaa3</rt></ruby>'
            '</span><ruby>上<rt>soeng5</rt></ruby>') in page
    # English terms, inflected too
    assert 'Fewer <span class="term" data-term="0" tabindex="0">commuters</span> ride.' in page
    assert 'The <span class="term" data-term="1" tabindex="0">fare</span> rose.' in page
    assert 'id="gloss-card"' in page and 'id="roman"' in page


def test_without_romanisation_the_text_is_plain(tmp_path):
    page = render_article(load_entry(_article(tmp_path / "plain", romanise=False), tmp_path))
    assert "<ruby>" not in page
    assert '<span class="term" data-term="1" tabindex="0">票價</span>上升。' in page


def test_marks_cut_runs_without_readings():
    tokens = (("Hong Kong ferry fares", None),)
    assert _marked(tokens, [(16, 21, 3)]) == 'Hong Kong ferry <span class="term" data-term="3" tabindex="0">fares</span>'
    assert _marked((("a<b", None),), []) == "a&lt;b"


def test_download_keeps_main_tracks_timed_text_and_manifest_only(tmp_path):
    entry = load_entry(_article(tmp_path / "ferries"), tmp_path)
    files = offline_files(entry)
    assert [(f["file"], f["bytes"]) for f in files] == [
        ("manifest.json", (tmp_path / "ferries" / "manifest.json").stat().st_size),
        ("alternating.mp3", 3000), ("alternating.vtt", 40), ("alternating.lrc", 30), ("glossary.mp3", 1000)]
    assert files[1]["url"] == "/files/ferries/alternating.mp3"
    page = render_article(entry)
    listed = json.loads(re.search(r'<script type="application/json" id="offline-files">(.*?)</script>', page).group(1))
    assert listed == files


def test_web_app_files_are_served(tmp_path):
    import http.client

    _article(tmp_path / "ferries")
    with running(tmp_path, feed=None) as server:
        def get(path):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp, resp.read()

        resp, body = get("/manifest.webmanifest")
        assert resp.status == 200 and resp.getheader("Content-Type") == "application/manifest+json"
        app = json.loads(body)
        assert app["display"] == "standalone" and app["start_url"] == "/"
        for icon in app["icons"]:
            resp, png = get(icon["src"])
            assert resp.status == 200 and resp.getheader("Content-Type") == "image/png"
            assert f"{Image.open(io.BytesIO(png)).size[0]}x{Image.open(io.BytesIO(png)).size[1]}" == icon["sizes"]
        resp, body = get("/sw.js")
        assert resp.status == 200 and resp.getheader("Content-Type").startswith("application/javascript")
        assert b"Content-Range" in body
        resp, _ = get("/icons/icon-100.png")
        assert resp.status == 404
        resp, body = get("/")
        assert b'<link rel="manifest" href="/manifest.webmanifest">' in body and b'id="offline-list"' in body
