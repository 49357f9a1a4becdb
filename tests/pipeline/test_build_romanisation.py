"""A build stores the reading of every Chinese sentence in the manifest, in the spoken Chinese's system."""

from __future__ import annotations

import json

from listen.build.builder import build
from listen.config import load_config
from listen.model import Document, Pair, Paragraph
from listen.output.manifest import load


def _doc(zh: list[tuple[str, ...]], script: str) -> Document:
    en = [Paragraph("Banks raised rates.", ("Banks raised rates.",)), Paragraph("We walk.", ("We walk.",))]
    paras = [Paragraph("".join(s), s) for s in zh]
    return Document(source="rates.txt", date=None, title_zh=None, title_en="Rates", en=en, zh=paras,
                    glossary=[], pairs=[Pair((0,), (0,)), Pair((1,), (1,))], script=script)


def test_cantonese_build_stores_jyutping_per_sentence(fake_engine, tmp_path):
    config = load_config().with_options(engine="fake", output=str(tmp_path / "audio"))
    doc = _doc([("銀行加息。", "行人都話貴。"), ("我哋去行山。",)], "traditional")
    out = build(doc, config).output
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    assert data["chinese"] == "cantonese"
    first = data["paragraphs"]["zh"][0]["romanisation"]
    assert first == [
        {"system": "jyutping", "tokens": [["銀", "ngan4"], ["行", "hong4"], ["加", "gaa1"], ["息", "sik1"], ["。", None]]},
        {"system": "jyutping", "tokens": [["行", "hang4"], ["人", "jan4"], ["都", "dou1"], ["話", "waa6"],
                                          ["貴", "gwai3"], ["。", None]]},
    ]
    assert data["paragraphs"]["en"][0]["romanisation"] is None
    article = load(out)  # and the typed record reads it back
    assert article.paragraphs["zh"][1].romanisation[0].tokens[-3:] == (("行", "haang4"), ("山", "saan1"), ("。", None))


def test_mandarin_build_stores_pinyin_with_tone_marks(fake_engine, tmp_path):
    config = load_config().with_options(engine="fake", output=str(tmp_path / "audio"))
    doc = _doc([("银行加息。",), ("重新开始。",)], "simplified")
    data = json.loads((build(doc, config).output / "manifest.json").read_text("utf-8"))
    assert data["chinese"] == "mandarin"
    assert [r["tokens"] for r in data["paragraphs"]["zh"][1]["romanisation"]] == [
        [["重", "chóng"], ["新", "xīn"], ["开", "kāi"], ["始", "shǐ"], ["。", None]]]
    assert data["paragraphs"]["zh"][0]["romanisation"][0]["system"] == "pinyin"


def test_a_rebuild_takes_unchanged_readings_from_the_previous_build(fake_engine, tmp_path, monkeypatch):
    import listen.build.builder as builder

    config = load_config().with_options(engine="fake", output=str(tmp_path / "audio"))
    build(_doc([("銀行加息。",), ("我哋去行山。",)], "traditional"), config)
    asked: list[str] = []
    real = builder.romanise
    monkeypatch.setattr(builder, "romanise", lambda text, system: asked.append(text) or real(text, system))
    out = build(_doc([("銀行加息。",), ("行人都話貴。",)], "traditional"), config).output
    assert asked == ["行人都話貴。"]  # only the edited sentence is read again
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    assert data["paragraphs"]["zh"][0]["romanisation"][0]["tokens"][1] == ["行", "hong4"]
    assert data["paragraphs"]["zh"][1]["romanisation"][0]["tokens"][0] == ["行", "hang4"]
