"""The engine interface and registry.

An engine turns one short piece of text into audio. Everything else — splitting text into
pieces an engine accepts, caching, concurrency, retries, format conversion — lives once in the
shared layers (`listen.synth`, `listen.audio`), not in each engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from ..errors import UsageError

if TYPE_CHECKING:
    from ..config import Config

Chinese = Literal["mandarin", "cantonese"]


@dataclass(frozen=True)
class SpeechRequest:
    """One piece of text to speak."""

    text: str
    lang: Literal["en", "zh"]
    chinese: Chinese = "mandarin"  # which spoken Chinese, for lang == "zh"
    script: Literal["traditional", "simplified"] | None = None  # script of the zh text
    speed: float = 1.0  # 0.5–2.0; engines with native_speed apply it, others get it in post


@dataclass(frozen=True)
class Audio:
    """Audio an engine returns: raw mono signed 16-bit little-endian PCM, or MP3 bytes."""

    data: bytes
    kind: Literal["pcm", "mp3"]
    sample_rate: int  # for pcm; informational for mp3


class Engine(ABC):
    """A text-to-speech engine. Subclasses set NAME and implement `synthesize` and `voice`."""

    NAME: ClassVar[str]
    ONLINE: ClassVar[bool] = False
    # Longest piece of text one call accepts; the shared layer splits longer text first.
    MAX_CHARS: ClassVar[int | None] = None
    # How many calls may run at once (1 for engines with global state).
    MAX_CONCURRENCY: ClassVar[int] = 1
    # True when the engine changes speed itself (keeping pitch); else the audio layer does.
    NATIVE_SPEED: ClassVar[bool] = False

    def __init__(self, config: "Config"):
        """Check prerequisites; raise EngineUnavailable saying exactly what is missing."""
        self.config = config

    @property
    @abstractmethod
    def version(self) -> str:
        """Engine version string; part of every cache key."""

    @abstractmethod
    def voice(self, request: SpeechRequest) -> str:
        """A stable id of the voice used for `request`, e.g. "espeak-ng 1.52.0 yue"."""

    @abstractmethod
    def synthesize(self, request: SpeechRequest) -> Audio:
        """Speak one piece (len(text) <= MAX_CHARS). Raise TransientSynthesisError if a retry may help."""

    def describe(self) -> str:
        """E.g. "espeak (espeak-ng 1.52.0)"."""
        return f"{self.NAME} ({self.version})"


_REGISTRY: dict[str, type[Engine]] = {}


def register(cls: type[Engine]) -> type[Engine]:
    """Class decorator: make an engine available by its NAME."""
    _REGISTRY[cls.NAME] = cls
    return cls


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def engine_names() -> list[str]:
    _load_builtin()
    return sorted(set(_REGISTRY) | {"auto"})


def engine_class(name: str) -> type[Engine]:
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UsageError(
            f"Unknown engine {name!r}. Choose one of: {', '.join(engine_names())}."
        ) from None


def create_engine(name: str, config: "Config", *, notify=None) -> Engine:
    """Create the engine called `name` ("auto" picks gtts when reachable, else espeak)."""
    _load_builtin()
    if name == "auto":
        from .auto import choose

        return choose(config, notify=notify)
    return engine_class(name)(config)


def _load_builtin() -> None:
    # Importing the modules registers them; kept lazy so `listen inspect` loads no engine.
    from . import espeak, gtts  # noqa: F401
