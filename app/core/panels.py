"""Panels that features add to an alumnus's page (staff view) and to the alumnus's own page.

A feature registers a template and a function that builds its context; the alumni pages
render every registered panel, so a feature never edits another feature's template.

Several panels (and the timeline, built by the engagement panel) show the same records of the
alumnus: a feature reads them through `read_once`, so that while one page's panels are built
each is read once (the record page read five of them twice).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]  # (alumnus, viewer) -> context
    where: str  # "staff" (register detail) or "self" (the alumnus's own page)
    order: int = 100


_PANELS: list[Panel] = []
# What the panels of the page being built have read, by (name, alumnus id); None: no page.
_READS: ContextVar[dict[tuple[str, Any], Any] | None] = ContextVar("panel_reads", default=None)


def add_panel(name: str, template: str, context: Callable[[Any, Any], dict[str, Any] | None],
              *, where: str, order: int = 100) -> None:
    """Register a panel; its context function returns None to hide the panel."""
    if where not in ("staff", "self"):
        raise ValueError("where is 'staff' or 'self'")
    if any(p.name == name and p.where == where for p in _PANELS):
        return
    _PANELS.append(Panel(name, template, context, where, order))


def read_once(name: str, alumnus: Any, read: Callable[[], T]) -> T:
    """`read()`: while one page's panels are built, once for every panel and timeline source
    that asks for the same `name` of the same alumnus; anywhere else, read afresh each time.
    (Nothing is written while panels are built, so what was read stays true for the page.)"""
    reads = _READS.get()
    if reads is None:
        return read()
    key = (name, alumnus.id)
    if key not in reads:
        reads[key] = read()
    return reads[key]


def panels_for(alumnus: Any, viewer: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The (template, context) pairs to render on one page, in order."""
    token = _READS.set({})
    try:
        out = []
        for panel in sorted((p for p in _PANELS if p.where == where), key=lambda p: p.order):
            ctx = panel.context(alumnus, viewer)
            if ctx is not None:
                out.append((panel.template, ctx))
        return out
    finally:
        _READS.reset(token)
