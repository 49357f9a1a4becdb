"""The default offline voices (piper English, espeak Chinese): does a cold build cost little more
than the engines' own work?  Issue 12: cold build <= 1.15 x the engine-only synthesis time of the
same segments, both measured as whole processes (start-up, imports and model loads included).

    .venv/bin/python bench/neural.py [ARTICLE ...] [--repeat 3]

For each article: the segment requests a build makes are recorded once (not timed); then, in
alternation, (a) `listen build ARTICLE` with a fresh output folder and a cache holding only the
alignment dictionary's index (made once per machine, by the recording) and (b) this script's
`engines` mode, which loads the same engines and speaks exactly those requests with the engines'
declared concurrency on a pool of one worker per core, and nothing else (no text reading, no
audio processing, no encoding, no files). Prints one Markdown table row per article (medians).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
SAMPLE = REPO.parent / "shared" / "samples" / "mingpao-2025-05-12.txt"
ARTICLES = [SAMPLE, REPO / "examples" / "night-buses.txt", REPO / "examples" / "library-hours.txt"]


def record(article: Path, tmp: Path) -> Path:
    """The requests a default build of `article` gives its engines, as JSON."""
    from listen.build.builder import build
    from listen.config import load_config
    from listen.engines.auto import select
    from listen.text import load_document

    os.environ["LISTEN_CACHE_DIR"] = str(tmp / "record-cache")
    config = load_config().with_options(output=str(tmp / "record-out"))
    doc = load_document(str(article), cache_dir=tmp / "record-cache")  # keeps the dictionary index
    seen: list[dict] = []

    class Recorder:
        def __init__(self, engine):
            self._engine = engine

        def __getattr__(self, name):
            return getattr(self._engine, name)

        def synthesize(self, request):
            seen.append({"text": request.text, "language": request.language, "script": request.script,
                         "speed": request.speed, "accent": request.accent, "engine": self._engine.name})
            return self._engine.synthesize(request)

    languages = ["en", "yue" if doc.script != "simplified" else "cmn"]
    engines = {lang: Recorder(e) for lang, e in select(config, languages, strict=False).items()}
    build(doc, config, engines=engines)  # type: ignore[arg-type]
    path = tmp / f"{article.stem}.requests.json"
    path.write_text(json.dumps(seen, ensure_ascii=False), "utf-8")
    return path


def engines_only(path: Path) -> None:
    """Speak the recorded requests with the same engines and concurrency; nothing else."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from listen.config import load_config
    from listen.engines import registry
    from listen.engines.base import SpeechRequest

    requests = json.loads(path.read_text("utf-8"))
    config = load_config()
    engines = {name: registry.create(name, config) for name in {r["engine"] for r in requests}}
    slots = {name: threading.BoundedSemaphore(max(1, e.capabilities.concurrency)) for name, e in engines.items()}
    workers = os.cpu_count() or 1

    def speak(r: dict) -> int:
        engine = engines[r["engine"]]
        with slots[r["engine"]]:
            audio = engine.synthesize(SpeechRequest(r["text"], r["language"], r["script"], r["speed"], r["accent"]))
        return len(audio.data)

    # Longest first, as the synthesizer orders them.
    requests.sort(key=lambda r: len(r["text"]), reverse=True)
    with ThreadPoolExecutor(workers) as pool:
        total = sum(pool.map(speak, requests))
    print(json.dumps({"requests": len(requests), "bytes": total}))


def main() -> None:
    from proc import clean_env, listen_command, run

    args = [a for a in sys.argv[1:]]
    repeat = 3
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i: i + 2]
    articles = [Path(a) for a in args] or [a for a in ARTICLES if a.exists()]
    print("| article | segments | cold build (s) | engines only (s) | ratio | runs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for article in articles:
        with tempfile.TemporaryDirectory(prefix="listen-neural-") as tmpdir:
            tmp = Path(tmpdir)
            requests = record(article, tmp)
            count = len(json.loads(requests.read_text("utf-8")))
            builds, engine_runs = [], []
            for k in range(repeat):
                # A new article on a machine that has built one before: the cache holds the
                # alignment dictionary's index (made once per machine) and nothing of this article.
                if (tmp / "record-cache" / "dictionaries").is_dir():  # none when no pair has two sentences
                    shutil.copytree(tmp / "record-cache" / "dictionaries", tmp / f"cache-{k}" / "dictionaries")
                env = clean_env(LISTEN_CACHE_DIR=str(tmp / f"cache-{k}"))
                out = tmp / f"out-{k}"
                engine_runs.append(run([sys.executable, str(Path(__file__).resolve()), "engines", str(requests)], env).seconds)
                builds.append(run([*listen_command(), "build", str(article), "-o", str(out)], env).seconds)
            b, e = statistics.median(builds), statistics.median(engine_runs)
            print(f"| {article.name} | {count} | {b:.2f} | {e:.2f} | {b / e:.2f} | {repeat} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "engines":
        engines_only(Path(sys.argv[2]))
    else:
        main()
