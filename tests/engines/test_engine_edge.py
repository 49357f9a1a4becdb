"""The edge engine: edge-tts's own WebSocket client against a local fake of the service."""

from __future__ import annotations

import socket
from pathlib import Path
import time

import pytest

edge_tts = pytest.importorskip("edge_tts")

from edge_tts import communicate  # noqa: E402

from listen.audio.format import segment_mp3  # noqa: E402
from listen.config import load_config  # noqa: E402
from listen.engines.base import SpeechRequest  # noqa: E402
from listen.engines.edge import EdgeEngine, EdgeSettings, rate, voice_settings  # noqa: E402
from listen.engines.registry import engine_class  # noqa: E402
from listen.errors import ConfigError, SynthesisError, TransientSynthesisError  # noqa: E402
from support.fake_gtts import tiny_mp3  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-ferries.txt"

YUE = SpeechRequest("渡輪在維港航行了一百年。", "yue", "traditional")
CMN_T = SpeechRequest("渡輪在維港航行了一百年。", "cmn", "traditional")
CMN_S = SpeechRequest("渡轮在维港航行了一百年。", "cmn", "simplified")
EN = SpeechRequest("The ferries have crossed the harbour for a century.", "en")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def engine(**settings) -> EdgeEngine:
    return EdgeEngine({"timeout": 3.0, "reachability_timeout": 0.5, **settings})


def test_registered_with_its_capabilities():
    assert engine_class("edge") is EdgeEngine
    caps = EdgeEngine().capabilities
    assert caps.languages == {"en", "cmn", "yue"} and not caps.offline and caps.native_speed
    assert EdgeEngine({"concurrency": 2}).capabilities.concurrency == 2
    assert EdgeEngine().version == f"edge-tts {edge_tts.__version__}"


def test_the_request_edge_tts_sends_and_the_audio_it_gets(fake_edge):
    audio = engine().synthesize(YUE)
    assert (audio.kind, audio.sample_rate) == ("mp3", 24000)
    assert audio.data == tiny_mp3()  # reassembled from the binary frames, headers stripped
    (req,) = fake_edge.requests
    assert req.query["TrustedClientToken"] == "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
    assert req.query["ConnectionId"] and req.query["Sec-MS-GEC"]
    assert req.config["context"]["synthesis"]["audio"]["outputFormat"] == "audio-24khz-48kbitrate-mono-mp3"
    assert req.ssml_headers["Content-Type"] == "application/ssml+xml"
    assert req.voice == "Microsoft Server Speech Text to Speech Voice (zh-HK, HiuMaanNeural)"
    assert (req.text, req.rate) == (YUE.text, "+0%")


def test_the_audio_decodes_to_its_length(fake_edge, tmp_path):
    from support.probe import decoded_duration

    from listen.engines.base import Audio

    got, sent = tmp_path / "got.mp3", tmp_path / "sent.mp3"
    got.write_bytes(segment_mp3([engine().synthesize(EN)], native_speed=True))
    sent.write_bytes(segment_mp3([Audio(tiny_mp3(), "mp3", 24000)], native_speed=True))
    # The whole 0.5 s tone came through the frames: the segment is as long as one made from it.
    assert decoded_duration(got) == decoded_duration(sent) > 0.5


@pytest.mark.parametrize("request_,voice", [
    (YUE, "zh-HK, HiuMaanNeural"),
    (CMN_T, "zh-TW, HsiaoChenNeural"),
    (CMN_S, "zh-CN, XiaoxiaoNeural"),
    (EN, "en-US, AriaNeural"),
    (SpeechRequest("Cheers.", "en", accent="co.uk"), "en-GB, SoniaNeural"),
])
def test_default_voice_per_language(fake_edge, request_, voice):
    engine().synthesize(request_)
    assert fake_edge.requests[-1].voice == f"Microsoft Server Speech Text to Speech Voice ({voice})"


def test_a_chosen_voice_per_language(fake_edge):
    e = engine(voice_yue="zh-HK-WanLungNeural", voice_cmn="zh-CN-YunxiNeural", voice_en="en-GB-RyanNeural")
    for request in (YUE, CMN_T, CMN_S, EN):
        e.synthesize(request)
    assert [r.voice.split("(")[1] for r in fake_edge.requests] == [
        "zh-HK, WanLungNeural)", "zh-CN, YunxiNeural)", "zh-CN, YunxiNeural)", "en-GB, RyanNeural)"]
    assert e.voice(YUE) == "edge zh-HK-WanLungNeural" and e.voice(EN) == "edge en-GB-RyanNeural"


def test_speed_is_the_ssml_rate(fake_edge):
    from dataclasses import replace

    engine().synthesize(replace(EN, speed=0.8))
    assert fake_edge.requests[0].rate == "-20%"
    assert (rate(1.0), rate(1.25), rate(2.0), rate(0.5)) == ("+0%", "+25%", "+100%", "-50%")


def test_xml_in_the_text_is_escaped(fake_edge):
    engine().synthesize(SpeechRequest("Fish & chips <cheap>", "en"))
    assert fake_edge.requests[0].text == "Fish & chips <cheap>"
    assert "&amp;" in fake_edge.requests[0].ssml and "<cheap>" not in fake_edge.requests[0].ssml


def test_nothing_speakable_is_silence_without_a_request(fake_edge):
    audio = engine().synthesize(SpeechRequest("… —", "en"))
    assert audio.kind == "pcm" and len(audio.data) == 2 * 2400 and fake_edge.requests == []


def test_no_audio_is_a_bad_voice(fake_edge):
    fake_edge.mode = "no-audio"
    with pytest.raises(SynthesisError) as info:
        engine(voice_yue="zh-HK-NobodyNeural").synthesize(YUE)
    assert not isinstance(info.value, TransientSynthesisError)
    assert str(info.value) == (
        "The edge service at 127.0.0.1 sent no audio for voice zh-HK-NobodyNeural. Probable cause: "
        "zh-HK-NobodyNeural is not one of its voices (edge-tts --list-voices lists them), or text it cannot speak."
    )
    assert (info.value.engine, info.value.setting) == ("edge", "voice_yue")


def test_refused_connection_is_transient_with_one_line(monkeypatch):
    monkeypatch.setattr(communicate, "WSS_URL", f"ws://127.0.0.1:{closed_port()}/edge/v1?TrustedClientToken=x")
    with pytest.raises(TransientSynthesisError) as info:
        engine().synthesize(YUE)
    assert str(info.value) == (
        "Failed to connect to 127.0.0.1 or the connection was dropped (the connection was refused). "
        "Probable cause: no network, or the host is unreachable or blocked; try again later."
    )
    assert info.value.offline_alternative


def test_unresolvable_host(monkeypatch):
    monkeypatch.setattr(communicate, "WSS_URL", "ws://no-such-host.invalid/edge/v1?TrustedClientToken=x")
    with pytest.raises(TransientSynthesisError, match=r"\(the host name could not be resolved\)"):
        engine().synthesize(YUE)


def test_handshake_refused(fake_edge, monkeypatch):
    from edge_tts.drm import DRM

    monkeypatch.setattr(DRM, "clock_skew_seconds", 0.0)  # edge-tts adjusts it on a 403, then retries once
    fake_edge.mode = "handshake-403"
    with pytest.raises(SynthesisError) as info:
        engine().synthesize(EN)
    assert not isinstance(info.value, TransientSynthesisError)
    assert str(info.value).startswith("The edge service at 127.0.0.1 refused the connection (403).")


def test_server_error_is_transient(fake_edge):
    fake_edge.mode = "handshake-503"
    with pytest.raises(TransientSynthesisError, match=r"^503 from the edge service at 127.0.0.1\."):
        engine().synthesize(EN)


def test_a_silent_server_times_out(fake_edge):
    fake_edge.mode = "hang"
    start = time.monotonic()
    with pytest.raises(TransientSynthesisError, match=r"^No answer from 127.0.0.1 within 0.3 s\."):
        engine(timeout=0.3).synthesize(EN)
    assert time.monotonic() - start < 1.5


def test_a_dropped_connection(fake_edge):
    fake_edge.mode = "drop"
    with pytest.raises(SynthesisError, match="sent no audio"):
        engine().synthesize(EN)


def test_reachability(fake_edge, monkeypatch):
    assert engine().unreachable_reason() is None
    assert fake_edge.requests == []  # a TCP connect only
    monkeypatch.setattr(communicate, "WSS_URL", f"ws://127.0.0.1:{closed_port()}/edge/v1?x=1")
    assert engine().unreachable_reason() == "cannot connect to 127.0.0.1 within 0.5 s"


@pytest.mark.parametrize("settings,message", [
    ({"voice_yue": "zh-CN-XiaoxiaoNeural"}, "voice_yue must be a voice for zh-HK or yue, such as zh-HK-HiuGaaiNeural, not 'zh-CN-XiaoxiaoNeural'."),
    ({"voice_en": "Aria"}, "voice_en must be an edge voice name such as en-GB-SoniaNeural, not 'Aria'."),
    ({"voice_cmn": "en-US-AriaNeural"}, "voice_cmn must be a voice for zh-CN or zh-TW, such as zh-CN-XiaoxiaoNeural, not 'en-US-AriaNeural'."),
    ({"timeout": 0}, "timeout and reachability_timeout must be more than 0 seconds."),
    ({"voice": "x"}, "Unknown key 'voice' in the [edge] settings."),
])
def test_bad_settings(settings, message):
    with pytest.raises(ConfigError) as info:
        EdgeEngine(settings)
    assert str(info.value).startswith(message) or str(info.value) == f"[edge] {message}"


def test_voices_from_the_command_line_go_to_their_slots():
    assert voice_settings(["zh-HK-WanLungNeural", "en-GB-RyanNeural", "zh-TW-YunJheNeural"]) == {
        "voice_yue": "zh-HK-WanLungNeural", "voice_en": "en-GB-RyanNeural", "voice_cmn": "zh-TW-YunJheNeural"}
    with pytest.raises(ConfigError, match="--edge-voice 'fr-FR-DeniseNeural' is not an English, Cantonese or Mandarin"):
        voice_settings(["fr-FR-DeniseNeural"])


def test_config_table(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[edge]\nvoice_yue = "zh-HK-HiuGaaiNeural"\n', encoding="utf-8")
    monkeypatch.setenv("LISTEN_CONFIG", str(path))
    from listen.engines import registry

    e = registry.create("edge", load_config())
    assert e.voice(YUE) == "edge zh-HK-HiuGaaiNeural" and EdgeSettings().voice_yue == "zh-HK-HiuMaanNeural"


# -- through the CLI ---------------------------------------------------------------------------

def _invoke(*args):
    from click.testing import CliRunner

    from listen.cli import cli

    return CliRunner(mix_stderr=False).invoke(cli, list(args), catch_exceptions=False)


def test_build_with_edge_cantonese_and_a_chosen_voice(fake_edge, fake_engine, tmp_path):
    import json



    out = tmp_path / "audio"
    result = _invoke("build", str(EXAMPLE), "--engine-en", "fake", "--engine-zh", "edge",
                     "--edge-voice", "zh-HK-WanLungNeural", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert fake_edge.requests and {r.voice for r in fake_edge.requests} == {
        "Microsoft Server Speech Text to Speech Voice (zh-HK, WanLungNeural)"}
    assert all(r.language == "en" for r in fake_engine.calls)
    manifest = json.loads((out / EXAMPLE.stem / "manifest.json").read_text("utf-8"))
    assert "edge zh-HK-WanLungNeural" in json.dumps(manifest, ensure_ascii=False)


def test_build_with_a_voice_edge_does_not_have_fails_in_one_line(fake_edge, fake_engine, tmp_path):


    fake_edge.mode = "no-audio"
    result = _invoke("build", str(EXAMPLE), "--engine-en", "fake", "--engine-zh", "edge",
                     "--edge-voice", "zh-HK-NobodyNeural", "-o", str(tmp_path / "audio"))
    assert result.exit_code == 4
    assert result.stderr.splitlines()[-1].startswith(
        "listen: error: The edge service at 127.0.0.1 sent no audio for voice zh-HK-NobodyNeural.")
    assert "Traceback" not in result.stderr


def test_an_edge_voice_of_another_language_is_refused(tmp_path):


    result = _invoke("build", str(EXAMPLE), "--engine", "espeak", "--edge-voice", "fr-FR-DeniseNeural",
                     "-o", str(tmp_path / "audio"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "listen: error: --edge-voice 'fr-FR-DeniseNeural' is not an English, Cantonese or Mandarin edge voice")
