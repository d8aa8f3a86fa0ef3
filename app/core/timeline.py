"""An alumnus's timeline: each feature contributes the things the alumnus did.

A feature registers a source, `source(alumnus) -> list[TimelineItem]`, at import time (in its
`routes.py` or `services.py`); the engagement feature merges them into one dated list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import has_request_context, url_for


@dataclass(frozen=True)
class TimelineItem:
    when: date | datetime
    kind: str  # e.g. "employment", "survey", "mentoring", "feedback", "contribution", "event"
    title: str
    detail: str = ""
    url: str | None = None  # a staff page about the item, where there is one


def staff_link(endpoint: str, **values: Any) -> str | None:
    """The link of a timeline item to its staff page; None outside a request, since reports
    and background jobs read timelines too."""
    return url_for(endpoint, **values) if has_request_context() else None


_SOURCES: dict[str, Callable[[Any], list[TimelineItem]]] = {}


def add_timeline_source(name: str, source: Callable[[Any], list[TimelineItem]]) -> None:
    """Register one feature's timeline source (idempotent by name)."""
    _SOURCES[name] = source


def timeline_for(alumnus: Any) -> list[TimelineItem]:
    """Everything the alumnus did, newest first."""
    items: list[TimelineItem] = []
    for source in _SOURCES.values():
        items.extend(source(alumnus))

    def key(item: TimelineItem) -> datetime:
        w = item.when
        if isinstance(w, datetime):
            return w.replace(tzinfo=None)
        return datetime(w.year, w.month, w.day)

    return sorted(items, key=key, reverse=True)
