"""Drill tracks: one aligned pair on loop, optionally slower, with shadowing silences, sentence by
sentence, or in a pattern such as "hear Chinese, translate aloud, hear English".

Pattern tokens: `en`, `zh` (that side of the pair) and `gap` (a silence as long as the next
spoken part, at least 1.5 s, to say the translation aloud before hearing it). Pure planning:
`plan_drill` returns a TrackPlan whose echo silences the builder sizes from the audio.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping

from ..config import SPEED_RANGE, TimingSettings
from ..errors import UsageError
from ..model import Document
from ..output.manifest import track_title
from .article import bead_segments, label_of
from .items import Echo, Gap, Item, Segment, TrackPlan

__all__ = ["DrillOptions", "PATTERNS", "MIN_TRANSLATE_GAP_S", "plan_drill", "drill_path", "drill_label"]

PATTERNS = ("en,zh", "zh,en", "en,zh,zh", "zh,gap,en", "en,gap,zh", "en", "zh")
MIN_TRANSLATE_GAP_S = 1.5
MAX_REPEAT = 100


@dataclass(frozen=True)
class DrillOptions:
    """How to drill one pair; checked once, when made."""

    pair: int  # 1-based, as `listen inspect` numbers pairs
    repeat: int = 3
    lang: str = "both"  # en | zh | both
    pattern: str | None = None  # comma-separated tokens; default from `lang`
    speed: float | None = None  # both languages; None keeps the article's speeds
    shadow: bool = False  # after each spoken part, a silence as long as it
    sentences: bool = False  # sentence by sentence, each repeated `repeat` times
    sentence: int | None = None  # loop this sentence bead of the pair (1-based), not the whole pair

    def __post_init__(self) -> None:
        if self.sentence is not None and self.sentence < 1:
            raise UsageError(f"--sentence must be 1 or more (beads as `listen inspect` numbers them), not {self.sentence}.")
        if self.sentence is not None and self.sentences:
            raise UsageError("Use --sentence K (one bead) or --sentences (all, one by one), not both.")
        if not 1 <= self.repeat <= MAX_REPEAT:
            raise UsageError(f"--repeat must be between 1 and {MAX_REPEAT}, not {self.repeat}.")
        if self.lang not in ("en", "zh", "both"):
            raise UsageError(f"--lang must be en, zh or both, not {self.lang!r}.")
        lo, hi = SPEED_RANGE
        if self.speed is not None and not lo <= self.speed <= hi:
            raise UsageError(f"--speed must be between {lo} and {hi}, not {self.speed:g}.")
        if self.pattern is not None:
            if self.lang != "both":
                raise UsageError("Use --pattern or --lang, not both: the pattern already names the languages.")
            tokens = self.tokens
            if any(t not in ("en", "zh", "gap") for t in tokens) or not any(t != "gap" for t in tokens):
                raise UsageError(
                    f"Invalid drill pattern {self.pattern!r}: use en, zh and gap separated by commas, "
                    f"e.g. {', '.join(sorted(PATTERNS))}."
                )
            if self.sentences and sorted(tokens) != ["en", "zh"]:
                raise UsageError(
                    "With --sentences, --pattern only orders the languages: use en,zh or zh,en "
                    "(each sentence is repeated before the next)."
                )

    @property
    def tokens(self) -> list[str]:
        return self.tokens_for(("en", "zh"))

    def tokens_for(self, order: tuple[str, str]) -> list[str]:
        """The pattern's tokens; without a pattern, the languages in `order` (the article's)."""
        if self.pattern is not None:
            return [t.strip().lower() for t in self.pattern.split(",") if t.strip()]
        return list(order) if self.lang == "both" else [self.lang]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "DrillOptions":
        known = {"pair", "repeat", "lang", "pattern", "speed", "shadow", "sentences", "sentence"}
        return cls(**{k: v for k, v in data.items() if k in known})


def drill_path(options: DrillOptions) -> str:
    """The drill's file (without extension); the name says the variant, so variants of one pair
    live side by side: drills/pair-03.mp3 (the default), drills/pair-03-s2-x5-shadow.mp3, ..."""
    parts = [f"pair-{options.pair:02d}"]
    if options.sentence is not None:
        parts.append(f"s{options.sentence}")
    if options.sentences:
        parts.append("sentences")
    if options.pattern is not None:
        parts.append("-".join(options.tokens))
    elif options.lang != "both":
        parts.append(options.lang)
    if options.repeat != DrillOptions.__dataclass_fields__["repeat"].default:
        parts.append(f"x{options.repeat}")
    if options.speed is not None:
        parts.append(f"{options.speed:g}x")
    if options.shadow:
        parts.append("shadow")
    return "drills/" + "-".join(parts)


def drill_label(options: DrillOptions) -> str:
    """How a drill is named in titles and the player: "Drill pair 3", "Drill pair 3 · sentence 2 · ×5"."""
    parts = [f"Drill pair {options.pair}"]
    if options.sentence is not None:
        parts.append(f"sentence {options.sentence}")
    if options.sentences:
        parts.append("sentence by sentence")
    if options.pattern is not None:
        parts.append(" ".join(options.tokens))
    elif options.lang != "both":
        parts.append({"en": "English", "zh": "中文"}[options.lang])
    if options.repeat != DrillOptions.__dataclass_fields__["repeat"].default:
        parts.append(f"×{options.repeat}")
    if options.speed is not None:
        parts.append(f"{options.speed:g}×")
    if options.shadow:
        parts.append("shadowing")
    return " · ".join(parts)


def plan_drill(document: Document, options: DrillOptions, timing: TimingSettings,
               order: tuple[str, str] = ("en", "zh")) -> TrackPlan:
    """The drill track of `options.pair` (UsageError when there is no such pair, bead or side);
    without a pattern the languages come in `order` (the article's pair order)."""
    count = len(document.pairs)
    if not 1 <= options.pair <= count:
        raise UsageError(
            f"There is no pair {options.pair}: {document.source_name} has {count} pair{'s' if count != 1 else ''} "
            "(numbered by `listen inspect`)."
        )
    index = options.pair - 1
    pair = document.pairs[index]
    sides: dict[str, list[Segment]] = {}
    if options.sentence is not None:
        beads = pair.beads or ()
        if not 1 <= options.sentence <= len(beads):
            raise UsageError(f"Pair {options.pair} has no sentence {options.sentence}: it has {len(beads)} "
                             f"sentence bead{'s' if len(beads) != 1 else ''} (numbered by `listen inspect`).")
        for lang in ("en", "zh"):
            sides[lang] = bead_segments(document, index, options.sentence - 1, lang)
    for lang in ("en", "zh") if options.sentence is None else ():
        segments: list[Segment] = []
        for p in getattr(pair, lang):
            paragraph = getattr(document, lang)[p]
            if options.sentences:
                for k, sentence in enumerate(paragraph.sentences or (paragraph.text,)):
                    segments.append(Segment(f"{lang}-{p + 1:02d}-s{k + 1:02d}", lang, "sentence", sentence, p, index, k))
            else:
                segments.append(Segment(f"{lang}-{p + 1:02d}", lang, "paragraph", paragraph.text, p, index,
                                        parts=tuple(paragraph.sentences) if len(paragraph.sentences) > 1 else ()))
        sides[lang] = segments
    tokens = options.tokens_for(order)
    if not [t for t in tokens if t != "gap" and sides[t]]:
        missing = " and ".join(sorted({t for t in tokens if t != "gap"}))
        what = f"Sentence {options.sentence} of pair {options.pair}" if options.sentence else f"Pair {options.pair}"
        raise UsageError(f"{what} has no {missing} text to drill; try --lang both.")
    items = _drill_items(tokens, sides, options, timing)
    title = track_title(label_of(document), drill_label(options))
    return TrackPlan(drill_path(options), "drill", title, items, options=options.to_json(), speed=options.speed)


def _drill_items(tokens: list[str], sides: dict[str, list[Segment]], options: DrillOptions,
                 timing: TimingSettings) -> list[Item]:
    gap = Gap(timing.gap_ms / 1000)
    pair_gap = Gap(timing.pair_gap_ms / 1000)
    items: list[Item] = []

    sentence_gap = Gap(timing.sentence_gap_ms / 1000)

    def say(segment: Segment) -> None:
        if items and not isinstance(items[-1], (Gap, Echo)):
            # The sentences of one side of a bead run on with the sentence gap.
            same_side = options.sentence is not None and isinstance(items[-1], Segment) and items[-1].lang == segment.lang
            items.append(sentence_gap if same_side else gap)
        items.append(segment)
        if options.shadow:
            items.append(Echo((segment.id,)))

    if options.sentences:
        # Each sentence `repeat` times before the next; languages in the pattern's order.
        for lang in dict.fromkeys(t for t in tokens if t != "gap"):
            for sentence in sides[lang]:
                for _ in range(options.repeat):
                    say(sentence)
        return items

    for rep in range(options.repeat):
        if rep:
            items.append(pair_gap)
        for position, token in enumerate(tokens):
            if token == "gap":
                upcoming = next((t for t in tokens[position + 1:] if t != "gap" and sides[t]), None)
                if items:
                    spoken = tuple(s.id for s in sides[upcoming]) if upcoming else ()
                    items.append(Echo(spoken, minimum_s=MIN_TRANSLATE_GAP_S))
                continue
            for segment in sides[token]:
                say(segment)
    # A leading gap token has nothing to precede; a trailing one would only add silence.
    while items and isinstance(items[-1], (Gap, Echo)) and not options.shadow:
        items.pop()
    return items
