"""Every page an alumnus or a survey respondent opens renders in every language, and the pages
translated so far (tests/core/test_translations.py COVERED) show no English message left."""

from __future__ import annotations

import re
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
