"""How to fix an error from the command line: the library's errors say what went wrong; this adds
the option, setting or variable that helps (the one place that knows them)."""

from __future__ import annotations

from ..errors import EngineError, InputTooLarge, ListenError, OutputError

__all__ = ["explain", "offline_engine"]


def offline_engine() -> str | None:
    """The best engine that works without a network for every language, by the engines' own
    declarations (one that speaks more languages first: the hint is one --engine for both)."""
    from ..engines import registry

    best: tuple[int, int, str] | None = None
    for name in registry.names():
        try:
            caps = registry.engine_class(name).CAPABILITIES
        except Exception:  # a broken plugin must not hide the error being explained  # noqa: BLE001
            continue
        if caps.offline:
            # The one to name is the one that can speak the whole build: most languages first.
            score = (len(caps.languages), sum(caps.quality.values()), name)
            if best is None or score > best:
                best = score
    return best[-1] if best else None


def _engine_hint(exc: EngineError) -> str:
    parts = []
    if exc.engine and exc.setting:
        where = f"the {exc.setting} setting in the [{exc.engine}] table of the config file"
        if exc.setting == "url":
            where += f" (or LISTEN_{exc.engine.upper()}_URL)"
        parts.append(f"Check {where}.")
    if exc.offline_alternative:
        offline = offline_engine()
        if offline and offline != exc.engine:
            parts.append(f"Or use --engine {offline}, which works offline.")
    return " ".join(parts)


def explain(exc: ListenError) -> str:
    message = str(exc)
    hint = ""
    if isinstance(exc, EngineError):
        hint = _engine_hint(exc)
    elif isinstance(exc, InputTooLarge):
        hint = "Split it, or raise the limit with --max-input-mb (max_input_mb in the config file)."
    elif isinstance(exc, OutputError):
        if exc.folder_kind == "cache":
            hint = "Set LISTEN_CACHE_DIR (or cache_dir in the config file) to a folder you can write."
        else:
            hint = "Choose another folder with -o."
    return f"{message} {hint}" if hint else message
