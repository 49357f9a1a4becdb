from __future__ import annotations

import socket
import time

from listen.config import Config
from listen.engines.auto import choose
from listen.engines.base import create_engine
from listen.engines.espeak import EspeakEngine
from listen.engines.gtts import GttsEngine


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_falls_back_to_espeak():
    config = Config(gtts_url=f"http://127.0.0.1:{closed_port()}/_/x", reachability_timeout=1.0)
    messages = []
    start = time.monotonic()
    engine = choose(config, notify=messages.append)
    assert time.monotonic() - start < 1.5
    assert isinstance(engine, EspeakEngine)
    assert messages == [
        "gTTS is not reachable (cannot connect to 127.0.0.1 within 1 s); using the offline espeak engine."
    ]


def test_reachable_uses_gtts(fake_gtts, gtts_config):
    messages = []
    engine = choose(gtts_config, notify=messages.append)
    assert isinstance(engine, GttsEngine)
    assert messages == ["Using gtts (127.0.0.1 reachable)."]
    assert fake_gtts.requests == []  # a TCP connect only; no speech request is spent on the check


def test_notify_is_optional_and_create_engine_auto(fake_gtts, gtts_config):
    assert isinstance(choose(gtts_config), GttsEngine)
    assert isinstance(create_engine("auto", gtts_config), GttsEngine)


def test_default_url_names_google_host(monkeypatch):
    # With the real default endpoint but no way out, the message names Google's host.
    from listen.engines import gtts as gtts_module

    monkeypatch.setattr(gtts_module, "reachable", lambda config: False)
    messages = []
    assert isinstance(choose(Config(accent="co.uk"), notify=messages.append), EspeakEngine)
    assert "translate.google.co.uk" in messages[0]
