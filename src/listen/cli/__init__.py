"""The `listen` command line: thin commands over the library, and one place that maps errors.

Every command lives in its own module under `listen.cli` and exposes a click command named
`command`. `main` runs the group and turns any ListenError into one line on stderr and its
exit code; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading

import click

from ..errors import ListenError

COMMANDS = ("inspect", "build", "drill", "serve", "doctor")


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ListenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"listen: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("listen: interrupted; finished work is kept, run again to continue.", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(package_name="listen", prog_name="listen")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn bilingual English/Chinese editorials into listening material."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for _name in COMMANDS:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # command not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    cli.add_command(_module.command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="listen", standalone_mode=True)
    except KeyboardInterrupt:  # raised outside a command (e.g. while importing)
        click.echo("listen: interrupted.", err=True)
        _exit_now(130)
    except SystemExit as exc:
        if exc.code == 130:  # Ctrl-C, reported by the group
            _exit_now(130)
        raise


def _exit_now(code: int) -> None:
    """Exit without waiting for worker threads still inside an engine call (a hung request).

    Finished work is already on disk (every write is atomic); a temporary file such a thread
    leaves is hidden and removed by the next build.
    """
    if any(t.is_alive() and not t.daemon and t is not threading.main_thread() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
