"""The pronunciation lexicon: what engines are given, never what is shown; rules, user file, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.cli import cli
from listen.config import load_config
from listen.errors import ConfigError
from listen.lexicon import Lexicon, load_lexicon, user_path
from listen.voicing import Voicing


@pytest.fixture
def builtin():
    return load_lexicon()


@pytest.mark.parametrize("text, said", [
    ("After World War II the treaty held.", "After World War Two the treaty held."),
    ("World War I began in 1914.", "World War One began in 1914."),
    ("King Charles III opened parliament.", "King Charles the Third opened parliament."),
    ("Louis XIV built Versailles; Henry VIII had six wives.", "Louis the Fourteenth built Versailles; Henry the Eighth had six wives."),
    ("Pope Leo XIV spoke after Benedict XVI.", "Pope Leo the Fourteenth spoke after Benedict the Sixteenth."),
    ("Elizabeth II reigned for seventy years.", "Elizabeth the Second reigned for seventy years."),
    ("The Phase III trial starts in May.", "The Phase Three trial starts in May."),
    ("Xi Jinping met Li Qiang in Xinjiang.", "Shee Jin-ping met Lee Chyahng in Shin-jyahng."),
    ("Mr Xi said so.", "Mr Shee said so."),
    ("Xi'an is old; Xiong is a name.", "Shee-ahn is old; Xiong is a name."),  # longest first; whole words only
    ("The US and the WHO disagree.", "The U S and the W H O disagree."),
    ("us and who stay as they are", "us and who stay as they are"),  # case-sensitive
    ("Chapter I, Part II", "Chapter One, Part Two"),
    ("I am, and II is not a name.", "I am, and II is not a name."),
    ("It costs $90 million a year.", "It costs 90 million dollars a year."),
    ("HK$1.5 billion was spent on HK$2bn of bonds.", "1.5 billion Hong Kong dollars was spent on 2 billion Hong Kong dollars of bonds."),
    ("A US$300m deal, US$1 each.", "A 300 million U S dollars deal, 1 U S dollar each."),
    ("It was $1, then $1.50, then $2,000 and $5m.", "It was 1 dollar, then 1.50 dollars, then 2,000 dollars and 5 million dollars."),
    ("Fares rise to HK$12.8 from HK$1.", "Fares rise to 12.8 Hong Kong dollars from 1 Hong Kong dollar."),
    ("a $ sign and A$5 stay", "a $ sign and A$5 stay"),
])
def test_builtin_english(builtin, text, said):
    assert builtin.apply(text, "en") == said


def test_every_builtin_regex_rule_compiles_with_its_replacement():
    """Built-in rules are not test-compiled at start-up (a warm rebuild's time): checked here."""
    import re

    from listen.lexicon import _read, builtin_path

    rules = _read(builtin_path(), "built-in lexicon")
    patterns = [(p, r) for lang in ("en", "zh") for p, r in rules.get(lang, {}).get("regex", {}).items()]
    assert len(patterns) >= 20
    for pattern, replacement in patterns:
        re.compile(f"(?:{pattern})|").sub(replacement, "", count=1)


def test_a_user_rule_overriding_a_builtin_one_is_still_checked(tmp_path):
    from listen.lexicon import _read, builtin_path

    pattern = next(iter(_read(builtin_path(), "built-in lexicon")["en"]["regex"]))
    user = tmp_path / "lexicon.toml"
    assert "'" not in pattern
    user.write_text("[en.regex]\n'" + pattern + "' = 'x \\9'\n", "utf-8")  # no group 9
    with pytest.raises(ConfigError, match="not a valid regular expression or replacement"):
        load_lexicon(user)


def test_builtin_chinese_is_separate(builtin):
    assert builtin.apply("世衞WHO說GDP增長", "zh") == "世衞W H O說G D P增長"
    assert builtin.apply("習近平訪問俄羅斯", "zh") == "習近平訪問俄羅斯"
    assert builtin.apply("Xi", "zh") == "Xi"  # English rules never touch Chinese text


def test_user_file_adds_and_overrides(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text("""
[en.plain]
"Xi" = "See"
"Kowloon" = "Cow-loon"
[en.regex]
'\\b(\\d+)km\\b' = '\\1 kilometres'
[zh.plain]
"港鐵" = "港 鐵"
""", "utf-8")
    lexicon = load_lexicon(path)
    assert lexicon.apply("Xi went 12km to Kowloon.", "en") == "See went 12 kilometres to Cow-loon."
    assert lexicon.apply("World War II", "en") == "World War Two"  # the built-in rules stay
    assert lexicon.apply("乘港鐵", "zh") == "乘港 鐵"
    path.write_text('builtin = false\n[en.plain]\n"Kowloon" = "Cow-loon"\n', "utf-8")
    alone = load_lexicon(path)
    assert alone.apply("World War II in Kowloon", "en") == "World War II in Cow-loon" and alone.size == 1


def test_user_file_is_beside_the_config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LISTEN_CONFIG", str(tmp_path / "conf" / "config.toml"))
    assert user_path() == tmp_path / "conf" / "lexicon.toml"
    (tmp_path / "conf").mkdir()
    user_path().write_text('[en.plain]\n"Tsim Sha Tsui" = "Chim Sha Choy"\n', "utf-8")
    assert load_lexicon().apply("In Tsim Sha Tsui.", "en") == "In Chim Sha Choy."


@pytest.mark.parametrize("content, message", [
    ("[fr.plain]\nx = 'y'\n", r"unknown table \[fr\]"),
    ("[en.words]\nx = 'y'\n", r"unknown table \[en.words\]"),
    ("[en.plain]\nx = 3\n", r"\[en.plain\] 'x' must be given as text"),
    ("[en.regex]\n'(unclosed' = 'y'\n", r"\[en.regex\] '\(unclosed' is not a valid regular expression"),
    ("[en.regex]\n'a' = '\\2'\n", r"is not a valid regular expression or replacement"),
    ("[en.plain\n", r"is not valid TOML"),
    ("builtin = 'no'\n", r"builtin must be true or false"),
])
def test_bad_user_files_are_one_config_error(tmp_path, content, message):
    path = tmp_path / "lexicon.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_lexicon(path)


def test_the_engine_gets_the_spoken_text_and_the_cache_key_follows_it():
    config = load_config()
    plain = Voicing.decide("traditional", config.voice, config.timing)
    said = Voicing.decide("traditional", config.voice, config.timing, Lexicon([("t", {"en": {"plain": {"Xi": "Shee"}}})]))
    assert plain.request("Xi  spoke.", "en").text == "Xi spoke."
    assert said.request("Xi  spoke.", "en").text == "Shee spoke."
    assert said.with_speed(0.8).request("Xi", "en").text == "Shee"  # drills keep the lexicon
    assert said.request("Xi", "zh").text == "Xi"


def test_build_speaks_the_lexicon_but_shows_the_text(fake_engine, tmp_path, monkeypatch):
    from listen.build.builder import build
    from listen.text import load_document

    conf = tmp_path / "conf"
    conf.mkdir()
    monkeypatch.setenv("LISTEN_CONFIG", str(conf / "config.toml"))
    source = tmp_path / "visit.txt"
    source.write_text("A State Visit\n國事訪問\n\nXi visited after World War II ended.\n習近平在二戰結束後到訪。\n", "utf-8")
    config = load_config().with_options(engine="fake", output=str(tmp_path / "out"))
    out = build(load_document(str(source)), config).output
    spoken = [c.text for c in fake_engine.calls if c.language == "en"]
    assert "Shee visited after World War Two ended." in spoken
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    shown = [s["text"] for t in manifest["tracks"] for s in t["segments"] if s["lang"] == "en"]
    assert "Xi visited after World War II ended." in shown and not any("Shee" in t for t in shown)
    assert "Shee" not in (out / "alternating.lrc").read_text("utf-8")
    # A new user rule makes only the segments it changes again.
    before = len(fake_engine.calls)
    (conf / "lexicon.toml").write_text('[en.plain]\n"Xi" = "See"\n', "utf-8")
    build(load_document(str(source)), config)
    assert [c.text for c in fake_engine.calls[before:]] == ["See visited after World War Two ended."]


def test_inspect_spoken(tmp_path):
    source = tmp_path / "visit.txt"
    source.write_text("A State Visit\n國事訪問\n\nXi visited after World War II ended. It rained.\n"
                      "習近平在二戰結束後到訪。當日下雨。\n", "utf-8")
    result = CliRunner().invoke(cli, ["inspect", "--spoken", str(source)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Spoken text (1 of 6 changed by the pronunciation lexicon, ")
    assert lines[1:] == [
        "Title EN   A State Visit",
        "Title ZH   國事訪問",
        "EN 1.1   * Shee visited after World War Two ended.",
        "EN 1.2     It rained.",
        "ZH 1.1     習近平在二戰結束後到訪。",
        "ZH 1.2     當日下雨。",
    ]
