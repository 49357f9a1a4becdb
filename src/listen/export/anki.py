"""Anki decks (.apkg) of built articles: a note per sentence pair and per glossary term, with audio.

Planning is apart from writing: `plan_notes(entry)` says which notes an article gives, their
fields and which stretch of which track each note's audio is; `export_anki(sources, out)` cuts
those stretches (frame-exact, listen.audio.cut) and writes one deck with genanki, imported only
here.

Re-exporting updates notes instead of adding copies: the note types and the deck have constant
ids; a note's guid is the article's name and the note's place in it (pair and bead, or the term),
so an edited sentence updates its note; a note's id is made from its guid, so the same notes get
the same ids in every export. Media files are named by their content.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from ..fsutil import atomic_write_bytes
from ..output.library import Entry, load_entry, scan
from ..output.manifest import MANIFEST, Article, ManifestError

__all__ = ["Clip", "NotePlan", "ExportResult", "SENTENCE_MODEL_ID", "TERM_MODEL_ID", "DECK_ID",
           "plan_notes", "find_articles", "export_anki"]

# Constant, so that a deck imported again updates its notes and cards (random once, never change).
SENTENCE_MODEL_ID = 1607392319
TERM_MODEL_ID = 1607392320
DECK_ID = 2059400110
DECK_NAME = "listen"
SENTENCE_FIELDS = ("English", "Chinese", "Reading", "Ruby", "EnglishAudio", "ChineseAudio", "Source")
TERM_FIELDS = ("Term", "Definition", "Chinese", "Reading", "TermAudio", "ChineseAudio", "Source")


@dataclass(frozen=True)
class Clip:
    """A stretch of a track of an article folder."""

    file: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class NotePlan:
    kind: str  # "sentence" | "term"
    key: tuple[str, ...]  # the note's identity (its guid is made from it)
    fields: dict[str, str]  # field -> text (HTML-escaped where shown)
    audio: dict[str, Clip] = field(default_factory=dict)  # audio field -> clip

    @property
    def guid(self) -> str:
        return _guid(self.key)


@dataclass
class ExportResult:
    path: Path
    articles: int
    sentences: int
    terms: int
    media: int


def _guid(key: Sequence[str]) -> str:
    """A note guid from its identity: 20 hex digits, the same in every export."""
    return hashlib.sha256("\x1f".join(("listen", *key)).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _note_id(guid: str) -> int:
    # In the range of millisecond timestamps (2001-2033), as Anki's own ids are.
    return 1_000_000_000_000 + int(guid, 16) % 1_000_000_000_000


# -- planning -------------------------------------------------------------------------------------

_TRACK_ORDER = {"en": ("english", "alternating", "sentences"), "zh": ("chinese", "alternating", "sentences")}


def _sentence_clip(article: Article, lang: str, para: int, sent: int) -> Clip | None:
    """Where sentence `sent` of paragraph `para` in `lang` is spoken, in the first main track that says it."""
    count = len(article.paragraphs[lang][para].sentences) if para < len(article.paragraphs.get(lang, ())) else 0
    for kind in _TRACK_ORDER[lang]:
        for track in article.tracks_of(kind):
            for seg in track.segments:
                if seg.lang != lang or seg.paragraph != para:
                    continue
                if seg.sentences:
                    span = next((s for s in seg.sentences if s.index == sent), None)
                    if span is not None:
                        return Clip(track.file, span.start_s, span.end_s)
                elif seg.role == "sentence" and seg.sentence == sent:
                    return Clip(track.file, seg.start_s, seg.end_s)
                elif seg.role == "paragraph" and count <= 1 and sent == 0:
                    return Clip(track.file, seg.start_s, seg.end_s)
    return None


def _paragraph_clip(article: Article, lang: str, para: int) -> Clip | None:
    for kind in _TRACK_ORDER[lang]:
        for track in article.tracks_of(kind):
            spans = [s for s in track.segments if s.lang == lang and s.paragraph == para and s.role in ("paragraph", "sentence")]
            if spans:
                return Clip(track.file, min(s.start_s for s in spans), max(s.end_s for s in spans))
    return None


def _joined(clips: list[Clip | None]) -> Clip | None:
    """One clip over consecutive clips of one track, or None."""
    if not clips or any(c is None for c in clips) or len({c.file for c in clips}) != 1:  # type: ignore[union-attr]
        return None
    return Clip(clips[0].file, min(c.start_s for c in clips), max(c.end_s for c in clips))  # type: ignore[union-attr]


def _sides(article: Article, lang: str, paragraphs: Sequence[int]) -> list[tuple[int, int]]:
    """(paragraph, sentence) of each sentence of a pair's side, in order."""
    out = []
    for idx in paragraphs:
        if 0 <= idx < len(article.paragraphs.get(lang, ())):
            out += [(idx, k) for k in range(len(article.paragraphs[lang][idx].sentences) or 1)]
    return out


def _text(article: Article, lang: str, where: list[tuple[int, int]]) -> str:
    parts = []
    for idx, k in where:
        p = article.paragraphs[lang][idx]
        parts.append(p.sentences[k] if p.sentences else p.text)
    return (" " if lang == "en" else "").join(parts)


def _tokens(article: Article, where: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for idx, k in where:
        p = article.paragraphs["zh"][idx]
        readings = p.romanisation or ()
        text = p.sentences[k] if p.sentences else p.text
        if k < len(readings) and "".join(c for c, _ in readings[k].tokens) == text:
            out += list(readings[k].tokens)
        else:
            out.append((text, None))
    return out


def _ruby(tokens: Iterable[tuple[str, str | None]]) -> str:
    return "".join(f"<ruby>{html.escape(c)}<rt>{html.escape(r)}</rt></ruby>" if r else html.escape(c) for c, r in tokens)


def plan_notes(article: Article) -> list[NotePlan]:
    """The notes of one article: a sentence pair per bead (or per pair read as whole paragraphs),
    then a note per glossary term."""
    from ..text.romanise import reading_text, romanise, system_for

    source = article.label
    notes: list[NotePlan] = []
    for p, pair in enumerate(article.pairs):
        en_all, zh_all = _sides(article, "en", pair.en), _sides(article, "zh", pair.zh)
        if not en_all or not zh_all:
            continue  # a side alone (a Chinese-only preface) is no pair to learn from
        if pair.beads:
            groups = [([en_all[k] for k in b.en if k < len(en_all)], [zh_all[k] for k in b.zh if k < len(zh_all)], str(b_i))
                      for b_i, b in enumerate(pair.beads)]
            clip = lambda lang, where: _joined([_sentence_clip(article, lang, i, k) for i, k in where])  # noqa: E731
        else:
            groups = [(en_all, zh_all, "all")]
            clip = lambda lang, where: _joined([_paragraph_clip(article, lang, i) for i in dict.fromkeys(i for i, _ in where)])  # noqa: E731
        for en_where, zh_where, bead in groups:
            if not en_where or not zh_where:
                continue
            tokens = _tokens(article, zh_where)
            audio = {name: c for name, c in (("EnglishAudio", clip("en", en_where)), ("ChineseAudio", clip("zh", zh_where))) if c}
            notes.append(NotePlan("sentence", (article.name, "pair", str(p), bead), {
                "English": html.escape(_text(article, "en", en_where)),
                "Chinese": html.escape(_text(article, "zh", zh_where)),
                "Reading": html.escape(reading_text(tuple(tokens))),
                "Ruby": _ruby(tokens),
                "Source": html.escape(f"{source} · {p + 1}"),
            }, audio))
    system = system_for(article.chinese)
    glossary_tracks = article.tracks_of("glossary") + article.tracks_of("paragraph")
    for n, g in enumerate(article.glossary):
        if not g.term.strip():
            continue
        prefix = f"glossary-{n + 1:02d}-"
        audio: dict[str, Clip] = {}
        for name, suffix in (("TermAudio", "term"), ("ChineseAudio", "zh")):
            for track in glossary_tracks:
                seg = next((s for s in track.segments if s.id == prefix + suffix), None)
                if seg is not None:
                    audio[name] = Clip(track.file, seg.start_s, seg.end_s)
                    break
        tokens = romanise(g.zh, system) if g.zh and system else ()
        notes.append(NotePlan("term", (article.name, "term", g.term.strip().lower()), {
            "Term": html.escape(g.term),
            "Definition": html.escape(g.definition),
            "Chinese": _ruby(tokens) if tokens else html.escape(g.zh or ""),
            "Reading": html.escape(reading_text(tokens)),
            "Source": html.escape(source),
        }, audio))
    return notes


def find_articles(sources: Sequence[str | os.PathLike]) -> list[Entry]:
    """The built articles named by `sources`: article folders, their manifest.json, or library
    folders (every article below). Raises InputError for a source that holds no built article."""
    entries: list[Entry] = []
    for source in sources:
        path = Path(source)
        folder = path.parent if path.name == MANIFEST and path.is_file() else path
        if not folder.exists():
            raise InputError(f"{source}: no such file or folder")
        try:
            if (folder / MANIFEST).is_file():
                entry = load_entry(folder, folder.parent)
                found = [entry] if entry is not None else []
            elif folder.is_dir():
                found = scan(folder)
            else:
                found = []
        except (ManifestError, OSError) as exc:
            raise InputError(f"{source}: cannot read the built article ({exc})") from None
        if not found:
            raise InputError(f"{source}: no built article here (a folder with {MANIFEST}); "
                             f"build it first with `listen build`, then export its folder (audio/NAME)")
        entries += found
    seen: set[Path] = set()
    return [e for e in entries if not (e.dir.resolve() in seen or seen.add(e.dir.resolve()))]


# -- writing --------------------------------------------------------------------------------------

_CSS = """.card { font-family: system-ui, sans-serif; font-size: 22px; text-align: center; color: #1d1f23; background: #fff; }
.zh { font-family: "PingFang TC", "Noto Sans CJK TC", sans-serif; font-size: 28px; }
rt { font-size: 0.5em; color: #6b6f76; padding: 0 0.12em; }
.reading, .source { font-size: 15px; color: #6b6f76; }"""


def _models():
    import genanki

    sentence = genanki.Model(
        SENTENCE_MODEL_ID, "listen sentence pair",
        fields=[{"name": f} for f in SENTENCE_FIELDS],
        templates=[
            {"name": "English → 中文",
             "qfmt": "{{English}}<br>{{EnglishAudio}}",
             "afmt": '{{FrontSide}}<hr id="answer"><div class="zh">{{Ruby}}</div>{{ChineseAudio}}'
                     '<div class="source">{{Source}}</div>'},
            {"name": "中文 → English",
             "qfmt": '<div class="zh">{{Chinese}}</div>{{ChineseAudio}}',
             "afmt": '<div class="zh">{{Ruby}}</div><hr id="answer">{{English}}{{EnglishAudio}}'
                     '<div class="source">{{Source}}</div>'},
        ],
        css=_CSS,
    )
    term = genanki.Model(
        TERM_MODEL_ID, "listen glossary term",
        fields=[{"name": f} for f in TERM_FIELDS],
        templates=[{
            "name": "Term",
            "qfmt": "{{Term}}<br>{{TermAudio}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Definition}}<div class="zh">{{Chinese}}</div>'
                    '<div class="reading">{{Reading}}</div>{{ChineseAudio}}<div class="source">{{Source}}</div>',
        }],
        css=_CSS,
    )
    return sentence, term


def _note_class():
    import genanki

    class StableNote(genanki.Note):
        """A note whose id (and its cards' ids) come from its guid, so every export gives the same ids."""

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            base = _note_id(self.guid)
            return super().write_to_db(cursor, timestamp, deck_id, iter(range(base, base + 1 + len(self.cards))))

    return StableNote


def export_anki(sources: Sequence[str | os.PathLike], out: str | os.PathLike) -> ExportResult:
    """Write one Anki deck (.apkg) of the built articles in `sources` to `out` (replaced whole,
    never left half-written). Raises InputError."""
    import genanki

    entries = find_articles(sources)
    sentence_model, term_model = _models()
    Note = _note_class()
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Sentence pairs and glossary terms from listen")
    out = Path(out)
    counts = {"sentence": 0, "term": 0}
    with tempfile.TemporaryDirectory(prefix="listen-anki-") as tmp:
        media: dict[str, Path] = {}
        for entry in entries:
            for plan in plan_notes(entry.article):
                fields = dict(plan.fields)
                for name in ("EnglishAudio", "ChineseAudio", "TermAudio"):
                    fields.setdefault(name, "")
                for name, clip in plan.audio.items():
                    fields[name] = f"[sound:{_media(entry, clip, Path(tmp), media)}]"
                model, names = (sentence_model, SENTENCE_FIELDS) if plan.kind == "sentence" else (term_model, TERM_FIELDS)
                deck.add_note(Note(model=model, fields=[fields.get(n, "") for n in names], guid=plan.guid,
                                   tags=["listen", entry.article.name.replace(" ", "_")]))
                counts[plan.kind] += 1
        package = genanki.Package(deck, media_files=[str(p) for p in media.values()])
        staged = Path(tmp) / "deck.apkg"
        package.write_to_file(str(staged))
        try:
            atomic_write_bytes(out, staged.read_bytes())
        except OSError as exc:
            raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return ExportResult(out, len(entries), counts["sentence"], counts["term"], len(media))


def _media(entry: Entry, clip: Clip, tmp: Path, media: dict[str, Path]) -> str:
    """The media file name of `clip` (named by its content), cut into `tmp` once."""
    from ..audio.cut import cut_mp3
    from ..errors import AudioError

    try:
        data = cut_mp3(entry.dir / clip.file, clip.start_s, clip.end_s)
    except AudioError as exc:
        raise InputError(f"{entry.dir / clip.file}: {exc}") from None
    name = f"listen-{hashlib.sha256(data).hexdigest()[:20]}.mp3"
    if name not in media:
        path = tmp / name
        path.write_bytes(data)
        media[name] = path
    return name
