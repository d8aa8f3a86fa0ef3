"""What the employment pages show when a service refuses a save: the message, where the page
goes, and that nothing was written."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.db import utcnow
from app.core.jobs import Job
from app.employment import services
from app.employment.models import (
    EmployerFeedbackRequest,
    Employment,
    SurveyInvitation,
    SurveyQuestion,
    TracerSurvey,
)
from app.employment.tracer import prepare_invitations


def _record(world, **overrides) -> Employment:
    values = {"status": "wage_employed", "employer_name": "Siam Robotics",
              "job_title": "Technician", "start_date": date(2024, 9, 1)}
    values.update(overrides)
    return services.record_employment(world.alumnus, services.EmploymentData(**values),
                                      actor=world.users["officer"])


def test_alumnus_cannot_edit_a_record_the_office_verified(db, world, as_role):
    record = _record(world, verified=True)
    db.session.commit()
    client = as_role("alumnus")
    page = client.post(f"/me/jobs/{record.id}/edit", data={
        "status": "wage_employed", "employer_name": "Siam Robotics", "job_title": "Director",
        "start_date": "2024-09-01"}, follow_redirects=True)
    assert page.request.path == "/me/jobs"
    assert "The office verified this record" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Employment, record.id).job_title == "Technician"


def test_edit_form_of_a_verified_record_is_not_offered_by_address(db, world, as_role):
    """The Edit link is gone from /me/jobs; typing the address showed the form anyway and
    refused only on save. Opening it goes back to the list with the save's message."""
    record = _record(world, verified=True)
    db.session.commit()
    client = as_role("alumnus")
    opened = client.get(f"/me/jobs/{record.id}/edit")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/me/jobs")
    text = client.get("/me/jobs").get_data(as_text=True)
    assert "The office verified this record; ask them to change it." in text
    assert 'name="job_title"' not in text
    # a record the alumnus may change still opens its form
    own = _record(world, verified=False)
    db.session.commit()
    form = client.get(f"/me/jobs/{own.id}/edit")
    assert form.status_code == 200 and 'name="job_title"' in form.get_data(as_text=True)


def test_alumnus_cannot_remove_a_record_the_office_verified(db, world, as_role):
    """Edit was refused, remove was not: a verified job disappeared from the indicators."""
    record = _record(world, verified=True)
    db.session.commit()
    client = as_role("alumnus")
    page = client.post(f"/me/jobs/{record.id}/delete", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.request.path == "/me/jobs"
    assert "The office verified this record" in text
    assert "removed from your job history" not in text
    assert db.session.scalar(select(func.count(Employment.id))) == 1


def test_my_jobs_marks_verified_records_and_offers_only_a_correction(db, world, as_role):
    verified = _record(world, verified=True)
    own = services.record_employment(world.alumnus, services.EmploymentData(
        status="wage_employed", employer_name="Noi's Bakery", job_title="Baker",
        start_date=date(2023, 1, 1)), actor=world.users["alumnus"])
    db.session.commit()
    text = as_role("alumnus").get("/me/jobs").get_data(as_text=True)
    assert text.count("Verified by the office") == 1
    assert f"/me/jobs/{verified.id}/edit" not in text
    assert f"/me/jobs/{verified.id}/delete" not in text
    assert f"/me/jobs/{own.id}/edit" in text and f"/me/jobs/{own.id}/delete" in text
    assert "/me/correction" in text


def test_alumnus_cannot_delete_a_record_from_survey_answers(db, world, as_role):
    record = _record(world, verified=False)
    record.source = "tracer"
    db.session.commit()
    page = as_role("alumnus").post(f"/me/jobs/{record.id}/delete", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.request.path == "/me/jobs"
    assert "Records from your survey answers are kept" in text
    assert "removed from your job history" not in text
    assert db.session.scalar(select(func.count(Employment.id))) == 1


def test_refused_sending_is_flashed_on_the_survey_page(db, world, campaign, as_role):
    survey = db.session.get(TracerSurvey, campaign.survey.id)
    survey.opens_on = date.today() + timedelta(days=3)
    db.session.commit()
    page = as_role("officer").post(f"/tracer/{survey.id}/send", follow_redirects=True)
    assert page.request.path == f"/tracer/{survey.id}"
    assert "send the invitations from then" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_question_refused_once_people_answered(db, world, campaign, as_role):
    prepare_invitations(campaign.survey)
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == campaign.survey.id))
    invitation.responded_at = utcnow()
    db.session.commit()
    page = as_role("officer").post(f"/tracer/{campaign.survey.id}/questions", data={
        "label": "Which campus?", "kind": "yes_no"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    # The survey's page again, with the refusal where the question form would be.
    assert page.status_code == 422 and "Read the 1 response" in text
    assert "the questions are fixed now" in text and "Question added." not in text
    assert db.session.scalar(select(func.count(SurveyQuestion.id))) == 1


def test_cohort_errors_show_next_to_the_programmes(db, world, as_role):
    page = as_role("officer").post("/tracer/new", data={
        "title": "Long ago", "reference_months": "12",
        "programme_ids": [str(world.programme.id)], "cohort_years": "1900",
        "opens_on": date.today().isoformat(),
        "closes_on": (date.today() + timedelta(days=20)).isoformat()})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Give graduation years from 1950 to" in text
    # next to the programme field, not in the form-wide alert
    assert text.index("Give graduation years from 1950") > text.index('name="programme_ids"')
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0


def test_employer_invitation_refused_without_employers(db, world, as_role):
    page = as_role("officer").post("/employers/satisfaction/invite", data={
        "programme_id": str(world.programme.id), "year": str(date.today().year)},
        follow_redirects=True)
    assert page.request.path == "/employers/satisfaction"
    assert "has a contact e-mail: add it on an employer" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EmployerFeedbackRequest.id))) == 0


def test_refusals_say_what_to_do(db, world, campaign):
    """Messages that stated a fact ("The survey closes after it opens.") say what to do."""
    import pytest

    from app.core.errors import ValidationFailed
    from app.employment import employer_survey, tracer

    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as caught:
        tracer.create_survey(tracer.SurveyData(
            title="Backwards", reference_months=12, opens_on=date(2026, 5, 1),
            closes_on=date(2026, 4, 1), cohorts=[(world.programme.id, 1900)],
            questions=[tracer.QuestionData("Which campus?", "choice", ["North"])]),
            institution_id=world.home.id, actor=officer)
    errors = caught.value.field_errors
    assert errors["closes_on"] == ["The closing date must be on or after the opening date."]
    assert errors["cohorts"] == [
        f"Give graduation years from 1950 to {date.today().year + 1}."]
    assert errors["questions-0"] == ["Give a list question at least two options, one a line."]
    with pytest.raises(ValidationFailed) as caught:
        employer_survey.invite_employers(world.programme, 1990, actor=officer)
    assert caught.value.field_errors["year"] == [
        f"Give a year from 2000 to {date.today().year + 1}."]
    survey = db.session.get(TracerSurvey, campaign.survey.id)
    survey.opens_on, survey.closes_on = date(2020, 1, 1), date(2020, 2, 1)
    with pytest.raises(ValidationFailed) as caught:
        tracer.start_sending(survey, mode="invite", actor=officer)
    assert caught.value.field_errors["mode"] == [
        "The survey closed on 01 Feb 2020; set up a new survey to ask these cohorts again."]
