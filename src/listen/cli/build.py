"""`listen build FILE`: synthesize, stitch and tag everything into audio/<name>/."""

from __future__ import annotations

import json

import click

from ..build import build
from ..text import load_document
from ._common import format_duration, make_config, notifier, voice_options, with_progress


@click.command("build")
@click.argument("source", metavar="FILE")
@voice_options
@click.option("--encoding", help="Force the input encoding (e.g. big5, gb18030, utf-16).")
@click.option("--pairs", help="Override the alignment, e.g. '-:1, 1:2, 2+3:4' (see README).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of text.")
def command(source: str, encoding: str | None, pairs: str | None, as_json: bool, **options) -> None:
    """Build listening tracks for FILE (a text file, or - for stdin)."""
    config = make_config(**options)
    document = load_document(source, encoding=encoding, pairs=pairs)
    for warning in document.warnings:
        if not as_json:
            click.echo(f"warning: {warning}", err=True)
    with with_progress("Synthesizing", enabled=not as_json) as progress:
        result = build(document, config, progress=progress, notify=notifier(as_json))
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
        return
    tracks = result.manifest["tracks"]
    click.echo(
        f"Built {result.output}: {len(tracks)} files, main track {format_duration(result.duration_s)}; "
        f"synthesized {result.synthesized}, cached {result.cached} ({result.engine})."
    )
