from __future__ import annotations

import threading

import pytest

from listen.engines.base import SpeechRequest
from listen.engines.registry import engine_class
from listen.errors import EngineUnavailable

espeak = pytest.importorskip("listen.engines.espeak")

EN = "The harbour ferries have carried passengers across Victoria Harbour for more than a century."
ZH_TRAD = "香港特區政府今日宣佈，將會增加對醫療體系的資源投入。"
ZH_SIMP = "香港特区政府今日宣布，将会增加对医疗体系的资源投入。"


@pytest.fixture(scope="module")
def engine():
    return espeak.EspeakEngine()


def seconds(audio) -> float:
    return len(audio.data) / 2 / audio.sample_rate


def test_registered():
    assert engine_class("espeak") is espeak.EspeakEngine
    caps = espeak.EspeakEngine.CAPABILITIES
    assert (caps.offline, caps.native_speed, caps.concurrency, caps.max_chars) == (True, True, 1, None)
    assert caps.languages == caps.robotic == {"en", "cmn", "yue"}


def test_version_and_voices(engine):
    assert engine.version.startswith("espeak-ng 1.")
    assert engine.voice(SpeechRequest("x", "en")) == f"{engine.version} en-us"
    assert engine.voice(SpeechRequest("x", "cmn")) == f"{engine.version} cmn"
    assert engine.voice(SpeechRequest("x", "yue")) == f"{engine.version} yue"
    assert engine.voice(SpeechRequest("x", "en", accent="co.uk")) == f"{engine.version} en"


@pytest.mark.parametrize(
    "request_",
    [
        SpeechRequest(EN, "en"),
        SpeechRequest(ZH_TRAD, "cmn", "traditional"),
        SpeechRequest(ZH_SIMP, "cmn", "simplified"),
        SpeechRequest(ZH_TRAD, "yue", "traditional"),
    ],
    ids=["en", "cmn-trad", "cmn-simp", "yue-trad"],
)
def test_real_synthesis(engine, request_):
    audio = engine.synthesize(request_)
    assert audio.kind == "pcm" and audio.sample_rate == 22050
    assert len(audio.data) % 2 == 0
    assert 0.5 < seconds(audio) < 10
    assert max(abs(int.from_bytes(audio.data[i : i + 2], "little", signed=True))
               for i in range(0, len(audio.data), 200)) > 1000  # not silence


@pytest.mark.parametrize("language", ["cmn", "yue"])
def test_traditional_is_read_like_simplified(engine, language):
    # Same sentence in both scripts: the voice reads the characters (not letter names or skips).
    trad = seconds(engine.synthesize(SpeechRequest(ZH_TRAD, language, "traditional")))
    simp = seconds(engine.synthesize(SpeechRequest(ZH_SIMP, language, "simplified")))
    assert abs(trad - simp) / simp < 0.1
    assert trad > 0.12 * len(ZH_TRAD)  # roughly a syllable per character


def test_english_accents_differ_in_voice_but_both_speak():
    us = espeak.EspeakEngine().synthesize(SpeechRequest("Hello there.", "en", accent="com"))
    gb = espeak.EspeakEngine().synthesize(SpeechRequest("Hello there.", "en", accent="co.uk"))
    assert seconds(us) > 0.3 and seconds(gb) > 0.3


@pytest.mark.parametrize("language,text", [("en", EN), ("yue", ZH_TRAD)])
def test_speed(engine, language, text):
    normal = seconds(engine.synthesize(SpeechRequest(text, language, speed=1.0)))
    fast = seconds(engine.synthesize(SpeechRequest(text, language, speed=2.0)))
    slow = seconds(engine.synthesize(SpeechRequest(text, language, speed=0.5)))
    assert 0.35 < fast / normal < 0.65
    assert slow > normal * 1.5


def test_empty_text_is_short_silence(engine):
    for text in ("", "  \n "):
        audio = engine.synthesize(SpeechRequest(text, "en"))
        assert audio.kind == "pcm" and 0 < seconds(audio) <= 0.2
        assert set(audio.data) == {0}


def test_concurrent_calls_are_serialised(engine):
    results = {}

    def work(i):
        results[i] = engine.synthesize(SpeechRequest(EN if i % 2 else ZH_TRAD, "en" if i % 2 else "yue"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # espeak-ng output varies by a few samples from call to call (noise sources); interleaved
    # synthesis would mix or lose audio, so lengths must match a lone call closely.
    alone = {0: seconds(engine.synthesize(SpeechRequest(ZH_TRAD, "yue"))),
             1: seconds(engine.synthesize(SpeechRequest(EN, "en")))}
    for i, audio in results.items():
        assert abs(seconds(audio) - alone[i % 2]) < 0.05


def test_missing_library_is_reported(monkeypatch, tmp_path):
    import espeakng_loader

    monkeypatch.setattr(espeakng_loader, "get_library_path", lambda: str(tmp_path / "libespeak-ng.so"))
    with pytest.raises(EngineUnavailable) as info:
        espeak.EspeakEngine()
    assert "libespeak-ng.so" in str(info.value) and "pip install espeakng-loader" in str(info.value)


def test_missing_data_is_reported(monkeypatch, tmp_path):
    import espeakng_loader

    def missing():
        raise RuntimeError(f"data path not exists at {tmp_path / 'espeak-ng-data'}")

    monkeypatch.setattr(espeakng_loader, "get_data_path", missing)
    with pytest.raises(EngineUnavailable, match="voice data.*pip install espeakng-loader"):
        espeak.EspeakEngine()


def test_missing_voice_is_reported(monkeypatch, tmp_path):
    import espeakng_loader

    (tmp_path / "lang").mkdir()
    monkeypatch.setattr(espeakng_loader, "get_data_path", lambda: str(tmp_path))
    with pytest.raises(EngineUnavailable) as info:
        espeak.EspeakEngine()
    message = str(info.value)
    assert "Cantonese voice" in message and "Mandarin dictionary" in message and "pip install espeakng-loader" in message


def test_loader_not_installed(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "espeakng_loader", None)
    with pytest.raises(EngineUnavailable, match="espeakng-loader is not installed.*pip install espeakng-loader"):
        espeak.EspeakEngine()


def test_a_table_of_settings_is_refused():
    from listen.errors import ConfigError

    with pytest.raises(ConfigError, match=r"Unknown key 'voice' in the \[espeak\] settings"):
        espeak.EspeakEngine({"voice": "en-gb"})
