"""Make one track from segment MP3s and gaps, one way, in its own process (bench/run.py times the
whole process, start-up included).

    python bench/join_one.py listen PARTS.json OUT.mp3   # listen's frame-level join (nothing decoded)
    python bench/join_one.py pydub PARTS.json OUT.mp3    # a careful pydub user

PARTS.json: {"parts": [{"path": "seg.mp3"} | {"gap": seconds}, ...]}. The careful pydub user
decodes each distinct file once, concatenates once (one bytes join, not `a + b` in a loop) and
exports once, with the encoder settings listen uses. Prints one JSON object: the time of each
step and the peak memory (VmHWM) of this process.
"""

from __future__ import annotations

import json
import sys
import time
import warnings


def _hwm_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def run_listen(parts: list[dict], out: str) -> dict:
    from listen.audio.join import join_mp3
    from listen.audio.silence import Silence

    t0 = time.perf_counter()
    join_mp3([Silence(p["gap"]) if "gap" in p else p["path"] for p in parts], out)
    return {"join_s": time.perf_counter() - t0}


def run_pydub(parts: list[dict], out: str) -> dict:
    from listen.audio.canonical import ENCODER_ARGS, SAMPLE_RATE
    from listen.audio.ffmpeg import ffmpeg_exe

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
    AudioSegment.converter = ffmpeg_exe()
    level = ENCODER_ARGS[ENCODER_ARGS.index("-compression_level") + 1]
    t0 = time.perf_counter()
    decoded = {}
    for p in parts:
        if "path" in p and p["path"] not in decoded:  # each distinct file decoded once
            decoded[p["path"]] = AudioSegment.from_file(p["path"], format="mp3", codec="mp3").raw_data
    t1 = time.perf_counter()
    silences = {}
    pieces = []
    for p in parts:
        if "gap" in p:
            if p["gap"] not in silences:
                silences[p["gap"]] = AudioSegment.silent(duration=p["gap"] * 1000, frame_rate=SAMPLE_RATE).raw_data
            pieces.append(silences[p["gap"]])
        else:
            pieces.append(decoded[p["path"]])
    track = AudioSegment(data=b"".join(pieces), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)  # one concatenation
    del pieces
    t2 = time.perf_counter()
    track.export(out, format="mp3", codec="libmp3lame", bitrate="48k",
                 parameters=["-compression_level", level, "-reservoir", "0"]).close()
    t3 = time.perf_counter()
    return {"decode_s": t1 - t0, "concatenate_s": t2 - t1, "export_s": t3 - t2, "decodes": len(decoded)}


def main() -> None:
    method, spec, out = sys.argv[1:4]
    with open(spec) as fh:
        parts = json.load(fh)["parts"]
    result = (run_listen if method == "listen" else run_pydub)(parts, out)
    result["hwm_kb"] = _hwm_kb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
