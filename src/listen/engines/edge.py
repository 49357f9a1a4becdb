"""Online neural speech from Microsoft Edge's read-aloud service, through the `edge-tts` package.

edge-tts's own client (``edge_tts.Communicate``) does the talking: one WebSocket per piece, a
``speech.config`` text frame (MP3 at 24 kHz, 48 kbit/s), an ``ssml`` text frame with the voice,
rate and text, then binary ``Path:audio`` frames until ``turn.end``. We run it in the calling thread
(one event loop per call, so request threads stay independent), bound the whole call by the
``timeout`` setting and turn its errors into the project's.

Voices, one per language (the ``[edge]`` table, or ``--edge-voice``):

- Cantonese ``voice_yue``: zh-HK-HiuMaanNeural (default), zh-HK-HiuGaaiNeural, zh-HK-WanLungNeural.
- Mandarin ``voice_cmn``: by default zh-TW-HsiaoChenNeural for Traditional text and
  zh-CN-XiaoxiaoNeural for Simplified; a voice set here is used for both.
- English ``voice_en``: by default by accent (com: en-US-AriaNeural, co.uk: en-GB-SoniaNeural,
  com.au: en-AU-NatashaNeural, ca: en-CA-ClaraNeural, co.in: en-IN-NeerjaNeural,
  ie: en-IE-EmilyNeural); a voice set here wins.

Any voice ``edge-tts --list-voices`` names works; its language prefix must match the slot.
Speed is native (SSML prosody rate). Text with nothing speakable gives 100 ms of silence.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from ..errors import ConfigError, SynthesisError, TransientSynthesisError
from .base import Audio, Capabilities, Engine, SpeechRequest, installed_version, read_settings, require_packages
from .network import can_connect, connection_cause

__all__ = ["EdgeEngine", "EdgeSettings", "voice_settings", "rate"]

SAMPLE_RATE = 24000  # edge-tts asks for audio-24khz-48kbitrate-mono-mp3
SILENCE_S = 0.1
INSTALL_HINT = "Install it with: pip install edge-tts"

CANTONESE_VOICES = ("zh-HK-HiuMaanNeural", "zh-HK-HiuGaaiNeural", "zh-HK-WanLungNeural")
MANDARIN_TRADITIONAL = "zh-TW-HsiaoChenNeural"
MANDARIN_SIMPLIFIED = "zh-CN-XiaoxiaoNeural"
ENGLISH_BY_ACCENT = MappingProxyType({
    "com": "en-US-AriaNeural",
    "co.uk": "en-GB-SoniaNeural",
    "com.au": "en-AU-NatashaNeural",
    "ca": "en-CA-ClaraNeural",
    "co.in": "en-IN-NeerjaNeural",
    "ie": "en-IE-EmilyNeural",
})

# edge-tts's own pattern for short voice names (data_classes.TTSConfig).
_VOICE = re.compile(r"^([a-z]{2,})-([A-Z]{2,})-(.+Neural)$")
# The language prefixes each slot accepts.
_SLOTS = {"en": ("en-",), "yue": ("zh-HK-", "yue-"), "cmn": ("zh-CN-", "zh-TW-")}
_SLOT_NAMES = {"en": "voice_en", "yue": "voice_yue", "cmn": "voice_cmn"}
_SPEAKABLE = re.compile(r"\w")


def _check_voice(key: str, voice: str, prefixes: tuple[str, ...]) -> None:
    if not _VOICE.match(voice):
        raise ConfigError(f"{key} must be an edge voice name such as {_example(key)}, not {voice!r}.")
    if not voice.startswith(prefixes):
        raise ConfigError(f"{key} must be a voice for {' or '.join(p.rstrip('-') for p in prefixes)}, "
                          f"such as {_example(key)}, not {voice!r}.")


def _example(key: str) -> str:
    return {"voice_en": "en-GB-SoniaNeural", "voice_yue": "zh-HK-HiuGaaiNeural",
            "voice_cmn": "zh-CN-XiaoxiaoNeural"}[key]


@dataclass(frozen=True)
class EdgeSettings:
    voice_en: str | None = None  # None: by accent (ENGLISH_BY_ACCENT)
    voice_yue: str = CANTONESE_VOICES[0]
    voice_cmn: str | None = None  # None: zh-TW for Traditional text, zh-CN for Simplified
    timeout: float = 30.0  # seconds for one piece, connection and whole answer included
    concurrency: int = 4
    reachability_timeout: float = 2.0

    def __post_init__(self) -> None:
        for lang, key in _SLOT_NAMES.items():
            value = getattr(self, key)
            if value is not None:
                _check_voice(key, value, _SLOTS[lang])
        if self.timeout <= 0 or self.reachability_timeout <= 0:
            raise ConfigError("timeout and reachability_timeout must be more than 0 seconds.")
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, not {self.concurrency}.")


def voice_settings(voices: Iterable[str]) -> dict[str, str]:
    """The [edge] settings for voices named on the command line, each put in the slot of its
    language: ["zh-HK-WanLungNeural", "en-GB-RyanNeural"] -> {"voice_yue": ..., "voice_en": ...}."""
    table: dict[str, str] = {}
    for voice in voices:
        slot = next((lang for lang, prefixes in _SLOTS.items() if voice.startswith(prefixes)), None)
        if slot is None or not _VOICE.match(voice):
            raise ConfigError(
                f"--edge-voice {voice!r} is not an English, Cantonese or Mandarin edge voice; give a name "
                "such as zh-HK-WanLungNeural, zh-TW-HsiaoChenNeural or en-GB-SoniaNeural "
                "(edge-tts --list-voices lists them)."
            )
        table[_SLOT_NAMES[slot]] = voice
    return table


def rate(speed: float) -> str:
    """SSML prosody rate for a speed factor: 1.0 -> "+0%", 0.8 -> "-20%"."""
    return f"{round((float(speed) - 1.0) * 100):+d}%"


class EdgeEngine(Engine):
    NAME = "edge"
    CAPABILITIES = Capabilities(
        languages=frozenset({"en", "cmn", "yue"}),
        offline=False,
        max_chars=1000,  # edge-tts splits at 4096 bytes itself; shorter pieces fail (and retry) cheaper
        concurrency=4,
        native_speed=True,
        # Neural voices: the best Cantonese there is; Mandarin after an offline neural voice.
        quality=MappingProxyType({"en": 2, "cmn": 3, "yue": 3}),
    )

    def __init__(self, settings: Mapping[str, Any] | None = None):
        super().__init__(settings)
        self.settings = read_settings(EdgeSettings, settings, self.NAME)
        require_packages(self.NAME, {"edge_tts": "edge-tts", "aiohttp": "aiohttp"}, INSTALL_HINT)
        self._edge_version = installed_version("edge-tts")

    @property
    def capabilities(self) -> Capabilities:
        return replace(self.CAPABILITIES, concurrency=self.settings.concurrency)

    @property
    def version(self) -> str:
        return f"edge-tts {self._edge_version}"

    def voice_name(self, request: SpeechRequest) -> str:
        s = self.settings
        if request.language == "en":
            return s.voice_en or ENGLISH_BY_ACCENT.get(request.accent or "com", ENGLISH_BY_ACCENT["com"])
        if request.language == "yue":
            return s.voice_yue
        if s.voice_cmn:
            return s.voice_cmn
        return MANDARIN_SIMPLIFIED if request.script == "simplified" else MANDARIN_TRADITIONAL

    def voice(self, request: SpeechRequest) -> str:
        return f"edge {self.voice_name(request)}"

    @staticmethod
    def endpoint() -> str:
        """The WebSocket URL edge-tts connects to (without its per-connection query)."""
        from edge_tts import communicate

        return communicate.WSS_URL

    def _host(self) -> str:
        return urlsplit(self.endpoint()).hostname or "the edge service"

    def unreachable_reason(self) -> str | None:
        if can_connect(self.endpoint(), self.settings.reachability_timeout):
            return None
        return f"cannot connect to {self._host()} within {self.settings.reachability_timeout:g} s"

    def synthesize(self, request: SpeechRequest) -> Audio:
        if not _SPEAKABLE.search(request.text):
            return Audio(bytes(2 * int(SAMPLE_RATE * SILENCE_S)), "pcm", SAMPLE_RATE)
        voice = self.voice_name(request)
        audio = self._run(request.text, voice, rate(request.speed))
        return Audio(audio, "mp3", SAMPLE_RATE)

    # -- the request ----------------------------------------------------------------------

    def _run(self, text: str, voice: str, speech_rate: str) -> bytes:
        import aiohttp
        import edge_tts
        from edge_tts import exceptions as edge_errors

        timeout = float(self.settings.timeout)
        host = self._host()

        async def collect() -> bytes:
            communicate = edge_tts.Communicate(
                text, voice, rate=speech_rate,
                connect_timeout=max(1, round(timeout)), receive_timeout=max(1, round(timeout)),
            )
            chunks = []
            async for chunk in communicate.stream():
                if chunk["type"] == "audio":
                    chunks.append(chunk["data"])
            return b"".join(chunks)

        async def bounded() -> bytes:
            # edge-tts bounds the connection and each read, not a server that keeps dripping.
            return await asyncio.wait_for(collect(), timeout)

        try:
            return asyncio.run(bounded())
        except edge_errors.NoAudioReceived as exc:
            raise SynthesisError(
                f"The edge service at {host} sent no audio for voice {voice}. Probable cause: {voice} is "
                "not one of its voices (edge-tts --list-voices lists them), or text it cannot speak.",
                **self._where(_SLOT_NAMES[_slot_of(voice)]),
            ) from exc
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TransientSynthesisError(
                f"No answer from {host} within {timeout:g} s. Probable cause: a slow or unstable network "
                "or an overloaded server; try again later.", **self._where("timeout", offline=True),
            ) from exc
        except aiohttp.WSServerHandshakeError as exc:
            raise self._refused(exc.status, host) from exc
        except aiohttp.ClientResponseError as exc:
            raise self._refused(exc.status, host) from exc
        except aiohttp.ClientSSLError as exc:
            raise SynthesisError(
                f"The TLS connection to {host} failed ({exc.__class__.__name__}). Probable cause: a proxy "
                "or firewall intercepting HTTPS.", **self._where(None, offline=True),
            ) from exc
        except (aiohttp.ClientConnectionError, OSError) as exc:
            raise TransientSynthesisError(
                f"Failed to connect to {host} or the connection was dropped ({connection_cause(exc)}). "
                "Probable cause: no network, or the host is unreachable or blocked; try again later.",
                **self._where(None, offline=True),
            ) from exc
        except (edge_errors.EdgeTTSException, aiohttp.ClientError, ValueError) as exc:
            raise TransientSynthesisError(
                f"Unexpected answer from the edge service at {host} ({exc.__class__.__name__}). Probable "
                "cause: a service hiccup or a change of its protocol; try again later, or update edge-tts "
                "(pip install -U edge-tts).", **self._where(None, offline=True),
            ) from exc

    def _refused(self, status: int, host: str) -> SynthesisError:
        if status == 429 or status >= 500:
            return TransientSynthesisError(
                f"{status} from the edge service at {host}. Probable cause: rate limiting or a service "
                "error; try again later.", **self._where(None, offline=True),
            )
        return SynthesisError(
            f"The edge service at {host} refused the connection ({status}). Probable cause: an outdated "
            "edge-tts (pip install -U edge-tts) or a wrong system clock.", **self._where(None, offline=True),
        )

    def _where(self, setting: str | None, *, offline: bool = False) -> dict:
        return {"engine": self.NAME, "setting": setting, "offline_alternative": offline}


def _slot_of(voice: str) -> str:
    return next((lang for lang, prefixes in _SLOTS.items() if voice.startswith(prefixes)), "en")
