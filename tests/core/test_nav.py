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
