"""The administration pages in every language: the user accounts (with an invited account, a
quality staff member with and without the contact-details grant, one with two-factor on), the
new-account form, the institutions, an institution with its programmes and the two-factor
rule, the institution and programme forms, the privacy notice; filled in, with the forms' and
the services' errors, and with the routes' flash messages. An administrator opens each page
and no English text of the catalogue is left on it."""

from __future__ import annotations

import pytest

from app.alumni import notices
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words too short for the catalogue check (_english_words skips them), that must not show
SHORT = (">Deactivate<", ">Reactivate<", ">Add an account<", ">User accounts<",
         ">Last sign-in<", ">Programmes<", ">Add a programme<", ">Versions<", "TVET college",
         ">Study area<", "Qualification level", ">Time zone<", "Electronics and automation")


def _admin_in(world, language: str):
    user = world.users["admin"]
    user.language = language
    db.session.commit()
    return user


def _people(world, make_user):
    """An invited officer (no password yet), a quality staff member with the grant, one with
    two-factor on."""
    invited = make_user("officer", world.home)
    invited.password_hash = None
    granted = make_user("quality", world.home, contact_details_granted=True)
    world.users["officer"].totp_secret = "JBSWY3DPEHPK3PXP"
    db.session.commit()
    return invited, granted


def _check(pages: dict, language: str, english: set[str]) -> None:
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        for word in SHORT:
            assert word not in html, (name, word)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_user_accounts_pages_leave_no_english(app, world, make_user, language):
    invited, granted = _people(world, make_user)
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, _admin_in(world, language))
    quality = world.users["quality"]
    pages = {
        "users": client.get("/admin/users"),
        "quality only": client.get("/admin/users?role=quality"),
        "new": client.get("/admin/users/new"),
        "new with errors": client.post("/admin/users/new", data={
            "email": "not an address", "role": "officer", "institution_id": ""}),
        "new, no institution": client.post("/admin/users/new", data={
            "email": "new.officer@example.org", "role": "officer", "institution_id": ""}),
        "new, taken address": client.post("/admin/users/new", data={
            "email": quality.email, "role": "admin", "institution_id": ""}),
        "created": client.post("/admin/users/new", follow_redirects=True, data={
            "email": "new.quality@example.org", "role": "quality",
            "institution_id": str(world.home.id)}),
        "granted": client.post(f"/admin/users/{quality.id}/contact-details",
                               follow_redirects=True),
        "withdrawn": client.post(f"/admin/users/{granted.id}/contact-details",
                                 follow_redirects=True),
        "invited again": client.post(f"/admin/users/{invited.id}/invitation",
                                     follow_redirects=True),
        "already chose": client.post(f"/admin/users/{quality.id}/invitation",
                                     follow_redirects=True),
        "signed out": client.post(f"/admin/users/{quality.id}/sign-out", follow_redirects=True),
        "two-factor off": client.post(f"/admin/users/{world.users['officer'].id}/two-factor-off",
                                      follow_redirects=True),
        "deactivated": client.post(f"/admin/users/{quality.id}/active", follow_redirects=True),
        "reactivated": client.post(f"/admin/users/{quality.id}/active", follow_redirects=True),
        "not myself": client.post(f"/admin/users/{world.users['admin'].id}/active",
                                  follow_redirects=True),
    }
    _check(pages, language, english)
    html = pages["new with errors"].get_data(as_text=True)
    assert "is-invalid" in html
    assert "Choose their institution" not in pages["new, no institution"].get_data(as_text=True)
    assert "already exists" not in pages["new, taken address"].get_data(as_text=True)
    assert "invitation to choose a password" not in pages["created"].get_data(as_text=True)
    assert "has already chosen a password" not in pages["already chose"].get_data(as_text=True)
    assert "cannot deactivate" not in pages["not myself"].get_data(as_text=True)
    users = pages["users"].get_data(as_text=True)
    assert invited.email in users and "invited<" not in users


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_institution_pages_leave_no_english(app, world, language):
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, _admin_in(world, language))
    home, other, programme = world.home, world.other, world.programme
    programme.isced_code = "0714"
    home.default_language = "th"
    db.session.commit()
    institution = {"code": "HOME", "name": "Home Polytechnic", "country": "MY",
                   "kind": "polytechnic", "time_zone": "", "rights_deadline_days": "30",
                   "default_language": "th", "buddhist_era": "y", "is_home": "y"}
    course = {"code": "DME", "name": "Diploma in Mechatronics", "level": "diploma",
              "study_area": "mechatronics", "isced_code": "0714", "duration_months": "30",
              "active": "y"}
    pages = {
        "institutions": client.get("/admin/institutions"),
        "home": client.get(f"/admin/institutions/{home.id}"),
        "other": client.get(f"/admin/institutions/{other.id}"),
        "new": client.get("/admin/institutions/new"),
        "new with errors": client.post("/admin/institutions/new", data=dict(
            institution, code="", name="", rights_deadline_days="400")),
        "code taken": client.post("/admin/institutions/new", data=dict(
            institution, code="OTHER", name="Another")),
        "edit": client.get(f"/admin/institutions/{home.id}/edit"),
        "home unticked": client.post(f"/admin/institutions/{home.id}/edit", data={
            k: v for k, v in institution.items() if k != "is_home"}),
        "added": client.post("/admin/institutions/new", follow_redirects=True,
                             data=dict(institution, code="NEWC", name="New College")),
        "saved": client.post(f"/admin/institutions/{home.id}/edit", follow_redirects=True,
                             data=institution),
        "programme new": client.get(f"/admin/institutions/{home.id}/programmes/new"),
        "programme errors": client.post(f"/admin/institutions/{home.id}/programmes/new",
                                        data=dict(course, isced_code="12345",
                                                  duration_months="500")),
        "not a field": client.post(f"/admin/institutions/{home.id}/programmes/new",
                                   data=dict(course, isced_code="0777", code="DIT")),
        "programme added": client.post(f"/admin/institutions/{home.id}/programmes/new",
                                       data=course, follow_redirects=True),
        "programme edit": client.get(f"/admin/programmes/{programme.id}/edit"),
        "programme saved": client.post(f"/admin/programmes/{programme.id}/edit",
                                       data=dict(course, code="DIT"), follow_redirects=True),
        "rule on": client.post(f"/admin/institutions/{home.id}/two-factor",
                               data={"required": "y"}, follow_redirects=True),
        "rule off": client.post(f"/admin/institutions/{home.id}/two-factor", data={},
                                follow_redirects=True),
    }
    _check(pages, language, english)
    assert "0714 " in pages["home"].get_data(as_text=True)  # the field's name in the language
    assert "now the home institution" not in pages["added"].get_data(as_text=True)
    assert "Keep this ticked" not in pages["home unticked"].get_data(as_text=True)
    assert "is not an ISCED-F 2013 field" not in pages["not a field"].get_data(as_text=True)
    assert "Another institution has this code" not in pages["code taken"].get_data(
        as_text=True)
    for name in ("programme errors", "not a field", "new with errors", "code taken"):
        assert "is-invalid" in pages[name].get_data(as_text=True), name


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_privacy_notice_page_leaves_no_english(app, world, language):
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, _admin_in(world, language))
    notice = {"version": "2027-01", "text": "We keep your record to run the alumni office."}
    pages = {
        "none published": client.get("/admin/privacy-notice"),
        "empty": client.post("/admin/privacy-notice", data={"version": "", "text": "short"}),
        "published": client.post("/admin/privacy-notice", data=notice, follow_redirects=True),
        "version taken": client.post("/admin/privacy-notice", data=notice),
    }
    notices.publish_notice("2027-02", notice["text"] + " Again.", actor=world.users["admin"])
    db.session.commit()
    pages["history"] = client.get("/admin/privacy-notice")
    _check(pages, language, english)
    assert "exists already" not in pages["version taken"].get_data(as_text=True)
    assert "is in force since" not in pages["history"].get_data(as_text=True)
