"""CSRF is enforced on every form when it is on (as in development and production)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_forged_post_without_token_is_refused_and_changes_nothing(app, world, csrf_on, db):
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, world.users["officer"])
    alumnus = world.second_alumnus
    response = client.post(f"/alumni/{alumnus.id}/archive")
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(alumnus), alumnus.id).archived_at is None


def test_sign_in_needs_the_token_from_the_form(app, world, csrf_on):
    client = app.test_client()
    email = world.users["officer"].email
    forged = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert forged.status_code == 400
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    real = client.post("/auth/login", data={"email": email, "password": PASSWORD,
                                            "csrf_token": token})
    assert real.status_code == 302
