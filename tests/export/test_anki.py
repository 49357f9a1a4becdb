"""`listen export anki`: the .apkg read back as Anki reads it (a zip with a SQLite collection and
numbered media files), its notes, audio and readings, and the same notes after a second export."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.build.builder import build
from listen.cli import cli
from listen.config import load_config
from listen.export.anki import DECK_ID, SENTENCE_MODEL_ID, TERM_MODEL_ID, export_anki
from listen.model import Document, GlossaryEntry, Pair, Paragraph
from support.probe import decoded_duration


def _doc() -> Document:
    en = [Paragraph("Fares rise. Commuters complain.", ("Fares rise.", "Commuters complain.")),
          Paragraph("The boats are old.", ("The boats are old.",))]
    zh = [Paragraph("票價上升。乘客不滿。", ("票價上升。", "乘客不滿。")), Paragraph("船隻老化。", ("船隻老化。",))]
    from listen.model import SentenceBead

    return Document(
        source="fares.txt", date="2026-04-02", title_zh="加價", title_en="Fares", en=en, zh=zh,
        glossary=[GlossaryEntry("fare", "money paid for a journey", "票價"), GlossaryEntry("commuter", "a daily traveller")],
        pairs=[Pair((0,), (0,), beads=(SentenceBead((0,), (0,)), SentenceBead((1,), (1,)))), Pair((1,), (1,))],
        script="traditional",
    )


@pytest.fixture
def built(fake_engine, tmp_path) -> Path:
    config = load_config().with_options(engine="fake", output=str(tmp_path / "audio"))
    return build(_doc(), config).output


def _read(apkg: Path, tmp: Path) -> tuple[list[tuple], dict[str, str], Path]:
    out = tmp / apkg.stem
    with zipfile.ZipFile(apkg) as z:
        z.extractall(out)
    media = json.loads((out / "media").read_text("utf-8"))
    with sqlite3.connect(out / "collection.anki2") as db:
        notes = db.execute("select id, guid, mid, flds, tags from notes order by id").fetchall()
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
        cards = db.execute("select nid, ord, did from cards").fetchall()
    assert str(DECK_ID) in decks and decks[str(DECK_ID)]["name"] == "listen"
    assert {c[2] for c in cards} == {DECK_ID}
    assert sorted(c[:2] for c in cards) == sorted([(n[0], k) for n in notes for k in ((0, 1) if n[2] == SENTENCE_MODEL_ID else (0,))])
    return notes, media, out


def test_notes_media_and_readings(built, tmp_path):
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    result = export_anki([built], tmp_path / "deck.apkg")
    assert (result.sentences, result.terms, result.articles) == (3, 2, 1)
    notes, media, out = _read(tmp_path / "deck.apkg", tmp_path)
    by_first = {n[3].split("\x1f")[0]: n for n in notes}
    assert set(by_first) == {"Fares rise.", "Commuters complain.", "The boats are old.", "fare", "commuter"}

    fields = by_first["Fares rise."][3].split("\x1f")
    assert by_first["Fares rise."][2] == SENTENCE_MODEL_ID
    assert fields[1:4] == ["票價上升。", "piu3 gaa3 soeng6 sing1。",
                           "<ruby>票<rt>piu3</rt></ruby><ruby>價<rt>gaa3</rt></ruby><ruby>上<rt>soeng6</rt></ruby>"
                           "<ruby>升<rt>sing1</rt></ruby>。"]
    assert fields[6] == "2026-04-02 加價 · 1"
    fare = by_first["fare"][3].split("\x1f")
    assert by_first["fare"][2] == TERM_MODEL_ID
    assert fare[:4] == ["fare", "money paid for a journey", "<ruby>票<rt>piu3</rt></ruby><ruby>價<rt>gaa3</rt></ruby>", "piu3 gaa3"]
    commuter = by_first["commuter"][3].split("\x1f")
    assert commuter[2:4] == ["", ""] and commuter[4].startswith("[sound:") and commuter[5] == ""

    # Every [sound:] is a media file of the package, and each is the stretch of the track it names.
    sounds = [f.removeprefix("[sound:").removesuffix("]") for n in notes for f in n[3].split("\x1f") if f.startswith("[sound:")]
    assert len(sounds) == 3 * 2 + 2 + 1
    assert sorted(media.values()) == sorted(set(sounds)) and len(media) == result.media  # one file per content
    files = {name: out / index for index, name in media.items()}
    english = next(t for t in manifest["tracks"] if t["kind"] == "english")
    span = next(s for seg in english["segments"] if seg["paragraph"] == 0 for s in seg.get("sentences", []) if s["index"] == 1)
    heard = decoded_duration(files[by_first["Commuters complain."][3].split("\x1f")[4][7:-1]])
    assert abs(heard - (span["end_s"] - span["start_s"])) < 0.08, (heard, span)
    glossary = next(t for t in manifest["tracks"] if t["kind"] == "glossary")
    term = next(s for s in glossary["segments"] if s["id"] == "glossary-01-term")
    assert abs(decoded_duration(files[fare[4][7:-1]]) - (term["end_s"] - term["start_s"])) < 0.08


def test_a_second_export_gives_the_same_notes(built, tmp_path):
    export_anki([built], tmp_path / "one.apkg")
    export_anki([built.parent], tmp_path / "two.apkg")  # the library folder: the same article
    first, media1, _ = _read(tmp_path / "one.apkg", tmp_path)
    second, media2, _ = _read(tmp_path / "two.apkg", tmp_path)
    assert [(n[0], n[1], n[2]) for n in first] == [(n[0], n[1], n[2]) for n in second]
    assert len({n[1] for n in first}) == len(first) == 5
    assert sorted(media1.values()) == sorted(media2.values())


def test_cli_writes_the_deck_and_reports_bad_input_in_one_line(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "anki", str(built)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    media = export_anki([built], tmp_path / "again.apkg").media
    assert result.output == (f"Wrote {built.name}.apkg: 3 sentence pairs and 2 glossary terms from 1 article, "
                             f"{media} audio files.\n")
    assert zipfile.is_zipfile(tmp_path / f"{built.name}.apkg")
    text = tmp_path / "plain.txt"
    text.write_text("hello\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["export", "anki", str(text), "-o", str(tmp_path / "x.apkg")])
    assert bad.exit_code == 2
    assert bad.output.count("\n") == 1 and "no built article here" in bad.output
    assert not (tmp_path / "x.apkg").exists()


def test_help_imports_neither_genanki_nor_the_romanisers():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "listen", "--help"],
                          capture_output=True, text=True, check=True)
    assert "export" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert "listen" in imported
    assert not imported & {"genanki", "pypinyin", "ToJyutping"}


def test_a_mandarin_build_puts_pinyin_on_the_chinese_side(fake_engine, tmp_path):
    doc = Document(
        source="rates.txt", date=None, title_zh=None, title_en="Rates",
        en=[Paragraph("Banks start again.", ("Banks start again.",))], zh=[Paragraph("银行重新开始。", ("银行重新开始。",))],
        glossary=[GlossaryEntry("bank", "a place for money", "银行")], pairs=[Pair((0,), (0,))], script="simplified",
    )
    config = load_config().with_options(engine="fake", output=str(tmp_path / "audio"))
    built = build(doc, config).output
    export_anki([built / "manifest.json"], tmp_path / "rates.apkg")
    notes, _, _ = _read(tmp_path / "rates.apkg", tmp_path)
    fields = {n[3].split("\x1f")[0]: n[3].split("\x1f") for n in notes}
    assert fields["Banks start again."][2] == "yín háng chóng xīn kāi shǐ。"
    assert fields["bank"][2:4] == ["<ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>", "yín háng"]
