"""Sign-in, throttling, sign-out, password reset and change, config safety."""

from __future__ import annotations

import re

import pytest

from app.auth import services
from app.auth.models import User
from app.core.jobs import wait_for_idle
from tests.conftest import PASSWORD


def _login(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_login_with_right_password_opens_home(client, world):
    response = _login(client, world.users["officer"].email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/alumni/").status_code == 200


def test_login_with_wrong_password_shows_message_and_stays_out(client, world):
    response = _login(client, world.users["officer"].email, "wrong-password-here")
    assert response.status_code == 401
    assert "The e-mail or password is not right." in response.get_data(as_text=True)
    assert client.get("/alumni/").status_code == 302


def test_repeated_failed_logins_are_throttled_with_a_clear_message(app, client, world):
    email = world.users["officer"].email
    for _ in range(5):
        assert _login(client, email, "wrong-password-here").status_code == 401
    response = _login(client, email, PASSWORD)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    # another account from the same address is not locked out
    assert _login(client, world.users["quality"].email, PASSWORD).status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(client, world):
    email = world.users["officer"].email
    for _ in range(7):
        assert _login(client, email, PASSWORD).status_code == 302
        client.post("/auth/logout")


def test_inactive_user_cannot_sign_in(client, world, db):
    user = world.users["officer"]
    user.active = False
    db.session.commit()
    assert _login(client, user.email, PASSWORD).status_code == 401


def test_logout_needs_post_and_ends_the_session(as_role):
    client = as_role("officer")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/alumni/").status_code == 302


def test_open_redirect_after_login_is_ignored(client, world):
    response = client.post("/auth/login?next=https://evil.example/", data={
        "email": world.users["officer"].email, "password": PASSWORD})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_password_reset_by_email_works_once(client, world, smtp_server, db):
    user = world.users["quality"]
    response = client.post("/auth/reset", data={"email": user.email.upper()})
    assert response.status_code == 302
    wait_for_idle()  # the reset mail goes out from a background job
    [message] = smtp_server.to(user.email)
    link = re.search(r"http://\S+/auth/reset/\S+", smtp_server.text(message)).group(0)
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a-new-password-1", "confirm":
                                       "a-new-password-1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a-new-password-1")
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, smtp_server):
    response = client.post("/auth/reset", data={"email": "nobody@example.org"},
                           follow_redirects=True)
    wait_for_idle()
    assert "If an account uses that address" in response.get_data(as_text=True)
    assert smtp_server.messages == []


def test_changing_password_ends_other_sessions(app, world):
    from tests.conftest import sign_in

    user = world.users["officer"]
    first, second = app.test_client(), app.test_client()
    sign_in(first, user)
    sign_in(second, user)
    response = first.post("/auth/password", data={
        "current_password": PASSWORD, "new_password": "brand-new-secret",
        "confirm": "brand-new-secret"})
    assert response.status_code == 302
    assert first.get("/alumni/").status_code == 200  # the changer stays signed in
    assert second.get("/alumni/").status_code == 302  # the other session is over


def test_wrong_current_password_is_shown_next_to_the_field(as_role):
    response = as_role("officer").post("/auth/password", data={
        "current_password": "not-it-at-all", "new_password": "brand-new-secret",
        "confirm": "brand-new-secret"})
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)


def test_short_password_is_refused_by_the_service(db, world):
    from app.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.create_user("new@example.org", "officer", "short", institution=world.home)
    assert "password" in exc.value.field_errors


def test_duplicate_email_is_refused_case_insensitively(db, world):
    from app.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.create_user(world.users["officer"].email.upper(), "officer", "long-enough-pw",
                             institution=world.home)
    assert "already exists" in exc.value.field_errors["email"][0]


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    from app import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    site = {"BASE_URL": "https://alumni.example.edu", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", **site)
    secret = "kR3v9-Qe7tLm2xWp8ZcN4bYh6JsA1dUf5gHo0iVy"
    monkeypatch.setenv("SECRET_KEY", secret)
    assert create_app("production", **site).config["SECRET_KEY"] == secret


def test_mail_without_server_goes_to_the_log(app, db, caplog):
    from app.core.mail import Outgoing, queue_email

    with caplog.at_level("INFO"):
        queue_email(Outgoing(to="a@example.org", subject="Hello", text="Body text",
                             purpose="transactional"))
        assert "a@example.org" not in caplog.text  # not before the commit
        db.session.commit()
    assert "a@example.org" in caplog.text and "Body text" in caplog.text


def test_claiming_with_an_address_already_in_use_sends_to_sign_in(as_role, world, make_user,
                                                                   smtp_server, app, db):
    from app.auth.models import AccountToken

    alumnus = world.second_alumnus
    assert as_role("officer").post(f"/alumni/{alumnus.id}/invite").status_code == 302
    [message] = smtp_server.to(alumnus.email)
    path = re.search(r"/auth/claim/\S+", smtp_server.text(message)).group(0)
    make_user("officer", world.home, email=alumnus.email.upper())
    visitor = app.test_client()
    response = visitor.post(path, data={"password": "my-own-password",
                                        "confirm": "my-own-password"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    page = visitor.get("/auth/login").get_data(as_text=True)
    assert "An account with this e-mail already exists." in page
    db.session.expire_all()
    assert db.session.scalar(db.select(AccountToken.used_at)) is None
    assert db.session.scalar(db.select(db.func.count(User.id)).where(
        db.func.lower(User.email) == alumnus.email.lower())) == 1
    assert db.session.get(type(alumnus), alumnus.id).user_id is None


def test_an_alumnus_account_is_not_created_without_its_record(db, world):
    """Alumni accounts come from claiming an invitation: one made apart from a record would
    belong to no alumnus, and every /me page would be 'not found'."""
    from app.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.create_user("lone@example.org", "alumnus", "long-enough-pw",
                             institution=world.home)
    assert "invitation" in exc.value.field_errors["role"][0]
    assert services.find_user_by_email("lone@example.org") is None


def test_create_user_command_offers_staff_roles_only(runner, world):
    result = runner.invoke(args=["create-user", "lone@example.org", "--role", "alumnus",
                                 "--institution", "HOME"], input="long-enough-pw\n")
    assert result.exit_code == 2 and "'alumnus' is not one of" in result.output


def test_demo_alumnus_login_opens_its_own_record(app, runner, db):
    result = runner.invoke(args=["seed-demo", "--alumni", "3", "--seed", "5"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "alumnus@demo.alumnet.example",
                                                "password": "demo-alumnus-pass"})
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
