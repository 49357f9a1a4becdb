"""As heard: every segment at -16 LUFS (each pair's English and Chinese within 1 LU), and the
silence between two sounds is the gap asked for, to the frame (24 ms). Decoded from built MP3s."""

from __future__ import annotations

import json

import pytest

from listen.build.builder import build
from listen.config import load_config
from listen.text import load_document
from support.heard import heard_gaps, segment_loudness

FRAME_S = 0.024

# Written for these tests.
TEXT = """\
Night Buses
夜間巴士

The night bus network will add four routes in May.
夜間巴士網絡將於五月新增四條路線。

Drivers say the late shifts are hard, but the pay is better.
司機表示夜班辛苦，但薪金較高。

Passengers welcomed the news on Monday.
乘客週一對消息表示歡迎。
"""


def _gaps_are_as_asked(track: dict, gaps: list[float], gap_s: float, pair_gap_s: float, within: float) -> None:
    segments = track["segments"]
    for a, b, heard in zip(segments, segments[1:], gaps):
        asked = gap_s if a.get("pair") is not None and a.get("pair") == b.get("pair") else pair_gap_s
        assert abs(heard - asked) <= within, (a["id"], b["id"], heard, asked)


def _build(tmp_path, engine: str, gap_ms: int, pair_gap_ms: int):
    source = tmp_path / "buses.txt"
    source.write_text(TEXT, "utf-8")
    config = load_config().with_options(engine=engine, output=str(tmp_path / "out"), gap_ms=gap_ms,
                                        pair_gap_ms=pair_gap_ms)
    return build(load_document(str(source)), config).output


def _check(out, gap_ms: int, pair_gap_ms: int, within: float = FRAME_S) -> None:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    track = manifest["tracks"][0]
    assert track["kind"] == "alternating"
    loudness = segment_loudness(out / track["file"], track)
    assert all(abs(value - -16) <= 1.0 for value in loudness), [(s["id"], round(v, 2)) for s, v in zip(track["segments"], loudness)]
    by_pair: dict = {}
    for segment, value in zip(track["segments"], loudness):
        if segment.get("pair") is not None:
            by_pair.setdefault(segment["pair"], {})[segment["lang"]] = value
    assert len(by_pair) == 3
    for pair in by_pair.values():
        assert abs(pair["en"] - pair["zh"]) <= 1.0, by_pair
    _gaps_are_as_asked(track, heard_gaps(out / track["file"], track), gap_ms / 1000, pair_gap_ms / 1000, within)


@pytest.mark.parametrize("gap_ms, pair_gap_ms", [(700, 1500), (250, 400)])
def test_fake_engine_levels_and_gaps_as_heard(fake_engine, tmp_path, gap_ms, pair_gap_ms):
    # The fake engine speaks English 8.5 dB louder than Chinese.
    _check(_build(tmp_path, "fake", gap_ms, pair_gap_ms), gap_ms, pair_gap_ms)


@pytest.mark.slow
def test_real_voices_levels_and_gaps_as_heard(tmp_path):
    """The offline default: piper English, espeak Cantonese. A voice's breath fades out over a few
    ms around the threshold, so the end of its sound is known to a frame and a half."""
    _check(_build(tmp_path, "auto", 700, 1500), 700, 1500, within=1.5 * FRAME_S)
