"""`listen build` and `listen drill` through the CLI: JSON summaries, drills, static feed."""

from __future__ import annotations

import dataclasses
import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from click.testing import CliRunner

from listen.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-ferries.txt"


def invoke(*args):
    return CliRunner(mix_stderr=False).invoke(cli, list(args), catch_exceptions=False)


def manifest_tracks(out):
    return json.loads((out / "harbour-ferries" / "manifest.json").read_text("utf-8"))["tracks"]


def test_build_json_drills_and_static_feed(fake_engine, tmp_path):
    out = tmp_path / "audio"
    result = invoke("build", str(EXAMPLE), "--engine", "fake", "-o", str(out), "--drills",
                    "--base-url", "https://example.org/listen/", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) == {"output", "synthesized", "cached", "duration_s", "tracks", "warnings", "voices", "advice"}
    assert summary["voices"] == ["English: fake, voice fake en (offline)", "Cantonese: fake, voice fake zh-cantonese (offline)"]
    assert summary["advice"] == []
    assert summary["warnings"] == ["Chinese paragraph 3 has no English counterpart"]  # also with --json
    assert summary["tracks"]["kept"] == 0 and summary["tracks"]["written"] == len(manifest_tracks(out))
    assert summary["output"] == str(out / "harbour-ferries") and summary["cached"] == 0
    manifest = json.loads((out / "harbour-ferries" / "manifest.json").read_text("utf-8"))
    assert abs(summary["duration_s"] - manifest["tracks"][0]["duration_s"]) < 0.001
    drills = [t["file"] for t in manifest["tracks"] if t["kind"] == "drill"]
    assert drills == [f"drills/pair-{n:02d}.mp3" for n in range(1, len(manifest["pairs"]) + 1)]
    assert all((out / "harbour-ferries" / d).exists() for d in drills)
    playlist = (out / "harbour-ferries" / "playlist.m3u8").read_text("utf-8")
    assert all(d in playlist for d in drills)

    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.findtext("./channel/title") == "listen"
    items = feed.findall("./channel/item")
    assert len(items) == 1
    enclosure = items[0].find("enclosure")
    assert enclosure.get("url") == "https://example.org/listen/harbour-ferries/alternating.mp3"
    assert int(enclosure.get("length")) == (out / "harbour-ferries" / "alternating.mp3").stat().st_size

    # A rebuild keeps the drills and synthesizes nothing.
    again = json.loads(invoke("build", str(EXAMPLE), "--engine", "fake", "-o", str(out), "--json").stdout)
    assert again["synthesized"] == 0
    manifest = json.loads((out / "harbour-ferries" / "manifest.json").read_text("utf-8"))
    assert [t["file"] for t in manifest["tracks"] if t["kind"] == "drill"] == drills


def test_drill_json_summary(fake_engine, tmp_path):
    out = tmp_path / "audio"
    result = invoke("drill", str(EXAMPLE), "2", "--engine", "fake", "-o", str(out), "--repeat", "2",
                    "--pattern", "zh,gap,en", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) == {"output", "duration_s", "synthesized", "cached", "warnings"}
    assert summary["output"] == str(out / "harbour-ferries" / "drills" / "pair-02-zh-gap-en-x2.mp3")
    assert summary["synthesized"] == 6 and summary["cached"] == 0  # pair 2: 3 English sentences and 3 Chinese
    entry = json.loads((out / "harbour-ferries" / "manifest.json").read_text("utf-8"))["tracks"][0]
    assert entry["kind"] == "drill" and entry["duration_s"] == summary["duration_s"]
    assert [s["lang"] for s in entry["segments"]] == ["zh", "en", "zh", "en"]


def test_build_feed_options_and_config_table(fake_engine, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[feed]\ntitle = "From the file"\nauthor = "Me"\nlanguage = "zh-HK"\n', "utf-8")
    monkeypatch.setenv("LISTEN_CONFIG", str(config))
    out = tmp_path / "audio"
    result = invoke("build", str(EXAMPLE), "--engine", "fake", "-o", str(out), "--base-url", "https://example.org/a/",
                    "--feed-title", "My editorials", "--feed-email", "me@example.org")
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out / 'feed.xml'}, {out / 'feed-english.xml'}, {out / 'feed-chinese.xml'}" in result.stdout
    channel = ET.parse(out / "feed.xml").getroot().find("channel")
    assert channel.findtext("title") == "My editorials"  # the option wins over the file
    assert channel.findtext("language") == "zh-HK"
    assert channel.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}author") == "Me"
    assert len(list((out / "covers").glob("*.png"))) == 2  # the channel's and the article's

    config.write_text('[feed]\ncolour = "red"\n', "utf-8")
    bad = invoke("build", str(EXAMPLE), "--engine", "fake", "-o", str(out))
    assert bad.exit_code == 2
    assert "Unknown key 'colour' in [feed] of config file" in bad.stderr and "Known keys: title, author" in bad.stderr


@pytest.mark.parametrize("option, message", [
    (["--base-url", "example.org/audio"], "--base-url 'example.org/audio' is not a web address"),
    (["--base-url", "https://x/", "--feed-language", "english!"], "feed language must be a language tag"),
    (["--base-url", "https://x/", "--feed-image", "art.gif"], "feed image must be an http(s) URL or a .png/.jpg file"),
    (["--base-url", "https://x/", "--feed-image", "missing.png"], "The feed image missing.png is not a file"),
])  # fmt: skip
def test_feed_usage_errors_before_anything_is_built(fake_engine, tmp_path, option, message):
    out = tmp_path / "audio"
    result = invoke("build", str(EXAMPLE), "--engine", "fake", "-o", str(out), *option)
    assert result.exit_code == 2
    assert result.stderr.startswith("listen: error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists() and fake_engine.calls == []


@pytest.fixture
def english_only_engine():
    """An engine plugin that speaks English only."""
    from listen.engines.registry import register, unregister
    from support.fake_engine import FakeEngine

    class EnglishOnly(FakeEngine):
        NAME = "english-only"
        CAPABILITIES = dataclasses.replace(FakeEngine.CAPABILITIES, languages=frozenset({"en"}))

    register(EnglishOnly)
    yield EnglishOnly
    unregister(EnglishOnly.NAME)


def test_usage_error_comes_before_the_network_probe(english_only_engine, tmp_path, monkeypatch):
    # An endpoint that would be probed (English is "auto": gTTS first if reachable): a listening
    # socket that nobody accepts from; any probe would leave a connection in its backlog.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    monkeypatch.setenv("LISTEN_GTTS_URL", f"http://127.0.0.1:{listener.getsockname()[1]}/batchexecute")
    try:
        result = invoke("build", str(EXAMPLE), "--engine", "auto", "--engine-zh", "english-only",
                        "-o", str(tmp_path / "audio"))
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == "listen: error: The english-only engine does not speak Cantonese."
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing connected: the error came before any probe
    finally:
        listener.close()
