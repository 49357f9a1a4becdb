"""Drill tracks with the fake engine and real ffmpeg: order, repeats, gaps, speed, sentences."""

from __future__ import annotations

import json

import pytest

from support.probe import decoded_duration
from types import SimpleNamespace

from listen.audio.encode import EDGE_LEAD_S, EDGE_TAIL_S
from listen.audio.format import TRIM_PAD_S
from listen.build.builder import drill
from listen.config import load_config
from listen.plan.drill import DrillOptions
from listen.errors import UsageError
from listen.model import Document, Pair, Paragraph

FRAME = 0.024
# A gap beside a segment is shorter by the silence the segment brings at that end (the gap heard
# is what was asked): between two segments, by both ends.
EDGES = EDGE_LEAD_S + EDGE_TAIL_S + 2 * TRIM_PAD_S


def make_doc() -> Document:
    en = [Paragraph("One. Two words.", ("One.", "Two words.")), Paragraph("Short.", ("Short.",))]
    zh = [Paragraph("一。二字。", ("一。", "二字。")), Paragraph("短。", ("短。",))]
    return Document(source="d.txt", date=None, title_zh=None, title_en=None, en=en, zh=zh, glossary=[],
                    pairs=[Pair((0,), (0,)), Pair((1,), (1,))], script="traditional")


@pytest.fixture
def config(tmp_path):
    return load_config().with_options(engine="fake", output=str(tmp_path / "audio"), gap_ms=480, pair_gap_ms=960)


def make_drill(doc, config, options):
    result, track = drill(doc, config, options)
    manifest = json.loads((result.output / "manifest.json").read_text("utf-8"))
    entry = next(t for t in manifest["tracks"] if t["file"] == track.file)
    return SimpleNamespace(output=result.output / track.file, entry=entry, result=result)


def _decoded_matches(result):
    return abs(decoded_duration(result.output) - result.entry["duration_s"]) < 0.1


def _spans(result):
    return [(s["id"], s["start_s"], s["end_s"]) for s in result.entry["segments"]]


def test_repeat_both_languages_durations_add_up(fake_engine, config):
    result = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=3))
    spans = _spans(result)
    assert [s[0] for s in spans] == ["en-01", "zh-01"] * 3
    en = spans[0][2] - spans[0][1]
    zh = spans[1][2] - spans[1][1]
    expected = 3 * (en + 0.48 + zh) + 2 * 0.96 - 5 * EDGES
    assert abs(result.entry["duration_s"] - expected) < 2 * FRAME
    assert abs(decoded_duration(result.output) - result.entry["duration_s"]) < 0.1
    assert result.output.name == "pair-01.mp3" and result.output.parent.name == "drills"
    manifest = json.loads((result.output.parents[1] / "manifest.json").read_text("utf-8"))
    assert [t["kind"] for t in manifest["tracks"]] == ["drill"]
    assert result.result.synthesized == 4  # one piece per sentence: "One." "Two words." "一。" "二字。"


def test_shadow_leaves_a_silence_as_long_as_each_part(fake_engine, config):
    result = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=2, lang="en", shadow=True))
    spans = _spans(result)
    assert [s[0] for s in spans] == ["en-01", "en-01"]
    length = spans[0][2] - spans[0][1]
    # after each repetition: its own length of silence, then the gap between repetitions
    # (heard: the echo is as long as the part's sound, its span less its edges; each silence is
    # shorter by the edges of the segments beside it)
    assert abs((spans[1][1] - spans[0][2]) - (length + 0.96 - 2 * EDGES)) < 2 * FRAME
    assert abs(result.entry["duration_s"] - (2 * 2 * length + 0.96 - 2 * EDGES - EDGES - (EDGE_TAIL_S + TRIM_PAD_S))) < 3 * FRAME
    assert _decoded_matches(result)


def test_speed_half_doubles_the_spoken_length(fake_engine, config):
    doc = make_doc()
    long = "這是一段比較長的中文句子，用來測試放慢速度的效果。"
    doc.zh[1] = Paragraph(long, (long,))
    normal = make_drill(doc, config, DrillOptions(pair=2, repeat=1, lang="zh"))
    normal_decoded = decoded_duration(normal.output)
    slow = make_drill(doc, config, DrillOptions(pair=2, repeat=1, lang="zh", speed=0.5))  # same file, remade
    assert abs(slow.entry["duration_s"] / normal.entry["duration_s"] - 2.0) < 0.15
    assert abs(decoded_duration(slow.output) / normal_decoded - 2.0) < 0.15


def test_sentences_each_repeated_before_the_next(fake_engine, config):
    result = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=2, sentences=True))
    texts = [s["text"] for s in result.entry["segments"]]
    assert texts == ["One.", "One.", "Two words.", "Two words.", "一。", "一。", "二字。", "二字。"]
    assert {s["role"] for s in result.entry["segments"]} == {"sentence"}
    assert _decoded_matches(result)
    zh_first = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=1, sentences=True, pattern="zh,en"))
    assert [s["text"] for s in zh_first.entry["segments"]] == ["一。", "二字。", "One.", "Two words."]


def test_translate_gap_pattern(fake_engine, config):
    result = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=1, pattern="zh,gap,en"))
    (zh, zs, ze), (en, es, ee) = _spans(result)
    assert (zh, en) == ("zh-01", "en-01")
    assert abs((es - ze) - (max(ee - es - EDGES, 1.5) - EDGES)) < 2 * FRAME
    assert _decoded_matches(result)


@pytest.mark.parametrize("pattern, order", [
    ("en,zh", ["en-01", "zh-01"]), ("zh,en", ["zh-01", "en-01"]), ("en,zh,zh", ["en-01", "zh-01", "zh-01"]),
])
def test_patterns_set_the_order_within_each_repetition(fake_engine, config, pattern, order):
    result = make_drill(make_doc(), config, DrillOptions(pair=1, repeat=2, pattern=pattern))
    assert [s[0] for s in _spans(result)] == order * 2
    assert _decoded_matches(result)


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(pair=3), "There is no pair 3: d.txt has 2 pairs"),
        (dict(pair=0), "There is no pair 0"),
        (dict(pair=1, repeat=0), "--repeat must be between 1 and 100"),
        (dict(pair=1, pattern="en,fr"), "Invalid drill pattern 'en,fr'"),
        (dict(pair=1, pattern="gap"), "Invalid drill pattern"),
        (dict(pair=1, pattern="zh,en", lang="en"), "Use --pattern or --lang, not both"),
        (dict(pair=1, pattern="zh,gap,en", sentences=True), "With --sentences, --pattern only orders"),
        (dict(pair=1, speed=3.0), "--speed must be between 0.5 and 2.0, not 3"),
    ],
)
def test_bad_drill_options_are_clear_errors(fake_engine, config, options, message):
    with pytest.raises(UsageError, match=message):
        make_drill(make_doc(), config, DrillOptions(**options))
    assert not (config.output.cache_path / "segments").exists()  # failed before any synthesis


def test_unmatched_side_is_a_clear_error(fake_engine, config):
    doc = make_doc()
    doc.pairs = [Pair((), (0,)), Pair((0, 1), (1,))]
    with pytest.raises(UsageError, match="Pair 1 has no en text"):
        make_drill(doc, config, DrillOptions(pair=1, lang="en"))


def sentence_doc() -> Document:
    from listen.model import SentenceBead

    doc = make_doc()
    doc.pairs = [Pair((0,), (0,), beads=(SentenceBead((0,), (0,)), SentenceBead((1,), (1,)))), Pair((1,), (1,))]
    return doc


def test_one_sentence_bead_on_loop(fake_engine, config):
    result = make_drill(sentence_doc(), config, DrillOptions(pair=1, sentence=2, repeat=2))
    assert result.output.name == "pair-01-s2-x2.mp3"
    assert [(s["text"], s["role"], s["sentence"]) for s in result.entry["segments"]] == [
        ("Two words.", "sentence", 1), ("二字。", "sentence", 1)] * 2
    assert result.entry["title"].endswith("Drill pair 1 · sentence 2 · ×2")
    assert _decoded_matches(result)


def test_variants_of_one_pair_live_side_by_side_and_are_remade(fake_engine, config):
    from listen.build.builder import build

    doc = sentence_doc()
    make_drill(doc, config, DrillOptions(pair=1))
    make_drill(doc, config, DrillOptions(pair=1, sentence=1, shadow=True))
    make_drill(doc, config, DrillOptions(pair=1, pattern="zh,gap,en", repeat=5))
    out = config.output.dir + "/d"
    names = lambda: sorted(t["file"] for t in json.loads(open(out + "/manifest.json").read())["tracks"]  # noqa: E731
                           if t["kind"] == "drill")
    assert names() == ["drills/pair-01-s1-shadow.mp3", "drills/pair-01-zh-gap-en-x5.mp3", "drills/pair-01.mp3"]
    build(doc, config)  # a rebuild keeps every variant
    assert names() == ["drills/pair-01-s1-shadow.mp3", "drills/pair-01-zh-gap-en-x5.mp3", "drills/pair-01.mp3"]


def test_zh_first_orders_a_drill_as_it_orders_the_article(fake_engine, config):
    zh_first = config.with_options(zh_first=True)
    result = make_drill(make_doc(), zh_first, DrillOptions(pair=1, repeat=1))
    assert [s["lang"] for s in result.entry["segments"]] == ["zh", "en"]
    learning_zh = config.with_options(learning="zh")
    result = make_drill(make_doc(), learning_zh, DrillOptions(pair=1, repeat=1))
    assert [s["lang"] for s in result.entry["segments"]] == ["zh", "en"]


def test_a_missing_sentence_bead_is_a_clear_error(fake_engine, config):
    with pytest.raises(UsageError, match="Pair 1 has no sentence 3: it has 2 sentence beads"):
        make_drill(sentence_doc(), config, DrillOptions(pair=1, sentence=3))
    with pytest.raises(UsageError, match="not both"):
        DrillOptions(pair=1, sentence=1, sentences=True)
