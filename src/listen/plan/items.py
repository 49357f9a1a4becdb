"""What a track is made of: spoken segments and silences, in order, with a title.

Plans are pure data. A silence is either fixed (`Gap`) or as long as some spoken segments
(`Echo`: time to repeat or translate aloud), which the builder resolves once the segments'
audio exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Union

__all__ = ["Segment", "Gap", "Echo", "Item", "TrackPlan", "spaced"]


@dataclass(frozen=True)
class Segment:
    id: str  # unique within an article, e.g. "en-01", "title-zh", "glossary-02-term", "en-01-s02"
    lang: str  # "en" | "zh"
    role: str  # "title" | "paragraph" | "sentence" | "glossary"
    text: str
    paragraph: int | None = None  # 0-based paragraph index in its language
    pair: int | None = None  # 0-based pair index
    sentence: int | None = None  # a sentence segment's index in its paragraph
    # A paragraph spoken sentence by sentence: each part is synthesized (and cached) on its own and
    # the parts are joined with the sentence gap. Empty: `text` is spoken as one piece.
    parts: tuple[str, ...] = ()

    @property
    def pieces(self) -> tuple[str, ...]:
        """What is synthesized: the parts, or the whole text."""
        return self.parts or (self.text,)


@dataclass(frozen=True)
class Gap:
    seconds: float


@dataclass(frozen=True)
class Echo:
    """A silence as long as the segments `of` take to say (`factor` times), at least `minimum_s`."""

    of: tuple[str, ...]
    factor: float = 1.0
    minimum_s: float = 0.0


Item = Union[Segment, Gap, Echo]


@dataclass(frozen=True)
class TrackPlan:
    path: str  # relative file path without extension, e.g. "alternating", "pairs/pair-01"
    kind: str  # one of listen.output.manifest.KINDS
    title: str
    items: tuple[Item, ...]
    options: Mapping[str, Any] | None = field(default=None)  # how to make it again (drills)
    speed: float | None = None  # both languages at this speed (drills); None: the article's

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        if self.options is not None:
            object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @property
    def segments(self) -> list[Segment]:
        return [item for item in self.items if isinstance(item, Segment)]


def spaced(segments: list[Segment], gap: Gap) -> list[Item]:
    """`segments` with `gap` between each two."""
    items: list[Item] = []
    for segment in segments:
        if items:
            items.append(gap)
        items.append(segment)
    return items
