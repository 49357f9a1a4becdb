"""The segment cache: keys, and entries that are checked on reuse."""

import pytest

from listen.errors import OutputError
from listen.synth.cache import SegmentCache, cache_key

FRAMES = b"\xff\xf3\x44\xc4" + bytes(140)


def test_key_depends_on_every_part():
    base = dict(text="Hello world", engine="e", engine_version="1", voice="v", language="en", speed=1.0)
    key = cache_key(**base)
    assert key == cache_key(**dict(reversed(base.items())))
    for change in ({"text": "Hello"}, {"engine": "f"}, {"engine_version": "2"}, {"voice": "w"},
                   {"language": "yue"}, {"speed": 1.1}):
        assert cache_key(**dict(base, **change)) != key


@pytest.fixture
def cache(tmp_path):
    store = SegmentCache(tmp_path)
    store.put("ab" * 32, FRAMES * 10)
    return store


def test_an_entry_is_an_mp3_with_its_size_and_hash_in_front(cache):
    path = cache.get("ab" * 32)
    assert path == cache.path("ab" * 32)
    data = path.read_bytes()
    assert data.startswith(b"ID3\x03") and data.endswith(FRAMES * 10)
    assert cache.damaged == 0


@pytest.mark.parametrize("damage", ["truncated", "junk after the frames", "overwritten", "not ours", "empty"])
def test_a_damaged_entry_counts_as_missing(cache, damage):
    path = cache.path("ab" * 32)
    data = path.read_bytes()
    path.write_bytes({
        "truncated": data[: len(data) // 2],
        "junk after the frames": data + b"\x00junk" * 10,
        "overwritten": data[:-50] + b"\x01" * 50,
        "not ours": FRAMES * 10,
        "empty": b"",
    }[damage])
    assert cache.get("ab" * 32) is None and cache.damaged == 1
    assert cache.get("cd" * 32) is None and cache.damaged == 1  # missing is not damaged


def test_unwritable_cache_is_reported_as_the_cache(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    root = tmp_path / "a-file" / "cache"  # cannot be made, even by root
    with pytest.raises(OutputError) as info:
        SegmentCache(root).check_writable()
    assert info.value.folder_kind == "cache" and str(root) in str(info.value)
