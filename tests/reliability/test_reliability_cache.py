"""A damaged segment cache, through the command line: entries truncated, overwritten or replaced by
a frame header followed by junk are made again and reported, and the rebuilt tracks are exactly as
long as the first build's (nothing is cut short, no build is blocked).

The builds use the deterministic fake engine (`tests/support/fake_engine.py`), so a segment made
again has the same length to the sample and the engine's call log names exactly what was made.
(espeak-ng's output varies by a few milliseconds from call to call: its wave generator carries
state from one call to the next; `scripts/attack.py` runs these attacks with espeak, with a
tolerance.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.cli import cli
from reliability_helpers import assert_consistent, cache_entries
from support.probe import decode_ok

pytestmark = pytest.mark.slow

# One MPEG-2 Layer III frame header (24 kHz, 48 kbps, mono): what the old check looked at.
FRAME_HEADER = b"\xff\xf3\x64\xc4"


@pytest.fixture
def cache() -> Path:
    import os

    return Path(os.environ["LISTEN_CACHE_DIR"])


def build(source: Path, out: Path, *extra: str):
    result = CliRunner(mix_stderr=False).invoke(cli, ["build", str(source), "--engine", "fake", "-o", str(out), *extra])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result


def durations(folder: Path) -> dict[str, float]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {t["file"]: t["duration_s"] for t in manifest["tracks"]}


def spoken(engine) -> list[str]:
    texts = sorted(r.text for r in engine.calls)
    engine.calls.clear()
    return texts


@pytest.fixture
def first(tmp_path, text_file, fake_engine, cache):
    """A first build of the tea text; returns (source, its durations, {entry: the text it speaks})."""
    source = text_file("tea")
    summary = json.loads(build(source, tmp_path / "first", "--json").stdout)
    entries = cache_entries(cache)
    assert summary["synthesized"] == len(entries) == len(fake_engine.calls) == 11 and summary["cached"] == 0  # sentences
    # Which text each entry holds: remove one at a time and see what the next build speaks.
    texts = {}
    fake_engine.calls.clear()
    for n, path in enumerate(entries):
        data = path.read_bytes()
        path.unlink()
        build(source, tmp_path / f"probe-{n}")
        [texts[path]] = spoken(fake_engine)
        path.write_bytes(data)
    return source, durations(tmp_path / "first" / "tea"), texts


def test_five_entries_truncated_to_half_are_made_again_and_reported(tmp_path, first, fake_engine, cache):
    """The issue's case: 5 segment MP3s truncated to half, a rebuild into a new folder."""
    source, before, texts = first
    victims = sorted(texts)[:5]
    for path in victims:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = build(source, tmp_path / "second")
    assert result.stderr == "warning: 5 cached segments were damaged and are made again.\n"
    assert f"\nBuilt {tmp_path / 'second' / 'tea'}: " in "\n" + result.stdout
    assert "synthesized 5, cached 6;" in result.stdout
    assert spoken(fake_engine) == sorted(texts[p] for p in victims)  # exactly those, once each
    assert durations(tmp_path / "second" / "tea") == before  # nothing shortened
    assert_consistent(tmp_path / "second" / "tea")  # every track decodes to exactly that length
    assert all(decode_ok(p) for p in cache_entries(cache))
    # The entries are whole again: the next build reuses all of them and says nothing.
    summary = json.loads(build(source, tmp_path / "third", "--json").stdout)
    assert (summary["synthesized"], summary["cached"], summary["warnings"]) == (0, 11, [])
    assert spoken(fake_engine) == []


def tag(data: bytes) -> bytes:
    """The entry's ID3v2 tag (its header gives its size, syncsafe), where its size and hash are."""
    assert data[:3] == b"ID3"
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | byte
    return data[: 10 + size]


DAMAGE = {
    "a frame header then junk": lambda data: FRAME_HEADER + b"junk" * 200,
    "its own tag, a frame header, then junk": lambda data: tag(data) + FRAME_HEADER + b"junk" * 200,
    "empty": lambda data: b"",
    "the tag only": lambda data: tag(data),
    "a byte flipped in the middle": lambda data: data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF])
    + data[len(data) // 2 + 1:],
    "junk appended": lambda data: data + b"\x00junk" * 50,
    "zeros": lambda data: bytes(len(data)),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_never_blocks_a_build(tmp_path, first, fake_engine, damage):
    source, before, texts = first
    victim = sorted(texts)[3]
    victim.write_bytes(DAMAGE[damage](victim.read_bytes()))
    summary = json.loads(build(source, tmp_path / "second", "--json").stdout)
    assert (summary["synthesized"], summary["cached"]) == (1, 10)
    assert summary["warnings"] == ["1 cached segment was damaged and is made again."]
    assert spoken(fake_engine) == [texts[victim]]
    assert durations(tmp_path / "second" / "tea") == before
    assert decode_ok(victim)
    summary = json.loads(build(source, tmp_path / "third", "--json").stdout)  # and the next one too
    assert (summary["synthesized"], summary["cached"], summary["warnings"]) == (0, 11, [])


def test_a_folder_build_reports_damaged_entries_per_article_in_text_and_json(tmp_path, first):
    source, before, texts = first
    library = tmp_path / "library"
    library.mkdir()
    (library / "tea.txt").write_bytes(source.read_bytes())
    entries = sorted(texts)
    for path in entries[:2]:
        path.write_bytes(path.read_bytes()[:100])
    result = build(library, tmp_path / "lib-out")
    assert result.stderr == f"warning: {library / 'tea.txt'}: 2 cached segments were damaged and are made again.\n"
    for path in entries[2:4]:
        path.write_bytes(b"")
    (tmp_path / "lib-out" / "tea" / "manifest.json").unlink()  # so that it is built again
    summary = json.loads(build(library, tmp_path / "lib-out", "--json").stdout)
    assert summary["warnings"] == [f"{library / 'tea.txt'}: 2 cached segments were damaged and are made again."]
    assert durations(tmp_path / "lib-out" / "tea") == before
