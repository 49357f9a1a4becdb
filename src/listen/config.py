"""Options for a build, with defaults from a TOML config file in the user config dir.

Precedence: command-line option > environment (LISTEN_*) > config file > built-in default.
The config file is `<user config dir>/listen/config.toml` (`LISTEN_CONFIG` names another file);
its keys are the field names below, e.g.::

    engine = "espeak"
    chinese = "cantonese"
    speed_en = 0.9
    gap_ms = 500
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_GTTS_URL = "https://translate.google.{tld}/_/TranslateWebserverUi/data/batchexecute"


@dataclass
class Config:
    engine: str = "auto"
    # Spoken Chinese: "mandarin" or "cantonese"; None picks by script (Traditional -> Cantonese).
    chinese: str | None = None
    # English accent for gTTS, as Google's top-level domain: "com" (US), "co.uk", "com.au", ...
    accent: str = "com"
    speed_en: float = 1.0
    speed_zh: float = 1.0
    gap_ms: int = 700  # silence between segments of one pair
    pair_gap_ms: int = 1500  # silence between pairs
    zh_first: bool = False
    output: str = "audio"
    artist: str = "listen"
    # gTTS endpoint; "{tld}" is replaced by the accent's domain. LISTEN_GTTS_URL overrides.
    gtts_url: str = DEFAULT_GTTS_URL
    gtts_timeout: float = 10.0  # seconds per request
    gtts_concurrency: int = 4  # requests in flight at once
    retries: int = 5  # attempts after the first for transient failures
    backoff_s: float = 1.0  # first retry delay; doubles each time
    max_backoff_s: float = 60.0
    reachability_timeout: float = 2.0  # how long `auto` waits to decide gTTS is reachable
    jobs: int = 0  # parallel segment workers; 0 = number of CPUs
    cache_dir: str | None = None  # LISTEN_CACHE_DIR overrides; default is the user cache dir

    def validate(self) -> "Config":
        for name in ("speed_en", "speed_zh"):
            value = getattr(self, name)
            if not 0.5 <= float(value) <= 2.0:
                raise ConfigError(f"{name.replace('_', '-')} must be between 0.5 and 2.0, not {value}.")
        if self.chinese not in (None, "mandarin", "cantonese"):
            raise ConfigError(f"chinese must be 'mandarin' or 'cantonese', not {self.chinese!r}.")
        for name in ("gap_ms", "pair_gap_ms"):
            value = getattr(self, name)
            if not 0 <= int(value) <= 60_000:
                raise ConfigError(f"{name.replace('_', '-')} must be between 0 and 60000 ms, not {value}.")
        if self.gtts_concurrency < 1:
            raise ConfigError("gtts_concurrency must be at least 1.")
        if self.jobs < 0:
            raise ConfigError(f"jobs must be 0 (one per CPU) or more, not {self.jobs}.")
        if self.retries < 0:
            raise ConfigError("retries must be 0 or more.")
        return self

    def replace(self, **changes: Any) -> "Config":
        """A copy with the non-None `changes` applied."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def cache_path(self) -> Path:
        env = os.environ.get("LISTEN_CACHE_DIR")
        if env:
            return Path(env)
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        import platformdirs

        return Path(platformdirs.user_cache_dir("listen"))


# The TOML type of each key (None-able keys take their non-None type).
_TYPES: dict[str, type] = {
    f.name: {"str | None": str, "str": str, "float": float, "int": int, "bool": bool}[str(f.type)]
    for f in fields(Config)
}


def config_path() -> Path:
    env = os.environ.get("LISTEN_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("listen")) / "config.toml"


_ENV = {
    "LISTEN_ENGINE": "engine",
    "LISTEN_GTTS_URL": "gtts_url",
    "LISTEN_CACHE_DIR": "cache_dir",
}


def load_config(path: Path | None = None) -> Config:
    """Defaults, then the config file (if it exists), then LISTEN_* environment variables."""
    path = path or config_path()
    values: dict[str, Any] = {}
    if path.exists():
        try:
            with open(path, "rb") as fh:
                values = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(
                f"Cannot read config file {path}: {exc}. It must be TOML, e.g. engine = \"espeak\"."
            ) from exc
    known = {f.name: f for f in fields(Config)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(
            f"Unknown key {unknown[0]!r} in config file {path}. Known keys: {', '.join(sorted(known))}."
        )
    config = Config()
    for key, value in values.items():
        expected = _TYPES[key]
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise ConfigError(f"Config key {key!r} in {path} must be {expected.__name__}, not {value!r}.")
        setattr(config, key, value)
    for env, key in _ENV.items():
        if os.environ.get(env):
            setattr(config, key, os.environ[env])
    return config.validate()
