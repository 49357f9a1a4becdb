"""How a document is spoken: one rule, used by inspect, build, drill and the engines.

Given the script of the Chinese text and the user's settings, `Voicing.decide` fixes the spoken
Chinese (Cantonese for Traditional script, Mandarin for Simplified, unless set), the language the
user is learning (English unless set), which language comes first in a pair (the one being
learned: you try to understand it, then the translation confirms), the speed of each language and
the English accent. `Voicing.request(text, lang)` makes the engine request for a piece of text,
said as the pronunciation lexicon says (`listen.lexicon`), if one is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import TimingSettings, VoiceSettings
from .engines.base import SpeechRequest, normalise_text

if TYPE_CHECKING:
    from .lexicon import Lexicon

__all__ = ["Voicing", "DEFAULT_SPEED", "LANGUAGE_NAMES"]

# Default speed of the language being learned, and of the other one.
DEFAULT_SPEED = {"learning": 1.0, "other": 1.0}
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "cmn": "Mandarin", "yue": "Cantonese"}


@dataclass(frozen=True)
class Voicing:
    chinese: str  # "mandarin" | "cantonese"
    chinese_is_default: bool  # decided by the script, not set by the user
    script: str | None  # "traditional" | "simplified" | None (no Chinese text)
    learning: str  # "en" | "zh"
    learning_is_default: bool
    first: str  # "en" | "zh": which language a pair starts with
    speed_en: float
    speed_zh: float
    accent: str  # English accent, as Google's domain (com, co.uk, ...)
    # What to say instead of what is written (listen.lexicon); None: the text as it is.
    lexicon: "Lexicon | None" = field(default=None, compare=False, repr=False)

    @classmethod
    def decide(cls, script: str | None, voice: VoiceSettings, timing: TimingSettings,
               lexicon: "Lexicon | None" = None) -> "Voicing":
        chinese = voice.chinese or ("mandarin" if script == "simplified" else "cantonese")
        learning = voice.learning or "en"
        if timing.zh_first is None:
            first = learning
        else:
            first = "zh" if timing.zh_first else "en"

        def speed(lang: str, given: float | None) -> float:
            if given is not None:
                return given
            return DEFAULT_SPEED["learning" if lang == learning else "other"]

        return cls(
            chinese=chinese,
            chinese_is_default=voice.chinese is None,
            script=script,
            learning=learning,
            learning_is_default=voice.learning is None,
            first=first,
            speed_en=speed("en", voice.speed_en),
            speed_zh=speed("zh", voice.speed_zh),
            accent=voice.accent,
            lexicon=lexicon,
        )

    @property
    def order(self) -> tuple[str, str]:
        """The two languages in pair order."""
        return ("zh", "en") if self.first == "zh" else ("en", "zh")

    def language(self, lang: str) -> str:
        """The spoken language of a document language: en, cmn (Mandarin) or yue (Cantonese)."""
        if lang == "en":
            return "en"
        return "yue" if self.chinese == "cantonese" else "cmn"

    def speed(self, lang: str) -> float:
        return self.speed_en if lang == "en" else self.speed_zh

    def with_speed(self, speed: float) -> "Voicing":
        """The same voicing with both languages at `speed` (drills)."""
        from dataclasses import replace

        return replace(self, speed_en=speed, speed_zh=speed)

    def request(self, text: str, lang: str) -> SpeechRequest:
        """The engine request for `text` in document language `lang` ("en" | "zh")."""
        return SpeechRequest(
            text=self.spoken(text, lang),
            language=self.language(lang),  # type: ignore[arg-type]
            script=self.script if lang == "zh" else None,  # type: ignore[arg-type]
            speed=self.speed(lang),
            accent=self.accent if lang == "en" else None,
        )

    def spoken(self, text: str, lang: str) -> str:
        """The text the engine is given for `text`: normalised, the lexicon's rules applied."""
        text = normalise_text(text)
        return normalise_text(self.lexicon.apply(text, lang)) if self.lexicon is not None else text

    def describe_chinese(self) -> str:
        """E.g. "Cantonese (Traditional script)" or "Mandarin (Traditional script, set)"."""
        if self.script is None:
            return "none (no Chinese text)"
        set_note = "" if self.chinese_is_default else ", set"
        return f"{self.chinese.capitalize()} ({self.script.capitalize()} script{set_note})"

    def describe_learning(self) -> str:
        name = LANGUAGE_NAMES[self.learning]
        return f"{name} (default)" if self.learning_is_default else name
