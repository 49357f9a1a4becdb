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
from .formats import Format, format_by_name, input_format
from .lines import Meta
from .parse import parse, parse_lines
from .read import MAX_BYTES, implausible_decoding, read_bytes, read_source

__all__ = [
    "load_document", "load_text", "sidecar_path", "pair_warnings", "pair_notes", "parse_bead_overrides",
    "parse_line_numbers",
]


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


def _edges(pairs: list[Pair]) -> tuple[int, int]:
    """(index of the first pair with both sides, index after the last one): the unmatched pairs
    before and after them are the untranslated lead and end of an article."""
    both = [k for k, p in enumerate(pairs) if p.en and p.zh]
    return (both[0], both[-1] + 1) if both else (0, 0)


def pair_notes(pairs: list[Pair]) -> list[str]:
    """Information on the paragraphs before the translation starts and after it ends (a Ming Pao
    translation leaves out the lead): said once for each run, not as a warning."""
    start, end = _edges(pairs)
    out: list[str] = []
    for run, where in ((pairs[:start], "before the translation starts"), (pairs[end:], "after the translation ends")):
        for lang, name, other in (("zh", "Chinese", "English"), ("en", "English", "Chinese")):
            ix = [k for p in run for k in getattr(p, lang) if not getattr(p, "zh" if lang == "en" else "en")]
            if not ix:
                continue
            if len(ix) == 1:
                out.append(f"{name} paragraph {ix[0] + 1} has no {other} counterpart ({where}).")
            else:
                out.append(f"{name} paragraphs {ix[0] + 1}-{ix[-1] + 1} have no {other} counterpart ({where}).")
    return out


def pair_warnings(pairs: list[Pair]) -> list[str]:
    """Readable notes on the unusual beads of an alignment (paragraph numbers are 1-based); an
    unmatched lead or end is information (`pair_notes`), not a warning."""
    out: list[str] = []
    start, end = _edges(pairs)

    def nums(ix: tuple[int, ...]) -> str:
        return ", ".join(str(k + 1) for k in ix)

    for n, p in enumerate(pairs):
        if not p.en and p.zh:
            if start <= n < end:
                for k in p.zh:
                    out.append(f"Chinese paragraph {k + 1} has no English counterpart")
        elif p.en and not p.zh:
            if start <= n < end:
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


def parse_line_numbers(spec: str) -> frozenset[int]:
    """`3, 7-9` (commas or new lines; `#` starts a comment) -> {3, 7, 8, 9}: the lines to read as
    paragraphs whatever they look like (`--keep-lines`, a `.keep` sidecar)."""
    out: set[int] = set()
    for line in spec.splitlines():
        for part in line.split("#", 1)[0].replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            a, sep, b = part.partition("-")
            if not a.strip().isdigit() or (sep and not b.strip().isdigit()):
                raise UsageError(f"Line numbers {part!r} are not N or N-M (for example '3, 7-9').")
            lo, hi = int(a), int(b) if sep else int(a)
            if lo < 1 or hi < lo or hi - lo > 100_000:
                raise UsageError(f"Line numbers {part!r} are not a range of lines from 1 on.")
            out.update(range(lo, hi + 1))
    return frozenset(out)


def _align_after_lead(doc: Document, dictionary: Dictionary | None = None) -> list[Pair]:
    """The pairs of `doc`: its lead paragraphs (a page's text before the article's title) alone,
    then the article's paragraphs aligned."""
    le, lz = (next((k for k, p in enumerate(side) if p.kind != "lead"), len(side)) for side in (doc.en, doc.zh))
    en, zh = doc.en[le:], doc.zh[lz:]
    alone = tuple(frozenset(k for k, p in enumerate(side) if p.kind != "paragraph") for side in (en, zh))
    pairs = align([p.text for p in en], [p.text for p in zh], alone, dictionary)
    return (
        [Pair((), (j,)) for j in range(lz)] + [Pair((i,), ()) for i in range(le)]
        + [Pair(tuple(i + le for i in p.en), tuple(j + lz for j in p.zh)) for p in pairs]
    )


def _count(n: int) -> str:
    return {2: "two", 3: "three", 4: "four"}.get(n, str(n))


def load_text(
    text: str, source: str = "-", pairs: str | None = None, *, pairs_origin: str | None = None,
    beads: str | None = None, beads_origin: str | None = None, cache_dir: Path | None = None,
    format: Format | None = None, keep: frozenset[int] = frozenset(),
) -> Document:
    """Parse normalised `text`, split sentences and align paragraphs (or apply the `pairs` SPEC),
    then the sentences inside each pair (`beads`: hand-given overrides, see parse_bead_overrides).
    `format` says how to read it ("text", "markdown", "html"; None: by `source`'s suffix, else by the
    content); `keep` are line numbers to read as paragraphs whatever they look like. `cache_dir`
    keeps the alignment dictionary's index between runs."""
    fmt = format or input_format(source, text)
    name = "Standard input" if source in ("-", "") else os.path.basename(source)
    if fmt == "html":
        from .html import extract_article

        lines, meta = extract_article(text, name)
        doc = parse_lines(lines, source, meta, keep, markdown=True)
        doc.format = "html"
    else:
        doc = parse(text, source, markdown=fmt == "markdown", keep=keep)
    if not doc.en and not doc.zh:
        raise InputError(f"{name} contains no English or Chinese paragraphs to read.")
    if pairs is not None:
        try:
            doc.pairs = parse_pairs(pairs, len(doc.en), len(doc.zh))
        except UsageError as exc:
            if pairs_origin:
                raise UsageError(f"{pairs_origin}: {exc}") from None
            raise
    else:
        doc.pairs = _align_after_lead(doc, Dictionary.load(cache_dir) if doc.en and doc.zh else None)
    if doc.en and doc.zh:
        doc.warnings.extend(pair_warnings(doc.pairs))
        doc.notes.extend(pair_notes(doc.pairs))
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


def _read(path: str, encoding: str | None, max_bytes: int) -> tuple[str, str]:
    """Read and decode `path`; a web page the detector cannot decode is read with the codec its
    head declares (an English page in Windows-1252)."""
    try:
        return read_source(path, encoding, max_bytes)
    except InputError:
        if encoding or path == "-" or format_by_name(path) != "html":
            raise
        from .html import declared_charset

        try:
            with open(path, "rb") as fh:
                head = fh.read(8192)
        except OSError:
            raise
        declared = declared_charset(head)
        if not declared:
            raise
        return read_source(path, declared, max_bytes)


def load_document(path: str, encoding: str | None = None, pairs: str | None = None, *,
                  cache_dir: Path | None = None, max_bytes: int = MAX_BYTES,
                  keep_lines: str | None = None) -> Document:
    """A complete Document from a file (`-` is standard input): plain text, markdown or a saved web
    page (by the suffix, else by the content).

    The alignment comes from `pairs` (a SPEC such as "-:1, 1:2, 2+3:4"), else from the sidecar
    `<path>.pairs` when it exists, else from `align`; sentence beads from the aligner, overridden
    by the sidecar `<path>.beads` when it exists. Lines to read as paragraphs whatever they look like
    come from `keep_lines` ("3, 7-9"), else from the sidecar `<path>.keep`. No file is read past
    `max_bytes` (`Config.input.max_bytes`; InputTooLarge). `cache_dir` keeps the dictionary's index.
    """
    text, used = _read(path, encoding, max_bytes)
    origin = "--pairs"
    if pairs is None:
        pairs, origin = _sidecar(path, ".pairs", max_bytes)
    beads, beads_origin = _sidecar(path, ".beads", max_bytes)
    keep_origin = "--keep-lines"
    if keep_lines is None:
        keep_lines, keep_origin = _sidecar(path, ".keep", max_bytes)
    try:
        keep = parse_line_numbers(keep_lines) if keep_lines else frozenset()
    except UsageError as exc:
        raise UsageError(f"{keep_origin}: {exc}") from None
    doc = load_text(text, path, pairs, pairs_origin=origin, beads=beads, beads_origin=beads_origin,
                    cache_dir=cache_dir, keep=keep)
    doc.encoding = used
    if encoding:
        why = implausible_decoding(text, used)
        if why:
            hint = ""
            if path != "-":
                try:
                    _, detected = read_source(path, None, max_bytes)
                except InputError:
                    detected = None
                if detected and detected != used:
                    hint = f"; without --encoding it reads as {detected}"
            doc.warnings.insert(0, f"--encoding {encoding}: {why}{hint}.")
    return doc
