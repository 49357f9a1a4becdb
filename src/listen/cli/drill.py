"""`listen drill FILE PAIR`: a track that loops one aligned pair."""

from __future__ import annotations

import json

import click

from . import printable
from ._common import SPEED, Reporter, format_duration, make_config, voice_options


@click.command("drill")
@click.argument("source", metavar="FILE")
@click.argument("pair", type=int)
@click.option("--repeat", "-n", type=click.IntRange(1, 100), default=3, show_default=True, help="How many times to repeat.")
@click.option("--lang", type=click.Choice(["en", "zh", "both"]), default="both", show_default=True,
              help="Which side of the pair to drill.")
@click.option("--pattern", help="Order within one repetition: en,zh | zh,en | en,zh,zh | zh,gap,en (gap = time "
              "to translate aloud). With --sentences: en,zh or zh,en. Replaces --lang.")
@click.option("--speed", type=SPEED, help="Speed of both languages, 0.5–2.0 (pitch kept).")
@click.option("--shadow", is_flag=True, help="After each part, a silence as long as it, to repeat aloud.")
@click.option("--sentences", is_flag=True, help="Sentence by sentence: each sentence repeated before the next.")
@click.option("--sentence", "sentence", type=click.IntRange(min=1), metavar="K",
              help="Loop sentence bead K of the pair (numbered by `listen inspect`), not the whole pair.")
@click.option("--encoding", help="Force the input encoding.")
@click.option("--pairs", help="Override the alignment (as in listen build).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@voice_options
def command(source, pair, repeat, lang, pattern, speed, shadow, sentences, sentence, encoding, pairs, as_json,
            **options):
    """Write a drill track for PAIR of FILE (pairs numbered as `listen inspect` shows).

    Each variant gets its own file, named after its options (drills/pair-03.mp3, drills/pair-03-s2.mp3,
    drills/pair-03-zh-gap-en-x5.mp3, ...); a rebuild of the text remakes them all.
    """
    from ..build.builder import drill
    from ..plan.drill import DrillOptions
    from ..build.documents import load_document_cached

    config = make_config(**options)
    plan = DrillOptions(pair=pair, repeat=repeat, lang=lang, pattern=pattern, speed=speed,
                        shadow=shadow, sentences=sentences, sentence=sentence)
    document = load_document_cached(source, encoding=encoding, pairs=pairs, cache_dir=config.output.cache_path,
                                    max_bytes=config.input.max_bytes)
    with Reporter(quiet=as_json) as reporter:
        result, track = drill(document, config, plan, on_event=reporter)
    output = result.output / track.file
    if as_json:
        click.echo(json.dumps({"output": str(output), "duration_s": track.duration_s,
                               "synthesized": result.synthesized, "cached": result.cached,
                               "warnings": reporter.warnings}, ensure_ascii=False))
    else:
        click.echo(printable(f"Wrote {output} ({format_duration(track.duration_s)}); "
                             f"synthesized {result.synthesized}, cached {result.cached}."))
