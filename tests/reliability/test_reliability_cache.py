"""A damaged segment cache, through the real command line: entries truncated, overwritten or
replaced by a frame header followed by junk are made again and reported, and the rebuilt tracks
are as long as the first build's (nothing is cut short, no build is blocked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reliability_helpers import assert_consistent, cache_entries, run_listen
from support.probe import decode_ok

pytestmark = pytest.mark.slow  # real espeak builds in a process, a couple of seconds each

# One MPEG-2 Layer III frame header (24 kHz, 48 kbps, mono): what the old check looked at.
FRAME_HEADER = b"\xff\xf3\x64\xc4"


def build(source: Path, out: Path, env, *extra: str):
    done = run_listen("build", source, "--engine", "espeak", "-o", out, *extra, env=env)
    assert done.returncode == 0, done.stderr
    return done


def durations(folder: Path) -> dict[str, float]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return {t["file"]: t["duration_s"] for t in manifest["tracks"]}


@pytest.fixture
def first(tmp_path, env, text_file):
    """A first build of the tea text; returns (source, its durations, the cache entries)."""
    source = text_file("tea")
    summary = json.loads(build(source, tmp_path / "first", env, "--json").stdout)
    entries = cache_entries(tmp_path / "cache")
    assert summary["synthesized"] == len(entries) == 9 and summary["cached"] == 0
    return source, durations(tmp_path / "first" / "tea"), entries


def test_five_entries_truncated_to_half_are_made_again_and_reported(tmp_path, env, first):
    """The issue's case: 5 segment MP3s truncated to half, a rebuild into a new folder."""
    source, before, entries = first
    for path in entries[:5]:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    done = build(source, tmp_path / "second", env)
    assert done.stderr == "warning: 5 cached segments were damaged and are made again.\n"
    assert done.stdout.startswith(f"Built {tmp_path / 'second' / 'tea'}: ")
    assert "synthesized 5, cached 4;" in done.stdout
    assert durations(tmp_path / "second" / "tea") == before  # nothing shortened
    assert_consistent(tmp_path / "second" / "tea")  # every track decodes to exactly that length
    assert all(decode_ok(p) for p in cache_entries(tmp_path / "cache"))
    # The entries are whole again: the next build reuses all of them and says nothing.
    summary = json.loads(build(source, tmp_path / "third", env, "--json").stdout)
    assert (summary["synthesized"], summary["cached"], summary["warnings"]) == (0, 9, [])


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
def test_a_damaged_entry_never_blocks_a_build(tmp_path, env, first, damage):
    source, before, entries = first
    victim = entries[3]
    victim.write_bytes(DAMAGE[damage](victim.read_bytes()))
    summary = json.loads(build(source, tmp_path / "second", env, "--json").stdout)
    assert (summary["synthesized"], summary["cached"]) == (1, 8)
    assert summary["warnings"] == ["1 cached segment was damaged and is made again."]
    assert durations(tmp_path / "second" / "tea") == before
    assert decode_ok(victim)
    summary = json.loads(build(source, tmp_path / "third", env, "--json").stdout)  # and the next one too
    assert (summary["synthesized"], summary["cached"], summary["warnings"]) == (0, 9, [])


def test_a_folder_build_reports_damaged_entries_per_article_in_text_and_json(tmp_path, env, first):
    source, before, entries = first
    library = tmp_path / "library"
    library.mkdir()
    (library / "tea.txt").write_bytes(source.read_bytes())
    for path in entries[:2]:
        path.write_bytes(path.read_bytes()[:100])
    done = build(library, tmp_path / "lib-out", env)
    assert done.stderr == f"warning: {library / 'tea.txt'}: 2 cached segments were damaged and are made again.\n"
    for path in entries[2:4]:
        path.write_bytes(b"")
    (tmp_path / "lib-out" / "tea" / "manifest.json").unlink()  # so that it is built again
    summary = json.loads(build(library, tmp_path / "lib-out", env, "--json").stdout)
    assert summary["warnings"] == [f"{library / 'tea.txt'}: 2 cached segments were damaged and are made again."]
    assert durations(tmp_path / "lib-out" / "tea") == before
