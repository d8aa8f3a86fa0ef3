"""Figures that may be a minute or a few old, kept per process, each with the time it was
counted so the page can say so.

Only for counts over a whole register or cohort that a page shows on every view (the
dashboard's tiles, a tracer campaign's cohort size polled every few seconds, the engagement
rate, the exchange figures): counting them costs in proportion to the register, and being a
minute old changes no decision. `FIGURE_CACHE_SECONDS` sets the age (0 in tests: always
counted afresh, in the request).

A page never waits for a recount: once a kept figure is older than that age, the request
that finds it so is served the kept figure (with the time it was counted) and the figure is
counted again in a background thread of this process, one recount per figure at a time; the
next request gets the new one. Only the first count in a process (nothing kept yet) happens
in the request. `compute` therefore runs outside the request: it must not read `request`,
`current_user` or objects loaded by the request's session (pass ids and plain values).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask, current_app

from app.core.db import utcnow

T = TypeVar("T")
_lock = threading.Lock()
_figures: dict[Hashable, tuple[float, datetime, Any]] = {}
_recounting: set[Hashable] = set()
MAX_KEPT = 2_000


def _keep(full_key: Hashable, started: float, counted_at: datetime, value: Any) -> None:
    with _lock:
        if len(_figures) >= MAX_KEPT:
            _figures.clear()
        _figures[full_key] = (started, counted_at, value)


def _recount(app: Flask, full_key: Hashable, compute: Callable[[], Any]) -> None:
    """Count a kept figure again in this thread (a background one), then keep it."""
    try:
        with app.app_context():
            started = time.monotonic()
            value = compute()
            _keep(full_key, started, utcnow(), value)
    except Exception:  # noqa: BLE001 - the kept figure stays; the next stale view retries
        app.logger.exception("Recounting the kept figure %r failed", full_key)
    finally:
        with _lock:
            _recounting.discard(full_key)


def cached_figure(key: Hashable, compute: Callable[[], T]) -> tuple[T, datetime]:
    """(value, when it was counted): the kept value while it is younger than the configured
    age; when older, still the kept value, while a background thread counts it again; when
    nothing is kept yet (or keeping is off), `compute()` run now."""
    max_age = current_app.config.get("FIGURE_CACHE_SECONDS", 0)
    full_key = (current_app.config.get("SQLALCHEMY_DATABASE_URI"), key)
    now = time.monotonic()
    if max_age > 0:
        with _lock:
            kept = _figures.get(full_key)
            stale = kept is not None and now - kept[0] >= max_age
            start_recount = stale and full_key not in _recounting
            if start_recount:
                _recounting.add(full_key)
        if kept is not None:
            if start_recount:
                threading.Thread(target=_recount, name="alumnet-figure", daemon=True, args=(
                    current_app._get_current_object(), full_key, compute)).start()
            return kept[2], kept[1]
    value, counted_at = compute(), utcnow()
    if max_age > 0:
        _keep(full_key, now, counted_at, value)
    return value, counted_at


def wait_for_recounts(timeout: float = 10.0) -> None:
    """Wait until no kept figure is being counted again (tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _recounting:
                return
        time.sleep(0.01)


def forget_figures() -> None:
    """Drop every kept figure (tests)."""
    with _lock:
        _figures.clear()
