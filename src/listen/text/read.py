"""Read a text file of unknown encoding and normalise it.

`read_bytes` reads a file or standard input up to a limit (`max_input_mb`, 10 MB by default): a
larger regular file is refused from its size before any byte is read, a pipe or a device
(/dev/zero) one chunk past the limit, so an endless or huge input never fills memory.
`decode` guesses the encoding (UTF-8 with or without BOM, UTF-16, Big5-HKSCS, GB18030) and returns
normalised text: LF line ends, ordinary spaces for NBSP/ideographic spaces, no zero-width or control
characters, NFC. Every failure is an InputError with one readable line.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata

from ..config import MAX_INPUT_MB, MB
from ..errors import InputError, InputTooLarge, UsageError
from ..fsutil import file_size, read_at_most
from .script import plausibility

__all__ = ["MAX_BYTES", "decode", "read_bytes", "read_source", "normalise", "implausible_decoding"]

MAX_BYTES = MAX_INPUT_MB * MB  # the default read limit

# Bytes that never occur in a text file (C0 controls except TAB, LF, VT, FF, CR and ESC).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))

_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_REMOVE = "\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATE = {ord(c): " " for c in _SPACES}
_TRANSLATE.update({ord(c): None for c in _REMOVE})
# C0 controls other than \t and \n, DEL, and C1 controls.
_TRANSLATE.update({c: None for c in range(32) if c not in (9, 10)})
_TRANSLATE.update({c: None for c in range(0x7F, 0xA0)})

_SAMPLE_BYTES = 1 << 16


def normalise(text: str) -> str:
    """LF line ends, plain spaces, no zero-width or control characters, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # U+2028/U+2029 are line/paragraph separators: make them line breaks.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(_TRANSLATE)
    return unicodedata.normalize("NFC", text)


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 50)


def _utf16_guess(data: bytes) -> str | None:
    """The UTF-16 byte order of BOM-less UTF-16 text, judged by where the NUL bytes fall."""
    sample = data[: _SAMPLE_BYTES & ~1]
    if len(sample) < 2 or b"\x00" not in sample:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    n = len(odd)
    even_nul, odd_nul = even.count(0), odd.count(0)
    # ASCII in UTF-16-LE puts NUL in odd positions; line breaks are a strong hint as well.
    if odd_nul > n * 0.2 and even_nul < n * 0.05:
        return "utf-16-le"
    if even_nul > n * 0.2 and odd_nul < n * 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name} is empty.")
    sample = text[:_SAMPLE_BYTES]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\x0b\x0c\x1b") or c == "\x00")
    if controls > max(2, len(sample) // 50):
        raise InputError(f"{name} looks like a binary file, not a text.")
    text = normalise(text)
    if not text.strip():
        raise InputError(f"{name} is empty.")
    return text


def decode(data: bytes, encoding: str | None = None, name: str = "The input") -> tuple[str, str]:
    """Decode `data` and normalise it; returns (text, name of the encoding used).

    `encoding` forces a codec (an unknown name is a UsageError). `name` is what error messages call
    the input (a file name, or "Standard input").
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(f"Unknown encoding {encoding!r}; try utf-8, utf-16, big5hkscs or gb18030.") from None
        if not data.strip():
            raise InputError(f"{name} is empty.")
        if codec in ("utf-8", "utf_8") and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(f"Cannot decode {name} as {encoding} (bad byte at offset {exc.start}).") from None
        return _check_text(text, name), codec

    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError(f"{name} is empty.")

    # Byte order marks decide.
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            if codec == "utf-32" and len(data) % 4:
                continue  # FF FE 00 00 may also be UTF-16-LE starting with a NUL character
            text = _strict(data, codec)
            if text is None:
                raise InputError(f"Cannot decode {name} as {codec.upper()} although it starts with its byte order mark.")
            return _check_text(text, name), codec

    utf16 = _utf16_guess(data)
    if utf16 and len(data) % 2 == 0:
        text = _strict(data, utf16)
        if text is not None:
            return _check_text(text, name), utf16

    if _looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not a text.")

    text = _strict(data, "utf-8")
    if text is not None:
        return _check_text(text, name), "utf-8"

    best: tuple[float, str, str] | None = None
    for codec in ("big5hkscs", "gb18030"):
        text = _strict(data, codec)
        if text is None:
            continue
        score = plausibility(text[:200_000])
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < -0.2:
        raise InputError(f"Cannot decode {name} as UTF-8, UTF-16, Big5 or GB18030; pass --encoding.")
    return _check_text(best[2], name), best[1]


def _too_large(name: str, limit: int, size: int | None) -> InputTooLarge:
    known = f" ({size / MB:.1f} MB)" if size is not None else ""
    return InputTooLarge(f"{name} is larger than {limit / MB:g} MB{known}.", limit_bytes=limit)


def read_bytes(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file (`-` is standard input), at most `max_bytes` of them; InputError
    (InputTooLarge past the limit) with one readable line otherwise."""
    if path == "-":
        if sys.stdin is None:
            raise InputError("Standard input is closed; pass a file name instead of -.")
        stdin = sys.stdin.buffer
        data = read_at_most(stdin, max_bytes)
        if data is None:
            raise _too_large("Standard input", max_bytes, file_size(stdin))
        return data
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = read_at_most(fh, max_bytes)
            if data is None:
                raise _too_large(name, max_bytes, file_size(fh))
    except FileNotFoundError:
        raise InputError(f"{name} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory, not a text file.") from None
    except PermissionError:
        raise InputError(f"Cannot read {name}: permission denied.") from None
    except MemoryError:  # a limit set above what this machine holds
        raise InputError(f"{name} does not fit in memory; lower max_input_mb.") from None
    except OSError as exc:
        if os.path.isdir(name):
            raise InputError(f"{name} is a directory, not a text file.") from None
        raise InputError(f"Cannot read {name}: {exc.strerror or exc}.") from None
    return data


def read_source(path: str, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Read and decode a file (`-` is standard input); returns (text, encoding)."""
    data = read_bytes(path, max_bytes)
    if path == "-":
        return decode(data, encoding, name="Standard input")
    name = os.fspath(path)
    return decode(data, encoding, name=os.path.basename(name) or name)


def implausible_decoding(text: str, encoding: str) -> str | None:
    """Why `text`, decoded with a forced `encoding`, does not look like English or Chinese writing
    (None when it does): mostly non-ASCII characters that no editorial uses together, as UTF-8
    read as UTF-16 or Chinese read as Latin-1 gives."""
    sample = text[:50_000]
    if not sample:
        return None
    non_ascii = sum(1 for c in sample if ord(c) >= 0x80)
    if non_ascii < 0.3 * len(sample):
        return None
    score = plausibility(sample)
    if score >= 0.5:
        return None
    lines = sample.count("\n")
    detail = "no line breaks, " if lines == 0 and len(sample) > 500 else ""
    return f"decoded as {encoding}, the text looks like garbage ({detail}rare or unrelated characters)"
