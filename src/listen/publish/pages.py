"""HTML rendering for the publish server: the library page and the article page with the player."""

from __future__ import annotations

import html
import json
from urllib.parse import quote

from ..output.library import Entry
from ..output.manifest import KIND_LABELS, MAIN_KINDS, MANIFEST, PLAYLIST, TrackRecord, duration_label, to_json
from ..text.terms import term_marks


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _path_url(*parts: str) -> str:
    return "/".join(quote(p, safe="") for p in parts)


def _head(title: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="theme-color" content="#f6f4ef" media="(prefers-color-scheme: light)">\n'
        '<meta name="theme-color" content="#16181d" media="(prefers-color-scheme: dark)">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="icon" href="/static/icon.svg" type="image/svg+xml">\n'
        '<link rel="manifest" href="/manifest.webmanifest">\n'
        '<link rel="apple-touch-icon" href="/icons/icon-192.png">\n'
        '<meta name="apple-mobile-web-app-capable" content="yes">\n'
        '<link rel="stylesheet" href="/static/player.css">\n'
        '<script src="/static/offline.js" defer></script>\n</head>\n'
    )


def _fmt_duration(seconds) -> str:
    return duration_label(seconds) if isinstance(seconds, (int, float)) else ""


def render_library(entries: list[Entry], title: str = "listen", feeds: list[tuple[str, str]] | None = None) -> str:
    """The library page; `feeds` are (file, label) of the podcast feeds to offer (default: feed.xml)."""
    rows = []
    for entry in entries:
        a = entry.article
        track = entry.main_track
        pairs = len(a.pairs)
        meta = " · ".join(x for x in (a.date or "", f"{pairs} pair{'s' if pairs != 1 else ''}" if pairs else "",
                                      _fmt_duration(track.duration_s if track else None)) if x)
        names = "".join(
            f'<span class="{lang}" lang="{lang}">{_e(t)}</span>' for lang, t in (("zh", a.titles.zh), ("en", a.titles.en)) if t
        ) or f'<span class="en">{_e(a.name)}</span>'
        rows.append(
            f'<li class="article" data-article="{_e(entry.rel)}" data-date="{_e(a.date or "")}">'
            f'<a href="/a/{_path_url(*entry.rel.split("/"))}/"><span class="date">{_e(meta)}</span>{names}</a></li>'
        )
    body = "\n".join(rows) or '<li class="empty">No built articles yet: run <code>listen build FILE</code>.</li>'
    return (
        _head(title)
        + '<body class="library">\n<main class="wrap">\n'
        f'<header class="lib-head"><h1>{_e(title)}</h1>'
        '<p class="sub">Bilingual listening · tap an article to open the player</p></header>\n'
        f'<ol id="articles" class="articles">\n{body}\n</ol>\n'
        '<section id="offline-list" class="offline-list" hidden><h2>Downloaded for offline</h2><ul></ul></section>\n'
        f'<footer class="lib-foot">{_feed_links(feeds or [("feed.xml", "")])} · subscribe in a podcast app with a link</footer>\n'
        "</main>\n</body>\n</html>\n"
    )


def _feed_links(feeds: list[tuple[str, str]]) -> str:
    return " · ".join(f'<a href="/{_e(file)}">{_e("Podcast feed" + (f" ({label})" if label else ""))}</a>'
                      for file, label in feeds)


def _bead_index(a) -> dict[tuple[str, int], dict[int, str]]:
    """(lang, paragraph) -> sentence index in the paragraph -> its bead ("p<pair>b<bead>")."""
    out: dict[tuple[str, int], dict[int, str]] = {}
    for p, pair in enumerate(a.pairs):
        if not pair.beads:
            continue
        for lang, paragraphs in (("en", pair.en), ("zh", pair.zh)):
            origin = []  # sentence k of the pair's side -> (paragraph, sentence in it)
            for idx in paragraphs:
                if 0 <= idx < len(a.paragraphs.get(lang, ())):
                    count = len(a.paragraphs[lang][idx].sentences) or 1
                    origin += [(idx, k) for k in range(count)]
            for b, bead in enumerate(pair.beads):
                for k in (bead.en if lang == "en" else bead.zh):
                    if 0 <= k < len(origin):
                        idx, n = origin[k]
                        out.setdefault((lang, idx), {})[n] = f"p{p}b{b}"
    return out


def _sentences(a, lang: str, idx: int, beads: dict[int, str]) -> str:
    """A paragraph as its sentences, each a tappable span tied to its bead (for the counterpart),
    with the glossary's terms marked and, over Chinese, the reading of each character as ruby."""
    paragraph = a.paragraphs[lang][idx]
    sentences = paragraph.sentences or (paragraph.text,)
    readings = paragraph.romanisation or ()
    terms = [g.term if lang == "en" else g.zh for g in a.glossary]
    joiner = " " if lang == "en" else ""
    spans = []
    for k, text in enumerate(sentences):
        bead = f' data-bead="{_e(beads[k])}"' if k in beads else ""
        tokens = readings[k].tokens if k < len(readings) else ()
        if "".join(chars for chars, _ in tokens) != text:
            tokens = ((text, None),)
        body = _marked(tokens, term_marks(text, terms, lang))
        spans.append(f'<span class="sent" data-lang="{lang}" data-para="{idx}" data-sent="{k}"{bead}>{body}</span>')
    return joiner.join(spans)


def _marked(tokens, marks: list[tuple[int, int, int]]) -> str:
    """HTML of (characters, reading) tokens: ruby where there is a reading, and each glossary term
    (start, end, glossary index) in a tappable span."""
    cuts = sorted({p for a, b, _ in marks for p in (a, b)})
    pieces: list[tuple[int, str, str | None]] = []  # (start, characters, reading), cut at every mark edge
    pos = 0
    for chars, reading in tokens:
        inner = [c - pos for c in cuts if pos < c < pos + len(chars)] if reading is None else []
        for a, b in zip([0, *inner], [*inner, len(chars)]):
            pieces.append((pos + a, chars[a:b], reading))
        pos += len(chars)
    starts = {a: k for a, _, k in marks}
    ends = {b for _, b, _ in marks}
    out = []
    for start, chars, reading in pieces:
        if start in ends:
            out.append("</span>")
        if start in starts:
            out.append(f'<span class="term" data-term="{starts[start]}" tabindex="0">')
        out.append(f"<ruby>{_e(chars)}<rt>{_e(reading)}</rt></ruby>" if reading else _e(chars))
    if pos in ends:
        out.append("</span>")
    return "".join(out)


def _track_label(track: TrackRecord) -> str:
    return KIND_LABELS.get(track.kind) or track.title or track.file


# What "download" keeps of an article for offline listening: its main tracks and their timed text,
# and the manifest (the page is kept too); not the per-pair, per-paragraph or drill files.
OFFLINE_SIDECARS = ("vtt", "lrc")


def offline_files(entry: Entry) -> list[dict]:
    """The files an article's "download" keeps: [{"url", "file", "bytes"}], URLs under /files/."""
    a = entry.article
    base = "/files/" + _path_url(*entry.rel.split("/")) + "/"
    names = [MANIFEST]
    for t in a.tracks:
        if t.kind in MAIN_KINDS:
            names += [t.file] + [t.sidecars[k] for k in OFFLINE_SIDECARS if k in t.sidecars]
    out = []
    for name in dict.fromkeys(names):
        path = entry.dir / name
        if path.is_file():
            out.append({"url": base + _path_url(*name.split("/")), "file": name, "bytes": path.stat().st_size})
    return out


def render_article(entry: Entry) -> str:
    a = entry.article
    en = [p.text for p in a.paragraphs.get("en", ())]
    zh = [p.text for p in a.paragraphs.get("zh", ())]
    files = "/files/" + _path_url(*entry.rel.split("/")) + "/"
    out = [_head(a.titles.both(a.name)),
           f'<body class="article" data-files="{_e(files)}" data-name="{_e(a.name)}" data-learning="{_e(a.learning)}">\n']
    out.append(
        '<header class="top"><a class="back" href="/" aria-label="Library">'
        '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 5l-7 7 7 7"/></svg>Library</a>'
        f'<span class="meta">{_e(a.date or "")}</span>'
        '<button id="offline" class="chip offline" type="button" aria-pressed="false" hidden>Download</button></header>\n'
        '<p id="offline-note" class="offline-note wrap" hidden></p>\n<main id="text" class="wrap">\n'
    )
    title_parts = "".join(
        f'<span class="t-{lang}" lang="{lang}" data-lang="{lang}" data-title="{lang}">{_e(t)}</span>'
        for lang, t in (("zh", a.titles.zh), ("en", a.titles.en))
        if t
    )
    if title_parts:
        out.append(f'<h1 class="title unit" data-unit="t" tabindex="0">{title_parts}</h1>\n')
    out.append('<ol class="pairs" id="pairs">\n')
    beads_of = _bead_index(a)
    for i, pair in enumerate(a.pairs):
        paras = []
        for lang, texts, indexes in (("en", en, pair.en), ("zh", zh, pair.zh)):
            for idx in indexes:
                if 0 <= idx < len(texts):
                    paras.append(f'<p class="para {lang}" lang="{lang}" data-lang="{lang}" data-para="{idx}">'
                                 f'{_sentences(a, lang, idx, beads_of.get((lang, idx), {}))}</p>')
        out.append(
            f'<li class="pair unit" id="pair-{i + 1}" data-pair="{i}" data-unit="p{i}" tabindex="0">'
            f'<span class="num" aria-hidden="true">{i + 1}</span><div class="texts">{"".join(paras)}</div></li>\n'
        )
    out.append("</ol>\n")
    if a.glossary:
        out.append('<section class="glossary"><h2>Glossary</h2><dl>\n')
        for k, g in enumerate(a.glossary):
            zh_term = f' <span class="g-zh" lang="zh">{_e(g.zh)}</span>' if g.zh else ""
            out.append(
                f'<div class="gloss unit" data-gloss="{k}" data-unit="g{k}" tabindex="0">'
                f'<dt lang="en">{_e(g.term)}{zh_term}</dt><dd>{_e(g.definition)}</dd></div>\n'
            )
        out.append("</dl></section>\n")
    links = [f'<a href="{_e(files + _path_url(*t.file.split("/")))}" download>{_e(_track_label(t))}</a>'
             for t in a.tracks if t.kind in KIND_LABELS]
    if (entry.dir / PLAYLIST).is_file():
        links.append(f'<a href="{_e(files + PLAYLIST)}">{PLAYLIST}</a>')
    links.append('<a href="transcript.txt">transcript.txt</a>')
    out.append(f'<p class="downloads">Files: {" · ".join(links)}</p>\n</main>\n')
    out.append(_PLAYER_BAR)
    data = json.dumps(to_json(a), ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    out.append(f'<script type="application/json" id="manifest">{data}</script>\n')
    keep = json.dumps(offline_files(entry), ensure_ascii=False).replace("<", "\\u003c")
    out.append(f'<script type="application/json" id="offline-files">{keep}</script>\n')
    out.append('<script src="/static/player.js"></script>\n</body>\n</html>\n')
    return "".join(out)


_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true">{}</svg>'
_PLAYER_BAR = f"""<div id="gloss-card" class="gloss-card" role="dialog" aria-label="Glossary term" hidden>
<button id="gc-close" class="gc-close" type="button" aria-label="Close">×</button>
<p class="gc-head"><b id="gc-term" lang="en"></b> <span id="gc-zh" lang="zh"></span></p>
<p id="gc-def" class="gc-def" lang="en"></p>
<button id="gc-play" class="chip" type="button">▶ Hear it</button>
<audio id="gloss-audio" preload="none"></audio>
</div>
<footer id="player" class="player" aria-label="Player">
<audio id="audio" preload="metadata"></audio>
<div id="cue" class="cue" role="status" aria-live="assertive" hidden>Your turn</div>
<div class="row info"><select id="track" aria-label="Track"></select><span id="where" class="where" aria-live="polite"></span></div>
<div class="row progress"><span id="time" class="time">0:00</span><input id="seek" type="range" min="0" max="0" step="0.1" value="0" aria-label="Position"><span id="duration" class="time">0:00</span></div>
<div class="row tools">
<label class="speed"><span class="sr">Speed</span><select id="speed" aria-label="Speed">
<option value="0.5">0.5×</option><option value="0.6">0.6×</option><option value="0.7">0.7×</option><option value="0.75">0.75×</option><option value="0.8">0.8×</option><option value="0.9">0.9×</option><option value="1" selected>1×</option><option value="1.1">1.1×</option><option value="1.25">1.25×</option><option value="1.5">1.5×</option>
</select></label>
<button id="loop-sent" class="chip" type="button" aria-pressed="false" title="Loop this sentence (S)">⟲ Sentence</button>
<button id="loop" class="chip" type="button" aria-pressed="false" aria-label="Loop this pair" title="Loop this pair (L)">⟲ Pair</button>
<button id="listen-first" class="chip" type="button" aria-pressed="false" title="Hide the language you are learning until you reveal it (F)">Listen first</button>
<button id="reveal" class="chip" type="button" hidden title="Show every hidden sentence (A)">Show all</button>
<button id="roman" class="chip" type="button" aria-pressed="false" hidden title="Show the reading over the Chinese (J)">Jyutping</button>
</div>
<div class="row controls">
<button id="prev" class="btn small" type="button" aria-label="Previous pair" title="Previous pair (↑)">{_ICON.format('<path d="M6 5v14M19 5L9 12l10 7z"/>')}</button>
<button id="prev-sent" class="btn" type="button" aria-label="Previous sentence" title="Previous sentence (←)">{_ICON.format('<path d="M15 5l-7 7 7 7"/>')}</button>
<button id="play" class="btn play" type="button" aria-label="Play" title="Play / pause (Space)"><span class="i-play">{_ICON.format('<path d="M8 5l11 7-11 7z"/>')}</span><span class="i-pause">{_ICON.format('<path d="M7 5h3v14H7zM14 5h3v14h-3z"/>')}</span></button>
<button id="next-sent" class="btn" type="button" aria-label="Next sentence" title="Next sentence (→)">{_ICON.format('<path d="M9 5l7 7-7 7"/>')}</button>
<button id="next" class="btn small" type="button" aria-label="Next pair" title="Next pair (↓)">{_ICON.format('<path d="M18 5v14M5 5l10 7-10 7z"/>')}</button>
</div>
</footer>
"""
