"""A rebuild of an unchanged text takes its Document from the cache; anything it is made from
changing makes it be read again."""

from __future__ import annotations

from pathlib import Path

import pytest

import listen.text.load as text_load
from listen.build.documents import load_document_cached
from listen.text import load_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-ferries.txt"
LIMIT = 10_000_000


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "ferries.txt"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


@pytest.fixture
def reads(monkeypatch):
    """How many times the text is really read (parsed and aligned)."""
    calls = []
    real = text_load.load_text

    def counting(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("path"))
        return real(*args, **kwargs)

    monkeypatch.setattr(text_load, "load_text", counting)
    return calls


def fresh(path, reads) -> dict:
    """What the text reads as, read again (not counted as a read of the build)."""
    before = len(reads)
    doc = load_document(str(path))
    del reads[before:]
    return doc.to_json()


def load(path, cache, **options):
    return load_document_cached(str(path), cache_dir=cache, max_bytes=LIMIT, **options)


def test_an_unchanged_text_is_read_once_and_equals_a_fresh_read(article, tmp_path, reads):
    cache = tmp_path / "cache"
    first = load(article, cache)
    second = load(article, cache)
    assert len(reads) == 1
    assert second.to_json() == first.to_json() == fresh(article, reads)
    assert [p.beads for p in second.pairs] == [p.beads for p in load_document(str(article)).pairs]
    assert len(list((cache / "documents").iterdir())) == 1


def test_an_edit_a_sidecar_or_an_option_reads_it_again(article, tmp_path, reads):
    cache = tmp_path / "cache"
    load(article, cache)
    article.write_text(article.read_text("utf-8").replace("ferry", "ferries", 1), "utf-8")
    edited = load(article, cache)
    assert len(reads) == 2 and edited.to_json() == fresh(article, reads)
    Path(str(article) + ".pairs").write_text("1:1, 2:2, -:3, 3:4, 4:5\n", "utf-8")
    load(article, cache)
    assert len(reads) == 3
    load(article, cache, encoding="utf-8")
    load(article, cache, encoding="utf-8")
    assert len(reads) == 4
    assert len(list((cache / "documents").iterdir())) == 1  # one entry per input: an edit replaces it


def test_a_damaged_entry_is_read_again_and_replaced(article, tmp_path, reads):
    cache = tmp_path / "cache"
    load(article, cache)
    (entry,) = (cache / "documents").iterdir()
    entry.write_bytes(b"\x80\x05 not a pickle")
    doc = load(article, cache)
    assert len(reads) == 2 and doc.to_json() == fresh(article, reads)
    load(article, cache)
    assert len(reads) == 2  # the entry was written again


def test_an_unwritable_cache_only_costs_the_parse(article, tmp_path, reads):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "documents").write_text("a file where the folder should be")  # unwritable, even for root
    first = load(article, cache)
    second = load(article, cache)
    assert len(reads) == 2 and first.to_json() == second.to_json()


def test_bad_input_is_not_cached(tmp_path, reads):
    from listen.errors import InputError

    cache = tmp_path / "cache"
    with pytest.raises(InputError):
        load(tmp_path / "missing.txt", cache)
    assert not (cache / "documents").exists()
