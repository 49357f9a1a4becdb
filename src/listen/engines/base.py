"""The engine interface: one short piece of text in, audio out.

Everything else — splitting text into pieces an engine accepts, caching, concurrency, retries,
format conversion — lives once in the shared layers (`listen.synth`, `listen.audio`). An engine
says what it can do in `CAPABILITIES`, checks its prerequisites when created (cheaply: models are
loaded on first use), and reads only its own settings (its table of the config file).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Mapping, TypeVar

from ..errors import ConfigError, EngineUnavailable

__all__ = [
    "Audio", "Capabilities", "Engine", "Language", "SpeechRequest", "installed_version", "normalise_text",
    "read_settings", "require_packages",
]

Language = Literal["en", "cmn", "yue"]  # English, Mandarin, Cantonese

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC, whitespace runs as one space, stripped: the text an engine is given (and cached by)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class SpeechRequest:
    """One piece of text to speak."""

    text: str
    language: Language
    script: Literal["traditional", "simplified"] | None = None  # of Chinese text
    speed: float = 1.0  # 0.5–2.0; engines with native_speed apply it, others get it in post
    accent: str | None = None  # English: Google's domain for the accent (com, co.uk, com.au...)

    @property
    def lang(self) -> str:
        """The document language: "en" or "zh"."""
        return "en" if self.language == "en" else "zh"


@dataclass(frozen=True)
class Audio:
    """Audio an engine returns: raw mono signed 16-bit little-endian PCM, or MP3 bytes."""

    data: bytes
    kind: Literal["pcm", "mp3"]
    sample_rate: int  # for pcm; informational for mp3


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do; the shared layers and `auto` read it."""

    languages: frozenset[str]  # spoken languages: "en", "cmn", "yue"
    offline: bool  # works without a network
    max_chars: int | None = None  # longest piece one call accepts (None: no limit)
    concurrency: int = 1  # calls that may run at once (1 for engines with global state)
    native_speed: bool = False  # the engine changes speed itself (keeping pitch)
    # How good each language sounds, higher is better: `auto` picks the best available engine.
    quality: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    robotic: frozenset[str] = frozenset()  # languages in which this engine sounds robotic


class Engine(ABC):
    """A text-to-speech engine. Subclasses set NAME and CAPABILITIES and implement
    `version`, `voice` and `synthesize`."""

    NAME: ClassVar[str]
    CAPABILITIES: ClassVar[Capabilities]

    def __init__(self, settings: Mapping[str, Any] | None = None):
        """Check prerequisites (raise EngineUnavailable saying exactly what is missing) and read
        this engine's own settings."""

    @property
    def name(self) -> str:
        return self.NAME

    @property
    def capabilities(self) -> Capabilities:
        return self.CAPABILITIES

    @property
    @abstractmethod
    def version(self) -> str:
        """Engine version string; part of every cache key."""

    @abstractmethod
    def voice(self, request: SpeechRequest) -> str:
        """A stable id of the voice used for `request`, e.g. "espeak-ng 1.52.0 yue"; part of the cache key."""

    @abstractmethod
    def synthesize(self, request: SpeechRequest) -> Audio:
        """Speak one piece (len(text) <= max_chars). Raise TransientSynthesisError if a retry may help."""

    def unreachable_reason(self) -> str | None:
        """None when the engine can work now, else why not (online engines check their server
        quickly, without spending a request)."""
        return None

    def describe(self) -> str:
        """E.g. "espeak (espeak-ng 1.52.0)"."""
        return f"{self.NAME} ({self.version})"


S = TypeVar("S")


def read_settings(cls: type[S], table: Mapping[str, Any] | None, engine: str) -> S:
    """An engine's settings dataclass from its config table: unknown keys and wrong types are
    ConfigErrors naming the table; the dataclass checks values in its __post_init__."""
    table = dict(table or {})
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"Unknown key {unknown[0]!r} in the [{engine}] settings. Known keys: {', '.join(sorted(known))}."
        )
    values = {}
    for key, value in table.items():
        expected = {"str": str, "float": float, "int": int, "bool": bool}.get(str(known[key].type).split(" |")[0], object)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(f"[{engine}] {key} must be {expected.__name__}, not {value!r}.")
        values[key] = value
    try:
        return cls(**values)
    except ConfigError as exc:
        raise ConfigError(f"[{engine}] {exc}") from None


def require_packages(engine: str, packages: Mapping[str, str], hint: str) -> None:
    """EngineUnavailable naming the first of `packages` (module -> the package to install) that
    cannot be found. Nothing is imported: engines import their libraries on first use, so that
    choosing an engine (`inspect`, `doctor`, `auto`) costs no import time."""
    from importlib.util import find_spec

    for module, package in packages.items():
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise EngineUnavailable(
                f"The {engine} engine is unavailable: the Python package {package} is not installed. {hint}",
                engine=engine,
            )


def installed_version(*distributions: str) -> str:
    """The installed version of each distribution, joined ("unknown" for one without metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in distributions:
        try:
            out.append(version(name))
        except PackageNotFoundError:
            out.append("unknown")
    return ", ".join(out)
