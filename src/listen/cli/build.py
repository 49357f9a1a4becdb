"""`listen build FILE|DIR`: synthesize, stitch and tag everything into audio/<name>/."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ListenError, UsageError
from . import printable
from ._common import Reporter, check_feed_image, feed_options, format_duration, make_config, voice_options


@click.command("build")
@click.argument("source", metavar="FILE|DIR")
@voice_options
@click.option("--encoding", help="Force the input encoding (e.g. big5, gb18030, utf-16).")
@click.option("--pairs", help="Override the alignment, e.g. '-:1, 1:2, 2+3:4' (see README).")
@click.option("--drills", is_flag=True, help="Also write a drill track for every pair (defaults of listen drill).")
@click.option("--base-url", help="Also write the podcast feeds (feed.xml, ...) and covers in the output folder, "
                                "for that folder published at this URL (listen serve of it answers the same URLs).")
@feed_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of text.")
def command(source: str, encoding, pairs, drills: bool, base_url, as_json: bool, **options) -> None:
    """Build listening tracks for FILE (a text file, or - for stdin), or for every text file in DIR.

    With DIR, --jobs is the number of articles built at once; unchanged articles are skipped.
    """
    config = make_config(**options)
    if base_url is not None:
        _check_base_url(base_url)
        check_feed_image(config)
    failure = None
    if source != "-" and Path(source).is_dir():
        if pairs:
            raise UsageError(
                "--pairs applies to one file; for a folder, put each file's pairs in a <file>.pairs sidecar."
            )
        failure = _build_folder(Path(source), config, options.get("jobs"), as_json, encoding, drills)
    else:
        _build_file(source, config, encoding, pairs, drills, as_json)
    if base_url:
        from ..publish.cover import font_note
        from ..publish.site import write_site

        feeds = write_site(Path(config.output.dir), base_url, config.feed)
        if not as_json:
            click.echo(printable(f"Wrote {', '.join(str(p) for p in feeds)} and their covers for {base_url}"))
            note = font_note()
            if note:
                click.echo(printable(f"warning: {note}"), err=True)
    if failure:
        raise failure


def _check_base_url(url: str) -> None:
    """A usage error now, before any text is read or engine reached, for a URL a feed cannot use."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"--base-url {url!r} is not a web address; give where the output folder is published, "
                         "e.g. https://example.org/audio/")


def _build_file(source: str, config, encoding, pairs, drills: bool, as_json: bool) -> None:
    from ..build.builder import build
    from ..build.documents import load_document_cached

    document = load_document_cached(source, encoding=encoding, pairs=pairs, cache_dir=config.output.cache_path,
                                    max_bytes=config.input.max_bytes)
    with Reporter(quiet=as_json) as reporter:
        result = build(document, config, on_event=reporter, drills=drills)
    if as_json:
        click.echo(json.dumps(dict(result.summary(), warnings=reporter.warnings), ensure_ascii=False))
        return
    files = len(result.article.files())
    engines = ", ".join(sorted(set(result.engines.values())))
    for line in result.voices:
        click.echo(printable(line))
    for line in result.advice:
        click.echo(printable(f"note: {line}"), err=True)
    click.echo(printable(
        f"Built {result.output}: {files} files, main track {format_duration(result.duration_s)}; "
        f"synthesized {result.synthesized}, cached {result.cached}; engine {engines}."
    ))


def _build_folder(root: Path, config, jobs: int | None, as_json: bool, encoding, drills: bool) -> ListenError | None:
    from ..build.library import build_library

    def report(outcome) -> None:
        if as_json:
            return
        if outcome.status == "failed":
            click.echo(printable(f"failed   {outcome.source}: {outcome.message}"), err=True)
        elif outcome.status == "skipped":
            click.echo(printable(f"skipped  {outcome.source} (unchanged)"))
        else:
            click.echo(printable(f"built    {outcome.source} (synthesized {outcome.synthesized}, cached {outcome.cached})"))
            for warning in outcome.warnings:
                click.echo(printable(f"warning: {outcome.source}: {warning}"), err=True)

    with Reporter(quiet=as_json) as reporter:
        result = build_library(root, config, jobs=jobs or 1, report=report, on_event=reporter,
                               encoding=encoding, drills=drills)
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
    else:
        click.echo(printable(
            f"Library {result.output}: built {result.count('built')}, skipped {result.count('skipped')}, "
            f"failed {result.count('failed')}."
        ))
    if result.failed:
        first = result.failed[0]
        more = f" (and {len(result.failed) - 1} more)" if len(result.failed) > 1 else ""
        return _Failed(f"{len(result.failed)} file(s) failed; first: {first.source}: {first.message}{more}")
    return None


class _Failed(ListenError):
    exit_code = 1
