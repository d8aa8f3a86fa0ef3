"""Issue 10, item 12: staff accounts start with an invitation; the administrator never types
the password."""

from __future__ import annotations

import re

from app.auth.models import AccountToken, User
from tests.conftest import PASSWORD


def _link(smtp_server, email) -> str:
    message = smtp_server.to(email)[-1]
    return re.search(r"http://localhost(/auth/welcome/\S+)", smtp_server.text(message)).group(1)


def test_administrator_invites_an_officer_who_chooses_their_own_password(
        as_role, client, world, smtp_server, db):
    admin = as_role("admin")
    form = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'type="password"' not in form  # no password typed by the administrator
    response = admin.post("/admin/users/new", data={
        "email": "Mali.Officer@Example.org", "full_name": "Mali Sok", "role": "officer",
        "institution_id": world.home.id}, follow_redirects=True)
    assert "An invitation to choose a password is on its way" in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "mali.officer@example.org"))
    assert user.password_hash is None and user.institution_id == world.home.id
    [message] = smtp_server.to("mali.officer@example.org")
    assert "Alumni officer at Home Polytechnic" in smtp_server.text(message)
    link = _link(smtp_server, "mali.officer@example.org")
    # no password yet: signing in fails like any wrong password
    assert client.post("/auth/login", data={"email": user.email, "password": "anything-at-all"}
                       ).status_code == 401
    page = client.get(link)
    assert page.status_code == 200 and "Welcome, Mali Sok" in page.get_data(as_text=True)
    weak = client.post(link, data={"password": "malisok2024", "confirm": "malisok2024"})
    assert "Do not build the password from your own name" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": "lantern-orbit-mango",
                                   "confirm": "lantern-orbit-mango"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert client.post("/auth/login", data={"email": user.email,
                                            "password": "lantern-orbit-mango"}
                       ).status_code == 302
    assert client.get(link).status_code == 410  # the link worked once


def test_sending_the_invitation_again_kills_the_older_link(as_role, client, world,
                                                          smtp_server, db):
    admin = as_role("admin")
    admin.post("/admin/users/new", data={"email": "q@example.org", "role": "quality",
                                         "institution_id": world.home.id})
    first = _link(smtp_server, "q@example.org")
    user = db.session.scalar(db.select(User).where(User.email == "q@example.org"))
    page = admin.post(f"/admin/users/{user.id}/invitation", follow_redirects=True)
    assert "A new invitation is on its way to q@example.org" in page.get_data(as_text=True)
    second = _link(smtp_server, "q@example.org")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_no_invitation_for_an_account_that_has_a_password(as_role, world, smtp_server, db):
    officer = world.users["officer"]
    page = as_role("admin").post(f"/admin/users/{officer.id}/invitation",
                                 follow_redirects=True).get_data(as_text=True)
    assert "has already chosen a password" in page
    assert smtp_server.to(officer.email) == []
    assert db.session.scalar(db.select(AccountToken).where(
        AccountToken.user_id == officer.id)) is None


def test_the_first_administrator_still_comes_from_the_command_line(runner, db):
    result = runner.invoke(args=["create-user", "first.admin@example.org", "--role", "admin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "first.admin@example.org"))
    assert user.check_password(PASSWORD)
