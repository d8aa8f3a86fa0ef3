"""A tracer survey's own list question with its options in several languages: entered on the
question form and the survey's "Texts and languages" page (one option a line, as many as the
options as entered), shown to each respondent in their language, else in the institution's
default language, else as entered; the answer stores the option as entered."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.i18n import in_language
from app.core.own_words import own_options
from app.core.tokens import new_token
from app.employment import tracer
from app.employment.models import (
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    TracerSurvey,
)
from app.extensions import db
from tests.employment.conftest import good_answers

OPTIONS = ["Morning", "Evening", "Night"]
OPTIONS_TH = ["กะเช้า", "กะเย็น", "กะดึก"]
OPTIONS_ID = ["Pagi", "Sore", "Malam"]


def _survey(world, officer) -> TracerSurvey:
    """A survey set up on the staff form, with no question yet."""
    page = officer.post("/tracer/new", data={
        "title": "Graduates 2024 at 12 months", "reference_months": "12",
        "programme_ids": [str(world.programme.id)], "cohort_years": "2024",
        "opens_on": (date.today() - timedelta(days=1)).isoformat(),
        "closes_on": (date.today() + timedelta(days=30)).isoformat()}, follow_redirects=True)
    assert "The survey is set up" in page.get_data(as_text=True)
    return db.session.scalar(select(TracerSurvey).order_by(TracerSurvey.id.desc()))


def _list_question(officer, survey, **extra):
    return officer.post(f"/tracer/{survey.id}/questions", data={
        "label": "Which shift do you work?", "kind": "choice", "choices": "\n".join(OPTIONS),
        **extra})


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


def _option_texts(page: str, field: str) -> list[str]:
    """The (value, text) of the options of the select `field` on a page."""
    select_html = page[page.index(f'name="{field}"'):]
    select_html = select_html[:select_html.index("</select>")]
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html)


def test_thai_respondent_sees_thai_options_and_the_answer_stores_the_option_as_entered(
        world, as_role, client):
    officer = as_role("officer")
    survey = _survey(world, officer)
    added = _list_question(officer, survey, choices_th="กะเช้า\n\n  กะเย็น \nกะดึก\n")
    assert added.status_code == 302
    question = db.session.scalar(select(SurveyQuestion))
    assert question.choices == OPTIONS
    assert question.choices_translations == {"th": OPTIONS_TH}  # stripped, blank lines out
    shown = officer.get(f"/tracer/{survey.id}").get_data(as_text=True)
    listed = shown[shown.index(f'id="question-{question.id}-options-languages"'):]
    assert "กะเช้า / กะเย็น / กะดึก" in listed[:600]

    link = _link(survey, world.alumnus)
    page = client.get(link + "?lang=th").get_data(as_text=True)
    assert '<html lang="th">' in page
    assert _option_texts(page, question.field_name) == [
        ("", "—"), *zip(OPTIONS, OPTIONS_TH, strict=True)]

    # The Thai text is not an option's value: refused, nothing saved.
    refused = client.post(link, data=good_answers(**{question.field_name: "กะเย็น"}))
    assert refused.status_code == 200
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    done = client.post(link, data=good_answers(**{question.field_name: "Evening"}))
    assert done.status_code == 200
    response = db.session.scalar(select(SurveyResponse))
    assert response.extra_answers[str(question.id)]["answer"] == "Evening"

    # Signed in, in the account's language, the same.
    survey_two = _survey(world, officer)
    _list_question(officer, survey_two, choices_th="\n".join(OPTIONS_TH))
    _link(survey_two, world.alumnus)
    world.users["alumnus"].language = "th"
    db.session.commit()
    second = db.session.scalar(select(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey_two.id))
    form = as_role("alumnus").get(f"/me/surveys/{survey_two.id}").get_data(as_text=True)
    assert _option_texts(form, second.field_name)[1:] == list(zip(OPTIONS, OPTIONS_TH,
                                                                  strict=True))


def test_a_wrong_number_of_options_is_refused_next_to_its_field_and_nothing_saved(
        world, as_role):
    officer = as_role("officer")
    survey = _survey(world, officer)
    refused = _list_question(officer, survey, choices_th="กะเช้า\nกะเย็น",
                             choices_id="\n".join(OPTIONS_ID))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    block = text[text.index('id="choices-languages"'):]
    block = block[:block.index("</details>")]
    assert block.split(">")[0].endswith(" open")
    field = block[block.index('name="choices_th"') - 300:]
    assert "is-invalid" in field[:400]
    assert "Give 3 options, one a line, in the order of the options as entered (2 given)." \
        in block
    assert db.session.scalar(select(func.count(SurveyQuestion.id))) == 0

    # On the "Texts and languages" page: one language's count wrong, nothing saved.
    assert _list_question(officer, survey).status_code == 302
    question = db.session.scalar(select(SurveyQuestion))
    page = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert f'name="q{question.id}_choices_th"' in page
    assert "Morning / Evening / Night" in page  # the options to translate, in their order
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)
    words = {"title": "Changed", f"q{question.id}_label": "Which shift do you work?",
             f"q{question.id}_choices_id": "\n".join(OPTIONS_ID), "stamp": stamp}
    refused = officer.post(f"/tracer/{survey.id}/words", data={
        **words, f"q{question.id}_choices_vi": "Sáng\nChiều\nĐêm\nCả ngày"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    block = text[text.index(f'id="q{question.id}_choices-languages"'):]
    assert "Give 3 options, one a line, in the order of the options as entered (4 given)." \
        in block[:block.index("</details>")]
    db.session.expire_all()
    assert db.session.get(TracerSurvey, survey.id).title == "Graduates 2024 at 12 months"
    assert db.session.get(SurveyQuestion, question.id).choices_translations is None

    saved = officer.post(f"/tracer/{survey.id}/words", data=words)
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(SurveyQuestion, question.id).choices_translations == {
        "id": OPTIONS_ID}
    again = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert f'id="q{question.id}_choices-languages" open' in again
    assert "Pagi\nSore\nMalam" in again

    # The service refuses a wrong count for any caller too.
    with pytest.raises(ValidationFailed) as wrong:
        tracer.add_question(db.session.get(TracerSurvey, survey.id), tracer.QuestionData(
            "Which campus?", "choice", ["North", "South"],
            choices_translations={"th": ["เหนือ"]}), actor=world.users["officer"])
    assert list(wrong.value.field_errors) == ["choices_th"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(SurveyQuestion.id))) == 1


def test_options_fall_back_to_the_default_language_then_as_entered(world, as_role, client):
    officer = as_role("officer")
    survey = _survey(world, officer)
    _list_question(officer, survey, choices_th="\n".join(OPTIONS_TH),
                   choices_id="\n".join(OPTIONS_ID))
    question = db.session.scalar(select(SurveyQuestion))
    world.home.default_language = "id"
    db.session.commit()
    link = _link(survey, world.alumnus)

    vietnamese = client.get(link + "?lang=vi").get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese
    assert _option_texts(vietnamese, question.field_name)[1:] == list(zip(
        OPTIONS, OPTIONS_ID, strict=True))  # no Vietnamese options: the default's
    thai = client.get(link + "?lang=th").get_data(as_text=True)
    assert _option_texts(thai, question.field_name)[1:] == list(zip(OPTIONS, OPTIONS_TH,
                                                                    strict=True))

    question.choices_translations = {"th": OPTIONS_TH}  # no Indonesian options either
    db.session.commit()
    vietnamese = client.get(link + "?lang=vi").get_data(as_text=True)
    assert _option_texts(vietnamese, question.field_name)[1:] == list(zip(OPTIONS, OPTIONS,
                                                                          strict=True))


def test_own_options_order(world, app):
    stored = {"th": OPTIONS_TH, "id": OPTIONS_ID, "vi": ["Sáng", "Chiều"]}
    with app.test_request_context():
        with in_language("th", world.home.id):
            assert [shown for _, shown in own_options(OPTIONS, stored)] == OPTIONS_TH
        with in_language("vi", world.home.id):
            # a list of another count does not count: the default (en), so as entered
            assert own_options(OPTIONS, stored) == list(zip(OPTIONS, OPTIONS, strict=True))
        world.home.default_language = "id"
        db.session.commit()
        with in_language("vi", world.home.id):
            assert [v for v, _ in own_options(OPTIONS, stored)] == OPTIONS  # values as entered
            assert [shown for _, shown in own_options(OPTIONS, stored)] == OPTIONS_ID
            assert own_options(OPTIONS, None) == list(zip(OPTIONS, OPTIONS, strict=True))
            assert own_options(None, stored) == []


def test_options_fixed_once_answered(world, as_role):
    officer = as_role("officer")
    survey = _survey(world, officer)
    _list_question(officer, survey, choices_th="\n".join(OPTIONS_TH))
    question = db.session.scalar(select(SurveyQuestion))
    _link(survey, world.alumnus)
    db.session.scalar(select(SurveyInvitation)).responded_at = utcnow()
    db.session.commit()
    page = officer.get(f"/tracer/{survey.id}/words").get_data(as_text=True)
    assert f"q{question.id}_choices" not in page
    with pytest.raises(ValidationFailed):
        tracer.update_survey_words(db.session.get(TracerSurvey, survey.id), tracer.SurveyWords(
            title="T", options={question.id: {"th": ["ก", "ข", "ค"]}}), stamp=None,
            actor=world.users["officer"])
