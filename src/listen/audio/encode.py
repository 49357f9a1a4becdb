"""Finished PCM segments -> canonical segment MP3s, through few long-lived encoder processes.

Starting ffmpeg and its codec costs 20-80 ms, more than encoding a sentence, and a build has tens
to hundreds of segments. So segments are not encoded one process each: an `Encoder` writes them
into one continuous stream per input format (sample rate and tempo), each between stretches of
digital silence (`GUARD_FRAMES` long), and cuts the encoded stream at the frame in the middle of
each stretch. The bit reservoir is off, so every frame decodes on its own and the cut pieces are
canonical segment MP3s (`listen.audio.canonical`); the frames around a cut hold nothing but
silence, so a segment joined to any other part starts and ends as cleanly as it would alone.

A segment's frames are handed back (its future resolves) as soon as the encoder has produced
them, while later segments are still being synthesized; `finish()` flushes the streams once no
more segments will come. `encode_segments(...)` does all of this for one batch.

LAME carries adaptive state from frame to frame, so a segment's bytes may differ in their last
bits with what was encoded before it in the same stream; decoded, the difference is below the
codec's own noise, and the cache keeps whichever version was made first.
"""

from __future__ import annotations

import math
import queue
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Iterable

from ..errors import AudioError
from .canonical import CHANNELS, ENCODER_ARGS, FRAME_SAMPLES, SAMPLE_RATE
from .ffmpeg import ffmpeg_exe
from .frames import parse_header

__all__ = [
    "EDGE_LEAD_S", "EDGE_TAIL_S", "ENCODER_DELAY", "GUARD_FRAMES", "LEAD_FRAMES", "TAIL_FRAMES", "Encoder", "Finished",
    "encode_segments",
]

GUARD_FRAMES = 7  # digital silence between two segments of a stream (in output frames)
# Silent frames a segment keeps before its first and after its last sound: enough that the frames
# at a cut hold silence alone (the decoder's window reaches one frame back), and always the same,
# so a track's pauses can be made exactly as long as asked (`EDGE_LEAD_S`, `EDGE_TAIL_S`).
LEAD_FRAMES = 2
TAIL_FRAMES = 2
# Samples from the encoder's input to the decoded output: LAME's 576 plus the decoder's 529
# (ffmpeg reports their sum as the stream's initial padding). Used to find the frames where a
# segment's sound begins and ends.
ENCODER_DELAY = 1105
# The silence a segment brings at each end: its edge frames, plus the part of the frame before
# its sound (segments start at whole output frames, so that part is the encoder delay's
# fraction of a frame) and, at the end, half a frame on average (the sound ends anywhere inside
# its last frame).
EDGE_LEAD_S = (LEAD_FRAMES + (ENCODER_DELAY / FRAME_SAMPLES) % 1) * FRAME_SAMPLES / SAMPLE_RATE
EDGE_TAIL_S = (TAIL_FRAMES + 0.5) * FRAME_SAMPLES / SAMPLE_RATE
_READ_SIZE = 1 << 16
MAX_QUEUED_BYTES = 1 << 20  # audio waiting for an encoder before `submit` waits (~24 s at 22050 Hz)


@dataclass(frozen=True)
class Finished:
    """One segment's finished audio: mono s16le PCM at `sample_rate`, to be played at `tempo`
    (atempo, pitch kept; 1.0 = as it is)."""

    pcm: bytes
    sample_rate: int
    tempo: float = 1.0

    @property
    def format(self) -> tuple[int, float]:
        return (self.sample_rate, self.tempo)


class _Stream:
    """One ffmpeg process encoding an endless stream of one input format."""

    def __init__(self, sample_rate: int, tempo: float):
        if sample_rate <= 0:
            raise AudioError(f"PCM audio has an invalid sample rate: {sample_rate}")
        self.sample_rate = sample_rate
        self.tempo = tempo
        # Input samples per output sample: the guard is measured in the output.
        self._ratio = sample_rate / SAMPLE_RATE * tempo
        # Every segment starts on a whole output frame, the same way wherever it lands in the
        # stream (so its frames do not depend on what came before): segments and guards are
        # padded to a whole number of `unit`s, the fewest input samples that make whole frames.
        self._unit = _unit(sample_rate) if tempo == 1.0 else 1
        frames = FRAME_SAMPLES * self._ratio
        guard = -(-GUARD_FRAMES * frames // self._unit) * self._unit if self._unit > 1 else round(GUARD_FRAMES * frames)
        self._guard = bytes(2 * int(guard))
        filters = [] if tempo == 1.0 else ["-af", f"atempo={tempo:.6g}"]
        resample = [] if sample_rate == SAMPLE_RATE else ["-ar", str(SAMPLE_RATE)]
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "s16le", "-ar", str(sample_rate), "-ac", str(CHANNELS), "-i", "pipe:0",
            *filters, *resample, *ENCODER_ARGS, "pipe:1",
        ]  # fmt: skip
        self._stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as exc:
            self._stderr.close()
            raise AudioError(f"cannot run ffmpeg ({cmd[0]}): {exc.strerror or exc}") from exc
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)  # the queue has room (or the stream ended)
        self._queued = 0  # bytes waiting to be written to ffmpeg
        self._written = 0  # input samples queued so far
        self.backlog = 0  # input samples queued but not yet encoded into a finished segment
        self._cut = self._frame_at(len(self._guard) // 4)  # the middle of the leading guard
        self._waiting: list[tuple[int, int, int, Future]] = []  # (first frame, end frame, samples, future)
        self._error: AudioError | None = None
        self._closed = False  # finish() was called
        self._ended = False  # the writer has stopped
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_loop, name="encoder-writer", daemon=True)
        self._reader = threading.Thread(target=self._read_loop, name="encoder-reader", daemon=True)
        self._writer.start()
        self._reader.start()
        self._put(self._guard)

    def _frame_at(self, input_sample: int) -> int:
        """The output frame boundary nearest to where `input_sample` is heard."""
        return round(self._heard(input_sample))

    def _heard(self, input_sample: int) -> float:
        """Where `input_sample` is heard, in output frames."""
        return (input_sample / self._ratio + ENCODER_DELAY) / FRAME_SAMPLES

    def _put(self, data: bytes) -> None:
        self._written += len(data) // 2
        self._queued += len(data)
        self._queue.put(data)

    def submit(self, pcm: bytes) -> "Future[bytes]":
        future: Future[bytes] = Future()
        samples = len(pcm) // 2
        with self._room:
            # Backpressure: a caller far ahead of the encoder waits here rather than piling up audio.
            while self._queued > MAX_QUEUED_BYTES and self._error is None and not self._ended:
                self._room.wait()
            if self._error is not None:
                future.set_exception(self._error)
                return future
            if self._closed:
                raise RuntimeError("submit after finish()")
            if self._ended:  # the writer stopped early (ffmpeg died): the reader says why, to others
                future.set_exception(AudioError("ffmpeg stopped before it had encoded every segment"))
                return future
            # The segment is the frames from LEAD_FRAMES before the one its sound starts in to
            # TAIL_FRAMES after the one it ends in; the guard's other frames belong to no segment.
            first = max(self._cut, math.floor(self._heard(self._written)) - LEAD_FRAMES)
            self._put(pcm if len(pcm) == 2 * samples else pcm[: 2 * samples])
            end = math.ceil(self._heard(self._written)) + TAIL_FRAMES
            pad = -samples % self._unit
            if pad:
                self._put(bytes(2 * pad))
            self._put(self._guard)
            self._waiting.append((first, end, samples, future))
            self._cut = end
            self.backlog += samples
        return future

    def finish(self) -> None:
        """No more segments: let the encoder flush what it holds and exit."""
        with self._lock:
            if not self._closed:
                self._closed = True
                # More silence before the end, so the last segment is not encoded any differently
                # from the others (LAME pads and flushes its last frames its own way).
                self._queue.put(self._guard * 2)
                self._queue.put(None)

    def _write_loop(self) -> None:
        stdin = self.proc.stdin
        try:
            while True:
                data = self._queue.get()
                if data is None:
                    break
                stdin.write(data)
                with self._room:
                    self._queued -= len(data)
                    self._room.notify_all()
            stdin.close()
        except (OSError, ValueError):  # ffmpeg died (the reader reports why), or was killed
            pass
        finally:
            with self._room:
                self._ended = True  # nothing more is written: no caller may wait for room
                self._room.notify_all()

    def _read_loop(self) -> None:
        stdout = self.proc.stdout
        pending = bytearray()  # bytes of an incomplete frame
        frames: list[bytes] = []  # complete frames from frame number `base` on
        base = 0
        checked = False
        try:
            while True:
                chunk = stdout.read1(_READ_SIZE)
                if not chunk:
                    break
                pending += chunk
                pos = 0
                while pos + 4 <= len(pending):
                    header = parse_header(pending, pos)
                    if header is None or not checked and not _canonical(header):
                        raise AudioError("ffmpeg wrote something that is not a canonical MP3 stream")
                    checked = True
                    if pos + header.length > len(pending):
                        break
                    frames.append(_without_ancillary(pending[pos : pos + header.length], header))
                    pos += header.length
                del pending[:pos]
                base = self._deliver(frames, base)
            self.proc.wait()
            if self.proc.returncode != 0:
                raise AudioError(f"ffmpeg failed: {self._last_error() or f'exit code {self.proc.returncode}'}")
            if self._waiting:
                raise AudioError("ffmpeg stopped before it had encoded every segment")
        except AudioError as exc:
            self._fail(exc)
        except OSError as exc:
            self._fail(AudioError(f"cannot read from ffmpeg: {exc.strerror or exc}"))
        finally:
            self._stderr.close()

    def _deliver(self, frames: list[bytes], base: int) -> int:
        """Resolve every waiting segment whose frames are all here; drop frames no one needs."""
        have = base + len(frames)
        done = []
        with self._lock:
            while self._waiting and self._waiting[0][1] <= have:
                first, end, samples, future = self._waiting.pop(0)
                done.append((future, b"".join(frames[first - base : end - base])))
                self.backlog -= samples
            keep_from = self._waiting[0][0] if self._waiting else self._cut
        for future, data in done:
            future.set_result(data)
        drop = min(max(0, keep_from - base), len(frames))
        del frames[:drop]
        return base + drop

    def _fail(self, exc: AudioError) -> None:
        with self._room:
            self._error = exc
            self._room.notify_all()
            waiting, self._waiting = self._waiting, []
        for *_, future in waiting:
            future.set_exception(exc)

    def _last_error(self) -> str:
        try:
            self._stderr.seek(0)
            lines = [ln.strip() for ln in self._stderr.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except (OSError, ValueError):
            return ""
        return lines[-1] if lines else ""

    def close(self, *, kill: bool = False) -> None:
        """Wait for the process to end (after `finish`), or kill it."""
        if kill:
            with self._room:
                self._closed = True
                self._room.notify_all()
            self._queue.put(None)
            if self.proc.poll() is None:
                self.proc.kill()
        else:
            self.finish()
        self._writer.join()
        self._reader.join()
        if self.proc.poll() is None:  # pragma: no cover - the reader returns only at EOF
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:  # pragma: no cover
                    pass


def _find_ffmpeg() -> None:
    try:
        ffmpeg_exe()
    except AudioError:  # reported by the first segment's encoder
        pass


def _unit(sample_rate: int) -> int:
    """Input samples of the shortest run of whole output frames at `sample_rate` (e.g. 2646 =
    5 frames at 22050 Hz); 1 when no short run exists (an unusual rate: then a segment's length
    may vary by a frame with its place in the stream)."""
    num = FRAME_SAMPLES * sample_rate
    frames = SAMPLE_RATE // math.gcd(num, SAMPLE_RATE)
    return num * frames // SAMPLE_RATE if frames <= 10 else 1


def _without_ancillary(frame: bytearray, header) -> bytes:
    """The frame with the bits after its audio data zeroed. LAME fills them with its name and a
    filler whose phase depends on the frames before; zeroed, a segment's bytes depend on its
    audio alone. Frames using the bit reservoir (main_data_begin != 0) are left as they are."""
    start = 4 + (2 if header.protected else 0)
    side = header.side_info_size
    if header.version == "1" or header.channels != 1 or frame[start] != 0:
        return bytes(frame)
    # MPEG-2 mono side info: main_data_begin (8 bits), private (1), part2_3_length (12), ...
    used = ((frame[start + 1] & 0x7F) << 5) | (frame[start + 2] >> 3)
    data = start + side
    end = data + (used + 7) // 8
    if end > len(frame):
        return bytes(frame)
    if used % 8:
        frame[end - 1] &= (0xFF << (8 - used % 8)) & 0xFF
    frame[end:] = bytes(len(frame) - end)
    return bytes(frame)


def _canonical(header) -> bool:
    return header.version == "2" and header.layer == 3 and header.sample_rate == SAMPLE_RATE and header.channels == 1


class Encoder:
    """Encodes finished segments into canonical MP3 frames with at most `streams` ffmpeg
    processes per input format, started on first use. Thread-safe; use as a context manager
    (leaving it normally waits for every segment; leaving on an exception kills the processes)."""

    def __init__(self, streams: int = 1):
        self.streams = max(1, streams)
        self._pools: dict[tuple[int, float], list[_Stream]] = {}
        self._lock = threading.Lock()
        self.processes = 0  # ffmpeg processes started
        # Finding the bundled ffmpeg runs it once (imageio-ffmpeg checks its binary): let that
        # happen while the engine speaks the first segment.
        threading.Thread(target=_find_ffmpeg, name="encoder-find", daemon=True).start()

    def submit(self, segment: Finished) -> "Future[bytes]":
        """The segment's canonical MP3 frames, once encoded. Empty audio raises AudioError."""
        if not segment.pcm or len(segment.pcm) < 2:
            raise AudioError("no audio to encode")
        with self._lock:
            pool = self._pools.setdefault(segment.format, [])
            if len(pool) < self.streams and all(s.backlog for s in pool):
                pool.append(_Stream(segment.sample_rate, segment.tempo))
                self.processes += 1
            stream = min(pool, key=lambda s: s.backlog)
        return stream.submit(segment.pcm)

    def _all(self) -> list[_Stream]:
        with self._lock:
            return [s for pool in self._pools.values() for s in pool]

    def finish(self) -> None:
        """No more segments: every stream flushes, so every future resolves."""
        for stream in self._all():
            stream.finish()

    def close(self, *, kill: bool = False) -> None:
        for stream in self._all():
            stream.close(kill=kill)

    def __enter__(self) -> "Encoder":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(kill=exc_type is not None)


def encode_segments(segments: Iterable[Finished], *, streams: int = 1) -> list[bytes]:
    """Canonical MP3 frames for each finished segment, in order (one ffmpeg per input format)."""
    with Encoder(streams) as encoder:
        futures = [encoder.submit(s) for s in segments]
        encoder.finish()
        return [f.result() for f in futures]
