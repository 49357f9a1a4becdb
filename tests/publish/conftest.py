"""A small fake built library: hand-written manifests and real (sine tone) MP3s made with ffmpeg."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from listen.publish.server import running

SEG_S = 2.0  # every segment lasts this long
GAP_S = 0.5  # silence after every segment

MAIN = {
    "rel": "mingpao-2025-05-12",
    "date": "2025-05-12",
    "title": {"zh": "延長圖書館開放時間 善用公共空間", "en": "Keep libraries open longer"},
    "en": [
        "The Leisure and Cultural Services Department says six major libraries will stay open until "
        "10 pm from next year, and study rooms will open on Sunday mornings on a trial basis.",
        "Homes in Hong Kong are small. Many students cannot find a quiet corner to revise, and seats "
        "in library study rooms are hard to come by.",
        "Longer hours cost little but make a real difference to people's lives. The scheme should be "
        "extended to more districts as soon as possible.",
        "Libraries should also review the balance between printed books and electronic resources, so "
        "that public space truly serves the public.",
    ],
    "zh": [
        "康文署宣布，明年起六間主要圖書館將延長開放時間至晚上十時，並試行於周日早上開放自修室。",
        "香港居住空間狹小，不少學生在家中難以找到安靜角落溫習，圖書館的自修室往往一位難求。",
        "延長開放時間的成本有限，卻能實質改善市民的生活質素，當局應盡快推展至更多地區。",
        "與此同時，圖書館亦應檢討實體藏書與電子資源的比例，讓公共空間真正配合市民需要。",
    ],
    "pairs": [{"en": [0], "zh": [0]}, {"en": [1], "zh": [1]}, {"en": [2], "zh": [2]}, {"en": [3], "zh": [3]}],
    "glossary": [{"term": "study room", "definition": "a quiet room for reading and revision", "zh": "自修室"}],
}
OLDER = {
    "rel": "mingpao-2025-03-01",
    "date": "2025-03-01",
    "title": {"zh": "公共交通票價", "en": None},
    "en": ["Fares should stay affordable."],
    "zh": ["票價應保持可負擔。"],
    "pairs": [{"en": [0], "zh": [0]}],
    "glossary": [],
}
NESTED = {  # nested one level deeper, with a space in the folder name (URL quoting)
    "rel": "2024/op-ed 2024-11-03",
    "date": "2024-11-03",
    "title": {"zh": None, "en": "Quiet streets"},
    "en": ["Night-time noise is a public health issue.", "Enforcement has to be consistent."],
    "zh": ["夜間噪音是公共衞生問題。"],
    "pairs": [{"en": [0], "zh": [0]}, {"en": [1], "zh": []}],
    "glossary": [],
}
ARTICLES = (MAIN, OLDER, NESTED)


def _ffmpeg() -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    return imageio_ffmpeg.get_ffmpeg_exe()


def make_mp3(path: Path, seconds: float, freq: int = 440) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"sine=f={freq}:d={seconds:.3f}", "-ac", "1", "-ar", "24000", "-b:a", "48k", str(path)],
        check=True,
    )


def _timeline(items: list[dict]) -> tuple[list[dict], float]:
    t, segments = 0.0, []
    for item in items:
        segments.append({"start_s": round(t, 3), "end_s": round(t + SEG_S, 3), **item})
        t += SEG_S + GAP_S
    return segments, round(t, 3)


def _seg(lang, role, paragraph, pair, text):
    return {"lang": lang, "role": role, "paragraph": paragraph, "pair": pair, "text": text}


def build_article(root: Path, spec: dict, mp3_cache: dict) -> dict:
    folder = root / spec["rel"]
    folder.mkdir(parents=True)
    title_items = [_seg("zh", "title", None, None, spec["title"]["zh"])] if spec["title"]["zh"] else []
    alternating, english, chinese = list(title_items), [], list(title_items)
    for p, pair in enumerate(spec["pairs"]):
        for lang, bucket in (("en", english), ("zh", chinese)):
            for idx in pair[lang]:
                seg = _seg(lang, "paragraph", idx, p, spec[lang][idx])
                alternating.append(seg)
                bucket.append(seg)
    glossary = [
        {**_seg("en", "glossary", None, None, f"{g['term']}: {g['definition']}"), "id": f"glossary-{k + 1:02d}-term"}
        for k, g in enumerate(spec["glossary"])
    ]
    tracks = []
    for kind, file, title, items in (
        ("alternating", "alternating.mp3", "English and Chinese, pair by pair", alternating),
        ("english", "english.mp3", "English", english),
        ("chinese", "chinese.mp3", "Chinese", chinese),
        ("glossary", "glossary.mp3", "Glossary", glossary),
    ):
        if not items:
            continue
        segments, duration = _timeline(items)
        if duration not in mp3_cache:
            make_mp3(folder / file, duration, freq=330 + 110 * len(mp3_cache))
            mp3_cache[duration] = folder / file
        else:
            shutil.copyfile(mp3_cache[duration], folder / file)
        lrc = file.replace(".mp3", ".lrc")
        (folder / lrc).write_text(
            "".join(f"[{int(s['start_s'] // 60):02d}:{s['start_s'] % 60:05.2f}]{s['text']}\n" for s in segments),
            encoding="utf-8",
        )
        tracks.append({"file": file, "kind": kind, "title": title, "duration_s": duration, "lrc": lrc, "segments": segments})
    (folder / "playlist.m3u8").write_text(
        "#EXTM3U\n" + "".join(f"#EXTINF:{round(t['duration_s'])},{t['title']}\n{t['file']}\n" for t in tracks),
        encoding="utf-8",
    )
    manifest = {
        "version": 1, "source": f"{folder.name}.txt", "name": folder.name, "date": spec["date"],
        "title": spec["title"], "voices": {"en": "test en", "zh": "test yue"}, "engine": "test",
        "chinese": "cantonese", "paragraphs": {"en": spec["en"], "zh": spec["zh"]}, "pairs": spec["pairs"],
        "glossary": spec["glossary"], "tracks": tracks,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Path:
    """root/ with three articles (one nested), a broken manifest, and symlinks pointing outside."""
    base = tmp_path_factory.mktemp("lib")
    root = base / "audio"
    root.mkdir()
    cache: dict = {}
    for spec in ARTICLES:
        build_article(root, spec, cache)
    (root / "broken").mkdir()
    (root / "broken" / "manifest.json").write_text("{not json", encoding="utf-8")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret\n", encoding="utf-8")
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "leakdir").symlink_to(outside, target_is_directory=True)
    (root / "passwd-link").symlink_to("/etc/passwd")
    (root / ".hidden.txt").write_text("hidden\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def main_manifest(library) -> dict:
    return json.loads((library / MAIN["rel"] / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def server(library):
    with running(library, "127.0.0.1", 0) as srv:
        yield srv
