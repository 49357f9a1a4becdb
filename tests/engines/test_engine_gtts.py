from __future__ import annotations

import socket
import time
from email.utils import formatdate

import pytest

from support.fake_gtts import Reply, decode_f_req, gtts_response, gtts_response_without_audio, tiny_mp3
from listen.engines import gtts as gtts_module, network
from dataclasses import replace

from listen.engines.base import SpeechRequest
from listen.engines.gtts import GttsEngine, GttsSettings, connection_cause, is_mp3, parse_retry_after, reachable
from listen.engines.registry import engine_class
from listen.errors import EngineUnavailable, SynthesisError, TransientSynthesisError
from listen.synth.retry import call_with_retries

EN = SpeechRequest("The ferries have crossed the harbour for a century.", "en")
YUE = SpeechRequest("香港特區政府今日宣佈。", "yue", "traditional")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_capabilities(gtts_settings):
    assert engine_class("gtts") is GttsEngine
    engine = GttsEngine({**gtts_settings, "concurrency": 7})
    assert engine.capabilities.concurrency == 7 and GttsEngine.CAPABILITIES.concurrency == 4
    caps = engine.capabilities
    assert (caps.offline, caps.native_speed, caps.max_chars) == (False, False, 100)
    assert caps.languages == {"en", "cmn", "yue"}
    assert engine.version.startswith("gTTS 2.5")


def test_yue_is_a_gtts_language():
    from gtts.lang import tts_langs

    assert tts_langs()["yue"] == "Cantonese"
    assert {"zh-TW", "zh-CN", "en"} <= set(tts_langs())


def test_english_request_format_and_audio(fake_gtts, gtts_settings):
    audio = GttsEngine(gtts_settings).synthesize(EN)
    assert audio.kind == "mp3" and audio.sample_rate == 24000
    assert audio.data == tiny_mp3()
    (req,) = fake_gtts.requests
    assert req.method == "POST"
    assert req.path == "/com/_/TranslateWebserverUi/data/batchexecute" and req.tld == "com"
    assert req.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert req.body.startswith(b"f.req=") and req.body.endswith(b"&")
    assert (req.rpcid, req.text, req.lang, req.speed) == ("jQ1olc", EN.text, "en", None)
    assert decode_f_req(req.body) == ("jQ1olc", [EN.text, "en", None, "null"])


@pytest.mark.parametrize(
    "request_,lang",
    [
        (YUE, "yue"),
        (SpeechRequest("香港特區政府今日宣佈。", "cmn", "traditional"), "zh-TW"),
        (SpeechRequest("香港特区政府今日宣布。", "cmn", "simplified"), "zh-CN"),
    ],
)
def test_chinese_languages(fake_gtts, gtts_settings, request_, lang):
    engine = GttsEngine(gtts_settings)
    assert engine.synthesize(request_).data == tiny_mp3()
    assert fake_gtts.requests[0].lang == lang and fake_gtts.requests[0].text == request_.text
    assert engine.voice(request_) == f"gtts {lang}"
    # The accent changes the English voice only.
    assert engine.voice(replace(request_, accent="co.uk")) == f"gtts {lang}"


def test_accent_sets_tld_in_url(fake_gtts, gtts_settings):
    engine = GttsEngine(gtts_settings)
    engine.synthesize(replace(EN, accent="co.uk"))
    assert fake_gtts.requests[0].tld == "co.uk"
    assert engine.voice(replace(EN, accent="co.uk")) == "gtts en co.uk"
    assert engine.voice(EN) == "gtts en com"


def test_nothing_to_speak_gives_silence_without_request(fake_gtts, gtts_settings):
    engine = GttsEngine(gtts_settings)
    for text in ("", "  ", "。", "..."):
        audio = engine.synthesize(SpeechRequest(text, "yue"))
        assert audio.kind == "pcm" and set(audio.data) == {0}
    assert fake_gtts.requests == []


def test_429_with_retry_after_is_transient(fake_gtts, gtts_settings):
    fake_gtts.script(Reply(429, {"Retry-After": "7"}))
    with pytest.raises(TransientSynthesisError) as info:
        GttsEngine(gtts_settings).synthesize(EN)
    assert info.value.retry_after == 7.0 and "429" in str(info.value)


def test_retry_after_http_date():
    now = time.time()
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_429_then_200_through_retries(fake_gtts, gtts_settings):
    fake_gtts.script(Reply(429, {"Retry-After": "2"}), Reply(503))
    engine = GttsEngine(gtts_settings)
    delays = []
    audio = call_with_retries(lambda: engine.synthesize(YUE), retries=3, backoff_s=1.0, max_backoff_s=60,
                              sleep=delays.append)
    assert audio.data == tiny_mp3()
    assert len(fake_gtts.requests) == 3
    assert delays[0] == 2.0 and 1.0 <= delays[1] <= 2.2


def test_persistent_failure_gives_up(fake_gtts, gtts_settings):
    fake_gtts.default = Reply(503)
    engine = GttsEngine(gtts_settings)
    with pytest.raises(SynthesisError, match=r"gTTS kept failing after 3 attempts: 503 .*Probable cause"):
        call_with_retries(lambda: engine.synthesize(EN), retries=2, backoff_s=0.01, max_backoff_s=1,
                          sleep=lambda s: None, label="gTTS")


@pytest.mark.parametrize("status,words", [
    (403, "Google refused the request (403 Forbidden). Probable cause: "),
    (404, "Probable cause: the accent's domain is not a Google Translate domain"),
    (400, "Probable cause: an unsupported language 'en'"),
    (401, "Probable cause: "),
])
def test_client_errors_are_fatal(fake_gtts, gtts_settings, status, words):
    fake_gtts.script(Reply(status))
    with pytest.raises(SynthesisError) as info:
        GttsEngine(gtts_settings).synthesize(EN)
    assert not isinstance(info.value, TransientSynthesisError)
    assert words in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("reply", [
    Reply(500), Reply(502), Reply(503, {"Retry-After": "4"}), Reply(504),
    Reply(200, body=b""), Reply(200, body=b")]}'\n\nnothing here\n"),
    Reply(200, body=gtts_response_without_audio()),
    Reply(200, audio=b"this is not an mp3 at all"), Reply(200, audio=b""),
    Reply(204),
], ids=["500", "502", "503", "504", "empty-body", "no-rpc", "no-audio", "non-mp3", "empty-audio", "204"])
def test_transient_answers(fake_gtts, gtts_settings, reply):
    fake_gtts.script(reply)
    with pytest.raises(TransientSynthesisError) as info:
        GttsEngine(gtts_settings).synthesize(EN)
    assert "Probable cause" in str(info.value)
    assert info.value.retry_after == (4.0 if reply.headers else None)


def test_timeout_is_transient(fake_gtts, gtts_settings):
    fake_gtts.script(Reply(delay=3.0))
    engine = GttsEngine({**gtts_settings, "timeout": 0.3})
    start = time.monotonic()
    with pytest.raises(TransientSynthesisError, match="within 0.3 s"):
        engine.synthesize(EN)
    assert time.monotonic() - start < 2.0


def test_a_dripping_answer_is_bounded_by_the_timeout(fake_gtts, gtts_settings):
    # Each 16-byte piece arrives well within the per-read timeout, the whole answer does not.
    fake_gtts.script(Reply(trickle=0.05))
    engine = GttsEngine({**gtts_settings, "timeout": 0.5})
    start = time.monotonic()
    with pytest.raises(TransientSynthesisError, match="within 0.5 s"):
        engine.synthesize(EN)
    assert time.monotonic() - start < 3.0


def test_dropped_connection_is_transient(fake_gtts, gtts_settings):
    fake_gtts.script(Reply(drop=True))
    with pytest.raises(TransientSynthesisError, match="dropped"):
        GttsEngine(gtts_settings).synthesize(EN)


def test_connection_refused_is_transient():
    settings = {"url": f"http://127.0.0.1:{closed_port()}/_/x", "timeout": 1.0}
    with pytest.raises(TransientSynthesisError, match=r"Failed to connect to 127.0.0.1 or the connection was "
                       r"dropped \(the connection was refused\)\.") as info:
        GttsEngine(settings).synthesize(EN)
    assert (info.value.engine, info.value.setting, info.value.offline_alternative) == ("gtts", "url", True)


def test_tls_verification_is_on(monkeypatch, gtts_settings):
    import requests

    seen = {}

    def fake_post(self, url, **kwargs):
        seen.update(kwargs)
        raise requests.exceptions.ConnectionError("stop")

    monkeypatch.setattr(requests.Session, "post", fake_post)
    with pytest.raises(TransientSynthesisError):
        GttsEngine({**gtts_settings, "timeout": 3.5}).synthesize(EN)
    assert seen["verify"] is True and seen["timeout"] == (3.5, 3.5)


def test_response_format_helper_matches_gtts_decoder():
    # Our fake's response must be what gTTS's own decoder (its regex) accepts.
    import base64
    import re

    line = [ln for ln in gtts_response(b"\xff\xf3abc").decode().splitlines() if "jQ1olc" in ln][0]
    match = re.search(r'jQ1olc","\[\\"(.*)\\"]', line)
    assert base64.b64decode(match.group(1)) == b"\xff\xf3abc"


def test_is_mp3():
    assert is_mp3(tiny_mp3())
    assert not is_mp3(b"") and not is_mp3(b"RIFF....WAVEfmt ") and not is_mp3(b"\xff\xff\xff\xff")
    # An ID3v2 tag (2-byte body) before the first frame is skipped.
    assert is_mp3(b"ID3\x04\x00\x00\x00\x00\x00\x02\x00\x00" + b"\xff\xf3\x44\xc4")
    assert not is_mp3(b"ID3\x04\x00\x00\x00\x00\x00\x02\x00\x00" + b"text")


def test_gtts_missing(monkeypatch, gtts_settings):
    import sys

    monkeypatch.setitem(sys.modules, "gtts", None)
    with pytest.raises(EngineUnavailable, match="pip install gTTS"):
        GttsEngine(gtts_settings)


def test_reachable_fake_server(fake_gtts, gtts_settings):
    assert reachable(GttsSettings(**gtts_settings))
    assert GttsEngine(gtts_settings).unreachable_reason() is None


def test_unreachable_closed_port_is_fast():
    settings = {"url": f"http://127.0.0.1:{closed_port()}/_/x", "reachability_timeout": 2.0}
    start = time.monotonic()
    assert GttsEngine(settings).unreachable_reason() == "cannot connect to 127.0.0.1 within 2 s"
    assert time.monotonic() - start < 1.0


def test_unreachable_is_bounded_by_timeout(monkeypatch):
    def hang(*args, **kwargs):
        time.sleep(2)
        raise OSError("no route")

    monkeypatch.setattr(network.socket, "create_connection", hang)
    settings = GttsSettings(url="http://127.0.0.1:9/_/x", reachability_timeout=0.2)
    start = time.monotonic()
    assert not reachable(settings)
    assert time.monotonic() - start < 1.0


def test_piece_lengthened_by_gtts_preprocessing_is_sent_in_parts(fake_gtts, gtts_settings):
    # gTTS expands "Esq." to "Esquire": a 99-char piece becomes > 100 chars and two requests.
    text = ("Smith Esq. " * 9).strip()
    assert len(text) <= GttsEngine.CAPABILITIES.max_chars
    audio = GttsEngine(gtts_settings).synthesize(SpeechRequest(text, "en"))
    assert len(fake_gtts.requests) == 2
    assert all(len(r.text) <= 100 for r in fake_gtts.requests)
    assert audio.data == tiny_mp3() * 2


def test_a_body_cut_short_is_transient(fake_gtts, gtts_settings):
    # Content-Length promises more bytes than arrive before the connection closes.
    fake_gtts.script(Reply(cut=True))
    with pytest.raises(TransientSynthesisError, match="dropped"):
        GttsEngine(gtts_settings).synthesize(EN)


def test_connection_causes_are_words_not_python_text():
    import http.client

    import requests

    cases = [
        (ConnectionRefusedError(111, "Connection refused"), "the connection was refused"),
        (socket.gaierror(-2, "Name or service not known"), "the host name could not be resolved"),
        (ConnectionResetError(104, "Connection reset by peer"), "the server reset the connection"),
        (http.client.RemoteDisconnected("Remote end closed connection without response"),
         "the server closed the connection without answering"),
    ]
    for cause, words in cases:
        wrapped = requests.exceptions.ConnectionError(f"('Connection aborted.', {cause!r}) " + "x" * 200)
        wrapped.__context__ = cause
        assert connection_cause(wrapped) == words
    assert connection_cause(requests.exceptions.ConnectionError("HTTPConnectionPool(host=...): Max retries "
                                                                  "exceeded (Caused by NewConnectionError: "
                                                                  "[Errno 111] Connection refused)")) == \
        "the connection was refused"
    assert connection_cause(RuntimeError("???")) == "the connection failed"


def test_unknown_setting_is_one_clear_error():
    from listen.errors import ConfigError

    with pytest.raises(ConfigError, match=r"Unknown key 'tiemout' in the \[gtts\] settings"):
        GttsEngine({"tiemout": 3})
    with pytest.raises(ConfigError, match=r"\[gtts\] concurrency must be at least 1"):
        GttsEngine({"concurrency": 0})
    with pytest.raises(ConfigError, match=r"\[gtts\] timeout must be float, not 'x'"):
        GttsEngine({"timeout": "x"})
