"""The `listen` command line: thin commands over the library, and one place that maps errors.

Every command lives in its own module under `listen.cli` and exposes a click command named
`command`; a module is imported only when its command runs, so `listen --version` and
`listen --help` load no audio, engine or server code. `main` runs the group and turns any
ListenError into one line on stderr (with how to fix it from the command line) and its exit
code; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading

import click

from .. import __version__
from ..errors import ListenError

# name -> one-line help (shown by `listen --help` without importing the command).
COMMANDS = {
    "inspect": "Show what listen finds in a text: titles, date, paragraphs, pairs, glossary.",
    "build": "Build listening tracks for a text file, or for every text file in a folder.",
    "drill": "Write a drill track that loops one pair of a text.",
    "serve": "Serve built articles as a web player and podcast feed.",
    "export": "Export built articles: `export anki` writes an Anki deck with audio.",
    "doctor": "Check engines, ffmpeg, the network, the cache and the config file.",
}


def printable(text: str) -> str:
    """`text` safe for any terminal encoding: bytes of a file name that were not UTF-8 become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"{__name__}.{name}").command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl(list(COMMANDS.items()))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ListenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            from .hints import explain

            click.echo(printable(f"listen: error: {explain(exc)}"), err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            # One line, like every other error: what is wrong, and where the help is.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = exc.ctx.command_path if exc.ctx is not None and exc.ctx.command is not self else ctx.command_path
            click.echo(printable(f"listen: error: {exc.format_message()} See '{where} --help'."), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("listen: interrupted; finished work is kept, run again to continue.", err=True)
            ctx.exit(130)


@click.group("listen", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(__version__, prog_name="listen")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn bilingual English/Chinese editorials into listening material."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


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
