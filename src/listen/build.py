"""Build the audio of one document: segments, tracks, tags, LRC, playlist and manifest.

`build(document, config)` writes `<output>/<name>/` (see docs/DESIGN.md for the layout). Every
file is written to a temporary name and renamed when complete; `manifest.json` is written last,
so a folder with a manifest is a finished build. A track whose inputs did not change since the
last build (same segments, gaps and tags) is left untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Config
from .engines.base import Engine, create_engine
from .errors import OutputError
from .faults import checkpoint
from .fsutil import atomic_path, atomic_write_text, sweep_temp
from .model import Document
from .plan import Gap, Plan, Segment, TrackPlan, make_plan
from .synth import Progress, Synthesizer, speech_request

MANIFEST = "manifest.json"
PLAYLIST = "playlist.m3u8"
MANIFEST_VERSION = 1
# Tracks listed in the playlist, in this order (per-paragraph files are left out).
PLAYLIST_KINDS = ("alternating", "english", "chinese", "glossary", "pair", "drill")


@dataclass
class BuildResult:
    output: Path
    manifest: dict
    synthesized: int
    cached: int
    engine_calls: int
    engine: str
    warnings: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """Length of the main listening track (alternating, else the first track)."""
        tracks = self.manifest["tracks"]
        main = next((t for t in tracks if t["kind"] == "alternating"), tracks[0] if tracks else None)
        return main["duration_s"] if main else 0.0

    def summary(self) -> dict:
        return {
            "output": str(self.output),
            "synthesized": self.synthesized,
            "cached": self.cached,
            "duration_s": round(self.duration_s, 3),
        }


def build(
    document: Document,
    config: Config,
    *,
    engine: Engine | None = None,
    output: str | os.PathLike | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
    name: str | None = None,
    stamp: str | None = None,
    drills: bool = False,
) -> BuildResult:
    """Build `document` into `<output>/<name>/`.

    Drill tracks made earlier (`listen drill`) are remade with their own options when the text
    changed, and dropped when their pair no longer exists; `drills` adds a default drill for
    every pair that has none. `stamp` records what the input was (library builds).
    """
    plan = make_plan(document, config)
    # Check the output folder before any synthesis, so an unwritable one fails at once; remove
    # temporary files a killed build left there.
    out_dir = Path(output if output is not None else config.output) / (name or document.name)
    _ensure_dir(out_dir)
    sweep_temp(out_dir)
    engine = engine or create_engine(config.engine, config, notify=notify)
    synth = Synthesizer(engine, config, progress=progress)
    audio = synthesize_plan(plan, document, config, synth)

    previous = read_manifest(out_dir)
    album = album_of(document)
    main_tracks = [t for t in plan.tracks if t.kind in PLAYLIST_KINDS]
    entries = []
    for track in plan.tracks:
        number = (main_tracks.index(track) + 1, len(main_tracks)) if track in main_tracks else None
        entries.append(
            write_track(track, audio, out_dir, album=album, artist=config.artist, date=document.date,
                        number=number, previous=previous)
        )
    # Earlier drills of pairs that still exist stay listed (so their files survive the clean-up
    # below) and are remade afterwards; drills of pairs that are gone are removed.
    old_drills = [
        t for t in (previous or {}).get("tracks", [])
        if t.get("kind") == "drill" and (t.get("options") or {}).get("pair", 0) in range(1, len(document.pairs) + 1)
        and (out_dir / t["file"]).exists()
    ]
    entries += old_drills
    manifest = manifest_header(document, config, engine, plan.chinese)
    manifest["tracks"] = entries
    manifest["name"] = out_dir.name
    if stamp:
        manifest["stamp"] = stamp
    write_manifest(out_dir, manifest)
    _remove_stale(out_dir, previous, manifest)
    synthesized, cached = synth.stats.synthesized, synth.stats.cached
    if old_drills or drills:
        from .drill import DrillOptions, make_drill

        wanted = {t["options"]["pair"]: DrillOptions(**t["options"]) for t in old_drills}
        if drills:
            for number in range(1, len(document.pairs) + 1):
                wanted.setdefault(number, DrillOptions(pair=number))
        for number in sorted(wanted):
            made = make_drill(document, config, wanted[number], engine=engine, output=output, name=out_dir.name)
            synthesized += made.synthesized
        manifest = read_manifest(out_dir) or manifest
    return BuildResult(
        output=out_dir,
        manifest=manifest,
        synthesized=synthesized,
        cached=cached,
        engine_calls=synth.stats.engine_calls,
        engine=engine.describe(),
        warnings=list(document.warnings),
    )


def manifest_header(document: Document, config: Config, engine: Engine, chinese: str) -> dict:
    """Everything in manifest.json but the tracks."""
    voices = {
        lang: engine.voice(speech_request("", lang, config, chinese=chinese, script=document.script))
        for lang in ("en", "zh")
    }
    return {
        "version": MANIFEST_VERSION,
        "source": document.source,
        "name": document.name,
        "date": document.date,
        "title": {"zh": document.title_zh, "en": document.title_en},
        "engine": engine.NAME,
        "voices": voices,
        "chinese": chinese,
        "speed": {"en": config.speed_en, "zh": config.speed_zh},
        "paragraphs": {"en": [p.text for p in document.en], "zh": [p.text for p in document.zh]},
        "pairs": [{"en": list(p.en), "zh": list(p.zh)} for p in document.pairs],
        "glossary": [{"term": g.term, "definition": g.definition, "zh": g.zh} for g in document.glossary],
        "warnings": list(document.warnings),
        "tracks": [],
    }


def write_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the playlist, then the manifest (last: a folder with a manifest is a finished build)."""
    from .audio.playlist import m3u8_text

    checkpoint("manifest")
    listed = [e for e in manifest["tracks"] if e["kind"] in PLAYLIST_KINDS]
    atomic_write_text(out_dir / PLAYLIST, m3u8_text([(e["file"], e["duration_s"], e["title"]) for e in listed]))
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def read_manifest(out_dir: Path) -> dict | None:
    """The article folder's manifest, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def synthesize_plan(plan: Plan, document: Document, config: Config, synth: Synthesizer) -> dict[str, Path]:
    """Segment id -> canonical segment MP3, for every segment any track uses."""
    wanted: dict[str, Segment] = {s.id: s for s in plan.segments}
    for track in plan.tracks:
        for segment in track.segments:
            wanted.setdefault(segment.id, segment)
    segments = list(wanted.values())
    requests = [
        speech_request(s.text, s.lang, config, chinese=plan.chinese, script=document.script) for s in segments
    ]
    paths = synth.run(requests)
    return {s.id: p for s, p in zip(segments, paths)}


def write_track(
    track: TrackPlan,
    audio: dict[str, Path],
    out_dir: Path,
    *,
    album: str,
    artist: str,
    date: str | None,
    number: tuple[int, int] | None,
    previous: dict | None,
) -> dict:
    """Join, tag and write one track and its LRC; return its manifest entry."""
    from .audio.lrc import lrc_text
    from .audio.mp3 import Silence, join_mp3
    from .audio.tags import Chapter, write_tags

    file = f"{track.path}.mp3"
    lrc = f"{track.path}.lrc"
    fingerprint = _fingerprint(track, audio, album, artist, date, number)
    old = _previous_track(previous, file)
    if old and old.get("fingerprint") == fingerprint and (out_dir / file).exists() and (out_dir / lrc).exists():
        return old

    parts = [Silence(item.seconds) if isinstance(item, Gap) else audio[item.id] for item in track.items]
    target = out_dir / file
    with atomic_path(target) as tmp:
        times = join_mp3(parts, tmp)
        checkpoint("assemble")
        spans = [(item, t) for item, t in zip(track.items, times) if isinstance(item, Segment)]
        duration = times[-1][1] if times else 0.0
        langs = {item.lang for item, _ in spans}
        write_tags(
            tmp,
            title=track.title,
            album=album,
            artist=artist,
            track=number,
            date=date,
            lyrics="\n".join(item.text for item, _ in spans),
            lyrics_lang="eng" if langs == {"en"} else "chi" if langs == {"zh"} else "mul",
            chapters=[Chapter(start, end, _chapter_title(item)) for item, (start, end) in spans],
        )
        checkpoint("tag")
    atomic_write_text(
        out_dir / lrc,
        lrc_text([(start, item.text) for item, (start, _) in spans], title=track.title, album=album, length_s=duration),
    )
    return {
        "file": file,
        "kind": track.kind,
        "title": track.title,
        "duration_s": round(duration, 3),
        "lrc": lrc,
        "fingerprint": fingerprint,
        "segments": [
            {
                "start_s": round(start, 3),
                "end_s": round(end, 3),
                "lang": item.lang,
                "role": item.role,
                "paragraph": item.paragraph,
                "pair": item.pair,
                "id": item.id,
                "text": item.text,
            }
            for item, (start, end) in spans
        ],
    }


def _chapter_title(segment: Segment) -> str:
    text = segment.text.replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def album_of(document: Document) -> str:
    title = document.title_zh or document.title_en or document.name
    return f"{title} ({document.date})" if document.date else title


def _fingerprint(track: TrackPlan, audio: dict[str, Path], *meta: object) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([track.kind, track.title, *map(str, meta)], ensure_ascii=False).encode())
    for item in track.items:
        if isinstance(item, Gap):
            h.update(f"gap:{item.seconds:.3f}".encode())
        else:
            # Segment files are content-addressed: the file name is the content key.
            h.update(f"seg:{item.id}:{item.text}:{audio[item.id].name}".encode())
    return h.hexdigest()[:32]


def _previous_track(previous: dict | None, file: str) -> dict | None:
    if not previous:
        return None
    return next((t for t in previous.get("tracks", []) if t.get("file") == file), None)


def _remove_stale(out_dir: Path, previous: dict | None, manifest: dict) -> None:
    """Delete files an earlier build wrote that this build no longer has (e.g. a dropped pair)."""
    if not previous:
        return
    keep = {t["file"] for t in manifest["tracks"]} | {t["lrc"] for t in manifest["tracks"]}
    for track in previous.get("tracks", []):
        for rel in (track.get("file"), track.get("lrc")):
            if rel and rel not in keep and ".." not in Path(rel).parts:
                try:
                    (out_dir / rel).unlink()
                except OSError:
                    pass


def _ensure_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"Cannot create the output folder {path}: {exc.strerror or exc}. Choose another folder with -o."
        ) from exc
    if not os.access(path, os.W_OK):
        raise OutputError(f"Cannot write to the output folder {path}: permission denied. Choose another folder with -o.")
