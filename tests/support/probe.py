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

__all__ = ["decode", "decode_ok", "decoded_duration"]

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
