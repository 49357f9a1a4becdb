"""listen — a bilingual listening companion.

The library API: read and align a text (`load_document`), build its audio (`build`).
"""

from __future__ import annotations

__version__ = "0.1.0"
