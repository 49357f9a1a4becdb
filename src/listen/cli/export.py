"""`listen export anki FILE|DIR... [-o deck.apkg]`: built articles as an Anki deck."""

from __future__ import annotations

from pathlib import Path

import click

from . import printable


@click.group("export")
def command() -> None:
    """Export built articles to other tools."""


@command.command("anki")
@click.argument("sources", metavar="FILE|DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="The deck to write (default: NAME.apkg, after the article or library folder).")
def anki(sources: tuple[Path, ...], output: Path | None) -> None:
    """Write an Anki deck (.apkg): a note per sentence pair and per glossary term, with their audio
    and the reading (Jyutping or pinyin) on the Chinese side.

    FILE|DIR is a built article folder (audio/NAME), its manifest.json, or a library folder (every
    article below it). Importing a new export of the same articles updates their notes.
    """
    from ..export.anki import export_anki

    if output is None:
        first = sources[0].parent if sources[0].name == "manifest.json" else sources[0]
        output = Path(f"{first.resolve().name or 'listen'}.apkg")
    result = export_anki(sources, output)
    articles = f"{result.articles} article{'s' if result.articles != 1 else ''}"
    click.echo(printable(f"Wrote {result.path}: {result.sentences} sentence pairs and {result.terms} glossary terms "
                         f"from {articles}, {result.media} audio files."))
