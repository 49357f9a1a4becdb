"""One exception hierarchy: the CLI maps every ListenError to one line and an exit code."""

from __future__ import annotations


class ListenError(Exception):
    """Base of every error `listen` reports to a user (one readable line)."""

    exit_code = 1


class InputError(ListenError):
    """The input file cannot be read or is not a bilingual text (bad path, binary, empty, undecodable)."""

    exit_code = 2


class UsageError(ListenError):
    """An option or argument is invalid (unknown engine, speed out of range, bad pair number)."""

    exit_code = 2


class ConfigError(ListenError):
    """The config file is unreadable or has an invalid value."""

    exit_code = 2


class EngineUnavailable(ListenError):
    """An engine's prerequisites are missing (library, data, network); the message says how to fix it."""

    exit_code = 3


class SynthesisError(ListenError):
    """A segment could not be synthesized and retrying will not help (fatal for the build)."""

    exit_code = 4


class TransientSynthesisError(SynthesisError):
    """A segment failed in a way a retry may fix (429, 5xx, timeout, dropped connection).

    `retry_after` is the server's Retry-After in seconds, when it sent one.
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class AudioError(ListenError):
    """ffmpeg is missing or failed, or an MP3 is malformed."""

    exit_code = 5


class OutputError(ListenError):
    """The output folder cannot be written (permissions, full disk)."""

    exit_code = 6
