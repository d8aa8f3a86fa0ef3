"""Figures that may be a minute or a few old, kept per process, each with the time it was
counted so the page can say so.

Only for counts over a whole register or cohort that a page shows on every view (the
dashboard's tiles, a tracer campaign's cohort size polled every few seconds): counting them
costs in proportion to the register, and being a minute old changes no decision. Lists and
every figure a report reads are always current. `FIGURE_CACHE_SECONDS` sets the age (0 in
tests: always counted afresh).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app

from app.core.db import utcnow

T = TypeVar("T")
_lock = threading.Lock()
_figures: dict[Hashable, tuple[float, datetime, Any]] = {}
MAX_KEPT = 2_000


def cached_figure(key: Hashable, compute: Callable[[], T]) -> tuple[T, datetime]:
    """(value, when it was counted): the kept value while it is younger than the configured
    age, else `compute()` run now and kept."""
    max_age = current_app.config.get("FIGURE_CACHE_SECONDS", 0)
    full_key = (current_app.config.get("SQLALCHEMY_DATABASE_URI"), key)
    now = time.monotonic()
    if max_age > 0:
        with _lock:
            kept = _figures.get(full_key)
        if kept is not None and now - kept[0] < max_age:
            return kept[2], kept[1]
    value, counted_at = compute(), utcnow()
    if max_age > 0:
        with _lock:
            if len(_figures) >= MAX_KEPT:
                _figures.clear()
            _figures[full_key] = (now, counted_at, value)
    return value, counted_at


def forget_figures() -> None:
    """Drop every kept figure (tests)."""
    with _lock:
        _figures.clear()
