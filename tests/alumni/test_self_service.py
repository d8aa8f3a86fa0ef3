"""Invitations, claiming a profile, and what an alumnus may see and change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.alumni.models import Alumnus, Consent, CorrectionRequest
from app.auth.models import AccountToken, User
from app.core.db import utcnow


def _link_path(smtp_server, address) -> str:
    [message] = smtp_server.to(address)
    link = re.search(r"http://\S+/auth/claim/\S+", smtp_server.text(message)).group(0)
    return link.split("localhost", 1)[1]


def test_invitation_mail_arrives_and_its_link_works_once(as_role, world, smtp_server, app, db):
    alumnus = world.second_alumnus
    officer = as_role("officer")
    assert officer.post(f"/alumni/{alumnus.id}/invite").status_code == 302
    path = _link_path(smtp_server, alumnus.email)
    raw = path.rsplit("/", 1)[1]
    # only a hash of the token is stored
    token = db.session.scalar(db.select(AccountToken).where(AccountToken.alumnus_id ==
                                                            alumnus.id))
    assert raw not in token.token_hash and len(token.token_hash) == 64

    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and alumnus.given_name in page.get_data(as_text=True)
    claimed = visitor.post(path, data={"password": "my-own-password", "confirm":
                                       "my-own-password"})
    assert claimed.status_code == 302 and claimed.headers["Location"].endswith("/me")
    assert visitor.get("/me").status_code == 200
    db.session.expire_all()
    user = db.session.scalar(db.select(User).where(User.email == alumnus.email))
    assert user.role == "alumnus" and db.session.get(Alumnus, alumnus.id).user_id == user.id

    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    reuse = app.test_client().post(path, data={"password": "other-password1", "confirm":
                                               "other-password1"})
    assert reuse.status_code == 410


def test_expired_invitation_gets_a_clear_page(as_role, world, smtp_server, app, db):
    alumnus = world.second_alumnus
    as_role("officer").post(f"/alumni/{alumnus.id}/invite")
    path = _link_path(smtp_server, alumnus.email)
    token = db.session.scalar(db.select(AccountToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = app.test_client().get(path)
    assert page.status_code == 410
    assert "This link has expired" in page.get_data(as_text=True)
    assert "new invitation" in page.get_data(as_text=True)


def test_a_new_invitation_replaces_the_old_link(as_role, world, smtp_server, app):
    alumnus = world.second_alumnus
    officer = as_role("officer")
    officer.post(f"/alumni/{alumnus.id}/invite")
    officer.post(f"/alumni/{alumnus.id}/invite")
    first, second = [m for m in smtp_server.to(alumnus.email)]
    old = re.search(r"/auth/claim/\S+", smtp_server.text(first)).group(0)
    new = re.search(r"/auth/claim/\S+", smtp_server.text(second)).group(0)
    assert app.test_client().get(old).status_code == 410
    assert app.test_client().get(new).status_code == 200


def test_unknown_token_gets_a_clear_page(client):
    page = client.get("/auth/claim/made-up")
    assert page.status_code == 410 and "not valid" in page.get_data(as_text=True)


def test_quality_staff_cannot_invite(as_role, world, smtp_server):
    assert as_role("quality").post(f"/alumni/{world.second_alumnus.id}/invite").status_code == 403
    assert smtp_server.messages == []


def test_alumnus_cannot_read_or_change_another_record_by_url(as_role, world, db):
    client = as_role("alumnus")
    other = world.second_alumnus
    before = (other.given_name, other.email, other.version)
    for url in (f"/alumni/{other.id}", f"/alumni/{other.id}/edit"):
        assert client.get(url).status_code == 403
    for url in (f"/alumni/{other.id}/edit", f"/alumni/{other.id}/archive",
                f"/alumni/{other.id}/invite"):
        response = client.post(url, data={"given_name": "Hacked", "email": "x@evil.example",
                                          "student_number": "X", "status": "active"})
        assert response.status_code == 403
    # the self-service pages take no id: whatever is posted changes only the own record
    client.post("/me/contact", data={"email": "mine@example.org", "alumnus_id": other.id,
                                     "version": world.alumnus.version})
    db.session.expire_all()
    fresh = db.session.get(Alumnus, other.id)
    assert (fresh.given_name, fresh.email, fresh.version) == before
    # a new e-mail waits for the link sent to it (tests/auth/test_email_change.py)
    token = db.session.scalar(db.select(AccountToken).where(
        AccountToken.purpose == "email_change"))
    assert (token.alumnus_id, token.email) == (world.alumnus.id, "mine@example.org")


def test_alumnus_edits_contact_but_not_office_fields(as_role, world, db):
    client = as_role("alumnus")
    response = client.post("/me/contact", data={
        "version": world.alumnus.version, "phone": "+66 81 234 5678", "city": "Chiang Mai",
        "country": "TH", "student_number": "CHANGED", "given_name": "Changed"})
    assert response.status_code == 302
    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    assert (alumnus.phone, alumnus.city) == ("+66812345678", "Chiang Mai")
    assert alumnus.student_number != "CHANGED" and alumnus.given_name != "Changed"


def test_bad_phone_on_own_contact_shows_message_and_saves_nothing(as_role, world, db):
    response = as_role("alumnus").post("/me/contact", data={
        "version": world.alumnus.version, "phone": "12", "city": "Hue"})
    assert response.status_code == 200
    assert "phone number" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Alumnus, world.alumnus.id).city is None


def test_consent_choices_keep_history_and_directory_needs_consent(as_role, world, db):
    client = as_role("alumnus")
    client.post("/me/privacy", data={"version": world.alumnus.version, "consent_contact": "y",
                                     "consent_tracer": "y", "directory_visible": "y"})
    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    assert alumnus.consent_in_force("contact") and alumnus.consent_in_force("tracer")
    assert not alumnus.directory_visible  # no directory consent: not listed
    client.post("/me/privacy", data={"version": alumnus.version, "consent_contact": "y",
                                     "consent_directory": "y", "directory_visible": "y"})
    db.session.expire_all()
    alumnus = db.session.get(Alumnus, world.alumnus.id)
    assert alumnus.directory_visible
    assert not alumnus.consent_in_force("tracer")  # withdrawn now
    tracer = db.session.scalars(db.select(Consent).where(
        Consent.alumnus_id == alumnus.id, Consent.purpose == "tracer")).all()
    assert [c.granted for c in sorted(tracer, key=lambda c: c.id)] == [True, False]


def test_correction_request_reaches_the_office(as_role, world, db):
    response = as_role("alumnus").post("/me/correction", data={
        "field": "graduation_date", "message": "I graduated on 30 November 2023."})
    assert response.status_code == 302
    officer = as_role("officer")
    page = officer.get("/alumni/corrections").get_data(as_text=True)
    assert "I graduated on 30 November 2023." in page
    req = db.session.scalar(db.select(CorrectionRequest))
    assert officer.post(f"/alumni/corrections/{req.id}/resolve",
                        data={"note": "Fixed"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, req.id).status == "closed"


@pytest.mark.parametrize("path", ["/me", "/me/contact", "/me/privacy", "/me/correction"])
def test_staff_do_not_get_self_service_pages(as_role, path):
    assert as_role("officer").get(path).status_code == 403


def test_an_account_without_a_record_gets_404_on_every_own_page(app, world, make_user):
    """Every feature's /me pages find the record through one look-up: none linked, 404."""
    from tests.conftest import sign_in

    client = app.test_client()
    sign_in(client, make_user("alumnus", world.home))
    pages = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/me") and not rule.arguments
                   and "GET" in rule.methods
                   and app.view_functions[rule.endpoint].allowed_roles == {"alumnus"})
    assert {"/me", "/me/events", "/me/feedback", "/me/mentoring", "/me/jobs"} <= set(pages)
    statuses = {path: client.get(path).status_code for path in pages}
    assert statuses == dict.fromkeys(pages, 404)


def test_refused_invitations_and_closing_twice_say_why(as_role, world, db, smtp_server):
    officer = as_role("officer")
    claimed = officer.post(f"/alumni/{world.alumnus.id}/invite", follow_redirects=True)
    assert "This alumnus has already claimed their profile." in claimed.get_data(as_text=True)
    world.second_alumnus.email = None
    db.session.commit()
    no_mail = officer.post(f"/alumni/{world.second_alumnus.id}/invite", follow_redirects=True)
    assert no_mail.request.path == f"/alumni/{world.second_alumnus.id}"
    assert "Record an e-mail address before inviting." in no_mail.get_data(as_text=True)
    assert smtp_server.messages == []

    as_role("alumnus").post("/me/correction", data={"field": "graduation_date",
                                                    "message": "30 November 2023."})
    req = db.session.scalar(db.select(CorrectionRequest))
    assert officer.post(f"/alumni/corrections/{req.id}/resolve",
                        data={"note": "Fixed"}).status_code == 302
    again = officer.post(f"/alumni/corrections/{req.id}/resolve", data={"note": "Again"},
                         follow_redirects=True)
    assert "This request is already closed." in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CorrectionRequest, req.id).resolution_note == "Fixed"


def test_recent_changes_on_the_record_read_as_words(as_role, world, db):
    as_role("alumnus").post("/me/contact", data={
        "version": world.alumnus.version, "email": world.alumnus.email,
        "preferred_name": "Lan", "city": "Hue"})
    page = as_role("officer").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Alumnus: own details changed by" in page and "alumnus.self_update" not in page
    assert "(preferred name, city)" in page
