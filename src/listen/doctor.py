"""Diagnose the machine: engines and their voices, ffmpeg, the network, the cache and the config."""

from __future__ import annotations

from .config import Config, config_path, load_config
from .errors import ListenError

__all__ = ["diagnose"]

_LANGUAGES = {"en": "English", "cmn": "Mandarin", "yue": "Cantonese"}


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
        config = Config()
        config_ok = False

    from .engines import registry
    from .engines.base import SpeechRequest

    for name in registry.names():
        def engine_check(name=name) -> str:
            engine = registry.create(name, config)
            caps = engine.capabilities
            where = "offline" if caps.offline else "online"
            voices = ", ".join(
                f"{_LANGUAGES[lang]}: {engine.voice(SpeechRequest('', lang))}"  # type: ignore[arg-type]
                + (" (robotic)" if lang in caps.robotic else "")
                for lang in ("en", "cmn", "yue") if lang in caps.languages
            )
            if not caps.offline:
                problem = engine.unreachable_reason()
                if problem:
                    from .errors import EngineUnavailable

                    # Its voices still: what it would speak once the network is there.
                    raise EngineUnavailable(f"{engine.describe()} ({where}) not reachable: {problem}; "
                                            f"when reachable, {voices}")
            return f"{engine.describe()} ({where}) available; {voices}"

        check(name, engine_check)

    def ffmpeg() -> str:
        from .audio.ffmpeg import ffmpeg_exe, run_ffmpeg

        exe = ffmpeg_exe()
        first = run_ffmpeg(["-version"]).decode("utf-8", "replace").splitlines()[0]
        return f"{exe} ({first})"

    check("ffmpeg", ffmpeg)

    def cache() -> str:
        from .synth.cache import SegmentCache

        root = config.output.cache_path
        store = SegmentCache(root)
        store.check_writable()
        return f"{root} ({store.size_bytes() / 1e6:.1f} MB)"

    check("cache", cache)

    chosen: dict[str, str] = {}

    def default() -> str:
        from .engines.auto import select

        from .engines.voices import advice, voice_lines

        engines = select(config, list(_LANGUAGES), strict=False)
        chosen.update({lang: e.name for lang, e in engines.items()})
        notes.extend(advice(engines, config))
        return "; ".join(voice_lines(engines)) or "none"

    notes: list[str] = []
    check("choice", default)
    for note in notes:  # a robotic voice, and the better option
        checks.append({"name": "note", "ok": True, "detail": note})
    return {"checks": checks, "engines": chosen, "config_ok": config_ok}
