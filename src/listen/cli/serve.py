"""`listen serve [DIR]`: the web player and podcast feed for built articles, for a phone on the same Wi-Fi."""

from __future__ import annotations

import errno
from pathlib import Path

import click

from ..errors import InputError, UsageError
from . import printable
from ._common import check_feed_image, feed_options


def _qr(text: str) -> str | None:
    """A QR code of `text` for the terminal (Unicode half blocks), or None without segno."""
    try:
        import io

        import segno
    except ImportError:
        return None
    out = io.StringIO()
    segno.make(text, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue()


@click.command("serve")
@click.argument("directory", metavar="[DIR]", required=False, default="audio", type=click.Path(path_type=Path))
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1; --lan binds 0.0.0.0).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port; 0 picks a free one.")
@click.option("--lan", is_flag=True, help="Serve to the local network and print a URL + QR code for a phone.")
@click.option("--verbose", "-v", is_flag=True, help="Log every request.")
@feed_options
def command(directory: Path, host: str | None, port: int, lan: bool, verbose: bool, **feed) -> None:
    """Serve built articles in DIR (default: audio) as a web player and podcast feed.

    Open the printed URL; /feed.xml is a podcast feed of the articles' main tracks.
    """
    from ..config import load_config
    from ..output.library import scan
    from ..publish import server as publish_server

    if lan and host:
        raise UsageError("Use either --lan or --host, not both (--lan means --host 0.0.0.0).")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is out of range; use 1-65535, or 0 for a free port.")
    config = load_config().with_options(**feed)
    check_feed_image(config)
    settings = config.feed
    if not directory.exists():
        raise InputError(f"{directory} does not exist; build an article first (listen build FILE) or name the folder to serve.")
    if not directory.is_dir():
        raise InputError(f"{directory} is not a folder; pass the folder that holds the built articles (default: audio).")
    warnings: list[str] = []
    articles = scan(directory, on_warning=warnings.append)
    for message in warnings:
        click.echo(printable(f"listen: warning: {message}"), err=True)
    if not articles:
        raise InputError(f"No built articles in {directory} (no */manifest.json); run listen build FILE first.")

    bind = host or ("0.0.0.0" if lan else "127.0.0.1")
    try:
        server = publish_server.make_server(directory, bind, port, quiet=not verbose, feed=settings)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"Port {port} on {bind} is already in use; choose another with --port (0 picks a free one).") from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(f"Not allowed to listen on {bind}:{port}; use a port above 1023.") from exc
        raise UsageError(f"Cannot listen on {bind}:{port}: {exc.strerror or exc}.") from exc

    with server:
        count = len(articles)
        click.echo(printable(f"Serving {count} article{'s' if count != 1 else ''} from {directory} at {server.url}"), nl=True)
        click.echo(f"Podcast feed: {server.url}feed.xml")
        if lan or bind in ("0.0.0.0", "::"):
            address = publish_server.lan_address()
            if address:
                lan_url = f"http://{address}:{server.port}/"
                click.echo(f"On your phone (same Wi-Fi): {lan_url}")
                code = _qr(lan_url)
                if code:
                    click.echo(code, nl=False)
            else:
                click.echo("No LAN address found: is this computer on a network? Use this machine's IP address with the port above.")
        click.echo("Press Ctrl+C to stop.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("\nStopped.")
