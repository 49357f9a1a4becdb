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
from typing import Callable, Iterable, Mapping, Sequence

from ..config import Config
from ..engines.base import Engine
from ..events import Emitter, Listener, TrackKept, TrackWritten
from ..model import Document
from ..output.commit import ArticleFolder, Staging
from ..output.manifest import (
    NUMBERED_KINDS,
    Article,
    GlossaryRecord,
    PairRecord,
    ParagraphRecord,
    SegmentRecord,
    Titles,
    TrackRecord,
)
from ..plan.article import plan_article
from ..plan.drill import DrillOptions, plan_drill
from ..plan.items import Echo, Gap, Segment, TrackPlan
from ..synth.synthesizer import Synthesizer
from ..voicing import Voicing

__all__ = ["BuildResult", "build", "drill"]

# Bump when the way a track's bytes are made from its inputs changes (tag layout, sidecars), so
# tracks written by an earlier version are rewritten.
TRACK_FORMAT = "2"


@dataclass
class BuildResult:
    output: Path  # the article folder
    article: Article
    synthesized: int = 0
    cached: int = 0
    engine_calls: int = 0
    engines: dict[str, str] = field(default_factory=dict)  # document language -> engine description
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
            "warnings": list(self.warnings),
        }


def _languages(document: Document, voicing: Voicing) -> list[str]:
    langs = []
    if document.en or document.title_en or document.glossary:
        langs.append("en")
    if document.zh or document.title_zh or any(g.zh for g in document.glossary):
        langs.append("zh")
    return [voicing.language(lang) for lang in langs]


class _Run:
    """One build of one article folder."""

    def __init__(self, document: Document, config: Config, *, engines: Mapping[str, Engine] | None,
                 emit: Emitter, output: str | os.PathLike | None, name: str | None):
        self.document = document
        self.config = config
        self.emit = emit
        self.voicing = Voicing.decide(document.script, config.voice, config.timing)
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
                lang: tuple(ParagraphRecord(p.text, tuple(p.sentences)) for p in getattr(doc, lang)) for lang in ("en", "zh")
            }),
            pairs=tuple(PairRecord(tuple(p.en), tuple(p.zh)) for p in doc.pairs),
            glossary=tuple(GlossaryRecord(g.term, g.definition, g.zh) for g in doc.glossary),
            warnings=tuple(doc.warnings),
            stamp=stamp if stamp is not None else (previous.stamp if previous else None),
        )

    def run(self, make_plans: Callable[[Article | None], list[TrackPlan]], *, keep_others: bool,
            stamp: str | None = None, previous_header: bool = False) -> BuildResult:
        for warning in self.document.warnings:
            self.emit.warn(warning)
        with self.folder.building():
            previous = self.folder.read()
            plans = make_plans(previous)
            engines = self.engines()
            synth = Synthesizer(engines, self.config, emit=self.emit)
            audio = self._synthesize(plans, synth)
            header = self.header(engines, previous, stamp)
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
        return BuildResult(
            output=self.folder.path,
            article=article,
            synthesized=synth.stats.synthesized,
            cached=synth.stats.cached,
            engine_calls=synth.stats.engine_calls,
            engines={lang: e.describe() for lang, e in ((l, engines.get(self.voicing.language(l))) for l in ("en", "zh")) if e},
            warnings=list(self.emit.warnings),  # the text's, and the build's own (a damaged cache)
            written=written,
            kept=kept,
        )

    # -- synthesis

    def _voicing(self, plan: TrackPlan) -> Voicing:
        return self.voicing if plan.speed is None else self.voicing.with_speed(plan.speed)

    def _synthesize(self, plans: Sequence[TrackPlan], synth: Synthesizer) -> dict[tuple[str, str, float], Path]:
        """(segment id, text, speed) -> canonical segment MP3, for every segment any plan uses."""
        wanted: dict[tuple[str, str, float], object] = {}
        for plan in plans:
            voicing = self._voicing(plan)
            for segment in plan.segments:
                key = (segment.id, segment.text, voicing.speed(segment.lang))
                if key not in wanted:
                    wanted[key] = voicing.request(segment.text, segment.lang)
        keys = list(wanted)
        paths = synth.run([wanted[k] for k in keys])  # type: ignore[misc]
        return dict(zip(keys, paths))

    # -- tracks

    def _write(self, plans, audio, header: Article, previous: Article | None, staging: Staging,
               keep_others: bool) -> tuple[list[TrackRecord], list[str], list[str]]:
        from ..audio.frames import mp3_duration

        lengths: dict[Path, float] = {}

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
            resolved = []
            for item in plan.items:
                if isinstance(item, Segment):
                    resolved.append(audio[(item.id, item.text, speed_of(item.lang))])
                elif isinstance(item, Gap):
                    resolved.append(Gap(item.seconds))
                else:
                    by_id = {s.id: s for s in plan.segments}
                    said = sum(length(audio[(by_id[i].id, by_id[i].text, speed_of(by_id[i].lang))]) for i in item.of)
                    resolved.append(Gap(max(said * item.factor, item.minimum_s)))
            number = (listed.index(plan) + 1, len(listed)) if plan in listed else None
            fingerprint = _fingerprint(plan, resolved, header.album, self.config.output.artist, header.date, number)
            old = previous.track(f"{plan.path}.mp3") if previous else None
            if old is not None and old.fingerprint == fingerprint and all((self.folder.path / f).exists() for f in old.files):
                records.append(old)
                kept.append(old.file)
                self.emit(TrackKept(old.file, old.kind))
                continue
            record = _write_track(plan, resolved, staging, header.album, self.config.output.artist, header.date,
                                  number, fingerprint)
            records.append(record)
            written.append(record.file)
            self.emit(TrackWritten(record.file, record.kind))
        return records, written, kept


def _fingerprint(plan: TrackPlan, resolved: list, *meta: object) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([TRACK_FORMAT, plan.kind, plan.title, *map(str, meta),
                         dict(plan.options) if plan.options else None], ensure_ascii=False, default=str).encode())
    for item, part in zip(plan.items, resolved):
        if isinstance(part, Gap):
            h.update(f"gap:{part.seconds:.3f}".encode())
        else:
            # Segment files are content-addressed: the file name is the content key.
            h.update(f"seg:{item.id}:{item.text}:{part.name}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def _chapter_title(segment: Segment) -> str:
    text = " ".join(segment.text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _write_track(plan: TrackPlan, resolved: list, staging: Staging, album: str, artist: str, date: str | None,
                 number: tuple[int, int] | None, fingerprint: str) -> TrackRecord:
    from ..audio.join import join_mp3
    from ..audio.lrc import lrc_text
    from ..audio.silence import Silence
    from ..audio.tags import Chapter, tag_bytes

    file, lrc = f"{plan.path}.mp3", f"{plan.path}.lrc"
    parts = [Silence(p.seconds) if isinstance(p, Gap) else p for p in resolved]
    segments = [item for item in plan.items if isinstance(item, Segment)]
    langs = {s.lang for s in segments}

    def spoken(spans):
        return [(item, span) for item, span in zip(plan.items, spans) if isinstance(item, Segment)]

    def tag(spans) -> bytes:
        said = spoken(spans)
        return tag_bytes(
            title=plan.title, album=album, artist=artist, track=number, date=date,
            lyrics="\n".join(item.text for item, _ in said),
            lyrics_lang="eng" if langs == {"en"} else "chi" if langs == {"zh"} else "mul",
            chapters=[Chapter(start, end, _chapter_title(item)) for item, (start, end) in said],
        )

    spans = join_mp3(parts, staging.path(file), tag=tag)
    said = spoken(spans)
    duration = spans[-1][1] if spans else 0.0
    staging.write_text(lrc, lrc_text([(start, item.text) for item, (start, _) in said], title=plan.title,
                                     album=album, length_s=duration))
    return TrackRecord(
        file=file,
        kind=plan.kind,
        title=plan.title,
        duration_s=round(duration, 3),
        segments=tuple(
            SegmentRecord(id=item.id, lang=item.lang, role=item.role, text=item.text, start_s=round(start, 3),
                          end_s=round(end, 3), paragraph=item.paragraph, pair=item.pair, sentence=item.sentence)
            for item, (start, end) in said
        ),
        fingerprint=fingerprint,
        sidecars=MappingProxyType({"lrc": lrc}),
        options=plan.options,
    )


def _drill_options(records: Iterable[TrackRecord], pairs: int) -> list[DrillOptions]:
    """The options of earlier drills whose pair still exists."""
    out = []
    for t in records:
        if t.kind != "drill" or not t.options:
            continue
        try:
            options = DrillOptions.from_json(t.options)
        except (TypeError, ValueError):
            continue  # a drill record from elsewhere: not remade
        if 1 <= options.pair <= pairs:
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
        wanted = {o.pair: o for o in _drill_options(previous.tracks if previous else (), len(document.pairs))}
        if drills:
            for number in range(1, len(document.pairs) + 1):
                wanted.setdefault(number, DrillOptions(pair=number))
        return out + [plan_drill(document, wanted[n], config.timing) for n in sorted(wanted)]

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
    plan = plan_drill(document, options, config.timing)  # a bad pair fails before anything is written
    result = run.run(lambda previous: [plan], keep_others=True, previous_header=True)
    record = result.article.track(f"{plan.path}.mp3")
    assert record is not None
    return result, record
