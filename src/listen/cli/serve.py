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
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1; --lan binds every interface).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port; 0 picks a free one.")
@click.option("--lan", is_flag=True, help="Serve to the local network (IPv4 and IPv6) and print a URL + QR code for a phone.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable; .example.org: every name under it). "
                   "IP addresses, localhost and this machine's name are always answered.")
@click.option("--verbose", "-v", is_flag=True, help="Log every request.")
@feed_options
def command(directory: Path, host: str | None, port: int, lan: bool, allow_hosts: tuple[str, ...],
            verbose: bool, **feed) -> None:
    """Serve built articles in DIR (default: audio) as a web player and podcast feed.

    Open the printed URL; /feed.xml is a podcast feed of the articles' main tracks. Requests for
    other host names are refused (421), so web pages cannot read the library by DNS rebinding.
    """
    from ..config import load_config
    from ..output.library import scan
    from ..publish import server as publish_server
    from ..publish.hosts import check_pattern

    if lan and host:
        raise UsageError("Use either --lan or --host, not both (--lan means every interface, IPv4 and IPv6).")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is out of range; use 1-65535, or 0 for a free port.")
    config = load_config().with_options(**feed)
    check_feed_image(config)
    settings = config.feed
    for name in allow_hosts:
        if check_pattern(name) is None:
            raise UsageError(f"--allow-host {name!r} is not a host name; use a name such as nas.local, "
                             ".example.org for every name under it, or * for any.")
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

    bind = host or (publish_server.lan_host() if lan else "127.0.0.1")

    def refused(name: str) -> None:
        click.echo(printable(f"listen: warning: refused requests for the host name {name} (not a name of this "
                             f"server); if you reach it by that name, restart with --allow-host {name}."), err=True)

    try:
        server = publish_server.make_server(directory, bind, port, quiet=not verbose, feed=settings,
                                            allow_hosts=allow_hosts, on_refused=refused)
    except ValueError as exc:  # --host is not a name the allow-list takes
        raise UsageError(f"--host {bind!r} is not an address or a host name.") from exc
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
            v4 = publish_server.lan_address() if bind == "0.0.0.0" or server.dual_stack else None
            v6 = publish_server.lan_address6() if bind == "::" else None
            urls = [f"http://{v4}:{server.port}/"] if v4 else []
            urls += [f"http://[{v6}]:{server.port}/"] if v6 else []
            if urls:
                click.echo(f"On your phone (same Wi-Fi): {urls[0]}")
                if len(urls) > 1:
                    click.echo(f"                   or IPv6: {urls[1]}")
                code = _qr(urls[0])
                if code:
                    click.echo(code, nl=False)
            else:
                click.echo("No LAN address found: is this computer on a network? Use this machine's IP address with the port above.")
        click.echo("Press Ctrl+C to stop.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("\nStopped.")
