"""A tracer survey's own words (title, introduction, questions) in several languages: entered
on the staff forms, shown to each respondent in their language, else in the institution's
default language, else as entered (app/core/own_words.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.i18n import in_language
from app.core.own_words import own_words
from app.core.tokens import new_token
from app.employment import tracer
from app.employment.models import SurveyInvitation, SurveyQuestion, TracerSurvey
from app.extensions import db
from tests.employment.conftest import link_in

QUESTION_TH = "คุณทำงานกะไหน"
QUESTION_ID = "Anda bekerja pada shift apa?"
QUESTION_EN = "Which shift do you work?"
INTRO_TH = "แบบสำรวจนี้ช่วยให้วิทยาลัยปรับปรุงหลักสูตร"
TITLE_TH = "ผู้สำเร็จการศึกษา 2567 หลัง 12 เดือน"


def _new_survey_form(world, **extra) -> dict[str, str]:
    data = {"title": "Graduates 2024 at 12 months", "reference_months": "12",
            "programme_ids": [str(world.programme.id)], "cohort_years": "2024",
            "opens_on": (date.today() - timedelta(days=1)).isoformat(),
            "closes_on": (date.today() + timedelta(days=30)).isoformat(),
            "introduction": "This survey helps the college improve its programmes."}
    data.update(extra)
    return data


def _survey_from_the_forms(world, officer) -> TracerSurvey:
    """A survey with its title, introduction and one question in English and Thai, entered
    on the staff forms."""
    page = officer.post("/tracer/new", data=_new_survey_form(
        world, title_th=TITLE_TH, introduction_th=INTRO_TH), follow_redirects=True)
    assert page.status_code == 200 and "The survey is set up" in page.get_data(as_text=True)
    survey = db.session.scalar(select(TracerSurvey).order_by(TracerSurvey.id.desc()))
    added = officer.post(f"/tracer/{survey.id}/questions", data={
        "label": QUESTION_EN, "kind": "text", "label_th": QUESTION_TH},
        follow_redirects=True)
    assert "Question added." in added.get_data(as_text=True)
    db.session.expire_all()
    return db.session.get(TracerSurvey, survey.id)


def _link(survey: TracerSurvey, alumnus) -> str:
    """A one-time link of `alumnus` to `survey`, as the invitation writes it."""
    raw, digest = new_token()
    db.session.add(SurveyInvitation(
        survey_id=survey.id, institution_id=survey.institution_id, alumnus_id=alumnus.id,
        programme_id=alumnus.programme_id, cohort_year=alumnus.cohort_year,
        email=alumnus.email, token_hash=digest, expires_at=utcnow() + timedelta(days=30),
        sent_at=utcnow()))
    db.session.commit()
    return f"/survey/{raw}"


def test_staff_forms_save_and_show_the_translations(world, as_role):
    officer = as_role("officer")
    survey = _survey_from_the_forms(world, officer)
    assert survey.title_translations == {"th": TITLE_TH}
    assert survey.introduction_translations == {"th": INTRO_TH}  # empty languages left out
    assert survey.introduction == "This survey helps the college improve its programmes."
    question = survey.questions[0]
    assert (question.label, question.label_translations) == (QUESTION_EN, {"th": QUESTION_TH})

    page = officer.get(f"/tracer/{survey.id}").get_data(as_text=True)
    languages = page[page.index('id="survey-languages"'):]
    assert TITLE_TH in languages and INTRO_TH in languages
    listed = page[page.index(f'id="question-{question.id}-languages"'):]
    assert '<span lang="th">' + QUESTION_TH in listed
    # The question form offers a field per language, labelled with the language's own name.
    assert 'name="label_th"' in page and 'name="label_vi"' in page and "Tiếng Việt" in page


def test_new_survey_form_shows_the_languages_again_with_an_error(world, as_role):
    """A form refused for another field keeps what was typed in each language."""
    page = as_role("officer").post("/tracer/new", data=_new_survey_form(
        world, cohort_years="1900", title_th=TITLE_TH)).get_data(as_text=True)
    assert 'id="title-languages" open' in page
    assert f'value="{TITLE_TH}"' in page
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0


def test_too_long_translation_is_refused_next_to_its_field(world, as_role):
    officer = as_role("officer")
    page = officer.post("/tracer/new", data=_new_survey_form(
        world, title_vi="x" * 201)).get_data(as_text=True)
    block = page[page.index('id="title-languages"'):page.index('id="introduction"')]
    assert "open" in block.split(">")[0]
    field = block[block.index('name="title_vi"') - 300:]
    assert "is-invalid" in field[:400]
    assert "Field cannot be longer than 200 characters." in block
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0

    survey = _survey_from_the_forms(world, officer)
    refused = officer.post(f"/tracer/{survey.id}/questions", data={
        "label": "Which campus?", "kind": "text", "label_th": "ก" * 301})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    block = text[text.index('id="label-languages"'):]
    assert "Field cannot be longer than 300 characters." in block
    assert 'value="Which campus?"' in text  # the question stays typed in
    assert db.session.scalar(select(func.count(SurveyQuestion.id))) == 1


def test_service_refuses_a_too_long_translation_too(world):
    """The service checks the same limits for any caller (not only the form's)."""
    with pytest.raises(ValidationFailed) as refused:
        tracer.create_survey(tracer.SurveyData(
            title="T", reference_months=12, opens_on=date.today(),
            closes_on=date.today() + timedelta(days=5), cohorts=[(world.programme.id, 2024)],
            introduction_translations={"th": "ก" * 3001, "xx": "unknown language"}),
            institution_id=world.home.id, actor=world.users["officer"])
    assert list(refused.value.field_errors) == ["introduction_th"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0


def test_thai_invitation_link_opens_the_form_with_the_thai_words(world, as_role, client,
                                                               smtp_server):
    survey = _survey_from_the_forms(world, as_role("officer"))
    world.users["alumnus"].language = "th"
    db.session.commit()
    tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    from app.core.jobs import wait_for_idle

    wait_for_idle()
    mail = smtp_server.to(world.alumnus.email)[0]
    assert f"“{TITLE_TH}”" in smtp_server.text(mail)
    english = smtp_server.to(world.second_alumnus.email)[0]  # no account: the default, en
    assert "“Graduates 2024 at 12 months”" in smtp_server.text(english)

    link = re.search(r"/survey/\S+", smtp_server.text(mail)).group(0)
    page = client.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="th">' in page
    assert QUESTION_TH in page and INTRO_TH in page and f"<h1 class=\"h3\">{TITLE_TH}" in page
    assert QUESTION_EN not in page and "helps the college" not in page
    english_page = client.get(link_in(smtp_server, english) + "?lang=en").get_data(as_text=True)
    assert QUESTION_EN in english_page and QUESTION_TH not in english_page


def test_signed_in_alumnus_sees_their_language_on_surveys_for_me(world, as_role):
    survey = _survey_from_the_forms(world, as_role("officer"))
    _link(survey, world.alumnus)
    world.users["alumnus"].language = "th"
    db.session.commit()
    alumnus = as_role("alumnus")
    listed = alumnus.get("/me/surveys").get_data(as_text=True)
    assert TITLE_TH in listed and "Graduates 2024 at 12 months" not in listed
    form = alumnus.get(f"/me/surveys/{survey.id}").get_data(as_text=True)
    assert QUESTION_TH in form and QUESTION_EN not in form


def test_a_language_without_its_text_falls_back_to_the_default_then_as_entered(
        world, as_role, client):
    survey = _survey_from_the_forms(world, as_role("officer"))
    question = survey.questions[0]
    question.label_translations = {"th": QUESTION_TH, "id": QUESTION_ID}
    world.home.default_language = "id"
    db.session.commit()
    link = _link(survey, world.alumnus)

    vietnamese = client.get(link + "?lang=vi").get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese
    assert QUESTION_ID in vietnamese  # no Vietnamese text: the institution's default
    assert QUESTION_EN not in vietnamese and QUESTION_TH not in vietnamese
    assert TITLE_TH not in vietnamese and "Graduates 2024 at 12 months" in vietnamese

    question.label_translations = {"th": QUESTION_TH}  # no Indonesian text either
    db.session.commit()
    vietnamese = client.get(link + "?lang=vi").get_data(as_text=True)
    assert QUESTION_EN in vietnamese and QUESTION_TH not in vietnamese


def test_own_words_order(world, app):
    words = {"th": "ไทย", "id": "Indonesia"}
    with app.test_request_context():
        with in_language("th", world.home.id):
            assert own_words("English", words) == "ไทย"
        with in_language("vi", world.home.id):
            assert own_words("English", words) == "English"  # default en: as entered
        world.home.default_language = "id"
        db.session.commit()
        with in_language("vi", world.home.id):
            assert own_words("English", words) == "Indonesia"
            assert own_words("English", {"th": "ไทย", "id": ""}) == "English"
            assert own_words("English", None) == "English"


def test_words_page_changes_the_texts_in_each_language(world, as_role):
    """A survey set up before (English only) gets its Thai words later, in one save."""
    officer = as_role("officer")
    officer.post("/tracer/new", data=_new_survey_form(world), follow_redirects=True)
    survey = db.session.scalar(select(TracerSurvey))
    officer.post(f"/tracer/{survey.id}/questions", data={"label": QUESTION_EN, "kind": "text"})
    question = db.session.scalar(select(SurveyQuestion))
    assert (survey.title_translations, question.label_translations) == (None, None)

    page = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert f'value="{QUESTION_EN}"' in page and f'name="q{question.id}_label_th"' in page
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)
    saved = officer.post(f"/tracer/{survey.id}/words", data={
        "title": "Graduates 2024 at 12 months", "title_th": TITLE_TH,
        "introduction": "Ten minutes.", "introduction_th": INTRO_TH,
        f"q{question.id}_label": QUESTION_EN, f"q{question.id}_label_th": QUESTION_TH,
        f"q{question.id}_label_id": QUESTION_ID, "stamp": stamp})
    assert saved.status_code == 302
    db.session.expire_all()
    survey, question = db.session.get(TracerSurvey, survey.id), db.session.get(
        SurveyQuestion, question.id)
    assert survey.title_translations == {"th": TITLE_TH}
    assert (survey.introduction, survey.introduction_translations) == ("Ten minutes.",
                                                                      {"th": INTRO_TH})
    assert question.label_translations == {"th": QUESTION_TH, "id": QUESTION_ID}
    again = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert f'value="{QUESTION_ID}"' in again and 'id="title-languages" open' in again

    # A second form opened before that save is refused, and shows the saved words.
    late = officer.post(f"/tracer/{survey.id}/words", data={
        "title": "Another title", f"q{question.id}_label": QUESTION_EN, "stamp": stamp})
    text = late.get_data(as_text=True)
    assert late.status_code == 409 and "Someone else saved changes" in text
    assert f'value="{TITLE_TH}"' in text
    db.session.expire_all()
    assert db.session.get(TracerSurvey, survey.id).title == "Graduates 2024 at 12 months"


def test_words_page_refuses_a_too_long_question_translation_and_saves_nothing(world,
                                                                              as_role):
    officer = as_role("officer")
    survey = _survey_from_the_forms(world, officer)
    question = survey.questions[0]
    page = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)
    refused = officer.post(f"/tracer/{survey.id}/words", data={
        "title": "Changed", "title_th": "ชื่อใหม่", f"q{question.id}_label": QUESTION_EN,
        f"q{question.id}_label_fil": "x" * 301, "stamp": stamp})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    block = text[text.index(f'id="q{question.id}_label-languages"'):]
    assert "Field cannot be longer than 300 characters." in block
    db.session.expire_all()
    survey = db.session.get(TracerSurvey, survey.id)
    assert (survey.title, survey.title_translations) == ("Graduates 2024 at 12 months",
                                                         {"th": TITLE_TH})


def test_words_once_answered_keep_the_questions_fixed(world, as_role):
    officer = as_role("officer")
    survey = _survey_from_the_forms(world, officer)
    question = survey.questions[0]
    _link(survey, world.alumnus)
    invitation = db.session.scalar(select(SurveyInvitation))
    invitation.responded_at = utcnow()
    db.session.commit()
    page = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert "the questions are fixed now" in page and f"q{question.id}_label" not in page
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)
    saved = officer.post(f"/tracer/{survey.id}/words", data={
        "title": "Graduates 2024 at 12 months", "title_vi": "Sinh viên tốt nghiệp 2024",
        f"q{question.id}_label": "Sneaked in", "stamp": stamp})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(TracerSurvey, survey.id).title_translations == {
        "vi": "Sinh viên tốt nghiệp 2024"}
    assert db.session.get(SurveyQuestion, question.id).label == QUESTION_EN
    with pytest.raises(ValidationFailed):  # the service refuses it for any caller
        tracer.update_survey_words(db.session.get(TracerSurvey, survey.id), tracer.SurveyWords(
            title="T", questions={question.id: ("Changed", None)}), stamp=None,
            actor=world.users["officer"])
