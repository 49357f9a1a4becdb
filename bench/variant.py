"""Run the `listen` command line with another way of encoding segments, to compare them in one run.

    python bench/variant.py stream ARGS...       # one long-lived encoder per input format
    python bench/variant.py pool2 ARGS...        # a pool of two (as shipped on 2 or more cores)
    python bench/variant.py per-segment ARGS...  # one ffmpeg process per segment (listen 0.2 before issue 10)

Nothing in src/ knows about this: the variants replace `listen.audio.encode.Encoder` (looked up
by the synthesizer when a run starts) or its pool size before the command runs.
"""

from __future__ import annotations

import sys


def main() -> None:
    variant = sys.argv.pop(1)
    import listen.audio.encode as encode
    import listen.synth.synthesizer as synthesizer

    if variant in ("stream", "pool2"):
        synthesizer.ENCODER_STREAMS = 1 if variant == "stream" else 2
    elif variant == "per-segment":

        class PerSegment(encode.Encoder):
            """A new encoder process for every segment, flushed at once."""

            def submit(self, segment):
                if not segment.pcm or len(segment.pcm) < 2:
                    raise encode.AudioError("no audio to encode")
                stream = encode._Stream(segment.sample_rate, segment.tempo)
                future = stream.submit(segment.pcm)
                stream.finish()
                with self._lock:
                    self._pools.setdefault((id(stream), 0.0), []).append(stream)
                    self.processes += 1
                return future

        encode.Encoder = PerSegment
    else:
        raise SystemExit(f"unknown variant {variant!r}")
    from listen.cli import main as listen_main

    listen_main()


if __name__ == "__main__":
    main()
