"""Options and helpers shared by the commands that make audio (build, drill)."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator

import click

from ..config import Config, load_config


def voice_options(func: Callable) -> Callable:
    """--engine, --chinese, --accent, --speed-en/--speed-zh, --gap/--pair-gap, --zh-first, -o, --jobs."""
    options = [
        click.option("--engine", help="TTS engine: auto (default: gtts when reachable, else espeak), espeak or gtts."),
        click.option(
            "--chinese",
            type=click.Choice(["mandarin", "cantonese"]),
            help="Spoken Chinese. Default: Cantonese for Traditional-script text, Mandarin for Simplified.",
        ),
        click.option("--accent", help="English accent for gtts as a Google domain: com (US), co.uk, com.au, ca, co.in."),
        click.option("--speed-en", type=float, help="English speed, 0.5–2.0 (pitch kept). Default 1.0."),
        click.option("--speed-zh", type=float, help="Chinese speed, 0.5–2.0 (pitch kept). Default 1.0."),
        click.option("--gap", "gap_ms", type=int, help="Silence between segments of a pair, in ms. Default 700."),
        click.option("--pair-gap", "pair_gap_ms", type=int, help="Silence between pairs, in ms. Default 1500."),
        click.option("--zh-first/--en-first", "zh_first", default=None, help="Say Chinese before English in each pair."),
        click.option("-o", "--output", help="Output folder (default: audio). Each article gets a subfolder."),
        click.option("--jobs", type=int, help="Parallel workers: segments of a FILE (default: one per CPU), articles of a DIR (default 1)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_config(**options) -> Config:
    """The user's config with command-line options applied (None means "not given")."""
    config = load_config()
    names = {"engine", "chinese", "accent", "speed_en", "speed_zh", "gap_ms", "pair_gap_ms", "zh_first", "output", "jobs"}
    config = config.replace(**{k: v for k, v in options.items() if k in names}).validate()
    if config.engine != "auto":
        from ..engines.base import engine_class

        engine_class(config.engine)  # an unknown name fails now, listing the choices
    return config


def notifier(quiet: bool) -> Callable[[str], None]:
    def notify(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    return notify


class ProgressBar:
    """A progress bar on a terminal (stderr), nothing otherwise."""

    def __init__(self, label: str, enabled: bool):
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self._bar = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextlib.contextmanager
def with_progress(label: str, enabled: bool) -> Iterator[ProgressBar]:
    """`with with_progress("Synthesizing", enabled) as progress:` — the bar closes on exit."""
    bar = ProgressBar(label, enabled)
    try:
        yield bar
    finally:
        bar.close()


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


