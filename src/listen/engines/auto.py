"""Choose the engine for each spoken language.

Each document language takes its engine setting (`engine_en` / `engine_zh`, else `engine`). A
named engine speaks the languages it supports. With "auto", each language gets the best engine
available here: engines are ranked by their declared quality for that language, and
an online one counts only when it can be reached now (each is checked once). The choice is
announced in one line per decision, so the user knows what they get.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from ..errors import EngineUnavailable, UsageError
from . import registry

if TYPE_CHECKING:
    from ..config import Config
    from .base import Engine

__all__ = ["select"]

_LANGUAGE_NAMES = {"en": "English", "cmn": "Mandarin", "yue": "Cantonese"}


def select(
    config: "Config",
    languages: Iterable[str],
    notify: Callable[[str], object] | None = None,
    *,
    strict: bool = True,
) -> "dict[str, Engine]":
    """Spoken language ("en", "cmn", "yue") -> the engine that speaks it.

    Each language takes its engine setting (`engine_en` / `engine_zh`, else `engine`); "auto"
    picks the best available one. With `strict=False` a language no engine can speak is left
    out (the article that needs it fails then) instead of failing now.
    """
    languages = list(dict.fromkeys(languages))
    made: dict[str, Engine | None] = {}  # name -> engine, None when unavailable or unreachable
    why_not: dict[str, str] = {}
    chosen: dict[str, Engine] = {}
    auto_used = False

    def get(name: str, *, probing: bool) -> "Engine | None":
        if name not in made:
            try:
                engine = registry.create(name, config)
            except EngineUnavailable as exc:
                if not probing:
                    raise
                made[name], why_not[name] = None, str(exc)
                return None
            problem = None if (engine.capabilities.offline or not probing) else engine.unreachable_reason()
            made[name] = None if problem else engine
            if problem:
                why_not[name] = problem
        return made[name]

    # Languages with a named engine first: a usage error ("does not speak ...") comes before any
    # online engine is probed for the "auto" ones.
    languages.sort(key=lambda lang: config.engine_for("en" if lang == "en" else "zh") == registry.AUTO)
    probed = False
    for lang in languages:
        name = config.engine_for("en" if lang == "en" else "zh")
        if name != registry.AUTO:
            engine = get(name, probing=False)
            assert engine is not None
            if lang not in engine.capabilities.languages:
                if not strict:
                    continue
                raise UsageError(f"The {name} engine does not speak {_LANGUAGE_NAMES.get(lang, lang)}.")
            chosen[lang] = engine
            continue
        auto_used = True
        classes = {n: registry.engine_class(n) for n in registry.names()}
        if not probed:
            # Every online engine an "auto" language may use is probed at once, side by side:
            # offline, each probe waits up to its reachability timeout.
            probed = True
            _probe_side_by_side([n for n, cls in classes.items() if not cls.CAPABILITIES.offline], get)
        ranked = sorted(
            (n for n, cls in classes.items() if lang in cls.CAPABILITIES.languages),
            key=lambda n: (-classes[n].CAPABILITIES.quality.get(lang, 0), n),
        )
        for candidate in ranked:
            engine = get(candidate, probing=True)
            if engine is not None:
                chosen[lang] = engine
                break
        else:
            if strict:
                reasons = "; ".join(why_not.values()) or "no engine speaks it"
                raise EngineUnavailable(f"No engine can speak {_LANGUAGE_NAMES.get(lang, lang)} here: {reasons}")
    if notify is not None and auto_used and chosen:
        for message in _explain(chosen, made, why_not):
            notify(message)
    return chosen


def _probe_side_by_side(names: list[str], get: Callable[..., object]) -> None:
    """`get(name, probing=True)` for each name, on threads of their own, waiting for all."""
    import threading

    def probe(name: str) -> None:
        try:
            get(name, probing=True)
        except Exception:  # noqa: BLE001 - e.g. bad settings: asked again, and reported, in order
            pass

    threads = [threading.Thread(target=probe, args=(name,), name=f"probe-{name}", daemon=True) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _explain(chosen: "dict[str, Engine]", made: dict, why_not: dict[str, str]) -> list[str]:
    """One line, e.g. "gtts is not reachable (...); using espeak (offline) for English, Cantonese." """
    skipped = [f"{name} is not reachable ({why_not[name]})" for name, engine in sorted(made.items())
               if engine is None and name in why_not and not registry.engine_class(name).CAPABILITIES.offline]
    uses = []
    for engine in dict.fromkeys(chosen.values()):
        langs = ", ".join(_LANGUAGE_NAMES.get(k, k) for k, v in chosen.items() if v is engine)
        uses.append(f"{engine.name} ({'offline' if engine.capabilities.offline else 'online'}) for {langs}")
    text = "using " + "; ".join(uses)
    return [("; ".join(skipped) + "; " + text if skipped else text[0].upper() + text[1:]) + "."]
