"""Staff read a tracer response in full (the core, the competency levels, the institution's own
questions) and download all responses as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.employment import codes, tracer
from app.employment.answers import ResponseData, submit_response
from app.employment.models import SurveyInvitation, SurveyResponse
from tests.employment.conftest import good_answers

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _answer(db, survey, alumnus, **overrides) -> SurveyResponse:
    """An answer through the service, as the form sends it."""
    tracer.prepare_invitations(survey)
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.alumnus_id == alumnus.id))
    values = good_answers(**overrides)
    values["start_date"] = date.fromisoformat(values["start_date"])  # as the form's DateField
    data = ResponseData(**{k: v for k, v in values.items()
                           if k in ResponseData.__dataclass_fields__})
    data.competencies = {k: (values[f"{k}_at_graduation"], values[f"{k}_required_now"])
                         for k in codes.COMPETENCIES}
    data.extra = {k: v for k, v in values.items() if k.startswith("q_")}
    response = submit_response(invitation, data, channel="link")
    db.session.commit()
    return response


@pytest.fixture
def answered(db, world, campaign):
    """world.second_alumnus answered, with a text question answered like a formula."""
    survey = campaign.survey
    text_question = tracer.add_question(survey, tracer.QuestionData(
        "Anything else you want to tell us?", "text"), actor=world.users["officer"])
    db.session.commit()
    recommend = survey.questions[0]
    return _answer(db, survey, world.second_alumnus, **{
        recommend.field_name: "yes", text_question.field_name: FORMULA,
        "employer_name": "Công ty TNHH Đông Á", "ethics_at_graduation": "2",
        "ethics_required_now": "5"})


def test_staff_read_a_response_in_full(db, world, campaign, answered, as_role):
    url = f"/tracer/responses/{answered.id}"
    for role in ("officer", "quality", "admin"):
        page = as_role(role).get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, role
        assert "Would you recommend the programme?" in html
        assert "Anything else you want to tell us?" in html
        assert "HYPERLINK" in html  # shown as text, escaped
        for label in codes.COMPETENCIES.values():
            assert label in html
        assert "Công ty TNHH Đông Á" in html
    assert as_role("other_officer").get(url).status_code == 404
    assert as_role("alumnus").get(url).status_code == 403
    listing = as_role("quality").get(f"/tracer/{campaign.survey.id}/responses")
    assert url in listing.get_data(as_text=True)
    assert f"/tracer/{campaign.survey.id}/responses.csv" in listing.get_data(as_text=True)


def test_responses_as_csv(db, world, campaign, answered, as_role):
    page = as_role("quality").get(f"/tracer/{campaign.survey.id}/responses.csv")
    assert page.status_code == 200 and page.mimetype == "text/csv"
    assert "attachment" in page.headers["Content-Disposition"]
    body = page.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets read any script
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    values = dict(zip(header, row, strict=True))
    assert values["Student number"] == world.second_alumnus.student_number
    assert values["Employer"] == "Công ty TNHH Đông Á"
    assert values["Main activity"] == "Wage employed"
    assert values["Ethics / integrity: at graduation"] == "2"
    assert values["Ethics / integrity: required now"] == "5"
    assert sum(": at graduation" in h or ": required now" in h for h in header) == 14
    assert values["Would you recommend the programme?"] == "Yes"
    assert values["Anything else you want to tell us?"] == "'" + FORMULA  # never a formula
    assert as_role("other_officer").get(
        f"/tracer/{campaign.survey.id}/responses.csv").status_code == 404
