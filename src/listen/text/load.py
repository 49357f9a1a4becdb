"""Read, parse, split and align: a file (or a string) to a complete Document."""

from __future__ import annotations

import os

from dataclasses import replace
from pathlib import Path

from ..errors import InputError, UsageError
from ..model import Document, Pair, SentenceBead
from .align import align, parse_pairs
from .align.dictionary import Dictionary
from .align.sentences import align_sentences
from .parse import parse
from .read import MAX_BYTES, read_bytes, read_source

__all__ = ["load_document", "load_text", "sidecar_path", "pair_warnings", "parse_bead_overrides"]


def sidecar_path(path: str, suffix: str = ".pairs") -> str | None:
    """`<path><suffix>` (`.pairs`, `.beads`) when it exists next to the input file (never for stdin)."""
    if path == "-":
        return None
    candidate = os.fspath(path) + suffix
    return candidate if os.path.isfile(candidate) else None


def parse_bead_overrides(spec: str, document: Document) -> dict[int, tuple[SentenceBead, ...] | None]:
    """Sentence beads given by hand, one pair per line: `PAIR: EN:ZH, EN:ZH` (sentence numbers
    within the pair, from 1, as `listen inspect` shows them; `-` for none, `+` to group), or
    `PAIR: whole` to read the pair as whole paragraphs. `#` starts a comment. Returns pair index
    (0-based) -> beads (None for whole)."""
    out: dict[int, tuple[SentenceBead, ...] | None] = {}
    for line in spec.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, sep, rest = line.partition(":")
        if not sep or not head.strip().isdigit():
            raise UsageError(f"Bead line {line!r} is not PAIR: EN:ZH, ... (for example '3: 1:1, 2+3:2').")
        number = int(head)
        if not 1 <= number <= len(document.pairs):
            raise UsageError(f"Bead line {line!r}: there is no pair {number} (1 to {len(document.pairs)}).")
        if rest.strip().lower() == "whole":
            out[number - 1] = None
            continue
        en, zh = document.pair_sentences(document.pairs[number - 1])
        try:
            given = parse_pairs(rest, len(en), len(zh))
        except UsageError as exc:
            raise UsageError(f"Pair {number}: {str(exc).replace('paragraph', 'sentence')}") from None
        out[number - 1] = tuple(SentenceBead(p.en, p.zh, 1.0) for p in given)
    return out


def align_pair_sentences(document: Document, dictionary: Dictionary | None,
                         overrides: dict[int, tuple[SentenceBead, ...] | None] | None = None) -> None:
    """Fill every pair's sentence beads (automatic, or as given in `overrides`)."""
    pairs = []
    for k, pair in enumerate(document.pairs):
        en, zh = document.pair_sentences(pair)
        if overrides and k in overrides:
            given = overrides[k]
            if given is None:
                pair = replace(pair, beads=(SentenceBead(tuple(range(len(en))), tuple(range(len(zh)))),),
                               fallback="read as whole paragraphs (as given)")
            else:
                pair = replace(pair, beads=given, fallback=None)
        else:
            result = align_sentences(en, zh, dictionary)
            pair = replace(pair, beads=result.beads, fallback=result.fallback)
        pairs.append(pair)
    document.pairs = pairs


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
    text: str, source: str = "-", pairs: str | None = None, *, pairs_origin: str | None = None,
    beads: str | None = None, beads_origin: str | None = None, cache_dir: Path | None = None,
) -> Document:
    """Parse normalised `text`, split sentences and align paragraphs (or apply the `pairs` SPEC),
    then the sentences inside each pair (`beads`: hand-given overrides, see parse_bead_overrides).
    `cache_dir` keeps the alignment dictionary's index between runs."""
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
    overrides = None
    if beads is not None:
        try:
            overrides = parse_bead_overrides(beads, doc)
        except UsageError as exc:
            raise UsageError(f"{beads_origin}: {exc}" if beads_origin else str(exc)) from None
    needs_dictionary = any(len(s) > 1 for p in doc.pairs for s in doc.pair_sentences(p)) and doc.en and doc.zh
    align_pair_sentences(doc, Dictionary.load(cache_dir) if needs_dictionary else None, overrides)
    return doc


def _sidecar(path: str, suffix: str, max_bytes: int) -> tuple[str | None, str | None]:
    """(text, file name) of the sidecar `<path><suffix>`, or (None, None); not read past `max_bytes`."""
    sidecar = sidecar_path(path, suffix)
    if not sidecar:
        return None, None
    try:
        return read_bytes(sidecar, max_bytes).decode("utf-8-sig"), os.path.basename(sidecar)
    except UnicodeDecodeError as exc:
        raise InputError(f"Cannot read {os.path.basename(sidecar)}: it is not UTF-8 text "
                         f"(bad byte at offset {exc.start}).") from None


def load_document(path: str, encoding: str | None = None, pairs: str | None = None, *,
                  cache_dir: Path | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """A complete Document from a file (`-` is standard input).

    The alignment comes from `pairs` (a SPEC such as "-:1, 1:2, 2+3:4"), else from the sidecar
    `<path>.pairs` when it exists, else from `align`; sentence beads from the aligner, overridden
    by the sidecar `<path>.beads` when it exists. No file is read past `max_bytes`
    (`Config.input.max_bytes`; InputTooLarge). `cache_dir` keeps the dictionary's index.
    """
    text, used = read_source(path, encoding, max_bytes)
    origin = "--pairs"
    if pairs is None:
        pairs, origin = _sidecar(path, ".pairs", max_bytes)
    beads, beads_origin = _sidecar(path, ".beads", max_bytes)
    doc = load_text(text, path, pairs, pairs_origin=origin, beads=beads, beads_origin=beads_origin,
                    cache_dir=cache_dir)
    doc.encoding = used
    return doc
