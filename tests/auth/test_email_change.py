"""Changing the e-mail is a verified change of the sign-in and the contact address, through a
real SMTP server; and the alumnus's own page shows consents never asked as such."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.auth.models import AccountToken, User
from app.core.jobs import wait_for_idle
from app.extensions import db
from tests.conftest import PASSWORD

NEW = "somchai.new@example.net"


def _sign_in(app, email: str, password: str = PASSWORD):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": password})
    return client, response


def _signed_in(client) -> bool:
    return client.get("/me").status_code == 200


def _link(smtp_server, address: str) -> str:
    [message] = smtp_server.to(address)
    link = re.search(r"http://\S+/email/confirm/\S+", smtp_server.text(message)).group(0)
    return link.split("localhost", 1)[1]


def test_email_change_is_confirmed_from_the_new_address_then_signs_in(app, world, smtp_server,
                                                                     as_role):
    old = world.users["alumnus"].email
    client, response = _sign_in(app, old)
    assert _signed_in(client)
    saved = client.post("/me/contact", data={"version": world.alumnus.version, "email": NEW,
                                             "city": "Khon Kaen"}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "Your details are saved." in page
    assert f"We sent a link to {NEW}" in page
    assert f"Changing to <strong>{NEW}</strong>" in page

    # A confirmation link to the new address, a notice to the old one; nothing else.
    path = _link(smtp_server, NEW)
    [notice] = smtp_server.to(old)
    assert NEW in smtp_server.text(notice) and "/email/confirm/" not in smtp_server.text(notice)
    assert len(smtp_server.messages) == 2

    # Until the link is opened: the old address signs in, the new does not; the office sees it.
    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    assert alumnus.email == old and alumnus.city == "Khon Kaen"
    assert not _signed_in(_sign_in(app, NEW)[0])
    staff_page = as_role("officer").get(f"/alumni/{alumnus.id}").get_data(as_text=True)
    assert f"Change to <strong>{NEW}</strong> waiting for confirmation" in staff_page

    # Opening the link shows what will change; the button makes the change.
    visitor = app.test_client()
    shown = visitor.get(path)
    assert shown.status_code == 200 and NEW in shown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Alumnus, world.alumnus.id).email == old  # a GET changes nothing
    done = visitor.post(path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")

    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    user = db.session.get(User, world.users["alumnus"].id)
    assert alumnus.email == NEW and user.email == NEW
    assert _signed_in(_sign_in(app, NEW)[0])
    assert not _signed_in(_sign_in(app, old)[0])
    assert f"Change to <strong>{NEW}</strong>" not in as_role("officer").get(
        f"/alumni/{alumnus.id}").get_data(as_text=True)
    # The link works once; a password reset now reaches the new address.
    assert visitor.get(path).status_code == 410
    app.test_client().post("/auth/reset", data={"email": NEW})
    wait_for_idle()  # the reset mail goes out from a background job
    assert len(smtp_server.to(NEW)) == 2


def test_email_change_refusals_show_next_to_the_field(app, world, smtp_server, as_role):
    client = as_role("alumnus")
    bad = client.post("/me/contact", data={"version": world.alumnus.version,
                                           "email": "not-an-address"})
    assert bad.status_code == 200
    assert "That e-mail address is not valid" in bad.get_data(as_text=True)
    taken = client.post("/me/contact", data={"version": world.alumnus.version,
                                             "email": world.users["officer"].email.upper()})
    assert "Another account signs in with this address" in taken.get_data(as_text=True)
    assert smtp_server.messages == []
    assert db.session.scalar(select(AccountToken).where(
        AccountToken.purpose == "email_change")) is None


def test_a_second_request_replaces_the_first_link(app, world, smtp_server, as_role):
    client = as_role("alumnus")
    client.post("/me/contact", data={"version": world.alumnus.version, "email": NEW})
    first = _link(smtp_server, NEW)
    db.session.expire_all()
    version = db.session.get(Alumnus, world.alumnus.id).version
    client.post("/me/contact", data={"version": version, "email": "other@example.net"})
    assert app.test_client().get(first).status_code == 410
    second = _link(smtp_server, "other@example.net")
    assert app.test_client().post(second).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.users["alumnus"].id).email == "other@example.net"


def test_own_page_says_not_asked_and_shows_the_directory_choice_once(as_role, world):
    client = as_role("alumnus")
    page = client.get("/me").get_data(as_text=True)
    from app.alumni.models import CONSENT_PURPOSES

    assert page.count("Not asked") == len(CONSENT_PURPOSES)  # every purpose, none asked yet
    assert page.count("alumni directory") == 1  # the menu also links the directory itself
    form = client.get("/me/privacy").get_data(as_text=True)
    assert form.count('type="checkbox"') == len(CONSENT_PURPOSES)
    assert form.count("List me in the alumni directory") == 1
    assert "Show me in the alumni directory" not in form
    client.post("/me/privacy", data={"version": world.alumnus.version, "consent_contact": "y",
                                     "consent_directory": "y"})
    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    assert alumnus.directory_visible and alumnus.consent_in_force("directory")
    page = client.get("/me").get_data(as_text=True)
    assert "Not asked" not in page


def test_officers_do_not_move_a_sign_in_address_behind_the_alumnus(world, as_role):
    """An officer's edit changed only the contact address of a claimed profile, so the two
    addresses drifted apart; the alumnus changes it, confirmed from the new address."""
    alumnus = world.alumnus
    data = {"student_number": alumnus.student_number, "given_name": alumnus.given_name,
            "family_name": alumnus.family_name or "", "status": "active",
            "version": alumnus.version, "email": "typed.by.office@example.net"}
    page = as_role("officer").post(f"/alumni/{alumnus.id}/edit", data=data)
    assert page.status_code == 200
    assert "they change it under Update my details" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Alumnus, alumnus.id).email == world.users["alumnus"].email
    # Unclaimed records are the office's to correct.
    second = world.second_alumnus
    saved = as_role("officer").post(f"/alumni/{second.id}/edit", data={
        **data, "student_number": second.student_number, "given_name": second.given_name,
        "version": second.version})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Alumnus, second.id).email == "typed.by.office@example.net"
