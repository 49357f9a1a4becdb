"""WebVTT and SRT subtitles (webvtt-py): one cue per sentence, at the times of the track."""

from __future__ import annotations

import io
from typing import Sequence

__all__ = ["Cue", "vtt_text", "srt_text"]

Cue = tuple[float, float, str]  # start_s, end_s, text


def _stamp(seconds: float) -> str:
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _captions(cues: Sequence[Cue]):
    from webvtt import WebVTT, Caption

    doc = WebVTT()
    for start, end, text in cues:
        doc.captions.append(Caption(_stamp(start), _stamp(max(end, start)), " ".join(text.split())))
    return doc


def vtt_text(cues: Sequence[Cue]) -> str:
    buf = io.StringIO()
    _captions(cues).write(buf, format="vtt")
    return buf.getvalue().rstrip("\n") + "\n"


def srt_text(cues: Sequence[Cue]) -> str:
    buf = io.StringIO()
    _captions(cues).write(buf, format="srt")
    return buf.getvalue().rstrip("\n") + "\n"
