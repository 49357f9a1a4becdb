"""One long-track assembly, run in its own process so its peak memory is its own (bench/run.py).

    python bench/longtrack.py join|pydub SPEC.json OUT.mp3 [--tracemalloc]

SPEC.json is ``{"parts": [["seg", "/path/segment.mp3"] | ["gap", frames], ...]}``: canonical
segment MP3s and silences in whole 24 ms frames. Prints one JSON line: wall time, a breakdown,
the process's peak RSS (VmHWM) and its RSS before the work started, and with
``--tracemalloc`` the peak of Python allocations.

- ``join``: listen's frame-level join (`listen.audio.mp3.join_mp3`), nothing decoded.
- ``pydub``: decode every segment with ffmpeg to 24 kHz mono s16le PCM -> ``AudioSegment``,
  concatenate with ``AudioSegment.silent`` gaps, export once (pydub runs ffmpeg/libmp3lame,
  48 kbit/s). ffprobe is not needed: the decode is done here, pydub only encodes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
import warnings


def _status_kb(field: str) -> int:
    """A /proc/self/status memory field in KiB. VmHWM, not ru_maxrss: on Linux ru_maxrss of an
    exec'd child starts from its parent's RSS at fork time."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def run_join(parts: list, out: str) -> dict:
    from listen.audio.mp3 import Silence, join_mp3, silence_frames
    from listen.audio.format import FRAME_SECONDS

    silence_frames(1)  # encode the cached silent frame first (one ffmpeg run, not part of a join)
    items = [Silence(value * FRAME_SECONDS) if kind == "gap" else value for kind, value in parts]
    t0 = time.perf_counter()
    join_mp3(items, out)
    return {"seconds": time.perf_counter() - t0, "breakdown": {}}


def run_pydub(parts: list, out: str) -> dict:
    import imageio_ffmpeg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pydub
        from pydub import AudioSegment

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    pydub.AudioSegment.converter = ffmpeg
    rate, frame_ms = 24000, 24
    t0 = time.perf_counter()
    pieces = []
    for kind, value in parts:
        if kind == "gap":
            pieces.append(AudioSegment.silent(duration=value * frame_ms, frame_rate=rate))
        else:
            pcm = subprocess.run(
                [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-i", value,
                 "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate), "-"],
                check=True, capture_output=True,
            ).stdout  # fmt: skip
            pieces.append(AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1))
    t1 = time.perf_counter()
    track = pieces[0]
    for piece in pieces[1:]:
        track = track + piece
    del pieces
    t2 = time.perf_counter()
    track.export(out, format="mp3", bitrate="48k").close()
    t3 = time.perf_counter()
    return {
        "seconds": t3 - t0,
        "breakdown": {"decode_s": t1 - t0, "concatenate_s": t2 - t1, "export_s": t3 - t2},
        "samples": len(track.raw_data) // 2,
    }


def main() -> None:
    method, spec, out = sys.argv[1:4]
    trace = "--tracemalloc" in sys.argv[4:]
    with open(spec) as fh:
        parts = json.load(fh)["parts"]
    # Import everything a method needs before measuring the starting RSS.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import listen.audio.mp3  # noqa: F401
        import pydub  # noqa: F401
    before = _status_kb("VmRSS")
    if trace:
        tracemalloc.start()
    result = (run_join if method == "join" else run_pydub)(parts, out)
    if trace:
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    result["rss_before_kb"] = before
    result["maxrss_kb"] = _status_kb("VmHWM")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
