"""Employer satisfaction survey by one-time link, over real SMTP."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from app.core.errors import ValidationFailed
from app.core.jobs import Job, wait_for_idle
from app.employment import codes, employer_survey, services
from app.employment.models import EmployerFeedback, EmployerFeedbackRequest, EmployerRating


@pytest.fixture
def employers(db, world):
    officer = world.users["officer"]
    for alumnus, name, email in ((world.alumnus, "Siam Robotics", "hr@siam.example"),
                                 (world.second_alumnus, "Gone Ltd",
                                  "undeliverable@gone.example")):
        services.record_employment(alumnus, services.EmploymentData(
            status="wage_employed", employer_name=name, start_date=date(2024, 8, 1)),
            actor=officer)
        employer = services.find_employer(world.home.id, name)
        employer.contact_email = email
    # an employer without an alumnus of the programme is not asked
    services.create_employer(services.EmployerData(name="Unrelated Co",
                                                   contact_email="x@unrelated.example"),
                             institution_id=world.home.id, actor=officer)
    db.session.commit()


def _send(db, job):
    """Commit the invitations and let their background job send them."""
    job_id = job.id
    db.session.commit()
    wait_for_idle()
    db.session.rollback()
    return db.session.get(Job, job_id)


def test_invitations_wait_for_the_commit_and_a_rollback_sends_nothing(db, world, employers,
                                                                     smtp_server):
    employer_survey.invite_employers(world.programme, 2025, actor=world.users["officer"])
    db.session.rollback()
    wait_for_idle()
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(EmployerFeedbackRequest.id))) == 0
    assert db.session.scalar(select(func.count(Job.id))) == 0


def _ratings(level="good", **overrides):
    data = {f"rating_{k}": level for k in codes.COMPETENCIES}
    data.update(overrides)
    return data


def test_employer_rates_graduates_from_the_link(db, world, employers, smtp_server, client,
                                                as_role):
    job = employer_survey.invite_employers(world.programme, 2025, actor=world.users["officer"])
    assert smtp_server.messages == []  # nothing leaves before the commit
    _send(db, job)
    assert db.session.get(Job, job.id).result == {"sent": 1, "undeliverable": 1}
    assert [m["To"] for m in smtp_server.messages] == ["hr@siam.example"]
    link = re.search(r"https?://\S+/employer-survey/\S+",
                     smtp_server.text(smtp_server.messages[0])).group(0)
    path = urlparse(link).path
    assert "Ethics / integrity" in client.get(path).get_data(as_text=True)

    bad = client.post(path, data=_ratings(rating_teamwork="excellent"))
    assert "Choose one of the four levels." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EmployerFeedback.id))) == 0

    done = client.post(path, data=_ratings(rating_it="very_good",
                                           comments="More PLC practice, please."))
    assert "Your answers are saved" in done.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EmployerRating.id))) == 7
    assert client.post(path, data=_ratings()).status_code == 409
    assert db.session.scalar(select(func.count(EmployerFeedback.id))) == 1

    results = employer_survey.satisfaction_results(world.users["quality"])
    row = results[0]
    assert (row["year"], row["asked"], row["answered"]) == (2025, 2, 1)
    assert row["competencies"]["it"]["very_good"] == 100.0
    assert row["competencies"]["ethics"]["good"] == 100.0
    assert row["comments"][0][1] == "More PLC practice, please."
    page = as_role("quality").get("/employers/satisfaction").get_data(as_text=True)
    assert "More PLC practice, please." in page
    assert "More PLC practice" not in as_role("other_officer").get(
        "/employers/satisfaction").get_data(as_text=True)

    with pytest.raises(ValidationFailed):  # nobody left to ask for this programme and year
        employer_survey.invite_employers(world.programme, 2025, actor=world.users["officer"])
    undeliverable = db.session.scalar(select(EmployerFeedbackRequest).where(
        EmployerFeedbackRequest.email == "undeliverable@gone.example"))
    assert undeliverable.undeliverable_at is not None


def _recorded_feedback(world, employer_id, year):
    """Ratings entered without an e-mailed request (as the demo data and earlier rounds)."""
    feedback = EmployerFeedback(institution_id=world.home.id, employer_id=employer_id,
                                programme_id=world.programme.id, year=year)
    feedback.ratings = [EmployerRating(competency=k, level="fair") for k in codes.COMPETENCIES]
    return feedback


def test_ratings_without_a_request_count_as_asked_and_answered(db, world, employers,
                                                                smtp_server, client, as_role):
    """The page read '5 of 0 employers answered' when ratings had no e-mailed request."""
    _send(db, employer_survey.invite_employers(world.programme, 2025,
                                               actor=world.users["officer"]))
    link = re.search(r"https?://\S+/employer-survey/\S+",
                     smtp_server.text(smtp_server.messages[0])).group(0)
    client.post(urlparse(link).path, data=_ratings())
    employer_id = services.find_employer(world.home.id, "Gone Ltd").id
    db.session.add_all([_recorded_feedback(world, employer_id, 2025),
                        _recorded_feedback(world, employer_id, 2024)])
    db.session.commit()

    by_year = {r["year"]: r for r in employer_survey.satisfaction_results(
        world.users["quality"])}
    # Gone Ltd was sent a link (it bounced) and its answer was recorded: one employer, once.
    assert (by_year[2025]["asked"], by_year[2025]["answered"]) == (2, 2)
    assert (by_year[2024]["asked"], by_year[2024]["answered"]) == (1, 1)
    assert by_year[2024]["recorded_without_link"] == 1
    assert all(r["answered"] <= r["asked"] for r in by_year.values())
    page = as_role("quality").get("/employers/satisfaction").get_data(as_text=True)
    assert "2 of 2 employers answered" in page and "1 of 1 employer answered" in page
    assert " of 0 " not in page


def test_employer_pages_speak_to_the_employer(db, world, employers, smtp_server, client):
    """The employer's pages used the alumni wording: 'update your job history after signing
    in', 'your alumni office can tell you about the next one', 'Expertise in my field'."""
    from datetime import timedelta

    from app.core.db import utcnow

    _send(db, employer_survey.invite_employers(world.programme, 2025,
                                               actor=world.users["officer"]))
    link = re.search(r"https?://\S+/employer-survey/\S+",
                     smtp_server.text(smtp_server.messages[0])).group(0)
    path = urlparse(link).path
    form = client.get(path).get_data(as_text=True)
    assert "Expertise in my field" not in form and "Expertise in their field" in form

    thanks = client.post(path, data=_ratings()).get_data(as_text=True)
    assert "Your answers are saved" in thanks and "students" not in thanks
    used = client.get(path).get_data(as_text=True)
    assert "ratings" in used
    assert "job history" not in used and "signing in" not in used

    request = db.session.scalar(select(EmployerFeedbackRequest).where(
        EmployerFeedbackRequest.responded_at.is_(None)))
    request.responded_at = None
    request.expires_at = utcnow() - timedelta(days=1)
    from app.core.tokens import new_token

    raw, request.token_hash = new_token()
    db.session.commit()
    expired = client.get(f"/employer-survey/{raw}").get_data(as_text=True)
    assert "This link has expired" in expired and "alumni office can tell you" not in expired
    unknown = client.get("/employer-survey/not-a-token").get_data(as_text=True)
    assert "This link is not valid" in unknown
