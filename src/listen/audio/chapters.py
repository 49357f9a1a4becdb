"""Podcasting 2.0 JSON chapters (`<track>.chapters.json`) and plain-text transcripts (`<track>.txt`).

JSON chapters follow version 1.2.0 of the podcast namespace's chapters format: an object with
`version` and `chapters`, each chapter a `startTime` in seconds (ascending) with a `title`; a feed
links the file with `<podcast:chapters type="application/json+chapters">`. The transcript is what
the track says, one segment per line, a blank line where the track moves to the next unit (pair,
glossary entry).
"""

from __future__ import annotations

import json
from typing import Sequence

__all__ = ["CHAPTERS_TYPE", "chapters_json", "parse_chapters_json", "transcript_text"]

CHAPTERS_TYPE = "application/json+chapters"
CHAPTERS_VERSION = "1.2.0"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def chapters_json(chapters: Sequence[tuple[float, float, str]], *, title: str | None = None,
                  podcast: str | None = None, file_name: str | None = None) -> str:
    """The JSON chapters file of (start_s, end_s, title) chapters, in time order."""
    doc: dict = {"version": CHAPTERS_VERSION}
    if title:
        doc["title"] = _one_line(title)
    if podcast:
        doc["podcastName"] = _one_line(podcast)
    if file_name:
        doc["fileName"] = file_name
    doc["chapters"] = [
        {"startTime": round(float(start), 3), "endTime": round(float(end), 3), "title": _one_line(text)}
        for start, end, text in sorted(chapters, key=lambda c: c[0])
    ]
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def parse_chapters_json(text: str) -> list[tuple[float, str]]:
    """(startTime, title) of each chapter of a JSON chapters file. Raises ValueError."""
    doc = json.loads(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("chapters"), list):
        raise ValueError("not a JSON chapters file (no chapters list)")
    return [(float(c["startTime"]), str(c.get("title", ""))) for c in doc["chapters"]]


def transcript_text(units: Sequence[Sequence[str]], *, title: str | None = None) -> str:
    """Plain text: the title, then each unit's lines, units apart by a blank line."""
    blocks = [[_one_line(title)]] if title else []
    blocks += [[_one_line(line) for line in unit if _one_line(line)] for unit in units]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"
