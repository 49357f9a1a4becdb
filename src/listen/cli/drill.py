"""`listen drill FILE PAIR`: a track that loops one aligned pair."""

from __future__ import annotations

import json

import click

from ..drill import DrillOptions, make_drill
from ..errors import UsageError
from ..text import load_document
from ._common import format_duration, make_config, notifier, voice_options, with_progress


@click.command("drill")
@click.argument("source", metavar="FILE")
@click.argument("pair", type=int)
@click.option("--repeat", "-n", type=int, default=3, show_default=True, help="How many times to repeat.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both", show_default=True,
              help="Which side of the pair to drill.")
@click.option("--pattern", help="Order within one repetition: en,zh | zh,en | en,zh,zh | zh,gap,en (gap = time "
              "to translate aloud). With --sentences: en,zh or zh,en. Replaces --lang.")
@click.option("--speed", type=float, help="Speed of both languages, 0.5–2.0 (pitch kept).")
@click.option("--shadow", is_flag=True, help="After each part, a silence as long as it, to repeat aloud.")
@click.option("--sentences", is_flag=True, help="Sentence by sentence: each sentence repeated before the next.")
@click.option("--encoding", help="Force the input encoding.")
@click.option("--pairs", help="Override the alignment (as in listen build).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@voice_options
def command(source, pair, repeat, lang, pattern, speed, shadow, sentences, encoding, pairs, as_json, **options):
    """Write a drill track for PAIR of FILE (pairs numbered as `listen inspect` shows)."""
    config = make_config(**options)
    if speed is not None and not 0.5 <= speed <= 2.0:  # else it is reported as speed-en
        raise UsageError(f"--speed must be between 0.5 and 2.0, not {speed}.")
    document = load_document(source, encoding=encoding, pairs=pairs)
    drill = DrillOptions(pair=pair, repeat=repeat, lang=lang, pattern=pattern, speed=speed,
                         shadow=shadow, sentences=sentences)
    with with_progress("Synthesizing", enabled=not as_json) as progress:
        result = make_drill(document, config, drill, progress=progress, notify=notifier(as_json))
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
    else:
        click.echo(f"Wrote {result.output} ({format_duration(result.entry['duration_s'])}); "
                   f"synthesized {result.synthesized}, cached {result.cached}.")
