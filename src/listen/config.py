"""Settings of a build, frozen and validated once, where they are born.

Precedence: command-line option > environment (LISTEN_*) > config file > built-in default.
The config file is `<user config dir>/listen/config.toml` (`LISTEN_CONFIG` names another file).
Its top-level keys are the flat names in `KEYS` (e.g. `engine = "espeak"`, `gap_ms = 500`); a table
per engine holds that engine's own settings, which only that engine reads and checks::

    engine = "espeak"
    chinese = "cantonese"
    speed_en = 0.9

    [gtts]
    timeout = 20.0

Each section is a frozen dataclass that checks its values in `__post_init__`; nothing downstream
checks them again. An engine receives its own table only (`Config.engine_table`).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = [
    "CHINESE", "LEARNING", "SPEED_RANGE", "GAP_RANGE_MS", "Config", "VoiceSettings", "TimingSettings",
    "RetrySettings", "OutputSettings", "FeedSettings", "InputSettings", "KEYS", "MB", "MAX_INPUT_MB",
    "config_path", "load_config",
]

CHINESE = ("mandarin", "cantonese")
LEARNING = ("en", "zh")
SPEED_RANGE = (0.5, 2.0)
GAP_RANGE_MS = (0, 60_000)
MB = 1_000_000  # the unit of max_input_mb (and of the message that refuses a larger input)
MAX_INPUT_MB = 10  # the default of max_input_mb
_CONFIG_MAX_BYTES = 1 * MB  # a config file is a few lines; anything larger is not one

# Settings that change no byte of the output: left out of the library's record of what an
# article was built with (`Config.output_identity`).
_NO_OUTPUT = {"output_identity": False}


def _check_speed(name: str, value: float | None) -> None:
    lo, hi = SPEED_RANGE
    if value is not None and not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo} and {hi}, not {value:g}.")


@dataclass(frozen=True)
class VoiceSettings:
    """What is spoken and by which engine."""

    engine: str = "auto"  # an engine name, or "auto" (the best one available per language)
    engine_en: str | None = None  # the engine for English; None: as `engine`
    engine_zh: str | None = None  # the engine for Chinese; None: as `engine`
    chinese: str | None = None  # spoken Chinese; None: by script (Traditional -> Cantonese)
    learning: str | None = None  # the language being learned; None: English
    accent: str = "com"  # English accent as Google's domain: com (US), co.uk, com.au, ...
    speed_en: float | None = None  # None: the default for the learning direction
    speed_zh: float | None = None

    def __post_init__(self) -> None:
        for name in ("engine", "engine_en", "engine_zh"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and value):
                raise ConfigError(f"{name} must be an engine name such as auto, espeak or gtts.")
        if self.chinese not in (None, *CHINESE):
            raise ConfigError(f"chinese must be 'mandarin' or 'cantonese', not {self.chinese!r}.")
        if self.learning not in (None, *LEARNING):
            raise ConfigError(f"learning must be 'en' or 'zh', not {self.learning!r}.")
        if not self.accent or not all(part.isalnum() for part in self.accent.split(".")):
            raise ConfigError(f"accent must be a Google domain such as com, co.uk or com.au, not {self.accent!r}.")
        _check_speed("speed_en", self.speed_en)
        _check_speed("speed_zh", self.speed_zh)


@dataclass(frozen=True)
class TimingSettings:
    """The silences between what is spoken."""

    gap_ms: int = 700  # between the segments of one pair
    pair_gap_ms: int = 1500  # between pairs
    sentence_gap_ms: int = 350  # between the sentences of a paragraph
    zh_first: bool | None = None  # None: the language being learned first

    def __post_init__(self) -> None:
        lo, hi = GAP_RANGE_MS
        for name in ("gap_ms", "pair_gap_ms", "sentence_gap_ms"):
            value = getattr(self, name)
            if not lo <= value <= hi:
                raise ConfigError(f"{name} must be between {lo} and {hi} ms, not {value}.")


@dataclass(frozen=True)
class RetrySettings:
    """How transient failures of online engines are retried (429, 5xx, timeouts, drops)."""

    retries: int = 5  # attempts after the first
    backoff_s: float = 1.0  # first delay; doubles each time; a Retry-After header wins
    max_backoff_s: float = 60.0  # no wait is longer, whatever the server asks

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ConfigError(f"retries must be 0 or more, not {self.retries}.")
        if self.backoff_s < 0 or self.max_backoff_s < 0:
            raise ConfigError("backoff_s and max_backoff_s must be 0 or more.")


@dataclass(frozen=True)
class OutputSettings:
    """Where files go and what they are tagged with."""

    dir: str = field(default="audio", metadata=_NO_OUTPUT)
    artist: str = "listen"  # ID3 artist
    jobs: int = field(default=0, metadata=_NO_OUTPUT)  # parallel workers; 0 = one per CPU
    cache_dir: str | None = field(default=None, metadata=_NO_OUTPUT)  # None: the user cache dir

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ConfigError(f"jobs must be 0 (one per CPU) or more, not {self.jobs}.")
        if not self.dir:
            raise ConfigError("output must name a folder.")

    @property
    def cache_path(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        import platformdirs

        return Path(platformdirs.user_cache_dir("listen"))

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass(frozen=True)
class FeedSettings:
    """How the podcast feeds present the library (`[feed]` in the config file, --feed-* options)."""

    title: str = "listen"  # the channel's name (feeds, library page, cover)
    author: str = "listen"  # itunes:author and itunes:owner
    description: str = "Bilingual English/Chinese editorials as listening tracks."
    language: str = "en"  # the channel's language (RFC 5646); the Chinese feed says zh
    image: str | None = None  # channel artwork: an http(s) URL or a PNG/JPEG file; None: drawn
    email: str | None = None  # itunes:owner email (Apple Podcasts asks for one to list a feed)

    def __post_init__(self) -> None:
        for name in ("title", "author", "description"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ConfigError(f"feed {name} must be some text.")
        if not self.language or not all(part.isalnum() for part in self.language.split("-")):
            raise ConfigError(f"feed language must be a language tag such as en, zh-HK or zh-Hant, not {self.language!r}.")
        if self.image is not None:
            lower = self.image.lower()
            if not lower.startswith(("http://", "https://")) and not lower.endswith((".png", ".jpg", ".jpeg")):
                raise ConfigError(f"feed image must be an http(s) URL or a .png/.jpg file, not {self.image!r}.")
        if self.email is not None and "@" not in self.email:
            raise ConfigError(f"feed email must be an e-mail address, not {self.email!r}.")


@dataclass(frozen=True)
class InputSettings:
    """How much of an input `listen` reads: text files, standard input and `.pairs` sidecars."""

    max_mb: int = MAX_INPUT_MB  # an editorial is ~20 KB; larger inputs are refused, never read whole

    def __post_init__(self) -> None:
        if self.max_mb < 1:
            raise ConfigError(f"max_input_mb must be 1 or more, not {self.max_mb}.")

    @property
    def max_bytes(self) -> int:
        return self.max_mb * MB


def _frozen_tables(tables: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({name: MappingProxyType(dict(table)) for name, table in tables.items()})


@dataclass(frozen=True)
class Config:
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    timing: TimingSettings = field(default_factory=TimingSettings)
    retry: RetrySettings = field(default_factory=RetrySettings, metadata=_NO_OUTPUT)
    output: OutputSettings = field(default_factory=OutputSettings)
    feed: FeedSettings = field(default_factory=FeedSettings, metadata=_NO_OUTPUT)
    input: InputSettings = field(default_factory=InputSettings, metadata=_NO_OUTPUT)
    # One table per engine, read and checked by that engine alone (engines.registry.create).
    engines: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, metadata=_NO_OUTPUT)

    def __post_init__(self) -> None:
        object.__setattr__(self, "engines", _frozen_tables(self.engines))

    def __reduce__(self):  # picklable for worker processes (mapping proxies are not)
        tables = {name: dict(table) for name, table in self.engines.items()}
        return (Config, (self.voice, self.timing, self.retry, self.output, self.feed, self.input, tables))

    def engine_for(self, lang: str) -> str:
        """The engine setting for a document language ("en" | "zh"): its own, else `engine`."""
        own = self.voice.engine_en if lang == "en" else self.voice.engine_zh
        return own or self.voice.engine

    def engine_table(self, name: str) -> Mapping[str, Any]:
        """The settings of engine `name` (empty when the config file has none)."""
        return self.engines.get(name, MappingProxyType({}))

    def with_engine_table(self, name: str, table: Mapping[str, Any]) -> "Config":
        """A copy in which engine `name` has the settings `table` (merged over its current ones)."""
        engines = {k: dict(v) for k, v in self.engines.items()}
        engines[name] = {**engines.get(name, {}), **table}
        return dataclasses.replace(self, engines=engines)

    def with_options(self, **options: Any) -> "Config":
        """A copy with the given flat settings (the `KEYS` names) changed; None means "not given"."""
        changes: dict[str, dict[str, Any]] = {}
        for key, value in options.items():
            if value is None:
                continue
            if key not in KEYS:
                raise KeyError(key)
            section, name = KEYS[key]
            changes.setdefault(section, {})[name] = value
        sections = {s: dataclasses.replace(getattr(self, s), **c) for s, c in changes.items()}
        return dataclasses.replace(self, **sections) if sections else self

    def output_identity(self) -> dict[str, Any]:
        """Every setting that can change the output's bytes, by flat name (for library stamps)."""
        out: dict[str, Any] = {}
        for section in fields(self):
            if section.metadata.get("output_identity", True) is False:
                continue
            value = getattr(self, section.name)
            for f in fields(value):
                if f.metadata.get("output_identity", True):
                    out[f"{section.name}.{f.name}"] = getattr(value, f.name)
        return out


# Flat key (config file, options) -> (section, field).
KEYS: dict[str, tuple[str, str]] = {
    "engine": ("voice", "engine"),
    "engine_en": ("voice", "engine_en"),
    "engine_zh": ("voice", "engine_zh"),
    "chinese": ("voice", "chinese"),
    "learning": ("voice", "learning"),
    "accent": ("voice", "accent"),
    "speed_en": ("voice", "speed_en"),
    "speed_zh": ("voice", "speed_zh"),
    "gap_ms": ("timing", "gap_ms"),
    "pair_gap_ms": ("timing", "pair_gap_ms"),
    "sentence_gap_ms": ("timing", "sentence_gap_ms"),
    "zh_first": ("timing", "zh_first"),
    "retries": ("retry", "retries"),
    "backoff_s": ("retry", "backoff_s"),
    "max_backoff_s": ("retry", "max_backoff_s"),
    "output": ("output", "dir"),
    "artist": ("output", "artist"),
    "jobs": ("output", "jobs"),
    "cache_dir": ("output", "cache_dir"),
    "feed_title": ("feed", "title"),
    "feed_author": ("feed", "author"),
    "feed_description": ("feed", "description"),
    "feed_language": ("feed", "language"),
    "feed_image": ("feed", "image"),
    "feed_email": ("feed", "email"),
    "max_input_mb": ("input", "max_mb"),
}
# Tables of the config file that hold settings of listen itself, not of an engine: [feed] title = ...
_SECTION_TABLES = ("feed",)
# Keys of listen 0.1 that now live in the gtts engine's table ([gtts] url = ...).
_LEGACY_ENGINE_KEYS = {
    "gtts_url": ("gtts", "url"),
    "gtts_timeout": ("gtts", "timeout"),
    "gtts_concurrency": ("gtts", "concurrency"),
    "reachability_timeout": ("gtts", "reachability_timeout"),
}


def _field_type(section: str, name: str) -> type:
    cls = {"voice": VoiceSettings, "timing": TimingSettings, "retry": RetrySettings, "output": OutputSettings,
           "feed": FeedSettings, "input": InputSettings}[section]
    annotation = {f.name: str(f.type) for f in fields(cls)}[name]
    return {"str": str, "str | None": str, "float": float, "float | None": float, "int": int,
            "bool": bool, "bool | None": bool}[annotation]


def _typed(key: str, value: Any, expected: type, where: str) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        raise ConfigError(f"Config key {key!r} in {where} must be {expected.__name__}, not {value!r}.")
    return value


def config_path() -> Path:
    env = os.environ.get("LISTEN_CONFIG")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir("listen")) / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    from .fsutil import read_at_most

    try:
        with open(path, "rb") as fh:
            data = read_at_most(fh, _CONFIG_MAX_BYTES)
        if data is None:
            raise ConfigError(f"Config file {path} is larger than {_CONFIG_MAX_BYTES // MB} MB: it is not a "
                              "listen config file (a few lines of TOML, e.g. engine = \"espeak\").")
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Cannot read config file {path}: it is not UTF-8 text (bad byte at offset "
                          f"{exc.start}). It must be TOML, e.g. engine = \"espeak\".") from exc
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"Cannot read config file {path}: it nests arrays or tables too deeply. It must be "
                          "TOML, e.g. engine = \"espeak\".") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"Cannot read config file {path}: {exc}. It must be TOML, e.g. engine = \"espeak\"."
        ) from exc


def load_config(path: Path | None = None) -> Config:
    """Defaults, then the config file (if it exists), then LISTEN_* environment variables."""
    path = path or config_path()
    values = _read_toml(path)
    sections: dict[str, dict[str, Any]] = {}
    engines: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if key in _SECTION_TABLES and isinstance(value, dict):
            for name, item in value.items():
                flat = f"{key}_{name}"
                if flat not in KEYS:
                    known = ", ".join(k[len(key) + 1:] for k in KEYS if k.startswith(key + "_"))
                    raise ConfigError(f"Unknown key {name!r} in [{key}] of config file {path}. Known keys: {known}.")
                section, field_name = KEYS[flat]
                sections.setdefault(section, {})[field_name] = _typed(f"{key}.{name}", item,
                                                                      _field_type(section, field_name), str(path))
        elif isinstance(value, dict):
            engines[key] = dict(value)  # an engine's table: that engine checks it
        elif key in KEYS:
            section, name = KEYS[key]
            sections.setdefault(section, {})[name] = _typed(key, value, _field_type(section, name), str(path))
        elif key in _LEGACY_ENGINE_KEYS:
            engine, name = _LEGACY_ENGINE_KEYS[key]
            engines.setdefault(engine, {}).setdefault(name, value)
        else:
            known = ", ".join(sorted(k for k in KEYS if not k.startswith(tuple(f"{t}_" for t in _SECTION_TABLES))))
            raise ConfigError(f"Unknown key {key!r} in config file {path}. Known keys: {known}; "
                              "engine settings go in a table such as [gtts].")
    # Environment: LISTEN_ENGINE, LISTEN_CACHE_DIR, and LISTEN_<ENGINE>_URL for any engine.
    if os.environ.get("LISTEN_ENGINE"):
        sections.setdefault("voice", {})["engine"] = os.environ["LISTEN_ENGINE"]
    if os.environ.get("LISTEN_CACHE_DIR"):
        sections.setdefault("output", {})["cache_dir"] = os.environ["LISTEN_CACHE_DIR"]
    for env, value in os.environ.items():
        if env.startswith("LISTEN_") and env.endswith("_URL") and value and len(env) > len("LISTEN__URL"):
            engines.setdefault(env[len("LISTEN_"):-len("_URL")].lower(), {})["url"] = value
    try:
        return Config(
            voice=VoiceSettings(**sections.get("voice", {})),
            timing=TimingSettings(**sections.get("timing", {})),
            retry=RetrySettings(**sections.get("retry", {})),
            output=OutputSettings(**sections.get("output", {})),
            feed=FeedSettings(**sections.get("feed", {})),
            input=InputSettings(**sections.get("input", {})),
            engines=engines,
        )
    except ConfigError as exc:
        raise ConfigError(f"In {path}: {exc}") from None
