"""Saying what the user gets: the engine and voice of each spoken language, and a better option
when the voice is robotic. One wording for `build`, `inspect` and `doctor`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from .base import SpeechRequest

if TYPE_CHECKING:
    from ..config import Config
    from .base import Engine

__all__ = ["LANGUAGE_NAMES", "advice", "describe_voice", "voice_lines"]

LANGUAGE_NAMES = {"en": "English", "cmn": "Mandarin", "yue": "Cantonese"}

# The better voice to name when a language's voice is robotic (what to type, and its condition).
_BETTER = {
    "en": ("--engine-en piper", "offline"),
    "cmn": ("--engine-zh edge", "when online"),
    "yue": ("--engine-zh edge", "when online"),
}


def describe_voice(engine: "Engine", language: str) -> str:
    """E.g. "piper, voice piper en_US-joe-medium (offline)" or "espeak, voice espeak-ng 1.52.0 yue
    (offline, robotic)"."""
    caps = engine.capabilities
    traits = ["offline" if caps.offline else "online"]
    if language in caps.robotic:
        traits.append("robotic")
    voice = engine.voice(SpeechRequest("", language))  # type: ignore[arg-type]
    return f"{engine.name}, voice {voice} ({', '.join(traits)})"


def voice_lines(chosen: "Mapping[str, Engine]") -> list[str]:
    """One line per spoken language: "English: piper, voice ... (offline)"."""
    order = [lang for lang in LANGUAGE_NAMES if lang in chosen]
    return [f"{LANGUAGE_NAMES[lang]}: {describe_voice(chosen[lang], lang)}" for lang in order]


def advice(chosen: "Mapping[str, Engine]", config: "Config") -> list[str]:
    """One line for each language whose voice, chosen by "auto" (not named by the user), is
    robotic, naming the better option."""
    from .registry import AUTO

    out = []
    for lang in LANGUAGE_NAMES:
        engine = chosen.get(lang)
        if engine is None or lang not in engine.capabilities.robotic:
            continue
        if config.engine_for("en" if lang == "en" else "zh") != AUTO:
            continue
        option, condition = _BETTER[lang]
        if option.endswith(" " + engine.name):
            continue
        out.append(f"{LANGUAGE_NAMES[lang]} is spoken by {engine.name}, which sounds robotic; "
                   f"for a natural voice use {option} ({condition}).")
    return out
