"""What the indicators of one computation share: each family's aggregate, and the counted
responses of each selection, worked out once inside `shared_queries()`.

all_indicators, the framework tables and the campaign page open a block; inside it `once`
keeps a result per key, and `respondent_response_ids` (cohort.py) reads the selection's
counted responses once and hands the later statements their ids (at 100,000 alumni each
statement ranked the cohort's responses again: 20-35 ms, about 25 times for one selection).
Outside a block every call runs its query, so a single indicator asked alone still costs one
statement, and the records behind a figure stay a query of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any, TypeVar

from app.reports.indicators.result import Params, Selection

T = TypeVar("T")
_CACHE: ContextVar[dict[Any, Any] | None] = ContextVar("indicator_queries", default=None)


@contextmanager
def shared_queries() -> Iterator[None]:
    """Run each family's aggregate once per selection inside the block (nested blocks share
    the outer one)."""
    if _CACHE.get() is not None:
        yield
        return
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def sharing() -> bool:
    """Whether a `shared_queries` block is open."""
    return _CACHE.get() is not None


def once(key: Any, compute: Callable[[], T]) -> T:
    cache = _CACHE.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def cohorts_of(sel: Selection) -> Selection:
    """The selection without a framework's settings: the key of what only the cohorts decide
    (M8's medians run once per currency over the same respondents)."""
    return sel if sel.params == Params() else replace(sel, params=Params())
