"""Online speech with Google Translate's text-to-speech, using gTTS's request format.

The request is built by the `gtts` package itself (``gTTS._prepare_requests()``: its text
pre-processing, then a form body ``f.req=<url-quoted JSON>`` carrying the RPC ``jQ1olc`` with
``[text, lang, speed, "null"]``) so it stays what gTTS sends; we send it ourselves with `requests`
to control the endpoint (the ``url`` setting, "{tld}" replaced by the accent's domain), explicit
timeouts, TLS verification (always on) and error classification. The response is a
``)]}'``-prefixed batchexecute stream; the line holding ``jQ1olc`` carries ``["<base64 MP3>"]``.

Languages: English ``en`` (the accent is the tld: com, co.uk, com.au, ...), Mandarin ``zh-TW`` for
Traditional text and ``zh-CN`` for Simplified (the request says which), Cantonese ``yue`` (in
gTTS 2.5.4's language list). Every request goes to the accent's host; for Chinese the voice
depends on the language only.

Settings (the ``[gtts]`` table): ``url`` (the endpoint; "{tld}" is replaced by the accent's
domain), ``timeout`` (seconds per request, the whole answer included), ``concurrency`` (requests
in flight) and ``reachability_timeout`` (how long `auto` waits to decide the server is there).

Text with nothing speakable (empty, whitespace or punctuation only) gives 100 ms of silence.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import re
import threading
import time
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..errors import ConfigError, SynthesisError, TransientSynthesisError
from .base import Audio, Capabilities, Engine, SpeechRequest, installed_version, read_settings, require_packages
from .network import can_connect, connection_cause

__all__ = ["GttsEngine", "GttsSettings", "reachable", "endpoint_url", "gtts_lang", "is_mp3", "connection_cause"]

DEFAULT_URL = "https://translate.google.{tld}/_/TranslateWebserverUi/data/batchexecute"

RPC_ID = "jQ1olc"
SAMPLE_RATE = 24000
SILENCE_S = 0.1
_AUDIO_RE = re.compile(RPC_ID + r'","\[\\"(.*)\\"]')
_TRANSIENT_STATUS = {408, 429}


@dataclass(frozen=True)
class GttsSettings:
    url: str = DEFAULT_URL
    timeout: float = 10.0
    concurrency: int = 4
    reachability_timeout: float = 2.0

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(f"url must be an http:// or https:// URL, not {self.url!r}.")
        if self.timeout <= 0 or self.reachability_timeout <= 0:
            raise ConfigError("timeout and reachability_timeout must be more than 0 seconds.")
        if self.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, not {self.concurrency}.")


def gtts_lang(request: SpeechRequest) -> str:
    """gTTS's language code for `request`: en, yue, zh-TW or zh-CN."""
    if request.language == "en":
        return "en"
    if request.language == "yue":
        return "yue"
    return "zh-CN" if request.script == "simplified" else "zh-TW"


def endpoint_url(settings: GttsSettings, tld: str | None = None) -> str:
    return settings.url.replace("{tld}", tld or "com")


def is_mp3(data: bytes) -> bool:
    """True when `data` starts (after an optional ID3v2 tag) with an MPEG audio frame header."""
    pos = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | (byte & 0x7F)
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    header = data[pos : pos + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return False
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate, rate = header[2] >> 4, (header[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


class GttsEngine(Engine):
    NAME = "gtts"
    CAPABILITIES = Capabilities(
        languages=frozenset({"en", "cmn", "yue"}),
        offline=False,
        max_chars=100,
        concurrency=4,
        native_speed=False,
        quality=MappingProxyType({"en": 2, "cmn": 2, "yue": 2}),
    )

    def __init__(self, settings: Mapping[str, Any] | None = None):
        super().__init__(settings)
        self.settings = read_settings(GttsSettings, settings, self.NAME)
        require_packages(self.NAME, {"gtts": "gTTS", "requests": "requests"}, "Install it with: pip install gTTS")
        self._gtts_version = installed_version("gTTS")
        self._local = threading.local()

    @property
    def capabilities(self) -> Capabilities:
        from dataclasses import replace

        return replace(self.CAPABILITIES, concurrency=self.settings.concurrency)

    def unreachable_reason(self) -> str | None:
        if reachable(self.settings):
            return None
        host = urlsplit(endpoint_url(self.settings)).hostname or self.settings.url
        return f"cannot connect to {host} within {self.settings.reachability_timeout:g} s"

    @property
    def version(self) -> str:
        return f"gTTS {self._gtts_version}"

    def voice(self, request: SpeechRequest) -> str:
        # The accent (Google's domain) only changes the English voice; Chinese voices depend on
        # the language alone, so changing the accent does not re-synthesize the Chinese.
        if request.language == "en":
            return f"gtts en {request.accent or 'com'}"
        return f"gtts {gtts_lang(request)}"

    # -- requests -------------------------------------------------------------------------

    def _session(self):
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def prepare(self, request: SpeechRequest) -> list[tuple[str, dict[str, str], bytes]]:
        """(url, headers, body) of each HTTP request for `request`, built by gTTS (usually one)."""
        from gtts.tts import gTTS

        lang = gtts_lang(request)
        tld = request.accent or "com"
        tts = gTTS(text=request.text, lang=lang, tld=tld, lang_check=False)
        url = endpoint_url(self.settings, tld)
        try:
            prepared = tts._prepare_requests()
        except AssertionError:  # nothing left to speak after gTTS's cleaning
            return []
        out = []
        for pr in prepared:
            body = pr.body if isinstance(pr.body, bytes) else str(pr.body).encode("utf-8")
            headers = {k: v for k, v in pr.headers.items() if k.lower() != "content-length"}
            out.append((url, headers, body))
        return out

    def synthesize(self, request: SpeechRequest) -> Audio:
        if not request.text.strip():
            return _silence()
        parts = self.prepare(request)
        if not parts:
            return _silence()
        audio = b"".join(self._send(url, headers, body, gtts_lang(request)) for url, headers, body in parts)
        return Audio(audio, "mp3", SAMPLE_RATE)

    def _send(self, url: str, headers: dict[str, str], body: bytes, lang: str) -> bytes:
        import requests
        import urllib3

        timeout = float(self.settings.timeout)
        host = _host(url)
        try:
            response = self._session().post(
                url, data=body, headers=headers, timeout=(timeout, timeout), verify=True, stream=True
            )
            # requests' read timeout is per chunk; a server trickling bytes must not hold a
            # request past the timeout setting, so the whole body has a deadline too.
            deadline = time.monotonic() + timeout
            chunks = []
            with response:
                raw = response.raw
                # read1 returns what has arrived (urllib3 >= 2.3), so the deadline is checked as
                # the body drips in; older urllib3 falls back to whole chunks.
                reads = (
                    iter(lambda: raw.read1(16384, decode_content=True), b"")
                    if hasattr(raw, "read1") else response.iter_content(16384)
                )
                for chunk in reads:
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise requests.exceptions.ReadTimeout("the answer took too long")
            content = b"".join(chunks)
        except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError) as exc:
            raise TransientSynthesisError(
                f"No answer from {host} within {timeout:g} s. "
                "Probable cause: a slow or unstable network or an overloaded server; try again later.",
                **self._where("timeout", offline=True),
            ) from exc
        except requests.exceptions.SSLError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
                raise SynthesisError(
                    f"The TLS certificate of {host} could not be verified. "
                    "Probable cause: a proxy or firewall intercepting HTTPS; fix its certificate "
                    "(REQUESTS_CA_BUNDLE).",
                    **self._where(None, offline=True),
                ) from exc
            raise TransientSynthesisError(
                f"The TLS connection to {host} failed. Probable cause: an unstable network; try again later.",
                **self._where(None, offline=True),
            ) from exc
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
            urllib3.exceptions.HTTPError,  # raised by raw reads of the body (dropped, truncated)
        ) as exc:
            raise TransientSynthesisError(
                f"Failed to connect to {host} or the connection was dropped ({connection_cause(exc)}). "
                "Probable cause: no network, or the host is unreachable or blocked; try again later.",
                **self._where("url", offline=True),
            ) from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            raise SynthesisError(
                f"Invalid gTTS endpoint {url!r}. Probable cause: a wrong url setting.", **self._where("url")
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise SynthesisError(
                f"The request to {host} failed ({connection_cause(exc)}). Probable cause: unknown; try again later.",
                **self._where(None, offline=True),
            ) from exc
        return self._decode(response.status_code, response.reason or "", response.headers, content, url, lang)

    def _where(self, setting: str | None, *, offline: bool = False) -> dict:
        return {"engine": self.NAME, "setting": setting, "offline_alternative": offline}

    def _decode(self, status: int, reason: str, headers, content: bytes, url: str, lang: str) -> bytes:
        host = _host(url)
        label = f"{status} {reason}".strip()
        if status != 200:
            retry_after = parse_retry_after(headers.get("Retry-After"))
            if status == 429:
                raise TransientSynthesisError(
                    f"Google is rate-limiting requests ({label}). Probable cause: too many requests "
                    "in a short time; try again later.",
                    retry_after=retry_after, **self._where("concurrency", offline=True),
                )
            if status >= 500 or status in _TRANSIENT_STATUS:
                raise TransientSynthesisError(
                    f"{label} from the TTS API at {host}. Probable cause: an upstream API error; "
                    "try again later.",
                    retry_after=retry_after, **self._where(None, offline=True),
                )
            if status == 403:
                raise SynthesisError(
                    f"Google refused the request ({label}). Probable cause: the endpoint blocks "
                    "automated requests or the accent's domain is wrong; try again later.",
                    **self._where(None, offline=True),
                )
            if status == 404:
                raise SynthesisError(
                    f"The TTS API was not found at {url} ({label}). Probable cause: the accent's "
                    "domain is not a Google Translate domain, or the url setting is wrong.",
                    **self._where("url"),
                )
            if status == 400:
                raise SynthesisError(
                    f"Google rejected the request ({label}). Probable cause: an unsupported language "
                    f"{lang!r} or upstream API changes; update gTTS (pip install -U gTTS).",
                    **self._where(None, offline=True),
                )
            if 200 <= status < 300:
                raise TransientSynthesisError(
                    f"{label} without audio from the TTS API at {host}. Probable cause: an upstream "
                    "API hiccup; try again later.", **self._where(None, offline=True),
                )
            raise SynthesisError(
                f"Unexpected answer from the TTS API at {host} ({label}). Probable cause: upstream API "
                "changes or a proxy in the way; try again later.", **self._where(None, offline=True),
            )
        audio = _extract_audio(content)
        if audio is None:
            raise TransientSynthesisError(
                f"No audio stream in the response from {host}. Probable cause: an upstream API hiccup, "
                f"upstream API changes or an unsupported language {lang!r}; try again later.",
                **self._where(None, offline=True),
            )
        if not audio or not is_mp3(audio):
            what = "empty audio" if not audio else f"audio that is not MP3 ({len(audio)} bytes)"
            raise TransientSynthesisError(
                f"The TTS API at {host} returned {what}. Probable cause: an upstream API hiccup or a "
                "proxy rewriting the response; try again later.", **self._where(None, offline=True),
            )
        return audio


def _extract_audio(content: bytes) -> bytes | None:
    """The MP3 bytes in a batchexecute response (as gTTS decodes it), or None when there are none."""
    chunks = []
    found = False
    for raw in content.splitlines():
        line = raw.decode("utf-8", "replace")
        if RPC_ID not in line:
            continue
        match = _AUDIO_RE.search(line)
        if not match:
            return None
        found = True
        try:
            chunks.append(base64.b64decode(match.group(1).encode("ascii"), validate=False))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            return b"\x00"  # garbage: reported as non-MP3 audio
    return b"".join(chunks) if found else None


def _silence() -> Audio:
    return Audio(bytes(2 * int(SAMPLE_RATE * SILENCE_S)), "pcm", SAMPLE_RATE)


def reachable(settings: GttsSettings) -> bool:
    """True when the gTTS endpoint's host (or the HTTPS proxy in use) accepts a TCP connection
    within ``settings.reachability_timeout`` seconds — name resolution included."""
    return can_connect(endpoint_url(settings), settings.reachability_timeout)
