"""Text stages: decode a file, find its structure, split sentences, align the two languages."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["load_document", "load_text"]

if TYPE_CHECKING:
    from .load import load_document, load_text


def __getattr__(name: str):
    # Loaded on first use: a rebuild that finds its document cached reads no text and needs
    # none of the reader's rules (their regular expressions take a while to compile).
    if name in __all__:
        from . import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
