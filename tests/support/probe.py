"""Decode-based checks for tests: exact decoded duration, clean decode.

Decoding streams ffmpeg's output in chunks, so memory does not grow with the file's length.
"""

from __future__ import annotations

import os
import struct
import subprocess
import threading

from listen.errors import AudioError
from listen.audio.ffmpeg import ffmpeg_exe

__all__ = ["decode", "decode_ok", "decode_samples", "decoded_duration", "largest_jumps"]

_CHUNK = 1 << 16


def decode(path: str | os.PathLike) -> tuple[int, int, str]:
    """Decode `path` to mono 16-bit PCM: (sample_rate, samples, stderr text). Never raises on
    a decode error (it is reported in the stderr text) but does when ffmpeg cannot run."""
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error",
        "-i", os.fspath(path), "-vn", "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", "-",
    ]  # fmt: skip
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg ({cmd[0]}): {exc.strerror or exc}") from exc
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    assert proc.stdout is not None
    header = b""
    rate = 0
    data_bytes = 0
    in_data = False
    while True:
        chunk = proc.stdout.read(_CHUNK)
        if not chunk:
            break
        if in_data:
            data_bytes += len(chunk)
            continue
        header += chunk
        rate, offset = _parse_wav_header(header)
        if offset >= 0:
            in_data = True
            data_bytes += len(header) - offset
            header = b""
    proc.wait()
    reader.join()
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    if proc.returncode != 0 and not stderr.strip():
        stderr = f"ffmpeg exit code {proc.returncode}"
    return rate, data_bytes // 2, stderr


def _parse_wav_header(buf: bytes) -> tuple[int, int]:
    """(sample_rate, offset of the sample data) or (0, -1) if `buf` is too short yet."""
    if len(buf) < 12:
        return 0, -1
    if buf[:4] != b"RIFF" or buf[8:12] != b"WAVE":
        raise AudioError("ffmpeg did not produce WAV output")
    pos = 12
    rate = 0
    while pos + 8 <= len(buf):
        chunk_id = buf[pos : pos + 4]
        size = struct.unpack_from("<I", buf, pos + 4)[0]
        if chunk_id == b"fmt ":
            if pos + 8 + 8 > len(buf):
                return 0, -1
            rate = struct.unpack_from("<I", buf, pos + 12)[0]
        elif chunk_id == b"data":
            return rate, pos + 8
        pos += 8 + size + (size & 1)
    return 0, -1


def decoded_duration(path: str | os.PathLike) -> float:
    """Seconds of audio ffmpeg decodes from `path` (samples / rate; exact)."""
    rate, samples, stderr = decode(path)
    if not rate:
        raise AudioError(f"cannot decode {path}: {stderr.strip().splitlines()[-1] if stderr.strip() else 'no audio'}")
    return samples / rate


def decode_ok(path: str | os.PathLike) -> bool:
    """True when ffmpeg decodes `path` with no error output and at least one sample."""
    try:
        rate, samples, stderr = decode(path)
    except AudioError:
        return False
    return bool(rate) and samples > 0 and not stderr.strip()


def decode_pcm(path: str | os.PathLike) -> tuple[int, "array.array"]:
    """(sample rate, mono 16-bit samples) of `path`, decoded by ffmpeg."""
    import array

    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", os.fspath(path), "-vn", "-ac", "1",
           "-f", "s16le", "-c:a", "pcm_s16le", "-"]
    proc = subprocess.run(cmd, capture_output=True, check=True)
    rate, _samples, _err = decode(path)
    samples = array.array("h")
    samples.frombytes(proc.stdout[: len(proc.stdout) // 2 * 2])
    return rate, samples


def decode_samples(path: str | os.PathLike | bytes, rate: int = 24000) -> "array.array":
    """Every decoded sample of an MP3 (a path, or its bytes) as mono 16-bit integers at `rate`."""
    import array

    data = path if isinstance(path, (bytes, bytearray)) else None
    source = "pipe:0" if data is not None else os.fspath(path)
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-f", "mp3", "-i", source,
           "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"]
    proc = subprocess.run(cmd, input=data, stdin=None if data is not None else subprocess.DEVNULL,
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise AudioError(f"cannot decode: {proc.stderr.decode('utf-8', 'replace').strip()}")
    samples = array.array("h")
    samples.frombytes(proc.stdout[: len(proc.stdout) // 2 * 2])
    return samples


def largest_jumps(samples, times_s, *, window_s: float = 0.005, rate: int = 24000) -> list[float]:
    """For each time: the largest step between two neighbouring samples within `window_s` of
    it, in dBFS (-inf for none), i.e. how loud a click at a join would be."""
    import math

    out = []
    half = int(round(window_s * rate))
    for t in times_s:
        centre = int(round(t * rate))
        lo, hi = max(1, centre - half), min(len(samples), centre + half + 1)
        step = max((abs(samples[i] - samples[i - 1]) for i in range(lo, hi)), default=0)
        out.append(20 * math.log10(step / 32768) if step else -math.inf)
    return out
