"""End to end with the real offline engine (espeak-ng from its wheel) and the real ffmpeg."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import mutagen.id3
import pytest

from listen.audio.lrc import parse_lrc
from support.timed_text import lrc_matches
from support.probe import decode_samples, decoded_duration, largest_jumps
from support.seed import seed_cache
from support.readers import assert_matrix

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "samples" / "mingpao-2025-05-12.txt"
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


def manifest_label(manifest) -> str:
    title = manifest["title"]["zh"] or manifest["title"]["en"] or manifest["name"]
    return f"{manifest['date']} {title}"


def listen(*args, env=None):
    return subprocess.run([sys.executable, "-m", "listen", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory):
    if not SAMPLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"shared sample not found at {SAMPLE}; CI must run beside ../shared/samples")
        pytest.skip(f"shared sample not found at {SAMPLE}")
    base = tmp_path_factory.mktemp("e2e")
    env = dict(os.environ, LISTEN_CACHE_DIR=str(seed_cache(base / "cache")), LISTEN_CONFIG=str(base / "none.toml"))
    inspect = json.loads(listen("inspect", "--json", str(SAMPLE), env=env).stdout)
    builds = {}
    for chinese in ("cantonese", "mandarin"):
        out = base / chinese
        done = listen("build", str(SAMPLE), "--engine", "espeak", "--chinese", chinese, "-o", str(out), "--json",
                      env=env)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        manifest = json.loads((out / SAMPLE.stem / "manifest.json").read_text("utf-8"))
        builds[chinese] = (summary, manifest, out / SAMPLE.stem)
    return inspect, builds


@pytest.mark.parametrize("chinese, voice", [("cantonese", "yue"), ("mandarin", "cmn")])
def test_sample_builds_in_both_chineses(sample_builds, chinese, voice):
    inspect, builds = sample_builds
    summary, manifest, folder = builds[chinese]
    assert manifest["voices"]["zh"] == f"espeak-ng 1.52.0 {voice}" or manifest["voices"]["zh"].endswith(f" {voice}")
    assert manifest["date"] == "2025-05-12" and manifest["chinese"] == chinese
    assert summary["output"] == str(folder)
    # English segments are shared between the two builds through the cache.
    if chinese == "mandarin":
        assert summary["cached"] > 0 and summary["synthesized"] > 0

    for track in manifest["tracks"]:
        path = folder / track["file"]
        assert abs(decoded_duration(path) - track["duration_s"]) < 0.0005, track["file"]  # to the frame
        lrc = parse_lrc((folder / track["lrc"]).read_text("utf-8"))
        assert lrc_matches(lrc, track), track["lrc"]
        assert all(a <= b for (a, _), (b, _) in zip(lrc, lrc[1:]))

    alternating = manifest["tracks"][0]
    assert alternating["kind"] == "alternating"
    paragraphs = [(s["lang"], s["paragraph"]) for s in alternating["segments"] if s["role"] == "paragraph"]
    expected = [(lang, i) for p in inspect["pairs"] for lang in ("en", "zh") for i in p[lang]]
    assert paragraphs == expected
    assert paragraphs[:3] == [("zh", 0), ("en", 0), ("zh", 1)]  # the dropped first Chinese paragraph plays alone

    tags = mutagen.id3.ID3(folder / "alternating.mp3")
    assert str(tags["TALB"]) == manifest_label(manifest) and str(tags["TALB"]).startswith("2025-05-12 ")
    assert tags.getall("USLT")[0].text.splitlines() == [s["text"] for s in alternating["segments"]]
    assert len(tags.getall("CHAP")) == len(alternating["segments"])

    # The reader matrix on real speech: mutagen, eyed3 and ffmpeg find every chapter of every track.
    assert assert_matrix(folder) > 50  # chapters checked (no drills here)

    lines = (folder / "playlist.m3u8").read_text("utf-8").splitlines()
    entries = [line for line in lines if line and not line.startswith("#")]
    assert entries[:5] == ["alternating.mp3", "sentences.mp3", "english.mp3", "chinese.mp3", "glossary.mp3"]
    assert all((folder / e).is_file() for e in entries)

    glossary = next(t for t in manifest["tracks"] if t["kind"] == "glossary")
    texts = [s["text"] for s in glossary["segments"]]
    assert texts[0] == "face off" and "subvert" in texts
    # "subvert" appears in the text: its sentence follows its definition.
    assert any("subvert the principles" in t for t in texts)


def test_no_click_at_any_join_of_the_sample(sample_builds):
    """Within 5 ms of every join (segment to segment, or to silence) no step between two samples
    is louder than -48 dBFS: segments start and end in silence, whatever they are joined to."""
    _, builds = sample_builds
    _, manifest, folder = builds["cantonese"]
    for track in manifest["tracks"]:
        if track["kind"] not in ("alternating", "glossary"):
            continue
        joins = sorted({s["start_s"] for s in track["segments"]} | {s["end_s"] for s in track["segments"]})
        samples = decode_samples(folder / track["file"])
        assert len(samples) == round(track["duration_s"] * 24000)
        jumps = largest_jumps(samples, joins)
        assert len(jumps) > len(track["segments"]) and max(jumps) <= -48.0, (track["file"], max(jumps))
        assert max(largest_jumps(samples, [len(samples) / 48000], window_s=len(samples) / 48000)) > -20  # speech is there


def test_example_builds_offline_from_the_readme_command(tmp_path):
    env = dict(os.environ, LISTEN_CACHE_DIR=str(seed_cache(tmp_path / "cache")))
    done = subprocess.run([sys.executable, "-m", "listen", "build", str(EXAMPLE)], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    # `auto` could not reach gTTS (tests point it at a closed local port) and said so.
    assert "gtts is not reachable (cannot connect to 127.0.0.1 within 2 s); using piper (offline) for " \
        "English; espeak (offline) for Cantonese." in done.stderr
    assert f"Built audio/{EXAMPLE.stem}:" in done.stdout and "English: piper" in done.stdout
    manifest = json.loads((tmp_path / "audio" / EXAMPLE.stem / "manifest.json").read_text("utf-8"))
    assert manifest["engines"] == {"en": "piper", "zh": "espeak"} and manifest["chinese"] == "cantonese"


@pytest.mark.parametrize("chinese", ["cantonese", "mandarin"])
def test_sentence_times_timed_text_and_the_sentence_track(sample_builds, chinese):
    """Sentence times in the manifest match the decoded audio within one frame; LRC, VTT and SRT
    cues equal them (read back with a third-party parser); the sentence track follows the beads."""
    import webvtt

    from support.timed_text import assert_sentence_times_match_audio, expected_cues

    inspect, builds = sample_builds
    _summary, manifest, folder = builds[chinese]
    checked = 0
    for track in manifest["tracks"]:
        if track["kind"] in ("alternating", "sentences", "english", "chinese"):
            checked += assert_sentence_times_match_audio(folder / track["file"], track)
        cues = [(round(s, 3), round(e, 3), " ".join(t.split())) for s, e, t in expected_cues(track)]
        vtt = [(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, c.text)
               for c in webvtt.read(folder / track["vtt"])]
        srt = [(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, c.text)
               for c in webvtt.from_srt(folder / track["srt"])]
        assert vtt == srt == [(round(s, 3), round(e, 3), t) for s, e, t in cues], track["file"]
    assert checked > 60

    sentences = next(t for t in manifest["tracks"] if t["kind"] == "sentences")
    played = [(s["lang"], s["pair"], s["paragraph"], s["sentence"]) for s in sentences["segments"]
              if s["role"] == "sentence"]
    expected = []
    for p, pair in enumerate(inspect["pairs"]):
        sides = {lang: [(i, k) for i in pair[lang] for k in range(len(inspect["paragraphs"][lang][i]["sentences"]))]
                 for lang in ("en", "zh")}
        for bead in pair["sentences"]["beads"]:
            for lang in ("en", "zh"):  # the language being learned (English) first
                expected += [(lang, p, *sides[lang][k]) for k in bead[lang]]
    assert played == expected
    assert manifest["pairs"] == [
        {"en": p["en"], "zh": p["zh"], "beads": [dict(b, score=m["beads"][k]["score"]) for k, b in
                                                  enumerate(p["sentences"]["beads"])], "fallback": a["fallback"]}
        for p, a, m in zip(inspect["pairs"], inspect["sentence_alignment"], manifest["pairs"])]
