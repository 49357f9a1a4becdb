"""`listen doctor`: what `listen` can use on this machine, and why not when it cannot."""

from __future__ import annotations

import json

import click

from . import printable


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def command(as_json: bool) -> None:
    """Check engines and voices, ffmpeg, the network, the cache and the config file."""
    from ..doctor import diagnose

    report = diagnose()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    for check in report["checks"]:
        mark = "ok " if check["ok"] else "-- "
        click.echo(printable(f"{mark} {check['name']:<10} {check['detail']}"))
