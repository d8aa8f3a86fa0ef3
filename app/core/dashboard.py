"""Sections of the staff landing page (the dashboard) that features add, as panels do for an
alumnus's pages: `add_dashboard_section(name, template, context)` from a feature's hooks.py;
`context(user)` returns the template's values, or None to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardSection:
    name: str
    template: str
    context: Callable[[Any], dict | None]
    order: int = 100


_SECTIONS: dict[str, DashboardSection] = {}


def add_dashboard_section(name: str, template: str, context: Callable[[Any], dict | None],
                          order: int = 100) -> None:
    """Register a section of the landing page (again under the same name: replaced)."""
    _SECTIONS[name] = DashboardSection(name, template, context, order)


def sections_for(user: Any) -> list[tuple[str, dict]]:
    """(template, values) of each section with something to show the user, in order."""
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)):
        values = section.context(user)
        if values is not None:
            out.append((section.template, values))
    return out
