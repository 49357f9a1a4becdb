"""The pronunciation lexicon: what an engine is told to say instead of what the text shows.

Rules are per document language ("en", "zh"): plain ones (a word or phrase said another way:
whole words and case-sensitive in English, any occurrence in Chinese) and regular expressions
(Python `re`, with group references in the replacement). They apply to the text sent to an engine
(`Voicing.request`), never to the text shown (titles, transcripts, timed text); since the spoken
text is part of every segment's cache key, a rule that changes what is said makes only the
segments it touches again.

The built-in rules (`listen/data/lexicon.toml`: regnal and war numerals, common Chinese names,
acronyms) come first; the user's file (`lexicon.toml` beside the config file) adds rules, and a
rule with the same key replaces the built-in one. ``builtin = false`` at its top drops the
built-in rules. Regular expressions run first, in file order, then the plain rules at once
(longest first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

__all__ = ["LANGUAGES", "Lexicon", "builtin_path", "load_lexicon", "user_path"]

LANGUAGES = ("en", "zh")
_KINDS = ("plain", "regex")


def builtin_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "lexicon.toml"


def user_path() -> Path:
    """`lexicon.toml` beside the config file (`LISTEN_CONFIG` or the user config dir)."""
    from .config import config_path

    return config_path().parent / "lexicon.toml"


@dataclass(frozen=True)
class _Rules:
    regex: tuple[tuple["re.Pattern[str]", str], ...] = ()
    plain: Mapping[str, str] = field(default_factory=dict)
    plain_pattern: "re.Pattern[str] | None" = None

    def apply(self, text: str) -> str:
        for pattern, replacement in self.regex:
            text = pattern.sub(replacement, text)
        if self.plain_pattern is not None:
            text = self.plain_pattern.sub(lambda m: self.plain[m.group(0)], text)
        return text


class Lexicon:
    """Rules per document language; `apply(text, lang)` gives the text to speak."""

    def __init__(self, tables: "list[tuple[str, Mapping[str, Any]]]" = ()):
        """`tables`: (where it came from, parsed TOML) in order; later files override earlier ones."""
        regex: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        plain: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        checked: set[str] = set()  # regex rules that come with listen (tests/pipeline/test_lexicon.py checks them)
        for where, table in tables:
            builtin = where == str(builtin_path())
            for lang, kinds in table.items():
                if lang == "builtin":
                    continue
                if lang not in LANGUAGES or not isinstance(kinds, Mapping):
                    raise ConfigError(f"{where}: unknown table [{lang}]; use [en.plain], [en.regex], [zh.plain] "
                                      "or [zh.regex].")
                for kind, rules in kinds.items():
                    if kind not in _KINDS or not isinstance(rules, Mapping):
                        raise ConfigError(f"{where}: unknown table [{lang}.{kind}]; use [{lang}.plain] or "
                                          f"[{lang}.regex].")
                    for key, said in rules.items():
                        if not isinstance(said, str) or not key:
                            raise ConfigError(f"{where}: [{lang}.{kind}] {key!r} must be given as text, "
                                              f"not {said!r}.")
                        (regex if kind == "regex" else plain)[lang][key] = said
                        if kind == "regex":
                            (checked.add if builtin else checked.discard)(key)
        self._rules = {lang: self._compile(lang, regex[lang], plain[lang], checked) for lang in LANGUAGES}
        self.size = sum(len(regex[lang]) + len(plain[lang]) for lang in LANGUAGES)

    @staticmethod
    def _compile(lang: str, regex: Mapping[str, str], plain: Mapping[str, str], checked: set[str]) -> _Rules:
        compiled = []
        for pattern, replacement in regex.items():
            try:
                rx = re.compile(pattern)
                if pattern not in checked:
                    # A bad group reference fails here, not mid-build: this pattern matches "" at once.
                    re.compile(f"(?:{pattern})|").sub(replacement, "", count=1)
            except re.error as exc:
                raise ConfigError(f"Lexicon rule [{lang}.regex] {pattern!r} is not a valid regular expression "
                                  f"or replacement: {exc}.") from None
            compiled.append((rx, replacement))
        plain_pattern = None
        if plain:
            words = "|".join(re.escape(k) for k in sorted(plain, key=len, reverse=True))
            # English rules match whole words; Chinese has no spaces between words.
            plain_pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)" if lang == "en" else words)
        return _Rules(tuple(compiled), dict(plain), plain_pattern)

    def apply(self, text: str, lang: str) -> str:
        """What to say for `text` in document language `lang` ("en" | "zh")."""
        return self._rules["en" if lang == "en" else "zh"].apply(text)


def _read(path: Path, what: str) -> Mapping[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read the {what} {path}: {exc.strerror or exc}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The {what} {path} is not valid TOML: {exc}.") from None


def load_lexicon(user: Path | None = None) -> Lexicon:
    """The built-in rules and the user's file (`user_path()` unless given; absent is fine)."""
    user = user_path() if user is None else user
    tables: list[tuple[str, Mapping[str, Any]]] = []
    user_table = _read(user, "lexicon file") if user.is_file() else None
    if user_table is not None and not isinstance(user_table.get("builtin", True), bool):
        raise ConfigError(f"{user}: builtin must be true or false.")
    if user_table is None or user_table.get("builtin", True):
        tables.append((str(builtin_path()), _read(builtin_path(), "built-in lexicon")))
    if user_table is not None:
        tables.append((str(user), user_table))
    return Lexicon(tables)
