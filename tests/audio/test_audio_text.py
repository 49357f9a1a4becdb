from __future__ import annotations

import pytest

from listen.audio.lrc import format_time, lrc_text, parse_lrc
from listen.audio.playlist import m3u8_text
from listen.output.manifest import duration_label, whole_seconds


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
        length=duration_label(123.6),
    )
    assert text == (
        "[ti:Editorial]\n"
        "[al:明報 (2025-05-12)]\n"
        "[length:2:03]\n"
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
    assert parse_lrc(lrc_text(lines, title="T", album="A", length="1:01:40")) == lines
    assert parse_lrc("[ar:x]\n[00:01.5]a\n[00:03]b\n[00:02.250][00:04.000]c\n") == [
        (1.5, "a"), (2.25, "c"), (3.0, "b"), (4.0, "c"),
    ]  # fmt: skip


def test_m3u8_exact():
    text = m3u8_text(
        [("alternating.mp3", whole_seconds(123.6), "社評 · Alternating"), ("pairs\\pair-01.mp3", 9, "Pair\n1"),
         ("english.mp3", 0, "E")]
    )
    assert text == (
        "#EXTM3U\n"
        "#EXTINF:123,社評 · Alternating\n"
        "alternating.mp3\n"
        "#EXTINF:9,Pair 1\n"
        "pairs/pair-01.mp3\n"
        "#EXTINF:0,E\n"
        "english.mp3\n"
    )
    assert m3u8_text([]) == "#EXTM3U\n"


@pytest.mark.parametrize(
    "seconds, whole, label",
    [(0, 0, "0:00"), (0.999, 0, "0:00"), (5.9999999, 6, "0:06"), (59.999, 59, "0:59"), (60.0, 60, "1:00"),
     (349.512, 349, "5:49"), (3599.99, 3599, "59:59"), (3600.0, 3600, "1:00:00"), (3725.4, 3725, "1:02:05"),
     (-3, 0, "0:00")],
)  # fmt: skip
def test_one_duration_rounding(seconds, whole, label):
    # Rounded down, as a player's clock: its elapsed time reaches the length shown at the very end.
    assert whole_seconds(seconds) == whole
    assert duration_label(seconds) == label


def test_lrc_length_header_as_pylrc_reads_it():
    import pylrc
    text = lrc_text([(0.0, "標題"), (2.5, "one")], title="T", album="A", length=duration_label(350.2))
    assert "[length:5:50]\n" in text
    parsed = pylrc.parse(text)
    assert (parsed.title, parsed.album, parsed.length) == ("T", "A", "5:50")
    assert [(line.time, line.text) for line in parsed] == [(0.0, "標題"), (2.5, "one")]
