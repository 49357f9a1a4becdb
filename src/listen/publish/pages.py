"""HTML rendering for the publish server: the library page and the article page with the player."""

from __future__ import annotations

import html
import json
from urllib.parse import quote

from .library import Article

KIND_LABELS = {
    "alternating": "EN ⇄ 中 alternating",
    "english": "English",
    "chinese": "中文 Chinese",
    "glossary": "Glossary",
}


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
    if not isinstance(seconds, (int, float)):
        return ""
    total = int(round(seconds))
    m, s = divmod(total, 60)
    return f"{m}:{s:02d}"


def render_library(articles: list[Article], title: str = "listen") -> str:
    rows = []
    for a in articles:
        track = a.main_track or {}
        pairs = len(a.manifest.get("pairs") or [])
        meta = " · ".join(x for x in (a.date or "", f"{pairs} pair{'s' if pairs != 1 else ''}" if pairs else "", _fmt_duration(track.get("duration_s"))) if x)
        zh, en = a.title_zh, a.title_en
        names = "".join(
            f'<span class="{cls}" lang="{lang}">{_e(t)}</span>' for cls, lang, t in (("zh", "zh", zh), ("en", "en", en)) if t
        ) or f'<span class="en">{_e(a.name)}</span>'
        rows.append(
            f'<li class="article" data-article="{_e(a.rel)}" data-date="{_e(a.date or "")}">'
            f'<a href="/a/{_path_url(*a.rel.split("/"))}/"><span class="date">{_e(meta)}</span>{names}</a></li>'
        )
    body = "\n".join(rows) or '<li class="empty">No built articles yet: run <code>listen build FILE</code>.</li>'
    return (
        _head(title)
        + '<body class="library">\n<main class="wrap">\n'
        f'<header class="lib-head"><h1>{_e(title)}</h1>'
        '<p class="sub">Bilingual listening · tap an article to open the player</p></header>\n'
        f'<ol id="articles" class="articles">\n{body}\n</ol>\n'
        '<footer class="lib-foot"><a href="/feed.xml">Podcast feed</a> · subscribe in a podcast app with this link</footer>\n'
        "</main>\n</body>\n</html>\n"
    )


def _paras(manifest: dict, lang: str) -> list[str]:
    value = (manifest.get("paragraphs") or {}).get(lang) or []
    return [str(p) for p in value]


def _track_label(track: dict) -> str:
    kind = track.get("kind", "")
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    return str(track.get("title") or track.get("file"))


def render_article(article: Article) -> str:
    m = article.manifest
    en, zh = _paras(m, "en"), _paras(m, "zh")
    pairs = m.get("pairs") or []
    files = "/files/" + _path_url(*article.rel.split("/")) + "/"
    out = [_head(article.title), f'<body class="article" data-files="{_e(files)}" data-name="{_e(article.name)}">\n']
    out.append(
        '<header class="top"><a class="back" href="/" aria-label="Library">'
        '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M15 5l-7 7 7 7"/></svg>Library</a>'
        f'<span class="meta">{_e(article.date or "")}</span></header>\n<main id="text" class="wrap">\n'
    )
    title_parts = "".join(
        f'<span class="t-{lang}" lang="{lang}" data-lang="{lang}" data-title="{lang}">{_e(t)}</span>'
        for lang, t in (("zh", article.title_zh), ("en", article.title_en))
        if t
    )
    if title_parts:
        out.append(f'<h1 class="title unit" data-unit="t" tabindex="0">{title_parts}</h1>\n')
    out.append('<ol class="pairs" id="pairs">\n')
    for i, pair in enumerate(pairs):
        paras = []
        for lang, texts in (("en", en), ("zh", zh)):
            for idx in pair.get(lang) or []:
                if isinstance(idx, int) and 0 <= idx < len(texts):
                    paras.append(f'<p class="para {lang}" lang="{lang}" data-lang="{lang}" data-para="{idx}">{_e(texts[idx])}</p>')
        out.append(
            f'<li class="pair unit" id="pair-{i + 1}" data-pair="{i}" data-unit="p{i}" tabindex="0">'
            f'<span class="num" aria-hidden="true">{i + 1}</span><div class="texts">{"".join(paras)}</div></li>\n'
        )
    out.append("</ol>\n")
    glossary = [g for g in m.get("glossary") or [] if isinstance(g, dict)]
    if glossary:
        out.append('<section class="glossary"><h2>Glossary</h2><dl>\n')
        for k, g in enumerate(glossary):
            zh_term = f' <span class="g-zh" lang="zh">{_e(g["zh"])}</span>' if g.get("zh") else ""
            out.append(
                f'<div class="gloss unit" data-gloss="{k}" data-unit="g{k}" tabindex="0">'
                f'<dt lang="en">{_e(g.get("term", ""))}{zh_term}</dt><dd>{_e(g.get("definition", ""))}</dd></div>\n'
            )
        out.append("</dl></section>\n")
    links = [f'<a href="{_e(files + _path_url(*t["file"].split("/")))}" download>{_e(_track_label(t))}</a>'
             for t in article.tracks if t.get("kind") in KIND_LABELS]
    if (article.dir / "playlist.m3u8").is_file():
        links.append(f'<a href="{_e(files)}playlist.m3u8">playlist.m3u8</a>')
    links.append('<a href="transcript.txt">transcript.txt</a>')
    out.append(f'<p class="downloads">Files: {" · ".join(links)}</p>\n</main>\n')
    out.append(_PLAYER_BAR)
    data = json.dumps(m, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    out.append(f'<script type="application/json" id="manifest">{data}</script>\n')
    out.append('<script src="/static/player.js"></script>\n</body>\n</html>\n')
    return "".join(out)


_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true">{}</svg>'
_PLAYER_BAR = f"""<footer id="player" class="player" aria-label="Player">
<audio id="audio" preload="metadata"></audio>
<div class="row info"><select id="track" aria-label="Track"></select><span id="where" class="where" aria-live="polite"></span></div>
<div class="row progress"><span id="time" class="time">0:00</span><input id="seek" type="range" min="0" max="0" step="0.1" value="0" aria-label="Position"><span id="duration" class="time">0:00</span></div>
<div class="row controls">
<label class="speed"><span class="sr">Speed</span><select id="speed" aria-label="Speed">
<option value="0.5">0.5×</option><option value="0.6">0.6×</option><option value="0.7">0.7×</option><option value="0.75">0.75×</option><option value="0.8">0.8×</option><option value="0.9">0.9×</option><option value="1" selected>1×</option><option value="1.1">1.1×</option><option value="1.25">1.25×</option><option value="1.5">1.5×</option>
</select></label>
<button id="prev" class="btn" type="button" aria-label="Previous pair">{_ICON.format('<path d="M6 5v14M19 5L9 12l10 7z"/>')}</button>
<button id="play" class="btn play" type="button" aria-label="Play"><span class="i-play">{_ICON.format('<path d="M8 5l11 7-11 7z"/>')}</span><span class="i-pause">{_ICON.format('<path d="M7 5h3v14H7zM14 5h3v14h-3z"/>')}</span></button>
<button id="next" class="btn" type="button" aria-label="Next pair">{_ICON.format('<path d="M18 5v14M5 5l10 7-10 7z"/>')}</button>
<button id="loop" class="btn loop" type="button" aria-pressed="false" aria-label="Loop this pair">{_ICON.format('<path d="M4 11V9a3 3 0 0 1 3-3h11l-3-3M20 13v2a3 3 0 0 1-3 3H6l3 3"/>')}<span class="lbl">Loop</span></button>
</div>
</footer>
"""
