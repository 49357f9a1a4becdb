"""Read, parse, split and align: a file (or a string) to a complete Document."""

from __future__ import annotations

import os

from ..errors import InputError, UsageError
from ..model import Document, Pair
from .align import align, parse_pairs
from .parse import parse
from .read import MAX_BYTES, read_bytes, read_source

__all__ = ["load_document", "load_text", "sidecar_path", "pair_warnings"]


def sidecar_path(path: str) -> str | None:
    """`<path>.pairs` when it exists next to the input file (never for stdin)."""
    if path == "-":
        return None
    candidate = os.fspath(path) + ".pairs"
    return candidate if os.path.isfile(candidate) else None


def pair_warnings(pairs: list[Pair]) -> list[str]:
    """Readable notes on the unusual beads of an alignment (paragraph numbers are 1-based)."""
    out: list[str] = []

    def nums(ix: tuple[int, ...]) -> str:
        return ", ".join(str(k + 1) for k in ix)

    for p in pairs:
        if not p.en and p.zh:
            for k in p.zh:
                out.append(f"Chinese paragraph {k + 1} has no English counterpart")
        elif p.en and not p.zh:
            for k in p.en:
                out.append(f"English paragraph {k + 1} has no Chinese counterpart")
        elif len(p.en) == 1 and len(p.zh) > 1:
            out.append(
                f"English paragraph {p.en[0] + 1} is matched to {_count(len(p.zh))} Chinese paragraphs ({nums(p.zh)})"
            )
        elif len(p.zh) == 1 and len(p.en) > 1:
            out.append(
                f"Chinese paragraph {p.zh[0] + 1} is matched to {_count(len(p.en))} English paragraphs ({nums(p.en)})"
            )
        elif len(p.en) > 1 and len(p.zh) > 1:
            out.append(f"English paragraphs {nums(p.en)} are matched to Chinese paragraphs {nums(p.zh)}")
    return out


def _count(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


def load_text(
    text: str, source: str = "-", pairs: str | None = None, *, pairs_origin: str | None = None
) -> Document:
    """Parse normalised `text`, split sentences and align (or apply the `pairs` SPEC)."""
    doc = parse(text, source)
    if not doc.en and not doc.zh:
        name = "Standard input" if source in ("-", "") else os.path.basename(source)
        raise InputError(f"{name} contains no English or Chinese paragraphs to read.")
    if pairs is not None:
        try:
            doc.pairs = parse_pairs(pairs, len(doc.en), len(doc.zh))
        except UsageError as exc:
            if pairs_origin:
                raise UsageError(f"{pairs_origin}: {exc}") from None
            raise
    else:
        doc.pairs = align([p.text for p in doc.en], [p.text for p in doc.zh])
    if doc.en and doc.zh:
        doc.warnings.extend(pair_warnings(doc.pairs))
    return doc


def load_document(path: str, encoding: str | None = None, pairs: str | None = None, *,
                  max_bytes: int = MAX_BYTES) -> Document:
    """A complete Document from a file (`-` is standard input).

    The alignment comes from `pairs` (a SPEC such as "-:1, 1:2, 2+3:4"), else from the sidecar
    `<path>.pairs` when it exists, else from `align`. Neither file is read past `max_bytes`
    (`Config.input.max_bytes`; InputTooLarge).
    """
    text, used = read_source(path, encoding, max_bytes)
    origin = None
    if pairs is None:
        sidecar = sidecar_path(path)
        if sidecar:
            try:
                pairs = read_bytes(sidecar, max_bytes).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(f"Cannot read {os.path.basename(sidecar)}: it is not UTF-8 text "
                                 f"(bad byte at offset {exc.start}).") from None
            origin = os.path.basename(sidecar)
    else:
        origin = "--pairs"
    doc = load_text(text, path, pairs, pairs_origin=origin)
    doc.encoding = used
    return doc
