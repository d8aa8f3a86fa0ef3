"""Tracer survey campaigns over real SMTP: invitations, the answer link, responses, counts."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.core.db import utcnow
from app.core.jobs import Job, wait_for_idle
from app.employment import tracer
from app.employment.models import (
    Employer,
    Employment,
    SurveyInvitation,
    SurveyResponse,
)
from tests.employment.conftest import good_answers, link_in


def _send(db, campaign, officer, mode="invite") -> Job:
    survey = db.session.get(type(campaign.survey), campaign.survey.id)
    job = tracer.start_sending(survey, mode=mode, actor=officer)
    db.session.commit()  # the job is handed to the in-process worker after the commit
    job_id = job.id
    wait_for_idle()
    db.session.rollback()  # a fresh snapshot: see what the worker committed
    return db.session.get(Job, job_id)


def _answers(campaign, **overrides):
    question = campaign.survey.questions[0]
    return good_answers(**{question.field_name: "yes", **overrides})


def test_invitation_link_answer_employment_and_counts(db, world, campaign, smtp_server,
                                                     client):
    job = _send(db, campaign, world.users["officer"])
    assert job.status == "done", job.error
    assert job.result["sent"] == 6 and job.result["undeliverable"] == 1

    received = {m["To"].lower() for m in smtp_server.messages}
    expected = {a.email.lower() for a in campaign.invited if a is not campaign.undeliverable}
    assert received == expected  # nobody excluded got a message
    stats = tracer.campaign_stats(campaign.survey)["total"]
    assert (stats["invited"], stats["delivered"], stats["undeliverable"],
            stats["responded"]) == (7, 6, 1, 0)

    # The alumnus reads the invitation, follows the link, answers.
    message = smtp_server.to(world.second_alumnus.email)[0]
    path = link_in(smtp_server, message)
    page = client.get(path)
    assert page.status_code == 200 and "Competencies" in page.get_data(as_text=True)
    done = client.post(path, data=_answers(campaign))
    assert done.status_code == 200
    assert "Your answers are saved" in done.get_data(as_text=True)

    response = db.session.scalar(select(SurveyResponse))
    assert response.alumnus_id == world.second_alumnus.id
    assert response.status == "wage_employed" and response.relevance == 5
    assert response.months_to_first_job == 3 and response.job_within_6_months is True
    assert str(response.income_amount) == "6500000.00" and response.income_currency == "IDR"
    assert response.channel == "link"
    assert list(response.extra_answers.values())[0]["answer"] is True
    assert set(response.ratings) == {"ethics", "expertise", "foreign_language", "it",
                                     "communication", "teamwork", "self_development"}

    job_record = db.session.get(Employment, response.employment_id)
    assert job_record.alumnus_id == world.second_alumnus.id
    assert job_record.source == "tracer" and job_record.survey_id == campaign.survey.id
    assert job_record.employer.name == "PT Astra International Tbk"
    assert job_record.employer.normalised_name == "astra international"
    assert job_record.months_to_find == 3 and job_record.workplace_level == "multinational"

    stats = tracer.campaign_stats(campaign.survey)
    total = stats["total"]
    assert total["responded"] == 1
    assert total["rate_gross"] == pytest.approx(100 / 7, abs=0.05)
    assert total["rate_net"] == pytest.approx(100 / 6, abs=0.05)
    group = stats["groups"][0]
    assert (group["programme"], group["cohort"], group["responded"]) == ("DIT", 2024, 1)


def test_undeliverable_address_is_marked(db, world, campaign, smtp_server):
    _send(db, campaign, world.users["officer"])
    refused = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.alumnus_id == campaign.undeliverable.id))
    assert refused.undeliverable_at is not None and refused.sent_at is None
    assert "550" in refused.delivery_error
    others = db.session.scalars(select(SurveyInvitation).where(
        SurveyInvitation.alumnus_id != campaign.undeliverable.id)).all()
    assert all(i.sent_at is not None and i.undeliverable_at is None for i in others)


def test_withdrawn_consent_and_status_exclude_from_invitations(db, world, campaign,
                                                               smtp_server):
    _send(db, campaign, world.users["officer"])
    invited_ids = set(db.session.scalars(select(SurveyInvitation.alumnus_id)))
    assert invited_ids == {a.id for a in campaign.invited}
    assert not invited_ids & {a.id for a in campaign.excluded}
    population = tracer.cohort_population(campaign.survey)
    # archived not counted; the address the server refused is on the gate's bounce list now
    assert population == {"cohort": 11, "contactable": 6}


def test_the_audience_is_the_mail_gates_rule(db, world, campaign):
    """One rule: every alumnus of the cohort is invitable exactly when the gate's rule lets
    tracer mail reach them, in every state the campaign holds (and a bounced address)."""
    from app.mailings.gate import exclusion_reason
    from app.mailings.models import MailBounce

    bounced = campaign.invited[2]
    db.session.add(MailBounce(address=bounced.email.lower(), error="550 No such mailbox"))
    db.session.commit()
    people = campaign.invited + campaign.excluded
    rows = db.session.execute(select(Alumnus.id, exclusion_reason("tracer"), tracer.invitable())
                              .where(Alumnus.id.in_([a.id for a in people]))).all()
    assert len(rows) == len(people)
    for alumnus_id, reason, invitable in rows:
        assert bool(invitable) == (reason is None), (alumnus_id, reason)
    reasons = {alumnus_id: reason for alumnus_id, reason, _ in rows}
    assert reasons[bounced.id] == "bounced"
    assert {reasons[a.id] for a in campaign.excluded[:5]} == {
        "consent_withdrawn", "deceased", "opted_out", "archived", "no_address"}
    assert tracer.prepare_invitations(campaign.survey) == len(campaign.invited) - 1
    invited = set(db.session.scalars(select(SurveyInvitation.alumnus_id)))
    assert bounced.id not in invited


def test_a_tracer_invitation_refused_for_good_feeds_the_gate(db, world, campaign,
                                                            smtp_server):
    """The server refuses an invitation (550): the address goes on the bounce list, so the
    next consent-bound message to it is held back as bounced and never tried again."""
    from app.core.mail import queue_email, render_email
    from app.mailings.models import MailBounce, SuppressedMail

    _send(db, campaign, world.users["officer"])
    refused = campaign.undeliverable
    assert db.session.scalars(select(MailBounce.address)).all() == [refused.email.lower()]
    tried = len(smtp_server.messages)
    queue_email(render_email("mailing", refused.email, "News", purpose="tracer",
                             alumnus_id=refused.id, body="x", body_html="<p>x</p>",
                             institution="Home"))
    db.session.commit()
    held = db.session.scalar(select(SuppressedMail).where(
        SuppressedMail.alumnus_id == refused.id))
    assert held is not None and held.reason == "bounced"
    assert len(smtp_server.messages) == tried
    # a second refusal of the same address is not a second row
    from app.core.mail import Outgoing
    from app.mailings.gate import record_bounces

    again = Outgoing(refused.email.upper(), "x", "x", purpose="tracer", alumnus_id=refused.id)
    record_bounces([(again, smtplib.SMTPRecipientsRefused({again.to: (550, b"No")}))])
    assert db.session.scalar(select(func.count(MailBounce.id))) == 1


def test_the_only_token_stored_is_its_hash(db, world, campaign, smtp_server):
    _send(db, campaign, world.users["officer"])
    message = smtp_server.to(world.second_alumnus.email)[0]
    raw = link_in(smtp_server, message).rsplit("/", 1)[1]
    stored = db.session.scalars(select(SurveyInvitation.token_hash)).all()
    assert raw not in stored
    assert tracer.find_invitation(raw).alumnus_id == world.second_alumnus.id


def test_reused_link_and_double_submit_keep_the_first_answer(db, world, campaign,
                                                             smtp_server, client):
    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    assert client.post(path, data=_answers(campaign)).status_code == 200

    again = client.post(path, data=_answers(campaign, status="unemployed_seeking"))
    assert again.status_code == 409
    assert "already answered" in again.get_data(as_text=True)
    reopened = client.get(path)
    assert "already answered" in reopened.get_data(as_text=True)

    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 1
    assert db.session.scalar(select(SurveyResponse.status)) == "wage_employed"
    assert db.session.scalar(select(func.count(Employment.id))) == 1


def test_expired_link_gets_a_clear_page(db, world, campaign, smtp_server, client):
    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    db.session.execute(SurveyInvitation.__table__.update().values(
        expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 200 and "survey is closed" in page.get_data(as_text=True)
    posted = client.post(path, data=_answers(campaign))
    assert "survey is closed" in posted.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0


def test_unknown_link(client, db):
    page = client.get("/survey/not-a-token")
    assert page.status_code == 404 and "not valid" in page.get_data(as_text=True)


@pytest.mark.parametrize("overrides,field_message", [
    ({"relevance": "9"}, "Choose one of the listed options."),
    ({"ethics_at_graduation": ""}, "Choose a level from 1 to 5."),
    ({"income_amount": "a lot"}, "Give the monthly income as a number."),
    ({"income_amount": "1e30"}, "at most 999,999,999,999.99"),
    ({"months_to_first_job": "-2"}, "between 0 and 240"),
    ({"employer_name": ""}, "Name the employer."),
    ({"status": "astronaut"}, "Choose one of the listed options."),
])
def test_bad_values_show_field_errors_and_save_nothing(db, world, campaign, smtp_server,
                                                       client, overrides, field_message):
    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    page = client.post(path, data=_answers(campaign, **overrides))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert field_message in html and "Nothing was saved yet" in html
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    assert db.session.scalar(select(func.count(Employment.id))) == 0
    assert db.session.scalar(select(func.count(Employer.id))) == 0
    assert db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.responded_at.is_not(None))) == 0
    # ...and the link still works for a good answer
    assert "Your answers are saved" in client.post(path, data=_answers(campaign)).get_data(
        as_text=True)


def test_required_own_question(db, world, campaign, smtp_server, client):
    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    field = campaign.survey.questions[0].field_name
    page = client.post(path, data=_answers(campaign, **{field: ""}))
    assert "Please answer this question." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0


def test_reminder_goes_to_non_responders_and_both_links_work(db, world, campaign,
                                                             smtp_server, client):
    officer = world.users["officer"]
    _send(db, campaign, officer)
    first_path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    answered_path = link_in(smtp_server, smtp_server.to(world.alumnus.email)[0])
    assert client.post(answered_path, data=_answers(campaign)).status_code == 200
    smtp_server.messages.clear()

    job = _send(db, campaign, officer, mode="remind")
    assert job.status == "done", job.error
    reminded = {m["To"].lower() for m in smtp_server.messages}
    assert world.alumnus.email.lower() not in reminded  # answered
    assert campaign.undeliverable.email.lower() not in reminded
    assert world.second_alumnus.email.lower() in reminded
    assert all(m["Subject"].startswith("Reminder") for m in smtp_server.messages)
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.alumnus_id == world.second_alumnus.id))
    assert invitation.reminded_at is not None and invitation.reminder_count == 1

    # the link of the first message still opens the form
    assert client.get(first_path).status_code == 200
    new_path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    assert new_path != first_path
    assert client.post(new_path, data=_answers(campaign)).status_code == 200
    assert client.get(first_path).status_code == 200  # the "already answered" page
    assert "already answered" in client.get(first_path).get_data(as_text=True)


def test_signed_in_alumnus_answers_from_their_page(db, world, campaign, smtp_server, as_role):
    _send(db, campaign, world.users["officer"])
    client = as_role("alumnus")
    me = client.get("/me").get_data(as_text=True)
    assert campaign.survey.title in me
    url = f"/me/surveys/{campaign.survey.id}"
    assert client.get(url).status_code == 200
    done = client.post(url, data=_answers(campaign, status="further_study"))
    assert "Your answers are saved" in done.get_data(as_text=True)
    response = db.session.scalar(select(SurveyResponse))
    assert response.channel == "account" and response.alumnus_id == world.alumnus.id
    assert response.further_study is True and response.employer_name is None
    employment = db.session.get(Employment, response.employment_id)
    assert employment.status == "further_study" and employment.employer_id is None
    assert "already answered" in client.get(url).get_data(as_text=True)

    from datetime import date

    from app.core.timeline import timeline_for

    with client.application.test_request_context():
        items = [i for i in timeline_for(world.alumnus) if i.kind == "survey"]
    assert items[0].title == f"Answered the tracer survey “{campaign.survey.title}”"
    outside = [i for i in timeline_for(world.alumnus) if i.kind == "survey"]
    assert [(i.title, i.url) for i in outside] == [(items[0].title, None)]
    today = date.today()
    assert tracer.engaged_answering(world.home.id, today, today) == [(world.alumnus.id, today)]


def test_nobody_left_to_invite(db, world, campaign, smtp_server):
    _send(db, campaign, world.users["officer"])
    from app.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])


def test_quality_staff_cannot_send(db, world, campaign):
    from app.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        tracer.start_sending(campaign.survey, mode="invite", actor=world.users["quality"])


def test_campaign_page_and_live_figures(db, world, campaign, smtp_server, as_role, client):
    officer = as_role("officer")
    sent = officer.post(f"/tracer/{campaign.survey.id}/send")
    assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
    wait_for_idle()
    db.session.rollback()
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    before = officer.get(f"/tracer/{campaign.survey.id}/stats.json").get_json()
    client.post(path, data=_answers(campaign))
    after = officer.get(f"/tracer/{campaign.survey.id}/stats.json").get_json()
    assert (before["total"]["responded"], after["total"]["responded"]) == (0, 1)
    assert after["total"]["rate_net"] == 16.7
    page = officer.get(f"/tracer/{campaign.survey.id}")
    assert page.status_code == 200 and "response rate (net)" in page.get_data(as_text=True)
    assert as_role("other_officer").get(f"/tracer/{campaign.survey.id}/stats.json"
                                        ).status_code == 404


def test_the_live_figures_are_kept_a_few_seconds_and_say_when_they_were_counted(
        db, world, campaign, smtp_server, as_role, client, app, monkeypatch):
    """Polled while the campaign sends, the invitation figures are read from a kept count at
    most INVITATION_FIGURE_SECONDS old ("as_of" is when it was counted): a response shows
    once that age has passed and the background recount has run, never a count older."""
    from datetime import datetime, timedelta

    from app.core.db import utcnow
    from app.core.figure_cache import KeptFigure, wait_for_recounts
    from app.employment.tracer.counts import INVITATION_FIGURE_SECONDS

    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    officer = as_role("officer")
    officer.post(f"/tracer/{campaign.survey.id}/send")
    wait_for_idle()
    db.session.rollback()
    url = f"/tracer/{campaign.survey.id}/stats.json"
    assert INVITATION_FIGURE_SECONDS <= 10
    before = officer.get(url).get_json()  # the first count ever: counted in the request
    assert before["total"]["invited"] > 0 and before["total"]["responded"] == 0
    client.post(link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0]),
                data=_answers(campaign))
    kept = officer.get(url).get_json()
    assert kept["total"]["responded"] == 0 and kept["as_of"] == before["as_of"]
    db.session.execute(KeptFigure.__table__.update().where(
        KeptFigure.key.like("%campaign_invitations%")).values(
        counted_at=utcnow() - timedelta(seconds=INVITATION_FIGURE_SECONDS + 1)))
    db.session.commit()
    officer.get(url)  # served the kept count; counts again in the background
    wait_for_recounts()
    after = officer.get(url).get_json()
    assert after["total"]["responded"] == 1
    assert datetime.fromisoformat(after["as_of"]) > datetime.fromisoformat(before["as_of"])


def test_no_sending_outside_the_open_dates(db, world, campaign):
    from datetime import date

    from app.core.errors import ValidationFailed

    survey = campaign.survey
    survey.opens_on = date.today() + timedelta(days=3)
    with pytest.raises(ValidationFailed) as caught:
        tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
    assert "opens on" in caught.value.field_errors["mode"][0]
    survey.opens_on, survey.closes_on = date(2020, 1, 1), date(2020, 2, 1)
    with pytest.raises(ValidationFailed):
        tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_worker_command_needs_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_survey_setup_rules_and_pages(db, world, as_role):
    from datetime import date

    from app.core.errors import ValidationFailed

    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as caught:
        tracer.create_survey(tracer.SurveyData(title="", reference_months=9,
                                               opens_on=date(2026, 5, 1),
                                               closes_on=date(2026, 4, 1),
                                               cohorts=[(world.other_programme.id, 2024)]),
                             institution_id=world.home.id, actor=officer)
    assert set(caught.value.field_errors) == {"title", "reference_months", "closes_on",
                                              "cohorts"}
    client = as_role("officer")
    made = client.post("/tracer/new", data={
        "title": "Cohort 2023 at 24 months", "reference_months": "24",
        "programme_ids": [str(world.programme.id)], "cohort_years": "2023, 2024",
        "opens_on": date.today().isoformat(),
        "closes_on": (date.today() + timedelta(days=20)).isoformat()})
    assert made.status_code == 302
    survey_id = int(made.headers["Location"].rsplit("/", 1)[1])
    added = client.post(f"/tracer/{survey_id}/questions", data={
        "label": "Which campus?", "kind": "choice", "choices": "North\nSouth"})
    assert added.status_code == 302
    page = client.get(f"/tracer/{survey_id}").get_data(as_text=True)
    assert "Which campus?" in page and "North / South" in page
    assert "Cohort 2023 at 24 months" in client.get("/tracer/").get_data(as_text=True)
    assert as_role("quality").post(f"/tracer/{survey_id}/send").status_code == 403


def test_admin_sets_up_a_survey_of_the_chosen_or_the_home_institution(db, world, as_role):
    """An administrator works in the home institution unless ?institution= names another;
    the page offers that institution's programmes only."""
    from datetime import date

    from app.employment.models import TracerSurvey

    admin = as_role("admin")
    page = admin.get("/tracer/new").get_data(as_text=True)
    assert "Home Polytechnic" in page and world.programme.label in page
    assert world.other_programme.label not in page
    page = admin.get(f"/tracer/new?institution={world.other.id}").get_data(as_text=True)
    assert "Other College" in page and world.other_programme.label in page
    assert world.programme.label not in page
    survey = {"title": "Cohort 2024", "reference_months": "12", "cohort_years": "2024",
              "opens_on": date.today().isoformat(),
              "closes_on": (date.today() + timedelta(days=20)).isoformat()}
    assert admin.post(f"/tracer/new?institution={world.other.id}", data={
        **survey, "programme_ids": [str(world.other_programme.id)]}).status_code == 302
    assert admin.post("/tracer/new", data={
        **survey, "programme_ids": [str(world.programme.id)]}).status_code == 302
    assert sorted(db.session.scalars(select(TracerSurvey.institution_id))) == sorted(
        [world.other.id, world.home.id])


def test_no_to_news_and_events_does_not_stop_tracer_invitations(db, world, campaign,
                                                               smtp_server, as_role):
    """The tracer consent alone decides tracer invitations: an alumnus who said Yes to tracer
    surveys and No to alumni news and events is invited and sees the survey on /me/surveys."""
    from app.alumni.models import Consent

    db.session.add_all([
        Consent(alumnus_id=world.alumnus.id, purpose="tracer", granted=True,
                method="self_service"),
        Consent(alumnus_id=world.alumnus.id, purpose="contact", granted=False,
                method="self_service"),
    ])
    db.session.commit()
    _send(db, campaign, world.users["officer"])
    assert smtp_server.to(world.alumnus.email)
    page = as_role("alumnus").get("/me/surveys").get_data(as_text=True)
    assert campaign.survey.title in page and "No survey is waiting" not in page


@pytest.mark.parametrize("typed", ["1e400", "inf", "-Infinity", "nan", "1e300", "1e12"])
def test_number_question_refuses_non_finite_and_huge_numbers(db, world, campaign, smtp_server,
                                                             client, typed):
    """Such a number was stored as JSON Infinity/NaN (invalid JSON; PostgreSQL refused it)."""
    question = tracer.add_question(campaign.survey, tracer.QuestionData(
        "How many interviews did you have?", "number"), actor=world.users["officer"])
    db.session.commit()
    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    page = client.post(path, data=_answers(campaign, **{question.field_name: typed}))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nothing was saved yet" in html
    assert "Give a number" in html
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
    done = client.post(path, data=_answers(campaign, **{question.field_name: "12.5"}))
    assert "Your answers are saved" in done.get_data(as_text=True)
    answer = db.session.scalar(select(SurveyResponse)).extra_answers[str(question.id)]
    assert answer["answer"] == 12.5


def test_sending_page_leads_back_to_the_survey(db, world, campaign, smtp_server, as_role):
    """The progress page of the sending job was a dead end: it now links back to the survey."""
    officer = as_role("officer")
    survey_id = campaign.survey.id
    sent = officer.post(f"/tracer/{survey_id}/send")
    location = sent.headers["Location"]
    assert location.startswith(f"/tracer/{survey_id}/jobs/")
    wait_for_idle()
    page = officer.get(location).get_data(as_text=True)
    assert f'href="/tracer/{survey_id}"' in page and "Back to the survey" in page
    assert "6 sent" in page
    quality = as_role("quality").get(location)
    assert quality.status_code == 200 and "Back to the survey" in quality.get_data(as_text=True)
    assert as_role("other_officer").get(location).status_code == 404
    # a job of another kind is not shown under the survey
    from tests.url_params import _job

    other = officer.get(f"/tracer/{survey_id}/jobs/{_job(world)}")
    assert other.status_code == 302 and other.headers["Location"] == f"/tracer/{survey_id}"


def test_required_answers_are_marked_and_errors_summed_up(db, world, campaign, smtp_server,
                                                          client):
    """A working respondent met up to 17 errors with nothing marked as required beforehand:
    required questions carry a visible mark and aria-required, and a form that comes back
    lists what to fix at the top, each linked to its question."""
    import re

    _send(db, campaign, world.users["officer"])
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    own = campaign.survey.questions[0].field_name
    form = client.get(path).get_data(as_text=True)

    def control(name):
        found = re.search(rf'<(?:select|input|textarea|fieldset|div)[^>]*\bid="{name}"[^>]*>',
                          form)
        assert found, name
        return found.group(0)

    for name in (own, "ethics_at_graduation", "self_development_required_now"):
        assert 'aria-required="true"' in control(name), name
    assert re.search(r'role="radiogroup" aria-labelledby="status-label"\s+aria-required="true"',
                     form)
    assert 'aria-required="true"' not in control("job_title")
    assert form.count("(required)") >= 2  # the status and the own required question
    assert "required if you work" in form  # relevance and education level
    assert "Every competency needs both levels" in form

    page = client.post(path, data={"status": "wage_employed"}).get_data(as_text=True)
    summary = page[page.index('id="answers-to-check"'):page.index("1. What you do now")]
    assert "Nothing was saved yet: 18 answers need a look" in summary
    for name in ("employer_name", "relevance", "education_level", "ethics_at_graduation",
                 "teamwork_required_now", own):
        assert f'href="#{name}"' in summary, name
    assert "Ethics / integrity: your level when you graduated" in summary


def test_employer_form_marks_the_ratings_and_sums_up_errors(db, world, smtp_server, client):
    from datetime import timedelta

    from app.core.tokens import new_token
    from app.employment.models import EmployerFeedbackRequest

    employer = Employer(institution_id=world.home.id, name="Siam Robotics",
                        normalised_name="siam robotics", contact_email="hr@siam.example")
    db.session.add(employer)
    db.session.flush()
    raw, digest = new_token()
    db.session.add(EmployerFeedbackRequest(
        institution_id=world.home.id, employer_id=employer.id, programme_id=world.programme.id,
        year=2025, email="hr@siam.example", token_hash=digest,
        expires_at=utcnow() + timedelta(days=14)))
    db.session.commit()
    form = client.get(f"/employer-survey/{raw}").get_data(as_text=True)
    assert 'id="rating_ethics"' in form and form.count('aria-required="true"') == 7
    assert 'aria-labelledby="rating_ethics-label" aria-required="true"' in form
    assert "(required)" in form
    page = client.post(f"/employer-survey/{raw}", data={"rating_it": "good"}).get_data(
        as_text=True)
    assert "Nothing was saved yet: 6 answers need a look" in page
    assert 'href="#rating_ethics"' in page and 'href="#rating_it"' not in page


def test_alumnus_edit_of_a_job_from_the_answer_makes_it_their_own_report(
        db, world, campaign, smtp_server, as_role):
    """The record kept saying 'Tracer survey' after the alumnus rewrote relevance and income,
    while the stored answer the indicators count kept the old values."""
    from app.core.audit import AuditEntry

    _send(db, campaign, world.users["officer"])
    client = as_role("alumnus")
    url = f"/me/surveys/{campaign.survey.id}"
    client.post(url, data=_answers(campaign))
    response = db.session.scalar(select(SurveyResponse))
    job = db.session.get(Employment, response.employment_id)
    assert job.source == "tracer"
    # saving it unchanged leaves it the answer's record
    unchanged = client.post(f"/me/jobs/{job.id}/edit", data=good_answers())
    assert unchanged.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employment, job.id).source == "tracer"

    edited = client.post(f"/me/jobs/{job.id}/edit", data=good_answers(
        relevance="1", income_amount="9900000"))
    assert edited.status_code == 302
    db.session.expire_all()
    job = db.session.get(Employment, job.id)
    assert (job.source, job.relevance, job.survey_id) == ("self", 1, campaign.survey.id)
    answer = db.session.get(SurveyResponse, response.id)
    assert (answer.relevance, str(answer.income_amount)) == (5, "6500000.00")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "employment.update").order_by(AuditEntry.id.desc())).first()
    assert (entry.before["source"], entry.after["source"]) == ("tracer", "self")
    assert (entry.before["relevance"], entry.after["relevance"]) == (5, 1)
    assert "Reported by the alumnus" in client.get("/me/jobs").get_data(as_text=True)
    # still the record of an answer: kept, as before the edit
    kept = client.post(f"/me/jobs/{job.id}/delete", follow_redirects=True)
    assert "Records from your survey answers are kept" in kept.get_data(as_text=True)
    assert db.session.get(Employment, job.id) is not None
