"""Engines by name, loaded on first use.

Engines are found through the entry-point group `listen.engines` (name = "module:Class"); the
built-in ones are declared there in pyproject.toml like any plugin's, so this module names no
engine and imports none until one is asked for. `register(cls)` adds one from code (plugins
that are not installed as packages, tests). "auto" is not an engine: `listen.engines.auto`
picks one per language.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ..config import Config
    from .base import Engine

__all__ = ["GROUP", "AUTO", "names", "engine_class", "create", "register", "unregister", "check_name"]

GROUP = "listen.engines"
AUTO = "auto"

_registered: dict[str, "type[Engine]"] = {}


@functools.lru_cache(maxsize=1)
def _entry_points() -> "dict[str, EntryPoint]":
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=GROUP)}


def names() -> list[str]:
    """Every engine name, sorted (without "auto")."""
    return sorted(set(_entry_points()) | set(_registered))


def check_name(name: str, *, allow_auto: bool = True) -> None:
    """UsageError listing the choices when `name` is no engine (nothing is imported)."""
    if (allow_auto and name == AUTO) or name in _registered or name in _entry_points():
        return
    choices = ([AUTO] if allow_auto else []) + names()
    raise UsageError(f"Unknown engine {name!r}. Choose one of: {', '.join(choices)}.")


def engine_class(name: str) -> "type[Engine]":
    check_name(name, allow_auto=False)
    if name in _registered:
        return _registered[name]
    return _entry_points()[name].load()


def create(name: str, config: "Config") -> "Engine":
    """The engine `name`, given its own settings (its table of the config file)."""
    return engine_class(name)(config.engine_table(name))


def register(cls: "type[Engine]") -> "type[Engine]":
    """Make an engine class available by its NAME (a class decorator as well)."""
    _registered[cls.NAME] = cls
    return cls


def unregister(name: str) -> None:
    _registered.pop(name, None)
