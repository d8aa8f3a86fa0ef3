"""Every page an alumnus or a survey respondent opens renders in every language, and the pages
translated so far (tests/core/test_translations.py COVERED) show no English message left."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import url_for

from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.conftest import link_in

ROOT = Path(__file__).resolve().parents[2]

# The alumnus's own pages: each must render in every language (most still say it in English:
# README "Languages" lists which are translated).
ALUMNUS_PAGES = ("alumni.me", "alumni.me_privacy", "alumni.me_correction", "auth.me_contact",
                 "employment.my_jobs", "employment.my_job_new", "employment.my_surveys",
                 "feedback.me", "mentoring.me", "engagement.my_events", "directory.index",
                 "privacy.me_rights", "auth.change_password")
VISITOR_PAGES = ("auth.login", "auth.reset_request")


def _english_words(language: str) -> set[str]:
    """Source texts of the translated catalogue whose translation differs (a word the same in
    both, such as "Menu", cannot tell)."""
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    return {m.id for m in catalogue if isinstance(m.id, str) and m.string
            and m.string != m.id and len(m.id) > 12 and "<" not in m.id and "%(" not in m.id}


def _urls(app, names):
    with app.test_request_context():
        out = []
        for name in names:
            try:
                out.append(url_for(name))
            except Exception:  # noqa: BLE001 - a page that another helper renamed
                pytest.fail(f"no page {name}")
        return out


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_alumnus_pages_render_in_every_language(app, world, language):
    world.users["alumnus"].language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, world.users["alumnus"])
    for url in _urls(app, ALUMNUS_PAGES):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, url
        assert f'value="{language}" lang="{language}" aria-current="true"' in html
    visitor = app.test_client()
    for url in _urls(app, VISITOR_PAGES):
        page = visitor.get(url, headers={"Accept-Language": language})
        assert page.status_code == 200 and f'<html lang="{language}">' in page.get_data(
            as_text=True), url


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_survey_pages_leave_no_english(app, world, campaign, smtp_server, language):
    """The survey form from its link, the form with every error, the thanks page and the
    page of a spent link: no source text of the catalogue shows untranslated."""
    from app.core.jobs import wait_for_idle
    from app.employment import tracer

    tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    wait_for_idle()
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    english = _english_words(language)
    client = app.test_client()
    pages = {"form": client.get(f"{path}?lang={language}"),
             "errors": client.post(path, data={"status": "wage_employed", "relevance": "9",
                                               "months_to_first_job": "x"})}
    answers = {campaign.survey.questions[0].field_name: "no"}
    from tests.employment.conftest import good_answers

    pages["thanks"] = client.post(path, data=good_answers(**answers))
    pages["spent link"] = client.get(path)
    pages["unknown link"] = client.get("/survey/not-a-token")
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", html)
        left = sorted(w for w in english if w in text)
        assert not left, f"{name} in {language} still says: {left}"
        assert f'<html lang="{language}">' in html, name


def _left(html: str, english: set[str]) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html)
    # whole words only: "Alumni office" is not left inside Filipino's "Alumni officer"
    return sorted(w for w in english if w in text
                  and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_alumnus_pages_leave_no_english(app, world, language):
    """The alumnus's own pages (README "Languages"), filled in and with every kind of error,
    and the sign-in, reset and claim pages a visitor opens: no source text of the catalogue
    shows untranslated."""
    from app.alumni.privacy import request_correction
    from app.auth.services import issue_account_token
    from app.employment.services import EmploymentData, record_employment
    from app.privacy.services import request_erasure

    alumnus, user = world.alumnus, world.users["alumnus"]
    user.language = language
    job = record_employment(alumnus, EmploymentData(
        status="wage_employed", employer_name="Siam Motors", job_title="Technician",
        start_date=date(2024, 7, 1)), actor=user)
    record_employment(alumnus, EmploymentData(status="further_study",
                                              start_date=date(2023, 6, 1)), actor=user)
    request_correction(alumnus, "graduation_date", "It was June, not May.", actor=user)
    request_erasure(alumnus, "", actor=user)
    _, claim = issue_account_token("invite", world.second_alumnus.email, 24,
                                   alumnus_id=world.second_alumnus.id)
    db.session.commit()
    english = _english_words(language)

    client = app.test_client()
    sign_in(client, user)
    pages = {url: client.get(url) for url in _urls(app, (
        "alumni.me", "alumni.me_privacy", "alumni.me_correction", "auth.me_contact",
        "employment.my_jobs", "employment.my_job_new", "employment.my_surveys",
        "privacy.me_rights", "auth.change_password"))}
    pages["job edit"] = client.get(f"/me/jobs/{job.id}/edit")
    pages["job errors"] = client.post("/me/jobs/new", data={
        "status": "wage_employed", "start_date": "not a date", "months_to_find": "x",
        "employer_name": "x" * 201})
    pages["contact errors"] = client.post("/me/contact", data={
        "version": alumnus.version, "phone": "12", "email": "nobody@", "city": "x" * 121})
    pages["correction errors"] = client.post("/me/correction", data={"message": ""})
    pages["password errors"] = client.post("/auth/password", data={
        "current_password": "wrong", "new_password": "short", "confirm": "other"})
    pages["after a flash"] = client.post("/me/privacy", data={"version": alumnus.version},
                                         follow_redirects=True)

    visitor = app.test_client()
    headers = {"Accept-Language": language}
    pages["sign in"] = visitor.get("/auth/login", headers=headers)
    pages["sign-in errors"] = visitor.post("/auth/login", headers=headers, data={
        "email": user.email, "password": "not it"})
    pages["reset"] = visitor.get("/auth/reset", headers=headers)
    pages["reset errors"] = visitor.post("/auth/reset", headers=headers, data={"email": "x"})
    pages["claim"] = visitor.get(f"/auth/claim/{claim}", headers=headers)
    pages["claim errors"] = visitor.post(f"/auth/claim/{claim}", headers=headers, data={
        "password": "aaaaaaaaaaaa", "confirm": "b"})
    pages["unknown link"] = visitor.get("/auth/reset/not-a-token", headers=headers)
    pages["unknown e-mail link"] = visitor.get("/email/confirm/not-a-token", headers=headers)
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code in (200, 401, 409, 410, 422), (name, page.status_code)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
    assert "Siam Motors" in pages["/me/jobs"].get_data(as_text=True)
