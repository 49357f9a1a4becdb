"""The build pipeline with the fake engine and the real ffmpeg: files, times, tags, cache."""

from __future__ import annotations

import json
from pathlib import Path

import mutagen.id3
import pytest

from listen.audio.encode import EDGE_LEAD_S, EDGE_TAIL_S

from listen.audio.lrc import parse_lrc
from support.timed_text import lrc_matches
from support.probe import decoded_duration
from listen.build.builder import build
from listen.config import load_config
from listen.output.manifest import to_json
from listen.model import Document, GlossaryEntry, Pair, Paragraph


def make_doc(first_en="Ferries cross the harbour every few minutes.") -> Document:
    en = [Paragraph(first_en, (first_en,)), Paragraph("The fare rose to five dollars.", ("The fare rose to five dollars.",))]
    zh = [Paragraph("前言一句。", ("前言一句。",)), Paragraph("渡輪每隔幾分鐘過海。", ("渡輪每隔幾分鐘過海。",)),
          Paragraph("票價加到五元。", ("票價加到五元。",))]
    return Document(
        source="ferries.txt", date="2026-03-14", title_zh="天星小輪", title_en="Ferries", en=en, zh=zh,
        glossary=[GlossaryEntry("fare", "money paid for a journey", "票價")],
        pairs=[Pair((), (0,)), Pair((0,), (1,)), Pair((1,), (2,))], script="traditional",
    )


@pytest.fixture
def config(tmp_path):
    return load_config().with_options(engine="fake", output=str(tmp_path / "audio"), gap_ms=300, pair_gap_ms=600)


def test_build_writes_every_track_with_matching_times_tags_and_lrc(fake_engine, config):
    result = build(make_doc(), config)
    out = result.output
    assert out.name == "ferries"
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest == to_json(result.article)
    assert manifest["version"] == 2 and manifest["source"] == "ferries.txt" and manifest["learning"] == "en"
    assert manifest["date"] == "2026-03-14" and manifest["chinese"] == "cantonese"
    assert manifest["voices"] == {"en": "fake en", "zh": "fake zh-cantonese"}
    kinds = [t["kind"] for t in manifest["tracks"]]
    assert kinds[:4] == ["alternating", "english", "chinese", "glossary"]
    assert kinds.count("pair") == 3 and kinds.count("paragraph") == 8
    for track in manifest["tracks"]:
        path = out / track["file"]
        assert abs(decoded_duration(path) - track["duration_s"]) < 0.1, track["file"]
        segments = track["segments"]
        assert all(s["start_s"] < s["end_s"] for s in segments)
        assert all(a["end_s"] <= b["start_s"] for a, b in zip(segments, segments[1:]))
        lrc = parse_lrc((out / track["lrc"]).read_text("utf-8"))
        assert lrc_matches(lrc, track), track["lrc"]

    alternating = manifest["tracks"][0]
    order = [(s["lang"], s["role"], s["paragraph"], s["pair"]) for s in alternating["segments"]]
    assert order == [("en", "title", None, None), ("zh", "title", None, None), ("zh", "paragraph", 0, 0),
                     ("en", "paragraph", 0, 1), ("zh", "paragraph", 1, 1), ("en", "paragraph", 1, 2),
                     ("zh", "paragraph", 2, 2)]
    # gaps: 300 ms inside a pair, 600 ms between pairs (to the frame, 24 ms), counting the silent
    # edge frames each segment brings (the gap heard is checked by decoding in test_gaps_as_heard)
    seg = alternating["segments"]
    edges = EDGE_LEAD_S + EDGE_TAIL_S
    assert abs((seg[4]["start_s"] - seg[3]["end_s"]) + edges - 0.3) < 0.025
    assert abs((seg[3]["start_s"] - seg[2]["end_s"]) + edges - 0.6) < 0.025

    tags = mutagen.id3.ID3(out / "alternating.mp3")
    assert str(tags["TIT2"]) == alternating["title"]
    assert str(tags["TALB"]) == "2026-03-14 天星小輪"
    assert str(tags["TRCK"]) == "1/7"
    uslt = tags.getall("USLT")[0].text
    assert uslt.splitlines() == [s["text"] for s in seg]
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.start_time, c.end_time) for c in chapters] == [
        (round(s["start_s"] * 1000), round(s["end_s"] * 1000)) for s in seg
    ]
    assert len(tags.getall("CTOC")) == 1

    playlist = (out / "playlist.m3u8").read_text("utf-8").splitlines()
    assert playlist[0] == "#EXTM3U"
    entries = [line for line in playlist if line and not line.startswith("#")]
    assert entries[:4] == ["alternating.mp3", "english.mp3", "chinese.mp3", "glossary.mp3"]
    assert len(entries) == 7 and all((out / e).exists() for e in entries)
    # No temporary file or staging folder is left; the build lock is the one hidden file.
    assert [p.name for p in out.rglob("*") if p.name.startswith(".")] == [".listen.lock"]


def test_loudness_is_matched_between_languages(fake_engine, config):
    from listen.audio.format import loudness_lufs
    from support.probe import decode_pcm

    out = build(make_doc(), config).output

    def lufs(path: Path) -> float:
        import numpy as np

        rate, samples = decode_pcm(path)
        return loudness_lufs(np.asarray(samples, dtype=np.float64) / 32768, rate)

    # The fake engine speaks English at 8000 and Chinese at 3000 amplitude (8.5 dB apart).
    en, zh = lufs(out / "paragraphs/en-01.mp3"), lufs(out / "paragraphs/zh-02.mp3")
    assert abs(en - zh) < 1.0 and abs(en - -16) < 1.0, (en, zh)


def test_rebuild_calls_no_engine_and_edit_resynthesizes_one_paragraph(fake_engine, config):
    first = build(make_doc(), config)
    unique_segments = first.synthesized
    assert first.cached == 0 and unique_segments == len(fake_engine.calls) == 10  # the glossary example repeats en-02
    mtimes = {p: p.stat().st_mtime_ns for p in first.output.rglob("*.mp3")}

    fake_engine.calls.clear()
    everything = {p: p.stat().st_mtime_ns for p in first.output.rglob("*") if p.is_file()}
    events = []
    second = build(make_doc(), config, on_event=events.append)
    assert fake_engine.calls == [] and second.synthesized == 0 and second.cached == unique_segments
    assert {p: p.stat().st_mtime_ns for p in second.output.rglob("*.mp3")} == mtimes  # untouched
    # Nothing changed, so nothing is switched: even the manifest and playlist keep their files.
    assert {p: p.stat().st_mtime_ns for p in second.output.rglob("*") if p.is_file()} == everything
    assert [type(e).__name__ for e in events if type(e).__name__ in ("Committed", "Switched")] == []

    third = build(make_doc(first_en="Ferries cross the harbour every ten minutes."), config)
    assert [c.text for c in fake_engine.calls] == ["Ferries cross the harbour every ten minutes."]
    assert third.synthesized == 1 and third.cached == unique_segments - 1
    changed = {p for p in mtimes if p.stat().st_mtime_ns != mtimes[p]}
    rel = sorted(str(p.relative_to(third.output)) for p in changed)
    assert rel == ["alternating.mp3", "english.mp3", "pairs/pair-02.mp3", "paragraphs/en-01.mp3"]


def test_stale_files_of_an_earlier_build_are_removed(fake_engine, config):
    doc = make_doc()
    out = build(doc, config).output
    assert (out / "pairs/pair-03.mp3").exists()
    doc.pairs = [Pair((), (0,)), Pair((0, 1), (1, 2))]
    build(doc, config)
    assert not (out / "pairs/pair-03.mp3").exists() and not (out / "pairs/pair-03.lrc").exists()
    assert (out / "pairs/pair-02.mp3").exists()


def test_rebuild_remakes_drills_with_their_options_and_drops_missing_pairs(fake_engine, config):
    from listen.build.builder import drill
    from listen.plan.drill import DrillOptions

    doc = make_doc()
    out = build(doc, config).output
    drill(doc, config, DrillOptions(pair=2, repeat=2, lang="en"))
    drill(doc, config, DrillOptions(pair=3))

    def drills():
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        return {t["file"]: t for t in manifest["tracks"] if t["kind"] == "drill"}

    custom = "drills/pair-02-en-x2.mp3"  # the file name says the variant
    before = drills()[custom]
    assert [s["text"] for s in before["segments"]] == [doc.en[0].text] * 2

    # `--drills` adds the default drill of every pair beside the custom one, which stays as it was.
    result = build(doc, config, drills=True)
    assert sorted(drills()) == ["drills/pair-01.mp3", "drills/pair-02-en-x2.mp3", "drills/pair-02.mp3",
                                "drills/pair-03.mp3"]
    assert drills()[custom]["options"]["repeat"] == 2
    assert drills()[custom]["fingerprint"] == before["fingerprint"]
    assert all((out / f).exists() for f in drills()) and result.synthesized == 0

    # The text of pair 2 changes: its drills are remade with their options.
    edited = make_doc(first_en="Ferries cross the harbour all night long.")
    build(edited, config)
    after = drills()[custom]
    assert [s["text"] for s in after["segments"]] == ["Ferries cross the harbour all night long."] * 2
    assert abs(decoded_duration(out / custom) - after["duration_s"]) < 0.1

    # Pair 3 disappears: its drill goes too.
    edited.pairs = [Pair((), (0,)), Pair((0, 1), (1, 2))]
    build(edited, config)
    assert sorted(drills()) == ["drills/pair-01.mp3", "drills/pair-02-en-x2.mp3", "drills/pair-02.mp3"]
    assert not (out / "drills/pair-03.mp3").exists()


def test_a_version_1_folder_is_read_and_rebuilt(fake_engine, config):
    """A folder written by listen 0.1 serves as it is and rebuilds into version 2, drills included."""
    from listen.build.builder import drill
    from listen.output.commit import read
    from listen.plan.drill import DrillOptions

    doc = make_doc()
    out = build(doc, config).output
    drill(doc, config, DrillOptions(pair=2, repeat=2, lang="en"))
    now = json.loads((out / "manifest.json").read_text("utf-8"))
    v1 = {
        "version": 1, "source": now["source"], "name": now["name"], "date": now["date"], "title": now["title"],
        "voices": now["voices"], "engine": "fake", "chinese": now["chinese"], "speed": now["speed"],
        "paragraphs": {lang: [p["text"] for p in now["paragraphs"][lang]] for lang in ("en", "zh")},
        "pairs": [{"en": p["en"], "zh": p["zh"]} for p in now["pairs"]], "glossary": now["glossary"],
        "warnings": [], "tracks": [
            {k: v for k, v in dict(t, fingerprint="written by 0.1").items() if k in
             ("file", "kind", "title", "duration_s", "lrc", "fingerprint", "segments", "options")}
            for t in now["tracks"]],
    }
    (out / "manifest.json").write_text(json.dumps(v1, ensure_ascii=False), "utf-8")

    old = read(out)
    assert old.version == 1 and old.engines == {"en": "fake", "zh": "fake"} and old.learning == "en"
    assert [p.text for p in old.paragraphs["en"]] == [p.text for p in doc.en] and old.paragraphs["en"][0].sentences == ()
    assert old.main_track.file == "alternating.mp3" and old.track("drills/pair-02-en-x2.mp3").options["repeat"] == 2

    fake_engine.calls.clear()
    result = build(doc, config)
    assert fake_engine.calls == []  # the audio is all in the cache: only the files are remade
    assert len(result.written) == len(v1["tracks"]) and result.kept == []
    rebuilt = json.loads((out / "manifest.json").read_text("utf-8"))
    assert rebuilt["version"] == 2 and rebuilt["paragraphs"] == now["paragraphs"]
    assert [t["file"] for t in rebuilt["tracks"]] == [t["file"] for t in now["tracks"]]
    assert rebuilt["tracks"][-1]["options"]["repeat"] == 2  # the drill was remade with its options


def test_editing_one_sentence_makes_exactly_that_sentence_again(fake_engine, config):
    sentences = ("Ferries cross the harbour.", "The fare is five dollars.", "Tourists love the view.")
    doc = make_doc()
    doc.en[0] = Paragraph(" ".join(sentences), sentences)
    first = build(doc, config)
    assert first.synthesized == 12  # the three sentences are spoken (and cached) one by one
    edited = ("Ferries cross the harbour.", "The fare is six dollars.", "Tourists love the view.")
    doc.en[0] = Paragraph(" ".join(edited), edited)
    fake_engine.calls.clear()
    again = build(doc, config)
    assert [c.text for c in fake_engine.calls] == ["The fare is six dollars."]
    assert again.synthesized == 1
    english = next(t for t in again.article.tracks if t.kind == "english")
    spans = next(s for s in english.segments if s.role == "paragraph" and s.paragraph == 0).sentences
    assert [s.text for s in spans] == list(edited) and all(a.end_s < b.start_s for a, b in zip(spans, spans[1:]))


def test_notes_are_notices_and_warnings_are_warnings(fake_engine, config):
    """An untranslated lead is information (a Notice event), said once; a warning stays a warning."""
    from listen.events import Notice, Warned

    doc = make_doc()
    doc.notes = ["Chinese paragraph 1 has no English counterpart (before the translation starts)."]
    doc.warnings = ["English paragraph 2 has no Chinese counterpart"]
    events = []
    build(doc, config, on_event=events.append)
    notices = [e.message for e in events if isinstance(e, Notice)]
    warned = [e.message for e in events if isinstance(e, Warned)]
    assert notices.count(doc.notes[0]) == 1 and doc.notes[0] not in warned
    assert warned == doc.warnings
