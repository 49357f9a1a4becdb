"""The physical limit of building an article offline: the engine's time to speak every distinct
segment a build needs, one loudness measurement of each segment (BS.1770 integrated loudness,
the least that bringing every segment to -16 LUFS needs; issue 12), plus one encode of all that
audio by one ffmpeg process with the canonical settings. Nothing else (start-up, the limiter,
trimming, joining, tags, files) is counted.

    python bench/limit.py ARTICLE.txt     # prints one JSON object

Run in its own process by bench/run.py, interleaved with the builds it is compared with.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def requests_of(path: str):
    """Every distinct speech request `listen build FILE --engine espeak` makes (as the builder does)."""
    from listen.build.builder import speech_requests
    from listen.config import load_config
    from listen.lexicon import load_lexicon
    from listen.plan.article import plan_article
    from listen.text import load_document
    from listen.voicing import Voicing

    document = load_document(path)
    config = load_config().with_options(engine="espeak")
    voicing = Voicing.decide(document.script, config.voice, config.timing, load_lexicon())
    wanted = speech_requests(plan_article(document, voicing, config.timing), voicing)
    return config, list(wanted.values())


def main() -> None:
    from listen.audio.canonical import ENCODER_ARGS, SAMPLE_RATE
    from listen.audio.ffmpeg import ffmpeg_exe
    from listen.engines.registry import create

    config, requests = requests_of(sys.argv[1])
    t0 = time.perf_counter()
    engine = create("espeak", config)
    audio = [engine.synthesize(r) for r in requests]
    engine_s = time.perf_counter() - t0
    import numpy as np

    from listen.audio.loudness import integrated_loudness

    t2 = time.perf_counter()
    for a in audio:
        samples = np.frombuffer(a.data, "<i2") / 32768.0
        integrated_loudness(samples, a.sample_rate, min(0.4, (len(samples) - 1) / a.sample_rate))
    loudness_s = time.perf_counter() - t2
    rates = {a.sample_rate for a in audio}
    assert len(rates) == 1 and all(a.kind == "pcm" for a in audio), "espeak returns PCM at one rate"
    rate = rates.pop()
    pcm = b"".join(a.data for a in audio)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "all.mp3"
        cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "s16le", "-ar", str(rate),
               "-ac", "1", "-i", "pipe:0", "-ar", str(SAMPLE_RATE), *ENCODER_ARGS, str(out)]
        t1 = time.perf_counter()
        subprocess.run(cmd, input=pcm, check=True)
        encode_s = time.perf_counter() - t1
    print(json.dumps({"segments": len(requests), "audio_s": len(pcm) / 2 / rate, "engine_s": engine_s,
                      "loudness_s": loudness_s, "encode_s": encode_s,
                      "limit_s": engine_s + loudness_s + encode_s}))


if __name__ == "__main__":
    main()
