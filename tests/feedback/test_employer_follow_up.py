"""Employer follow-up: what employers said in a survey year, taken into the review and acted
on; the page as each role sees it; the messages beside the fields; CSRF."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.core.db import today
from app.core.errors import PermissionDenied, ValidationFailed
from app.feedback.follow_up import EmployerInputData, follow_up_list, record_employer_input
from app.feedback.models import CurriculumFeedback
from app.feedback.services import MeetingData, create_meeting, decide_feedback

URL = "/feedback/employer-follow-up"


def _count(db) -> int:
    return db.session.scalar(select(func.count(CurriculumFeedback.id)))


def _data(world, **kw) -> EmployerInputData:
    values = {"programme_id": world.programme.id, "survey_year": today().year - 1,
              "competency": "teamwork", "said": "4 of 9 employers rated teamwork fair or poor.",
              "suggestion": "More group projects with industry.",
              "noted_on": date(today().year, 1, 15)}
    values.update(kw)
    return EmployerInputData(**values)


def _form(world, **kw) -> dict:
    values = {"programme_id": str(world.programme.id), "survey_year": str(today().year - 1),
              "competency": "teamwork", "said": "Teamwork rated fair by 4 of 9 employers.",
              "suggestion": "", "noted_on": ""}
    values.update(kw)
    return values


def test_employer_input_goes_through_the_review_to_the_action(world, db):
    officer = world.users["officer"]
    fb = record_employer_input(_data(world), institution=world.home, actor=officer)
    db.session.commit()
    assert (fb.source, fb.survey_year, fb.topic, fb.status) == (
        "employer_survey", today().year - 1, "Teamwork", "new")
    assert fb.alumnus_id is None and fb.received_on == date(today().year, 1, 15)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "feedback.employer_input")).one()
    assert entry.after["survey_year"] == today().year - 1
    meeting = create_meeting(MeetingData(programme_id=world.programme.id,
                                         held_on=date(today().year, 1, 20),
                                         kind="curriculum_review", title="Review 1"),
                             institution=world.home, actor=officer)
    decide_feedback(fb, "under_review", note="Read at the review.", actor=officer)
    decide_feedback(fb, "accepted", note="Add a group project to module 3.",
                    meeting_id=meeting.id, actor=officer)
    decide_feedback(fb, "implemented", note="Group project with two firms since term 2.",
                    actor=officer)
    db.session.commit()
    listed = follow_up_list(actor=world.users["quality"])
    assert [x.id for x in listed] == [fb.id] and listed[0].status == "implemented"
    assert follow_up_list(actor=world.users["other_officer"]) == []
    assert follow_up_list(actor=officer, survey_year=2001) == []


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda: {"programme_id": None}, "programme_id", "Choose a programme of this institution."),
    (lambda: {"survey_year": None}, "survey_year", "Enter the year the employers were asked about"),
    (lambda: {"survey_year": today().year + 1}, "survey_year", "Give a survey year from 2000 to"),
    (lambda: {"survey_year": 1999}, "survey_year", "Give a survey year from 2000 to"),
    (lambda: {"competency": "juggling"}, "competency", "Choose the competency"),
    (lambda: {"said": "  "}, "said", "Write what the employers said"),
    (lambda: {"noted_on": today() + timedelta(days=1)}, "noted_on", "a day still to come"),
    (lambda: {"survey_year": today().year, "noted_on": date(today().year - 1, 6, 1)}, "noted_on",
     "cannot have been taken in before"),
])
def test_each_mistake_is_named_beside_its_field(world, db, change, field, message):
    # `change` is made when the test runs: a date made at collection is yesterday's in a
    # run that crosses midnight
    with pytest.raises(ValidationFailed) as caught:
        record_employer_input(_data(world, **change()), institution=world.home,
                              actor=world.users["officer"])
    assert message in caught.value.field_errors[field][0]
    db.session.rollback()
    assert _count(db) == 0


def test_another_institutions_programme_and_writers_only(world, db):
    with pytest.raises(ValidationFailed) as caught:
        record_employer_input(_data(world, programme_id=world.other_programme.id),
                              institution=world.home, actor=world.users["officer"])
    assert "programme_id" in caught.value.field_errors
    with pytest.raises(PermissionDenied):
        record_employer_input(_data(world), institution=world.home,
                              actor=world.users["quality"])
    with pytest.raises(PermissionDenied):
        record_employer_input(_data(world), institution=world.home,
                              actor=world.users["other_officer"])


def test_an_officer_records_on_the_page_and_goes_to_the_record(world, as_role, db):
    client = as_role("officer")
    page = client.get(URL).get_data(as_text=True)
    assert "Employer follow-up</h1>" in page and "Record employer input</button>" in page
    response = client.post(URL, data=_form(world))
    fb = db.session.scalars(select(CurriculumFeedback)).one()
    assert response.status_code == 302 and response.location.endswith(f"/feedback/{fb.id}")
    assert fb.received_on == today()  # "taken in on" left empty
    detail = client.get(f"/feedback/{fb.id}").get_data(as_text=True)
    assert f"Employer survey {today().year - 1}" in detail and "Start review" in detail
    listed = client.get(URL).get_data(as_text=True)
    assert f"{today().year - 1} · {world.programme.code} · Teamwork" in listed
    assert "none recorded yet" in listed
    assert client.get(URL + "?year=2001").get_data(as_text=True).count('class="card mb-3') == 0


def test_bad_input_comes_back_with_messages_beside_the_fields(world, as_role, db):
    page = as_role("officer").post(URL, data=_form(
        world, survey_year=str(today().year + 3), competency="", said=""))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for message in ("Give a survey year from 2000 to", "Choose the competency",
                    "Write what the employers said"):
        assert re.search(r'class="invalid-feedback[^"]*"[^>]*>\s*' + re.escape(message), body), \
            message
    assert 'value="Teamwork' not in body  # nothing saved, nothing guessed
    assert _count(db) == 0
    # a year that is not a number is refused by the form, beside the field too
    page = as_role("officer").post(URL, data=_form(world, survey_year="last year"))
    assert page.status_code == 200 and "invalid-feedback" in page.get_data(as_text=True)
    assert _count(db) == 0


def test_quality_staff_read_only_others_get_nothing(world, as_role, db):
    record_employer_input(_data(world), institution=world.home, actor=world.users["officer"])
    db.session.commit()
    quality = as_role("quality")
    page = quality.get(URL).get_data(as_text=True)
    said = "4 of 9 employers rated teamwork fair or poor."
    assert said in page and "Record employer input" not in page
    assert quality.post(URL, data=_form(world)).status_code == 403
    other = as_role("other_officer")
    theirs = other.get(URL).get_data(as_text=True)
    assert said not in theirs and "No employer follow-up recorded" in theirs
    assert other.post(URL, data=_form(world)).status_code == 200  # refused beside the field
    alumnus = as_role("alumnus")
    assert alumnus.get(URL).status_code == 403
    assert alumnus.post(URL, data=_form(world)).status_code == 403
    assert _count(db) == 1


def test_a_post_without_the_csrf_token_is_refused(app, world, as_role, db):
    client = as_role("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(URL, data=_form(world))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _count(db) == 0
