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
