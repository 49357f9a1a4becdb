"""HTML rendering for the publish server: the library page and the article page with the player."""

from __future__ import annotations

import html
import json
from urllib.parse import quote

from ..output.library import Entry
from ..output.manifest import KIND_LABELS, PLAYLIST, TrackRecord, duration_label, to_json


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
        '<link rel="stylesheet" href="/static/player.css">\n</head>\n'
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
    """A paragraph as its sentences, each a tappable span tied to its bead (for the counterpart)."""
    paragraph = a.paragraphs[lang][idx]
    sentences = paragraph.sentences or (paragraph.text,)
    joiner = " " if lang == "en" else ""
    spans = []
    for k, text in enumerate(sentences):
        bead = f' data-bead="{_e(beads[k])}"' if k in beads else ""
        spans.append(f'<span class="sent" data-lang="{lang}" data-para="{idx}" data-sent="{k}"{bead}>{_e(text)}</span>')
    return joiner.join(spans)


def _track_label(track: TrackRecord) -> str:
    return KIND_LABELS.get(track.kind) or track.title or track.file


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
        f'<span class="meta">{_e(a.date or "")}</span></header>\n<main id="text" class="wrap">\n'
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
    out.append('<script src="/static/player.js"></script>\n</body>\n</html>\n')
    return "".join(out)


_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true">{}</svg>'
_PLAYER_BAR = f"""<footer id="player" class="player" aria-label="Player">
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
