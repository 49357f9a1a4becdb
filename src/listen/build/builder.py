"""Build an article: synthesize, join, tag and commit any list of track plans.

`build(document, config)` plans the article's tracks (and its drills), synthesizes every segment
they need once, writes each changed track with its LRC into the staging area, and switches the
article folder over to the new version in one commit (`listen.output.commit`), manifest
included. A track whose inputs did not change since the last build is left untouched.
`drill(document, config, options)` adds or remakes one drill track the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence, TypeVar

from ..config import Config
from ..engines.base import Engine, SpeechRequest
from ..events import Emitter, Listener, TrackKept, TrackWritten
from ..model import Document
from ..output.commit import ArticleFolder, Staging
from ..output.manifest import (
    EPISODE_KINDS,
    NUMBERED_KINDS,
    SIDECAR_SUFFIXES,
    Article,
    GlossaryRecord,
    PairRecord,
    ParagraphRecord,
    Romanisation,
    BeadRecord,
    SegmentRecord,
    SentenceSpan,
    Titles,
    TrackRecord,
    chapter_title,
    duration_label,
)
from ..plan.article import plan_article
from ..plan.drill import DrillOptions, drill_path, plan_drill
from ..plan.items import Gap, Segment, TrackPlan
from ..synth.synthesizer import Synthesizer
from ..text.romanise import prepare, romanise, system_for
from ..voicing import Voicing

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["BuildResult", "build", "drill", "speech_requests"]

T = TypeVar("T")

# Bump when the way a track's bytes are made from its inputs changes (tag layout, sidecars), so
# tracks written by an earlier version are rewritten. 3: ID3v2.3, chapters in time order with cut
# titles, JSON chapters and transcript sidecars, LRC [length:m:ss]. 4: sentence by sentence, VTT/SRT.
# 5: gaps shortened by the silent edge frames of the segments beside them.
TRACK_FORMAT = "5"


@dataclass
class BuildResult:
    output: Path  # the article folder
    article: Article
    synthesized: int = 0
    cached: int = 0
    engine_calls: int = 0
    engines: dict[str, str] = field(default_factory=dict)  # document language -> engine description
    voices: list[str] = field(default_factory=list)  # one line per spoken language: its engine and voice
    advice: list[str] = field(default_factory=list)  # a better option for each robotic voice
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # track files written by this build
    kept: list[str] = field(default_factory=list)  # track files left as they were

    @property
    def duration_s(self) -> float:
        """Length of the main listening track."""
        main = self.article.main_track
        return main.duration_s if main else 0.0

    def summary(self) -> dict:
        return {
            "output": str(self.output),
            "synthesized": self.synthesized,
            "cached": self.cached,
            "duration_s": round(self.duration_s, 3),
            "tracks": {"written": len(self.written), "kept": len(self.kept)},
            "voices": list(self.voices),
            "advice": list(self.advice),
            "warnings": list(self.warnings),
        }


def _languages(document: Document, voicing: Voicing) -> list[str]:
    langs = []
    if document.en or document.title_en or document.glossary:
        langs.append("en")
    if document.zh or document.title_zh or any(g.zh for g in document.glossary):
        langs.append("zh")
    return [voicing.language(lang) for lang in langs]


def _known_readings(previous: Article | None) -> dict[tuple[str, str], Romanisation]:
    """(system, sentence) -> its reading, from the article's previous build (a rebuild of an
    unchanged text then loads no romanisation dictionary)."""
    out: dict[tuple[str, str], Romanisation] = {}
    for p in (previous.paragraphs.get("zh", ()) if previous else ()):
        for text, reading in zip(p.sentences or (p.text,), p.romanisation or ()):
            if "".join(chars for chars, _ in reading.tokens) == text:
                out[(reading.system, text)] = reading
    return out


def _chinese_paragraph(paragraph, system: str | None, known: Mapping[tuple[str, str], Romanisation]) -> ParagraphRecord:
    """A Chinese paragraph's record, with the reading of each of its sentences in `system`."""
    sentences = tuple(paragraph.sentences)
    if system is None:
        return ParagraphRecord(paragraph.text, sentences)
    readings = tuple(known.get((system, s)) or Romanisation(system, romanise(s, system))
                     for s in (sentences or (paragraph.text,)))
    return ParagraphRecord(paragraph.text, sentences, readings)


def _in_background(work: Callable[[], "T"]) -> "Future[T]":
    """`work` run on a daemon thread (a Ctrl-C never waits for it); its future."""
    import threading
    from concurrent.futures import Future

    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="build-header", daemon=True).start()
    return future


def speech_requests(plans: Sequence[TrackPlan], voicing: Voicing) -> "dict[tuple[str, str, float], SpeechRequest]":
    """(text, lang, speed) -> its speech request, for every distinct piece the plans speak (a
    paragraph spoken sentence by sentence is one piece per sentence), in order of first use."""
    wanted: dict[tuple[str, str, float], SpeechRequest] = {}
    for plan in plans:
        v = voicing if plan.speed is None else voicing.with_speed(plan.speed)
        for segment in plan.segments:
            for piece in segment.pieces:
                key = (piece, segment.lang, v.speed(segment.lang))
                if key not in wanted:
                    wanted[key] = v.request(piece, segment.lang)
    return wanted


class _Run:
    """One build of one article folder."""

    def __init__(self, document: Document, config: Config, *, engines: Mapping[str, Engine] | None,
                 emit: Emitter, output: str | os.PathLike | None, name: str | None):
        self.document = document
        self.config = config
        self.emit = emit
        from ..lexicon import load_lexicon

        self.voicing = Voicing.decide(document.script, config.voice, config.timing, load_lexicon())
        self.folder = ArticleFolder(Path(output if output is not None else config.output.dir) / (name or document.name))
        self._engines = engines
        self.result: BuildResult | None = None

    def engines(self) -> Mapping[str, Engine]:
        if self._engines is None:
            from ..engines.auto import select

            self._engines = select(self.config, _languages(self.document, self.voicing), notify=self.emit.notice)
        return self._engines

    def header(self, engines: Mapping[str, Engine], previous: Article | None, stamp: str | None) -> Article:
        doc, v = self.document, self.voicing
        known = _known_readings(previous)
        by_lang = {lang: engines.get(v.language(lang)) for lang in ("en", "zh")}
        return Article(
            name=self.folder.path.name,
            source=doc.source_name,
            date=doc.date,
            titles=Titles(doc.title_zh, doc.title_en),
            learning=v.learning,
            chinese=v.chinese if doc.script is not None else None,
            engines=MappingProxyType({lang: e.name for lang, e in by_lang.items() if e is not None}),
            voices=MappingProxyType({lang: e.voice(v.request("", lang)) for lang, e in by_lang.items() if e is not None}),
            speed=MappingProxyType({"en": v.speed_en, "zh": v.speed_zh}),
            paragraphs=MappingProxyType({
                "en": tuple(ParagraphRecord(p.text, tuple(p.sentences)) for p in doc.en),
                "zh": tuple(_chinese_paragraph(p, system_for(v.chinese) if doc.script is not None else None, known)
                            for p in doc.zh),
            }),
            pairs=tuple(
                PairRecord(tuple(p.en), tuple(p.zh),
                           None if p.beads is None else tuple(BeadRecord(b.en, b.zh, b.score) for b in p.beads),
                           p.fallback)
                for p in doc.pairs
            ),
            glossary=tuple(GlossaryRecord(g.term, g.definition, g.zh) for g in doc.glossary),
            warnings=tuple(doc.warnings),
            stamp=stamp if stamp is not None else (previous.stamp if previous else None),
        )

    def run(self, make_plans: Callable[[Article | None], list[TrackPlan]], *, keep_others: bool,
            stamp: str | None = None, previous_header: bool = False) -> BuildResult:
        for note in self.document.notes:
            self.emit.notice(note)
        for warning in self.document.warnings:
            self.emit.warn(warning)
        with self.folder.building():
            previous = self.folder.read()
            # A sentence its previous build did not read needs the romanisation's dictionary
            # (ToJyutping's index: ~30 ms from the cache, ~1.5 s the first time on a machine): it
            # loads from now on, while the engines are chosen (online ones probed) and their
            # models load; the header that uses it is made while the engines speak. Neither
            # needs audio.
            system = system_for(self.voicing.chinese) if self.document.script is not None else None
            known = _known_readings(previous)
            if system is not None and any((system, s) not in known for p in self.document.zh
                                          for s in (p.sentences or (p.text,))):
                _in_background(lambda: prepare(system, self.config.output.cache_path))
            plans = make_plans(previous)
            engines = self.engines()
            synth = Synthesizer(engines, self.config, emit=self.emit)
            header_future = _in_background(lambda: self.header(engines, previous, stamp))
            audio = self._synthesize(plans, synth)
            header = header_future.result()
            if previous_header and previous is not None:
                header = previous.with_tracks(())
            staging = Staging(self.folder.path, self.emit)
            try:
                records, written, kept = self._write(plans, audio, header, previous, staging, keep_others)
                article = header.with_tracks(records)
                delete = (previous.files() - article.files()) if previous else set()
                staging.commit(article, delete=delete)
            except BaseException:
                staging.abort()
                raise
        from ..engines.voices import advice, voice_lines

        spoken = dict(engines)  # the spoken languages of this document
        return BuildResult(
            output=self.folder.path,
            article=article,
            synthesized=synth.stats.synthesized,
            cached=synth.stats.cached,
            engine_calls=synth.stats.engine_calls,
            engines={lang: e.describe() for lang, e in ((l, engines.get(self.voicing.language(l))) for l in ("en", "zh")) if e},
            voices=voice_lines(spoken),
            advice=advice(spoken, self.config),
            warnings=list(self.emit.warnings),  # the text's, and the build's own (a damaged cache)
            written=written,
            kept=kept,
        )

    # -- synthesis

    def _voicing(self, plan: TrackPlan) -> Voicing:
        return self.voicing if plan.speed is None else self.voicing.with_speed(plan.speed)

    def _synthesize(self, plans: Sequence[TrackPlan], synth: Synthesizer) -> dict[tuple[str, str, float], Path]:
        """(text, lang, speed) -> canonical segment MP3, for every piece any plan speaks: a
        paragraph spoken sentence by sentence is one piece per sentence, so editing one sentence
        makes exactly one new piece."""
        wanted = speech_requests(plans, self.voicing)
        keys = list(wanted)
        paths = synth.run([wanted[k] for k in keys])  # type: ignore[misc]
        return dict(zip(keys, paths))

    # -- tracks

    def _write(self, plans, audio, header: Article, previous: Article | None, staging: Staging,
               keep_others: bool) -> tuple[list[TrackRecord], list[str], list[str]]:
        from ..audio.frames import mp3_duration
        from ..audio.silence import frames_for
        from ..audio.canonical import FRAME_SECONDS
        from ..audio.encode import EDGE_LEAD_S, EDGE_TAIL_S
        from ..audio.format import TRIM_PAD_S

        SEGMENT_EDGES_S = EDGE_LEAD_S + EDGE_TAIL_S + 2 * TRIM_PAD_S  # noqa: N806

        lengths: dict[Path, float] = {}
        sentence_gap = frames_for(self.config.timing.sentence_gap_ms / 1000) * FRAME_SECONDS

        def length(path: Path) -> float:
            if path not in lengths:
                lengths[path] = mp3_duration(path)
            return lengths[path]

        listed = [p for p in plans if p.kind in NUMBERED_KINDS]
        records: list[TrackRecord] = []
        written: list[str] = []
        kept: list[str] = []
        planned_files = {f"{p.path}.mp3" for p in plans}
        if keep_others and previous is not None:
            others = [t for t in previous.tracks if t.file not in planned_files]
            records += [t for t in others if all((self.folder.path / f).exists() for f in t.files)]
        for plan in plans:
            speed_of = self._voicing(plan).speed

            def files_of(segment: Segment) -> list[Path]:
                return [audio[(piece, segment.lang, speed_of(segment.lang))] for piece in segment.pieces]

            def said(segment: Segment) -> float:
                """From its first sound to its last (each file's silent edges left out)."""
                paths = files_of(segment)
                return sum(length(p) - SEGMENT_EDGES_S for p in paths) + sentence_gap * (len(paths) - 1)

            by_id = {s.id: s for s in plan.segments}
            layout = _Layout(sentence_gap)
            for item in plan.items:
                if isinstance(item, Segment):
                    layout.segment(item, files_of(item))
                elif isinstance(item, Gap):
                    layout.gap(item.seconds)
                else:
                    layout.gap(max(sum(said(by_id[i]) for i in item.of) * item.factor, item.minimum_s))
            number = (listed.index(plan) + 1, len(listed)) if plan in listed else None
            fingerprint = layout.fingerprint(plan, header.album, self.config.output.artist, header.date, number)
            old = previous.track(f"{plan.path}.mp3") if previous else None
            if old is not None and old.fingerprint == fingerprint and all((self.folder.path / f).exists() for f in old.files):
                records.append(old)
                kept.append(old.file)
                self.emit(TrackKept(old.file, old.kind))
                continue
            record = _write_track(plan, layout, staging, header.album, self.config.output.artist, header.date,
                                  number, fingerprint)
            records.append(record)
            written.append(record.file)
            self.emit(TrackWritten(record.file, record.kind))
        return records, written, kept


class _Layout:
    """The pieces of a track in order (segment audio and silences), and which pieces each segment
    and each of its sentences spans."""

    def __init__(self, sentence_gap_s: float):
        self.sentence_gap_s = sentence_gap_s
        self.pieces: list[Path | Gap] = []
        self.spoken: list[tuple[Segment, list[int]]] = []  # segment -> indexes of its audio pieces

    def segment(self, segment: Segment, paths: list[Path]) -> None:
        indexes = []
        for k, path in enumerate(paths):
            if k:
                self.pieces.append(Gap(self.sentence_gap_s))
            indexes.append(len(self.pieces))
            self.pieces.append(path)
        self.spoken.append((segment, indexes))

    def gap(self, seconds: float) -> None:
        self.pieces.append(Gap(seconds))

    def parts(self) -> list:
        """The pieces as `join_mp3` parts. Every segment brings a few silent frames at each end
        (`listen.audio.encode`): a gap beside a segment is that much shorter, so the silence
        heard between two sounds is the gap asked for, to the frame."""
        from ..audio.encode import EDGE_LEAD_S, EDGE_TAIL_S
        from ..audio.format import TRIM_PAD_S
        from ..audio.silence import Silence

        out: list = []
        for k, piece in enumerate(self.pieces):
            if not isinstance(piece, Gap):
                out.append(piece)
                continue
            seconds = piece.seconds
            if k > 0 and not isinstance(self.pieces[k - 1], Gap):
                seconds -= EDGE_TAIL_S + TRIM_PAD_S
            if k + 1 < len(self.pieces) and not isinstance(self.pieces[k + 1], Gap):
                seconds -= EDGE_LEAD_S + TRIM_PAD_S
            out.append(Silence(max(0.0, seconds)))
        return out

    def fingerprint(self, plan: TrackPlan, *meta: object) -> str:
        h = hashlib.sha256()
        h.update(json.dumps([TRACK_FORMAT, plan.kind, plan.title, *map(str, meta),
                             dict(plan.options) if plan.options else None], ensure_ascii=False, default=str).encode())
        for segment, _ in self.spoken:
            h.update(json.dumps([segment.id, segment.text, segment.role, segment.paragraph, segment.pair,
                                 segment.sentence, list(segment.parts)], ensure_ascii=False).encode("utf-8", "surrogatepass"))
        for piece in self.pieces:
            # Segment files are content-addressed: the file name is the content key.
            h.update(f"gap:{piece.seconds:.3f}".encode() if isinstance(piece, Gap) else f"seg:{piece.name}".encode())
        return h.hexdigest()[:32]


def _unit(segment: Segment) -> tuple:
    """What a segment belongs to, for the transcript's paragraphs: its pair, the title, its glossary entry."""
    if segment.pair is not None:
        return ("pair", segment.pair)
    if segment.role == "title":
        return ("title",)
    if segment.role == "glossary":
        return ("glossary", segment.id.split("-")[1] if segment.id.count("-") >= 2 else segment.id)
    return ("segment", segment.id)


def _transcript_units(segments: Sequence[Segment]) -> list[list[str]]:
    units: list[list[str]] = []
    last = None
    for segment in segments:
        key = _unit(segment)
        if key != last:
            units.append([])
            last = key
        units[-1].append(segment.text)
    return units


def _write_track(plan: TrackPlan, layout: _Layout, staging: Staging, album: str, artist: str, date: str | None,
                 number: tuple[int, int] | None, fingerprint: str) -> TrackRecord:
    from ..audio.chapters import chapters_json, transcript_text
    from ..audio.join import join_mp3
    from ..audio.lrc import lrc_text
    from ..audio.subtitles import srt_text, vtt_text
    from ..audio.tags import Chapter, tag_bytes

    file = f"{plan.path}.mp3"
    sidecars = {name: f"{plan.path}{SIDECAR_SUFFIXES[name]}" for name in ("lrc", "vtt", "srt")}
    if plan.kind in EPISODE_KINDS:
        for name in ("txt", "chapters"):
            sidecars[name] = f"{plan.path}{SIDECAR_SUFFIXES[name]}"
    parts = layout.parts()
    langs = {segment.lang for segment, _ in layout.spoken}

    def timed(spans):
        """(segment, its (start, end), [(sentence index, start, end, text)]) for every spoken segment."""
        out = []
        for segment, indexes in layout.spoken:
            start, end = spans[indexes[0]][0], spans[indexes[-1]][1]
            sentences = []
            if segment.parts:
                sentences = [(k, spans[i][0], spans[i][1], text) for k, (i, text) in enumerate(zip(indexes, segment.parts))]
            out.append((segment, (start, end), sentences))
        return out

    def tag(spans) -> bytes:
        said = timed(spans)
        return tag_bytes(
            title=plan.title, album=album, artist=artist, track=number, date=date,
            lyrics="\n".join(segment.text for segment, _, _ in said),
            lyrics_lang="eng" if langs == {"en"} else "chi" if langs == {"zh"} else "mul",
            chapters=[Chapter(start, end, chapter_title(segment.text)) for segment, (start, end), _ in said],
        )

    spans = join_mp3(parts, staging.path(file), tag=tag)
    said = timed(spans)
    duration = spans[-1][1] if spans else 0.0
    # Timed text follows the sentence: one line or cue per sentence, in both languages; chapters
    # stay per paragraph.
    cues = [cue for segment, (start, end), sentences in said
            for cue in ([(s, e, text) for _, s, e, text in sentences] or [(start, end, segment.text)])]
    staging.write_text(sidecars["lrc"], lrc_text([(start, text) for start, _, text in cues], title=plan.title,
                                                 album=album, length=duration_label(duration)))
    staging.write_text(sidecars["vtt"], vtt_text(cues))
    staging.write_text(sidecars["srt"], srt_text(cues))
    if "chapters" in sidecars:
        staging.write_text(sidecars["chapters"], chapters_json(
            [(start, end, chapter_title(segment.text)) for segment, (start, end), _ in said],
            title=plan.title, file_name=file.rsplit("/", 1)[-1]))
    if "txt" in sidecars:
        staging.write_text(sidecars["txt"], transcript_text(_transcript_units([segment for segment, _, _ in said]),
                                                            title=plan.title))
    return TrackRecord(
        file=file,
        kind=plan.kind,
        title=plan.title,
        duration_s=round(duration, 3),
        segments=tuple(
            SegmentRecord(id=segment.id, lang=segment.lang, role=segment.role, text=segment.text,
                          start_s=round(start, 3), end_s=round(end, 3), paragraph=segment.paragraph,
                          pair=segment.pair, sentence=segment.sentence,
                          sentences=tuple(SentenceSpan(k, round(s, 3), round(e, 3), text) for k, s, e, text in sentences))
            for segment, (start, end), sentences in said
        ),
        fingerprint=fingerprint,
        sidecars=MappingProxyType(sidecars),
        options=plan.options,
    )


def _drill_options(records: Iterable[TrackRecord], document: Document) -> list[DrillOptions]:
    """The options of earlier drills whose pair (and sentence bead) still exists."""
    from ..errors import UsageError

    out = []
    for t in records:
        if t.kind != "drill" or not t.options:
            continue
        try:
            options = DrillOptions.from_json(t.options)
        except (TypeError, ValueError, UsageError):
            continue  # a drill record from elsewhere: not remade
        if not 1 <= options.pair <= len(document.pairs):
            continue
        beads = document.pairs[options.pair - 1].beads or ()
        if options.sentence is not None and options.sentence > len(beads):
            continue
        out.append(options)
    return out


def build(
    document: Document,
    config: Config,
    *,
    engines: Mapping[str, Engine] | None = None,
    on_event: Listener | None = None,
    output: str | os.PathLike | None = None,
    name: str | None = None,
    stamp: str | None = None,
    drills: bool = False,
) -> BuildResult:
    """Build `document` into `<output>/<name>/`.

    Drill tracks made earlier are remade with their own options when the text changed, and
    dropped when their pair no longer exists; `drills` adds a default drill for every pair that
    has none. `stamp` records what the input was (library builds). `engines` maps spoken
    languages to engines (default: chosen by the config).
    """
    emit = Emitter(on_event)
    run = _Run(document, config, engines=engines, emit=emit, output=output, name=name)

    def plans(previous: Article | None) -> list[TrackPlan]:
        out = plan_article(document, run.voicing, config.timing)
        # Every variant made earlier is remade (by its own options); --drills adds the default one.
        wanted: dict[str, DrillOptions] = {}
        for options in _drill_options(previous.tracks if previous else (), document):
            wanted.setdefault(drill_path(options), options)
        if drills:
            for number in range(1, len(document.pairs) + 1):
                default = DrillOptions(pair=number)
                wanted.setdefault(drill_path(default), default)
        return out + [plan_drill(document, wanted[p], config.timing, run.voicing.order) for p in sorted(wanted)]

    return run.run(plans, keep_others=False, stamp=stamp)


def drill(
    document: Document,
    config: Config,
    options: DrillOptions,
    *,
    engines: Mapping[str, Engine] | None = None,
    on_event: Listener | None = None,
    output: str | os.PathLike | None = None,
    name: str | None = None,
) -> tuple[BuildResult, TrackRecord]:
    """Add (or remake) the drill track of `options` in the article's folder; other tracks stay."""
    emit = Emitter(on_event)
    run = _Run(document, config, engines=engines, emit=emit, output=output, name=name)
    plan = plan_drill(document, options, config.timing, run.voicing.order)  # a bad pair fails before anything is written
    result = run.run(lambda previous: [plan], keep_others=True, previous_header=True)
    record = result.article.track(f"{plan.path}.mp3")
    assert record is not None
    return result, record
