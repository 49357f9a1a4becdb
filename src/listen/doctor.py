"""Diagnose the machine: engines, ffmpeg, network reachability, cache and config."""

from __future__ import annotations

from .config import config_path, load_config
from .errors import ListenError


def diagnose() -> dict:
    checks: list[dict] = []

    def check(name: str, fn) -> bool:
        try:
            detail = fn()
            checks.append({"name": name, "ok": True, "detail": detail})
            return True
        except ListenError as exc:
            checks.append({"name": name, "ok": False, "detail": str(exc)})
            return False

    path = config_path()
    config_ok = check("config", lambda: f"{path} ({'found' if path.exists() else 'not present; using defaults'})")
    try:
        config = load_config()
    except ListenError:
        from .config import Config

        config = Config()
        config_ok = False
    from .engines.base import engine_class, engine_names

    for name in engine_names():
        if name == "auto":
            continue
        check(name, lambda name=name: engine_class(name)(config).describe() + " available")

    def ffmpeg() -> str:
        from .audio.ffmpeg import ffmpeg_exe, run_ffmpeg

        exe = ffmpeg_exe()
        first = run_ffmpeg(["-version"]).decode("utf-8", "replace").splitlines()[0]
        return f"{exe} ({first})"

    check("ffmpeg", ffmpeg)

    def network() -> str:
        from .engines.gtts import reachable

        url = config.gtts_url.replace("{tld}", config.accent)
        if reachable(config):
            return f"gTTS endpoint reachable ({url})"
        from .errors import EngineUnavailable

        raise EngineUnavailable(f"gTTS endpoint not reachable ({url}); the offline espeak engine will be used")

    online = check("network", network)

    def cache() -> str:
        from .cache import SegmentCache

        root = config.cache_path()
        size = SegmentCache(root).size_bytes()
        return f"{root} ({size / 1e6:.1f} MB)"

    check("cache", cache)
    default = config.engine if config.engine != "auto" else ("gtts" if online else "espeak")
    return {"checks": checks, "default_engine": default, "config_ok": config_ok}
