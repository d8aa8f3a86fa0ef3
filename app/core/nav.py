"""Navigation per role. Each feature adds its entries when its package is imported."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str]
    order: int = 100


_ITEMS: list[NavItem] = []


def add_nav(label: str, endpoint: str, roles: tuple[str, ...], order: int = 100) -> None:
    """Register a top-navigation entry shown to the given roles."""
    item = NavItem(label, endpoint, frozenset(roles), order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def nav_for(user) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = sorted((i for i in _ITEMS if user.role in i.roles), key=lambda i: (i.order, i.label))
    return [{"label": i.label, "url": url_for(i.endpoint), "endpoint": i.endpoint} for i in items]
