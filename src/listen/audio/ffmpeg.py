"""Locate and run the ffmpeg binary shipped in the imageio-ffmpeg wheel (there is no ffprobe)."""

from __future__ import annotations

import functools
import os
import subprocess

from ..errors import AudioError

_MISSING = "ffmpeg not found. Install the imageio-ffmpeg package: pip install imageio-ffmpeg"


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary: $LISTEN_FFMPEG if set, else the one bundled with imageio-ffmpeg."""
    override = os.environ.get("LISTEN_FFMPEG")
    if override:
        if not os.path.isfile(override):
            raise AudioError(
                f"ffmpeg not found at LISTEN_FFMPEG={override}. Point LISTEN_FFMPEG at an ffmpeg binary, "
                "or unset it to use the one from imageio-ffmpeg."
            )
        return override
    return _bundled()


@functools.lru_cache(maxsize=1)
def _bundled() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:
        raise AudioError(_MISSING) from exc
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # RuntimeError when the wheel has no binary for this platform
        raise AudioError(_MISSING) from exc
    if not exe or not os.path.isfile(exe):
        raise AudioError(_MISSING)
    return exe


def run_ffmpeg(args: list[str], input: bytes | None = None) -> bytes:
    """Run ffmpeg with `args` (banner off, errors only, no stdin prompts); return its stdout.

    A non-zero exit raises AudioError carrying ffmpeg's last stderr line.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", *args]
    try:
        proc = subprocess.run(
            cmd,
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg ({cmd[0]}): {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit code {proc.returncode}"
        raise AudioError(f"ffmpeg failed: {detail}")
    return proc.stdout
