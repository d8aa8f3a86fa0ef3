"""Issue 10, item 11: two-factor sign-in for staff (TOTP and recovery codes), required for
administrators when the home institution switches it on."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from app.auth.models import RecoveryCode, User
from app.auth.two_factor_routes import PENDING_SECRET
from tests.conftest import PASSWORD, sign_in


def _enrol(client) -> tuple[str, list[str]]:
    """Switch two-factor sign-in on through the page; returns the key and the recovery codes."""
    page = client.get("/auth/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    with client.session_transaction() as session:
        secret = session[PENDING_SECRET]
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in page  # the key as text
    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    done = client.post("/auth/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _password_step(client, email):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD})


def _next_code(secret: str) -> str:
    """The code of the next 30 seconds: a phone whose clock runs a little ahead."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture
def enrolled(app, world, db):
    officer = world.users["officer"]
    client = app.test_client()
    sign_in(client, officer)
    secret, codes = _enrol(client)
    return officer, secret, codes


def test_enrolment_stores_the_key_and_only_hashes_of_the_recovery_codes(enrolled, db):
    officer, secret, codes = enrolled
    db.session.expire_all()
    user = db.session.get(User, officer.id)
    assert user.totp_secret == secret
    hashes = db.session.scalars(db.select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == officer.id)).all()
    assert len(hashes) == 10
    assert not {c.replace("-", "") for c in codes} & set(hashes)


def test_sign_in_asks_for_the_code_after_the_password(app, enrolled):
    officer, secret, _ = enrolled
    client = app.test_client()
    response = _password_step(client, officer.email)
    assert response.headers["Location"].endswith("/auth/second-factor")
    assert client.get("/alumni/").status_code == 302  # not signed in by the password alone
    wrong = client.post("/auth/second-factor", data={"code": "123456"})
    assert wrong.status_code == 401 and "That code is not right" in wrong.get_data(as_text=True)
    code = _next_code(secret)  # the enrolment used this step's code; a clock ahead is fine
    assert client.post("/auth/second-factor", data={"code": code}).status_code == 302
    assert client.get("/alumni/").status_code == 200
    # the same code cannot be played again, even within its 30 seconds
    thief = app.test_client()
    _password_step(thief, officer.email)
    assert thief.post("/auth/second-factor", data={"code": code}).status_code == 401


def test_a_recovery_code_works_once(app, enrolled):
    officer, _, codes = enrolled
    client = app.test_client()
    _password_step(client, officer.email)
    response = client.post("/auth/second-factor", data={"code": codes[0].upper()},
                           follow_redirects=True)
    assert "Signed in with a recovery code; 9 left." in response.get_data(as_text=True)
    again = app.test_client()
    _password_step(again, officer.email)
    assert again.post("/auth/second-factor", data={"code": codes[0]}).status_code == 401


def test_wrong_codes_are_throttled(app, enrolled):
    officer, _, _ = enrolled
    client = app.test_client()
    _password_step(client, officer.email)
    for _ in range(5):
        assert client.post("/auth/second-factor", data={"code": "111111"}).status_code == 401
    assert client.post("/auth/second-factor", data={"code": "111111"}).status_code == 429


def test_administrators_must_enrol_when_the_home_institution_requires_it(as_role, world, db):
    admin = as_role("admin")
    assert admin.get("/admin/users").status_code == 200
    page = admin.post(f"/admin/institutions/{world.home.id}/two-factor",
                      data={"required": "y"}, follow_redirects=True)
    assert "Administrators must now sign in with two-factor sign-in" in page.get_data(
        as_text=True)
    response = admin.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/auth/two-factor")
    assert as_role("officer").get("/alumni/").status_code == 200  # staff: their own choice
    secret, _ = _enrol(admin)
    assert admin.get("/admin/users").status_code == 200
    # ...and cannot switch it off for themselves while it is required
    page = admin.get("/auth/two-factor").get_data(as_text=True)
    assert "it stays on" in page and "Switch off" not in page


def test_an_administrator_switches_off_the_second_factor_of_someone_who_lost_it(
        as_role, enrolled, db):
    officer, _, _ = enrolled
    page = as_role("admin").post(f"/admin/users/{officer.id}/two-factor-off",
                                 follow_redirects=True)
    assert "Two-factor sign-in is off for" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, officer.id).totp_secret is None
    assert db.session.scalar(db.select(RecoveryCode).where(
        RecoveryCode.user_id == officer.id)) is None


def test_alumni_have_no_two_factor_page(as_role):
    assert as_role("alumnus").get("/auth/two-factor").status_code == 403
