"""Employer satisfaction counts each employer once per programme and year (the latest answer),
asks only employers without an answer unless told to, and lists what it counted."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

from sqlalchemy import func, select

from app.core.jobs import Job, wait_for_idle
from app.employment import codes, employer_survey, services
from app.employment.models import EmployerFeedback
from app.employment.satisfaction import satisfaction_figures
from app.extensions import db
from app.reports.indicators.registry import compute
from app.reports.indicators.result import Selection


def _ratings(level="good", **extra):
    return {f"rating_{k}": level for k in codes.COMPETENCIES} | extra


def _employers(world):
    officer = world.users["officer"]
    for alumnus, name, email in ((world.alumnus, "Siam Robotics", "hr@siam.example"),
                                 (world.second_alumnus, "Chao Phraya Motors",
                                  "hr@cpm.example")):
        services.record_employment(alumnus, services.EmploymentData(
            status="wage_employed", employer_name=name, start_date=date(2024, 8, 1)),
            actor=officer)
        services.find_employer(world.home.id, name).contact_email = email
    db.session.commit()
    return (services.find_employer(world.home.id, "Siam Robotics"),
            services.find_employer(world.home.id, "Chao Phraya Motors"))


def _send(job):
    """Commit the requests and let their background job e-mail the links."""
    job_id = job.id
    db.session.commit()
    wait_for_idle()
    db.session.rollback()
    return db.session.get(Job, job_id)


def _link(smtp_server, address):
    [message] = smtp_server.to(address)
    return urlparse(re.search(r"https?://\S+/employer-survey/\S+",
                              smtp_server.text(message)).group(0)).path


def test_one_employer_one_answer_the_latest_counts(world, smtp_server, as_role, client):
    siam, motors = _employers(world)
    officer = as_role("officer")
    # The office takes Siam's ratings on the phone.
    page = officer.post(f"/employers/{siam.id}/satisfaction/record",
                        data=_ratings("fair", programme_id=world.programme.id, year=2025,
                                      comments="Said on the phone: weak at reports."))
    assert page.status_code == 302

    # E-mailing the employers skips Siam, whose answer is recorded.
    job = _send(employer_survey.invite_employers(world.programme, 2025,
                                                 actor=world.users["officer"]))
    assert job.result == {"sent": 1, "undeliverable": 0}
    assert [m["To"] for m in smtp_server.messages] == ["hr@cpm.example"]
    client.post(_link(smtp_server, "hr@cpm.example"), data=_ratings("good"))

    # Asked again on purpose, Siam answers by link too: that answer counts, once.
    _send(employer_survey.invite_employers(world.programme, 2025,
                                           actor=world.users["officer"], ask_again=True))
    assert len(smtp_server.to("hr@siam.example")) == 1
    client.post(_link(smtp_server, "hr@siam.example"), data=_ratings("very_good"))
    assert db.session.scalar(select(func.count(EmployerFeedback.id))) == 3

    [figure] = satisfaction_figures(world.users["quality"])
    assert [e.name for e in figure.asked] == ["Chao Phraya Motors", "Siam Robotics"]
    assert figure.answered == 2
    assert {(a.employer.name, a.request_id is None) for a in figure.answers} == {
        ("Siam Robotics", False), ("Chao Phraya Motors", False)}
    assert [(a.employer.name, a.request_id) for a in figure.earlier] == [
        ("Siam Robotics", None)]
    assert figure.competencies["teamwork"] == {"very_good": 50.0, "good": 50.0, "fair": 0.0,
                                               "poor": 0.0, "n": 2}
    assert figure.comments == []  # the phone comment is history now
    # The accreditation indicator M11 counts by the same rule.
    sel = Selection(world.home.id, (world.programme.id,), (2025,), 12)
    assert compute("M11", sel, "employers").numerator == 2
    teamwork = compute("M11", sel, "teamwork.very_good")
    assert (teamwork.numerator, teamwork.denominator) == (1, 2)

    shown = as_role("quality").get("/employers/satisfaction").get_data(as_text=True)
    assert "2 of 2 employers answered." in shown
    assert "1 earlier answer kept in the history, not counted." in shown
    assert "Siam Robotics: answered" in shown and "recorded by the office" in shown


def test_the_denominator_is_the_employers_asked_each_once(world, smtp_server, as_role):
    siam, motors = _employers(world)
    officer = world.users["officer"]
    _send(employer_survey.invite_employers(world.programme, 2024, actor=officer))
    _send(employer_survey.invite_employers(world.programme, 2024, actor=officer,
                                           ask_again=True))
    answer = employer_survey.EmployerAnswer(ratings={k: "good" for k in codes.COMPETENCIES})
    employer_survey.record_employer_feedback(siam, world.programme, 2024, answer,
                                             actor=officer)
    db.session.commit()
    [figure] = satisfaction_figures(officer)
    assert (len(figure.asked), figure.answered, figure.recorded_without_link) == (2, 1, 1)
    page = as_role("officer").get("/employers/satisfaction").get_data(as_text=True)
    assert "1 of 2 employers answered (1 recorded by the office" in page
    # Nobody is left to ask without "ask again": said so, nothing sent.
    sent = len(smtp_server.messages)
    refused = as_role("officer").post("/employers/satisfaction/invite", data={
        "programme_id": world.programme.id, "year": 2024}, follow_redirects=True)
    assert "tick “Ask again”" in refused.get_data(as_text=True)
    assert len(smtp_server.messages) == sent


def test_recording_ratings_checks_them_next_to_the_fields(world, as_role):
    siam, _ = _employers(world)
    page = as_role("officer").post(f"/employers/{siam.id}/satisfaction/record", data={
        "programme_id": world.programme.id, "year": 2025, "rating_teamwork": "good"})
    assert page.status_code == 200
    assert "Choose one of the four levels." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(EmployerFeedback.id))) == 0
    assert as_role("quality").get(
        f"/employers/{siam.id}/satisfaction/record").status_code == 403
    assert as_role("other_officer").get(
        f"/employers/{siam.id}/satisfaction/record").status_code == 404
