"""Navigation per role. Each feature adds its entries when its package is imported; entries
with a `group` share one drop-down menu, so the bar stays one line wide as features grow."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import pgettext
from flask_login import current_user
from markupsafe import Markup

from app.core.figure_cache import kept_fragment
from app.core.i18n import current_language

# Staff menus, in this order after their first entry's place. base.html shows them translated
# in the context "menu" (the register, a noun, is not the button that registers for an event).
REGISTER, OUTCOMES, ENGAGEMENT, ADMINISTRATION = (
    "Register", "Outcomes", "Engagement", "Administration")


def _menu_words() -> None:  # pragma: no cover - never called: read by pybabel extract
    pgettext("menu", "Register")
    pgettext("menu", "Outcomes")
    pgettext("menu", "Engagement")
    pgettext("menu", "Administration")


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[str]
    order: int = 100
    group: str | None = None


_ITEMS: list[NavItem] = []


def add_nav(label: str, endpoint: str, roles: tuple[str, ...], order: int = 100,
            group: str | None = None) -> None:
    """Register a navigation entry shown to the given roles (in a drop-down when grouped)."""
    item = NavItem(label, endpoint, frozenset(roles), order, group)
    if item not in _ITEMS:
        _ITEMS.append(item)


def nav_for(user) -> list[dict]:
    """Top-level entries for the user: links, and groups with their `children` links. The
    same for every user of a role (the labels are translated by the page), so built once per
    role and application root and shared: callers only read it."""
    if not getattr(user, "is_authenticated", False):
        return []
    kept = current_app.extensions.setdefault("alumnet_nav", {})
    key = (user.role, request.script_root if has_request_context() else None, len(_ITEMS))
    if key not in kept:
        kept[key] = _build(user.role)
    return kept[key]


def _build(role: str) -> list[dict]:
    items = sorted((i for i in _ITEMS if role in i.roles), key=lambda i: (i.order, i.label))
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for i in items:
        link = {"label": i.label, "url": url_for(i.endpoint), "endpoint": i.endpoint}
        if i.group is None:
            entries.append(link)
        elif i.group in groups:
            groups[i.group]["children"].append(link)
        else:
            groups[i.group] = {"label": i.group, "children": [link]}
            entries.append(groups[i.group])
    for group in groups.values():
        group["endpoints"] = [c["endpoint"] for c in group["children"]]
    return entries


def main_menu() -> Markup:
    """The bar's menus for the signed-in user (base.html), with the page's entry marked:
    the same for every user of a role, so rendered once per role, language, page and
    application root and kept in this process (rendered on every page they were about a
    millisecond of each)."""
    user = current_user._get_current_object()
    key = ("main_menu", user.role, current_language(), request.endpoint, request.script_root,
           len(_ITEMS))
    return kept_fragment(key, lambda: render_template("_main_menu.html",
                                                      nav_items=nav_for(user)))


def language_menu() -> Markup:
    """The language menu's entries (base.html), rendered once per language in force."""
    return kept_fragment(("language_menu", current_language()),
                         lambda: render_template("_language_menu.html"))
