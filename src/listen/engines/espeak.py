"""Offline speech with espeak-ng, through ctypes over the library and data in `espeakng-loader`.

No system install is needed: the `espeakng-loader` wheel ships ``libespeak-ng`` and
``espeak-ng-data``. The C library keeps global state (one voice, one callback, one set of
parameters), so it is initialised once per process and every synthesis holds one lock.

Voices: English "en-us" for accent "com", "en" (espeak's British English) for every other accent
("en-gb" is not a voice *name* in espeak-ng 1.52; the file "en" is "English (Great Britain)");
Mandarin "cmn" and Cantonese "yue" — both read Traditional and Simplified characters alike (the
same phonemes for both scripts).

Empty or whitespace-only text gives 100 ms of silence rather than an error, so a stray piece never
aborts a build.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import EngineUnavailable, SynthesisError
from .base import Audio, Capabilities, Engine, SpeechRequest, read_settings

__all__ = ["EspeakEngine", "english_voice"]

INSTALL_HINT = "Install it with: pip install espeakng-loader"
DEFAULT_WPM = 175
MIN_WPM, MAX_WPM = 80, 450
SILENCE_S = 0.1

# espeak-ng constants (speak_lib.h)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_RATE = 1
_ESPEAK_PHONEMES_IPA = 0x02
_EE_OK = 0

# Files that must exist in the data folder: voice definitions and dictionaries we use.
_REQUIRED_DATA = {
    "phontab": "phoneme tables",
    "phondata": "phoneme data",
    "phonindex": "phoneme index",
    "en_dict": "English dictionary",
    "cmn_dict": "Mandarin dictionary",
    "yue_dict": "Cantonese dictionary",
    os.path.join("lang", "gmw", "en"): "English voice",
    os.path.join("lang", "gmw", "en-US"): "American English voice",
    os.path.join("lang", "sit", "cmn"): "Mandarin voice",
    os.path.join("lang", "sit", "yue"): "Cantonese voice",
}

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


def english_voice(accent: str | None) -> str:
    """The espeak-ng voice name for an English accent given as Google's tld."""
    return "en-us" if accent in (None, "com") else "en"


@dataclass(frozen=True)
class EspeakSettings:
    """espeak has no settings of its own: its table must be empty."""


class _Runtime:
    """The process-wide initialised espeak-ng library."""

    def __init__(self, library_path: str, data_path: str):
        self.library_path = library_path
        self.data_path = data_path
        try:
            lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise EngineUnavailable(
                f"The espeak engine is unavailable: cannot load the espeak-ng library {library_path} ({exc}). "
                f"Reinstall it with: pip install --force-reinstall espeakng-loader"
            ) from exc
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = []
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0)
        if rate <= 0:
            raise EngineUnavailable(
                f"The espeak engine is unavailable: espeak-ng could not initialise with the data in {data_path}. "
                f"Reinstall it with: pip install --force-reinstall espeakng-loader"
            )
        self.lib = lib
        self.sample_rate = rate
        self.version = (lib.espeak_Info(None) or b"unknown").decode("ascii", "replace")
        self.lock = threading.Lock()
        self._buffer = bytearray()
        # Keep a reference: the C library calls it for as long as the process lives.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count, events) -> int:
        if count > 0 and wav:
            self._buffer.extend(ctypes.string_at(wav, count * 2))
        return 0  # continue

    def synthesize(self, voice: str, text: str, wpm: int) -> bytes:
        data = text.encode("utf-8")
        with self.lock:
            rc = self.lib.espeak_SetVoiceByName(voice.encode("ascii"))
            if rc != _EE_OK:
                raise SynthesisError(f"espeak-ng has no voice {voice!r} (error {rc}).", engine="espeak")
            self.lib.espeak_SetParameter(_ESPEAK_RATE, wpm, 0)
            self._buffer = bytearray()
            rc = self.lib.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
            )
            self.lib.espeak_Synchronize()
            pcm = bytes(self._buffer)
            self._buffer = bytearray()
        if rc != _EE_OK:
            raise SynthesisError(f"espeak-ng failed to speak {text[:40]!r} (error {rc}).", engine="espeak")
        return pcm

    def clauses(self, voice: str, text: str) -> list[tuple[str, str]]:
        """(IPA phonemes, the text of the clause) for each clause espeak-ng reads in `text`.

        espeak-ng reads one clause per call and moves the text pointer past it and the next
        character it looked at; the clause's own text (hence the punctuation that ended it) is
        what lies between two such stops, each one character back.
        """
        data = text.encode("utf-8")
        buffer = ctypes.create_string_buffer(data)
        start = ctypes.addressof(buffer)
        pointer = ctypes.c_void_p(start)
        out: list[tuple[str, str]] = []
        with self.lock:
            rc = self.lib.espeak_SetVoiceByName(voice.encode("ascii"))
            if rc != _EE_OK:
                raise SynthesisError(f"espeak-ng has no voice {voice!r} (error {rc}).", engine="espeak")
            before = 0
            while pointer.value:
                moved = pointer.value
                phonemes = self.lib.espeak_TextToPhonemes(
                    ctypes.byref(pointer), _ESPEAK_CHARS_UTF8, _ESPEAK_PHONEMES_IPA
                )
                if not pointer.value:
                    after = len(data)
                else:
                    after = min(len(data), max(before, pointer.value - start - 1))
                    while after > before and (data[after] & 0xC0) == 0x80:  # back to a character's start
                        after -= 1
                out.append(((phonemes or b"").decode("utf-8", "replace"), data[before:after].decode("utf-8", "replace")))
                before = after
                if pointer.value and pointer.value <= moved:  # no progress: never loop for ever on odd input
                    break
        return out


_runtime: _Runtime | None = None
_runtime_lock = threading.Lock()


def _locate() -> tuple[str, str]:
    """Paths of the espeak-ng library and data, checked; EngineUnavailable says what is missing."""
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineUnavailable(
            f"The espeak engine is unavailable: the Python package espeakng-loader is not installed. {INSTALL_HINT}"
        ) from exc
    library_path = str(espeakng_loader.get_library_path())
    if not os.path.isfile(library_path):
        raise EngineUnavailable(
            f"The espeak engine is unavailable: the espeak-ng library is missing ({library_path} does not exist). "
            f"{INSTALL_HINT} (or reinstall it with --force-reinstall)"
        )
    try:
        data_path = str(espeakng_loader.get_data_path())
    except (RuntimeError, OSError) as exc:
        raise EngineUnavailable(
            f"The espeak engine is unavailable: the espeak-ng voice data is missing ({exc}). "
            f"{INSTALL_HINT} (or reinstall it with --force-reinstall)"
        ) from exc
    if not os.path.isdir(data_path):
        raise EngineUnavailable(
            f"The espeak engine is unavailable: the espeak-ng voice data folder {data_path} does not exist. "
            f"{INSTALL_HINT} (or reinstall it with --force-reinstall)"
        )
    missing = [
        f"{what} ({name})"
        for name, what in _REQUIRED_DATA.items()
        if not os.path.exists(os.path.join(data_path, name))
    ]
    if missing:
        raise EngineUnavailable(
            f"The espeak engine is unavailable: the espeak-ng data in {data_path} lacks {', '.join(missing)}. "
            f"{INSTALL_HINT} (or reinstall it with --force-reinstall)"
        )
    return library_path, data_path


def _get_runtime(library_path: str, data_path: str) -> _Runtime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = _Runtime(library_path, data_path)
        return _runtime


class EspeakEngine(Engine):
    NAME = "espeak"
    CAPABILITIES = Capabilities(
        languages=frozenset({"en", "cmn", "yue"}),
        offline=True,
        max_chars=None,
        concurrency=1,  # the C library has one global voice and callback
        native_speed=True,
        quality=MappingProxyType({"en": 1, "cmn": 1, "yue": 1}),
        robotic=frozenset({"en", "cmn", "yue"}),
    )

    def __init__(self, settings: Mapping[str, Any] | None = None):
        super().__init__(settings)
        self.settings = read_settings(EspeakSettings, settings, self.NAME)
        self._runtime = _get_runtime(*_locate())

    @property
    def version(self) -> str:
        return f"espeak-ng {self._runtime.version}"

    @property
    def sample_rate(self) -> int:
        return self._runtime.sample_rate

    def voice_name(self, request: SpeechRequest) -> str:
        if request.language == "en":
            return english_voice(request.accent)
        return request.language  # espeak-ng's voices are named yue and cmn

    def voice(self, request: SpeechRequest) -> str:
        return f"{self.version} {self.voice_name(request)}"

    def synthesize(self, request: SpeechRequest) -> Audio:
        rate = self._runtime.sample_rate
        if not request.text.strip():
            return Audio(bytes(2 * int(rate * SILENCE_S)), "pcm", rate)
        wpm = max(MIN_WPM, min(MAX_WPM, round(DEFAULT_WPM * float(request.speed))))
        pcm = self._runtime.synthesize(self.voice_name(request), request.text, wpm)
        if not pcm:
            raise SynthesisError(f"espeak-ng produced no audio for {request.text[:40]!r}.", engine="espeak")
        return Audio(pcm, "pcm", rate)
