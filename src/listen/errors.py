"""One exception hierarchy: the CLI maps every ListenError to one line and an exit code.

Errors raised below the CLI speak of what went wrong in the library's own terms (an engine, a
setting, a file); `listen.cli` adds how to fix it with the command line (`hint`).
"""

from __future__ import annotations


class ListenError(Exception):
    """Base of every error `listen` reports to a user (one readable line)."""

    exit_code = 1


class InputError(ListenError):
    """The input file cannot be read or is not a bilingual text (bad path, binary, empty, undecodable)."""

    exit_code = 2


class InputTooLarge(InputError):
    """The input holds more than the read limit (`max_input_mb`); `limit_bytes` is that limit."""

    def __init__(self, message: str, *, limit_bytes: int):
        super().__init__(message)
        self.limit_bytes = limit_bytes


class UsageError(ListenError):
    """An option or argument is invalid (unknown engine, speed out of range, bad pair number)."""

    exit_code = 2


class ConfigError(ListenError):
    """The config file is unreadable or has an invalid value."""

    exit_code = 2


class EngineError(ListenError):
    """Something an engine reports. `engine` names it; `setting` names the engine setting that
    is the probable cause (e.g. "url"), when there is one; `offline_alternative` says whether an
    offline engine would avoid the problem (network trouble)."""

    def __init__(self, message: str, *, engine: str | None = None, setting: str | None = None,
                 offline_alternative: bool = False):
        super().__init__(message)
        self.engine = engine
        self.setting = setting
        self.offline_alternative = offline_alternative


class EngineUnavailable(EngineError):
    """An engine's prerequisites are missing (library, data, network); the message says how to fix it."""

    exit_code = 3


class SynthesisError(EngineError):
    """A segment could not be synthesized and retrying will not help (fatal for the build)."""

    exit_code = 4


class TransientSynthesisError(SynthesisError):
    """A segment failed in a way a retry may fix (429, 5xx, timeout, dropped connection).

    `retry_after` is the server's Retry-After in seconds, when it sent one.
    """

    def __init__(self, message: str, retry_after: float | None = None, **where):
        super().__init__(message, **where)
        self.retry_after = retry_after


class AudioError(ListenError):
    """ffmpeg is missing or failed, or an MP3 is malformed."""

    exit_code = 5


class OutputError(ListenError):
    """The output folder cannot be written (permissions, full disk)."""

    exit_code = 6

    def __init__(self, message: str, *, folder_kind: str = "output"):
        super().__init__(message)
        self.folder_kind = folder_kind  # "output" or "cache": which option or setting fixes it
