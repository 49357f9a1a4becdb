from __future__ import annotations

import pytest

from listen.audio.lrc import format_time, lrc_text, parse_lrc
from listen.audio.playlist import m3u8_text


@pytest.mark.parametrize(
    "seconds, text",
    [(0, "00:00.00"), (1.234, "00:01.23"), (1.235001, "00:01.24"), (59.999, "01:00.00"),
     (61.5, "01:01.50"), (3725.07, "62:05.07")],
)  # fmt: skip
def test_format_time(seconds, text):
    assert format_time(seconds) == text


def test_lrc_text_exact():
    text = lrc_text(
        [(0.0, "社評標題"), (2.4, "First paragraph,\nsecond line."), (65.125, "  spaced   out ")],
        title="Editorial",
        album="明報 (2025-05-12)",
        length_s=123.6,
    )
    assert text == (
        "[ti:Editorial]\n"
        "[al:明報 (2025-05-12)]\n"
        "[length: 02:04]\n"
        "[00:00.00]社評標題\n"
        "[00:02.40]First paragraph, second line.\n"
        "[01:05.12]spaced out\n"
    )


def test_lrc_minimal_and_monotonic():
    assert lrc_text([]) == ""
    text = lrc_text([(5.0, "a"), (4.0, "b"), (6.0, "c")])
    assert text == "[00:05.00]a\n[00:05.00]b\n[00:06.00]c\n"


def test_parse_lrc_roundtrip():
    lines = [(0.0, "標題"), (2.4, "one"), (61.25, "two"), (3600.5, "three")]
    assert parse_lrc(lrc_text(lines, title="T", album="A", length_s=3700)) == lines
    assert parse_lrc("[ar:x]\n[00:01.5]a\n[00:03]b\n[00:02.250][00:04.000]c\n") == [
        (1.5, "a"), (2.25, "c"), (3.0, "b"), (4.0, "c"),
    ]  # fmt: skip


def test_m3u8_exact():
    text = m3u8_text(
        [("alternating.mp3", 123.6, "社評 · Alternating"), ("pairs\\pair-01.mp3", 9.4, "Pair\n1"), ("english.mp3", 0.0, "E")]
    )
    assert text == (
        "#EXTM3U\n"
        "#EXTINF:124,社評 · Alternating\n"
        "alternating.mp3\n"
        "#EXTINF:9,Pair 1\n"
        "pairs/pair-01.mp3\n"
        "#EXTINF:0,E\n"
        "english.mp3\n"
    )
    assert m3u8_text([]) == "#EXTM3U\n"
