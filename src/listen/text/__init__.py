"""Text stages: decode a file, find its structure, split sentences, align the two languages."""

from __future__ import annotations

from .load import load_document, load_text

__all__ = ["load_document", "load_text"]
