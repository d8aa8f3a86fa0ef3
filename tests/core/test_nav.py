"""The navigation each role gets: staff menus grouped, nothing a role cannot open."""

from __future__ import annotations

from app.core.nav import nav_for


def _flat(entries):
    for e in entries:
        yield from e.get("children", [e])


def test_staff_menus_are_grouped_and_short(app, world):
    with app.test_request_context():
        officer = nav_for(world.users["officer"])
        admin = nav_for(world.users["admin"])
    assert [e["label"] for e in officer][:3] == ["Register", "Outcomes", "Engagement"]
    assert len(officer) <= 6 and len(admin) <= 7
    assert "Administration" in [e["label"] for e in admin]
    assert "Administration" not in [e["label"] for e in officer]
    register = next(e for e in officer if e["label"] == "Register")
    assert [c["label"] for c in register["children"]][0] == "Alumni"


def test_every_menu_entry_opens_for_its_role(app, world, as_role):
    for role in ("admin", "officer", "quality", "alumnus"):
        with app.test_request_context():
            links = list(_flat(nav_for(world.users[role])))
        client = as_role(role)
        assert links, role
        for link in links:
            assert client.get(link["url"]).status_code == 200, (role, link["url"])


def test_anonymous_gets_no_menu(app):
    from flask_login import AnonymousUserMixin

    with app.test_request_context():
        assert nav_for(AnonymousUserMixin()) == []


def test_the_menu_is_built_once_per_role_and_follows_the_application_root(app, world):
    # Kept per role: the second officer's page reads the menu built for the first; an app
    # served under a path prefix (behind a proxy) gets its links under that prefix.
    with app.test_request_context():
        first = nav_for(world.users["officer"])
        assert nav_for(world.users["officer"]) is first
        assert nav_for(world.users["quality"]) is not first
    with app.test_request_context(base_url="http://localhost/alumnet/"):
        under = list(_flat(nav_for(world.users["officer"])))
    with app.test_request_context():
        at_root = list(_flat(nav_for(world.users["officer"])))
    assert under and all(link["url"].startswith("/alumnet/") for link in under)
    assert [link["url"] for link in under] == ["/alumnet" + link["url"] for link in at_root]


def test_the_menus_are_drawn_once_per_role_language_and_page(app, world, as_role):
    """The bar's menus are the same for every user of a role: drawn once per role, language,
    page (its entry marked active) and application root, then read; another page, role or
    language draws them again, each right."""
    import re

    from flask import template_rendered

    from app.core.figure_cache import forget_figures
    from tests.conftest import sign_in, user_in

    forget_figures()
    drawn = []

    def seen(sender, template, context, **extra):
        drawn.append(template.name)

    def active(html):
        return re.findall(r'class="(?:nav-link|dropdown-item) active"[^>]*>([^<]+)<', html)

    officer = as_role("officer")
    template_rendered.connect(seen, app)
    try:
        pages = [officer.get("/alumni/").get_data(as_text=True) for _ in range(3)]
        assert drawn.count("_main_menu.html") == 1 and drawn.count("_language_menu.html") == 1
        assert all(active(p) == ["English", "Alumni"] for p in pages)
        assert active(officer.get("/engagement/rate").get_data(as_text=True))[:2] == [
            "English", "Engagement rate"]
        assert drawn.count("_main_menu.html") == 2  # another page: its entry marked
        admin = as_role("admin").get("/alumni/").get_data(as_text=True)
        assert drawn.count("_main_menu.html") == 3 and "Administration" in admin
        assert "Administration" not in pages[0]
        thai = app.test_client()
        sign_in(thai, user_in(world, "officer", "th"))
        page = thai.get("/alumni/").get_data(as_text=True)
        assert drawn.count("_main_menu.html") == 4 and drawn.count("_language_menu.html") == 2
        assert len(active(page)) == 2 and "Alumni" not in active(page)  # the Thai words
        user_in(world, "officer", "en")  # back in English: the menus kept for English
        assert active(officer.get("/alumni/").get_data(as_text=True)) == ["English", "Alumni"]
        assert drawn.count("_main_menu.html") == 4
    finally:
        template_rendered.disconnect(seen, app)
