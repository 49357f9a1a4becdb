"""Pick an engine: gTTS when its endpoint is reachable, else the offline espeak engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from . import gtts as gtts_module
from .base import Engine

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["choose"]


def choose(config: "Config", notify: Callable[[str], object] | None = None) -> Engine:
    """GttsEngine when `gtts.reachable(config)`, else EspeakEngine; `notify(message)` says which and why."""
    from .espeak import EspeakEngine
    from .gtts import GttsEngine

    host = urlsplit(gtts_module.endpoint_url(config)).hostname or config.gtts_url
    if gtts_module.reachable(config):
        engine: Engine = GttsEngine(config)
        message = f"Using gtts ({host} reachable)."
    else:
        engine = EspeakEngine(config)
        message = (
            f"gTTS is not reachable (cannot connect to {host} within {config.reachability_timeout:g} s); "
            "using the offline espeak engine."
        )
    if notify is not None:
        notify(message)
    return engine
