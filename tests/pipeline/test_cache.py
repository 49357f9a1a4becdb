from listen.cache import SegmentCache, cache_key


def test_key_depends_on_every_part_and_normalises_whitespace():
    base = dict(text="Hello  world\n", engine="e", engine_version="1", voice="v", lang="en", speed=1.0)
    key = cache_key(**base)
    assert key == cache_key(**dict(base, text="Hello world"))
    for change in ({"text": "Hello"}, {"engine": "f"}, {"engine_version": "2"}, {"voice": "w"},
                   {"lang": "zh"}, {"speed": 1.1}):
        assert cache_key(**dict(base, **change)) != key


def test_damaged_entry_counts_as_missing(tmp_path):
    cache = SegmentCache(tmp_path)
    key = "ab" * 32
    assert cache.get(key) is None
    cache.put(key, b"\xff\xf3\x00\x00rest")
    assert cache.get(key) == cache.path(key)
    cache.path(key).write_bytes(b"<html>")
    assert cache.get(key) is None
    assert not list(cache.path(key).parent.glob(".*tmp"))
