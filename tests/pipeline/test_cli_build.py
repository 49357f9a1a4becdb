"""`listen build` and `listen drill` through the CLI: JSON summaries, drills, static feed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

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
    assert set(summary) == {"output", "synthesized", "cached", "duration_s", "tracks", "warnings"}
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
    assert summary["output"] == str(out / "harbour-ferries" / "drills" / "pair-02.mp3")
    assert summary["synthesized"] == 2 and summary["cached"] == 0
    entry = json.loads((out / "harbour-ferries" / "manifest.json").read_text("utf-8"))["tracks"][0]
    assert entry["kind"] == "drill" and entry["duration_s"] == summary["duration_s"]
    assert [s["lang"] for s in entry["segments"]] == ["zh", "en", "zh", "en"]
