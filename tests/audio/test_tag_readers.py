"""The reader matrix: every track of a real build, read by mutagen, eyed3 and ffmpeg.

Each reader must find the title, album, artist, track number, date and lyrics, and every chapter
(one per spoken segment) at its start time with its exact, cut title, listed in time order. Built
from the real Ming Pao sample (long Chinese paragraphs: the titles ffmpeg used to drop) with the
fake engine and drills; tests/e2e/test_espeak_build.py holds the espeak build to the same matrix.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from listen.build.builder import build
from listen.config import Config
from listen.output.manifest import CHAPTER_TITLE_BYTES, chapter_title
from listen.text import load_document
from support.readers import READERS, assert_matrix

pytestmark = pytest.mark.slow


SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "mingpao-2025-05-12.txt"


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    from listen.engines.registry import register, unregister
    from support.fake_engine import FakeEngine

    if not SAMPLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"shared sample not found at {SAMPLE}; CI must run beside ../shared/samples")
        pytest.skip(f"shared sample not found at {SAMPLE}")
    out = tmp_path_factory.mktemp("matrix")
    register(FakeEngine)
    try:
        # Config() and an explicit cache: a module fixture runs before the per-test isolation.
        config = Config().with_options(engine="fake", output=str(out / "audio"), cache_dir=str(out / "cache"))
        result = build(load_document(str(SAMPLE)), config, drills=True)
    finally:
        unregister(FakeEngine.NAME)
    return result.output


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_finds_every_chapter_of_every_track(sample_build, reader):
    manifest = json.loads((sample_build / "manifest.json").read_text("utf-8"))
    kinds = {t["kind"] for t in manifest["tracks"]}
    assert kinds == {"alternating", "sentences", "english", "chinese", "glossary", "pair", "paragraph", "drill"}
    long_titles = [s["text"] for t in manifest["tracks"] for s in t["segments"]
                   if len(s["text"].encode()) > 125]
    assert len(long_titles) > 20  # the case that broke ffmpeg: Chinese paragraphs of 180+ bytes
    assert assert_matrix(sample_build, (reader,)) > 80  # chapters checked


def test_chapter_titles_are_cut_at_a_boundary(sample_build):
    manifest = json.loads((sample_build / "manifest.json").read_text("utf-8"))
    chinese = next(t for t in manifest["tracks"] if t["kind"] == "chinese")
    titles = [chapter_title(s["text"]) for s in chinese["segments"]]
    assert all(len(t.encode()) <= CHAPTER_TITLE_BYTES for t in titles)
    cut = [(s["text"], t) for s, t in zip(chinese["segments"], titles) if t != s["text"]]
    assert cut
    for text, title in cut:
        kept = title.removesuffix("…")
        assert text.startswith(kept)
        # Cut after a clause mark (or between two CJK characters), never inside a Latin word.
        following = text[len(kept)]
        assert kept[-1] in "，。、；：！？」》）" or not (kept[-1].isascii() and following.isascii() and following.isalnum())
