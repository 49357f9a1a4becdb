"""Debian's /usr/bin/chromium through the `playwright` package (never a downloaded browser): one
launcher for every browser test, skipped when either is missing (failed instead in CI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required", "--mute-audio",
]


def missing(reason: str) -> None:
    # .ci/run installs both, so in CI a missing one is a failure, not a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium(*extra_args: str) -> Iterator:
    """A headless Chromium for a fixture to yield from: `yield from chromium(...)`."""
    if not CHROMIUM.exists():
        missing("needs /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("needs the playwright package (pip install playwright; no browser download needed)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[*ARGS, *extra_args], headless=True)
        try:
            yield b
        finally:
            b.close()
