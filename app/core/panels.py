"""Panels that features add to an alumnus's page (staff view) and to the alumnus's own page.

A feature registers a template and a function that builds its context; the alumni pages
render every registered panel, so a feature never edits another feature's template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]  # (alumnus, viewer) -> context
    where: str  # "staff" (register detail) or "self" (the alumnus's own page)
    order: int = 100


_PANELS: list[Panel] = []


def add_panel(name: str, template: str, context: Callable[[Any, Any], dict[str, Any] | None],
              *, where: str, order: int = 100) -> None:
    """Register a panel; its context function returns None to hide the panel."""
    if where not in ("staff", "self"):
        raise ValueError("where is 'staff' or 'self'")
    if any(p.name == name and p.where == where for p in _PANELS):
        return
    _PANELS.append(Panel(name, template, context, where, order))


def panels_for(alumnus: Any, viewer: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The (template, context) pairs to render on one page, in order."""
    out = []
    for panel in sorted((p for p in _PANELS if p.where == where), key=lambda p: p.order):
        ctx = panel.context(alumnus, viewer)
        if ctx is not None:
            out.append((panel.template, ctx))
    return out
