"""Drill tracks: one aligned pair on loop, optionally slower, with shadowing silences,
sentence by sentence, or in a pattern such as "hear Chinese, translate aloud, hear English".

Pattern tokens: `en`, `zh` (that side of the pair) and `gap` (a silence as long as the next
spoken part, at least 1.5 s, to say the translation aloud before hearing it).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

from .build import album_of, manifest_header, read_manifest, write_manifest, write_track
from .config import Config
from .engines.base import Engine, create_engine
from .errors import UsageError
from .model import Document
from .plan import Gap, Item, Segment, TrackPlan, spoken_chinese
from .synth import Progress, Synthesizer, speech_request

PATTERNS = {"en,zh", "zh,en", "en,zh,zh", "zh,gap,en", "en,gap,zh", "en", "zh"}
MIN_TRANSLATE_GAP_S = 1.5


@dataclass(frozen=True)
class DrillOptions:
    pair: int  # 1-based, as `listen inspect` numbers pairs
    repeat: int = 3
    lang: str = "both"  # en | zh | both
    pattern: str | None = None  # comma-separated tokens; default from `lang`
    speed: float | None = None  # both languages; None keeps the configured speeds
    shadow: bool = False  # after each spoken part, a silence as long as it
    sentences: bool = False  # sentence by sentence, each repeated `repeat` times

    def tokens(self) -> list[str]:
        if self.pattern and self.lang != "both":
            raise UsageError("Use --pattern or --lang, not both: the pattern already names the languages.")
        if self.pattern and self.sentences:
            tokens = [t.strip().lower() for t in self.pattern.split(",") if t.strip()]
            if sorted(tokens) != ["en", "zh"]:
                raise UsageError(
                    "With --sentences, --pattern only orders the languages: use en,zh or zh,en "
                    "(each sentence is repeated before the next)."
                )
        if self.pattern:
            tokens = [t.strip().lower() for t in self.pattern.split(",") if t.strip()]
            bad = [t for t in tokens if t not in ("en", "zh", "gap")]
            if bad or not any(t != "gap" for t in tokens):
                raise UsageError(
                    f"Invalid drill pattern {self.pattern!r}: use en, zh and gap separated by commas, "
                    f"e.g. {', '.join(sorted(PATTERNS))}."
                )
            return tokens
        if self.lang not in ("en", "zh", "both"):
            raise UsageError(f"--lang must be en, zh or both, not {self.lang!r}.")
        return ["en", "zh"] if self.lang == "both" else [self.lang]


@dataclass
class DrillResult:
    output: Path  # the drill MP3
    entry: dict  # its manifest entry
    synthesized: int
    cached: int

    def summary(self) -> dict:
        return {
            "output": str(self.output),
            "duration_s": self.entry["duration_s"],
            "synthesized": self.synthesized,
            "cached": self.cached,
        }


def make_drill(
    document: Document,
    config: Config,
    options: DrillOptions,
    *,
    engine: Engine | None = None,
    output: str | os.PathLike | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
    name: str | None = None,
) -> DrillResult:
    if options.repeat < 1 or options.repeat > 100:
        raise UsageError(f"--repeat must be between 1 and 100, not {options.repeat}.")
    count = len(document.pairs)
    if not 1 <= options.pair <= count:
        raise UsageError(
            f"There is no pair {options.pair}: {document.source} has {count} pair{'s' if count != 1 else ''} "
            "(numbered by `listen inspect`)."
        )
    tokens = options.tokens()
    if options.speed is not None:
        config = replace(config, speed_en=options.speed, speed_zh=options.speed).validate()
    index = options.pair - 1
    pair = document.pairs[index]
    chinese = spoken_chinese(document, config)

    sides: dict[str, list[Segment]] = {}
    for lang in ("en", "zh"):
        segments: list[Segment] = []
        for p in getattr(pair, lang):
            paragraph = getattr(document, lang)[p]
            if options.sentences:
                for k, sentence in enumerate(paragraph.sentences or (paragraph.text,)):
                    segments.append(Segment(f"{lang}-{p + 1:02d}-s{k + 1:02d}", lang, "sentence", sentence, p, index))
            else:
                segments.append(Segment(f"{lang}-{p + 1:02d}", lang, "paragraph", paragraph.text, p, index))
        sides[lang] = segments
    spoken = [t for t in tokens if t != "gap" and sides[t]]
    if not spoken:
        missing = " and ".join(sorted({t for t in tokens if t != "gap"}))
        raise UsageError(f"Pair {options.pair} has no {missing} text to drill; try --lang both.")

    engine = engine or create_engine(config.engine, config, notify=notify)
    synth = Synthesizer(engine, config, progress=progress)
    wanted = [s for lang in ("en", "zh") for s in sides[lang]]
    paths = synth.run([speech_request(s.text, s.lang, config, chinese=chinese, script=document.script) for s in wanted])
    audio = {s.id: p for s, p in zip(wanted, paths)}
    from .audio.mp3 import mp3_duration

    length = {s.id: mp3_duration(audio[s.id]) for s in wanted}
    items = _drill_items(tokens, sides, options, config, length)

    out_dir = Path(output if output is not None else config.output) / (name or document.name)
    label = album_of(document)
    track = TrackPlan(f"drills/pair-{options.pair:02d}", "drill", f"{label} · Drill pair {options.pair}", items)
    manifest = read_manifest(out_dir) or manifest_header(document, config, engine, chinese)
    old_entry = next((t for t in manifest["tracks"] if t["file"] == f"{track.path}.mp3"), None)
    previous = {"tracks": [old_entry]} if old_entry else None
    entry = write_track(track, audio, out_dir, album=label, artist=config.artist, date=document.date,
                        number=None, previous=previous)
    entry["options"] = asdict(options)  # so a rebuild can remake this drill when the text changes
    manifest["tracks"] = [t for t in manifest["tracks"] if t["file"] != entry["file"]] + [entry]
    write_manifest(out_dir, manifest)
    return DrillResult(out_dir / entry["file"], entry, synth.stats.synthesized, synth.stats.cached)


def _drill_items(tokens, sides, options: DrillOptions, config: Config, length: dict[str, float]) -> list[Item]:
    gap = Gap(config.gap_ms / 1000)
    pair_gap = Gap(config.pair_gap_ms / 1000)
    items: list[Item] = []

    def say(segment: Segment) -> None:
        if items and not isinstance(items[-1], Gap):
            items.append(gap)
        items.append(segment)
        if options.shadow:
            items.append(Gap(length[segment.id]))

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
                seconds = sum(length[s.id] for s in sides[upcoming]) if upcoming else 0.0
                if items:
                    items.append(Gap(max(seconds, MIN_TRANSLATE_GAP_S)))
                continue
            for segment in sides[token]:
                say(segment)
    # A leading gap token has nothing to precede; a trailing one would only add silence.
    while items and isinstance(items[-1], Gap) and not options.shadow:
        items.pop()
    return items
