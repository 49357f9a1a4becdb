"""listen — a bilingual listening companion.

The library API, loaded on first use (so `import listen` costs nothing):

- `load_config()` -> `Config`; `load_document(path)` -> `Document` (read, parse, align);
- `build(document, config)` and `drill(document, config, DrillOptions(...))` write an article's
  folder; `build_library(folder, config)` builds every text in a folder;
- `listen.events.subscribe(listener)` follows builds as they run.
"""

from __future__ import annotations

__version__ = "0.2.0"

_API = {
    "load_config": ("listen.config", "load_config"),
    "Config": ("listen.config", "Config"),
    "load_document": ("listen.text.load", "load_document"),
    "build": ("listen.build.builder", "build"),
    "drill": ("listen.build.builder", "drill"),
    "BuildResult": ("listen.build.builder", "BuildResult"),
    "DrillOptions": ("listen.plan.drill", "DrillOptions"),
    "build_library": ("listen.build.library", "build_library"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'listen' has no attribute {name!r}")
