"""What the campaign's mail looks like on the wire, and what happens when the server fails."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, select

from app.core.jobs import Job, wait_for_idle
from app.core.mail import Outgoing, permanent_refusal, send_bulk
from app.employment import tracer
from app.employment.models import SurveyInvitation
from tests.conftest import fill_signed_in_session


def test_messages_are_well_formed(db, smtp_server):
    sent = send_bulk([Outgoing("a@example.org", "Xin chào Đào — khảo sát " * 4,
                               "Dòng một\n\nhttp://x/survey/abc\n", purpose="tracer")])
    assert sent == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Xin chào Đào — khảo sát " * 4
    assert smtp_server.text(message) == "Dòng một\n\nhttp://x/survey/abc\n"
    assert message["Message-ID"] and message["Date"]


def test_header_injection_is_refused_per_message(db, smtp_server):
    errors = []
    sent = send_bulk([Outgoing("a@example.org", "Hi\r\nBcc: everyone@example.org", "x",
                               purpose="transactional"),
                      Outgoing("b@example.org", "Fine", "y", purpose="transactional")],
                     on_sent=lambda item, error: error and errors.append(error))
    assert sent == 1 and len(errors) == 1
    assert [m["To"] for m in smtp_server.messages] == ["b@example.org"]


def test_permanent_and_passing_refusals():
    refused = smtplib.SMTPRecipientsRefused({"a@x": (550, b"No such mailbox")})
    busy = smtplib.SMTPRecipientsRefused({"a@x": (451, b"Try later")})
    assert permanent_refusal(refused)
    assert not permanent_refusal(busy)
    assert not permanent_refusal(smtplib.SMTPServerDisconnected("gone"))


def test_server_down_fails_the_job_and_keeps_invitations_unsent(app, db, world, campaign):
    import socket

    from app.extensions import mail

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_SUPPRESS_SEND")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False)
    mail.init_app(app)
    try:
        job = tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])
        db.session.commit()
        job_id = job.id
        wait_for_idle()
        db.session.rollback()
    finally:
        app.config.update(saved)
        mail.init_app(app)
    job = db.session.get(Job, job_id)
    assert job.status == "failed" and "Connection" in job.error
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 7  # listed...
    assert db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.sent_at.is_not(None) | SurveyInvitation.undeliverable_at.is_not(None)
    )) == 0  # ...but none sent or marked: they go out when the server is back


@pytest.mark.parametrize("mode", ["invite", "remind"])
def test_job_reports_progress(db, world, campaign, smtp_server, mode):
    officer = world.users["officer"]
    if mode == "remind":
        tracer.start_sending(campaign.survey, mode="invite", actor=officer)
        db.session.commit()
        wait_for_idle()
        db.session.rollback()
    job = tracer.start_sending(campaign.survey, mode=mode, actor=officer)
    db.session.commit()
    job_id = job.id
    wait_for_idle()
    db.session.rollback()
    job = db.session.get(Job, job_id)
    assert job.status == "done" and job.done == job.total == job.result["total"]
    assert "sent" in job.message


def _officer_at(app, world, base_url: str):
    """A client signed in as the officer on the site at `base_url` (cookies are per host)."""
    client = app.test_client()
    with client.session_transaction(base_url=base_url) as session:
        fill_signed_in_session(session, world.users["officer"])
    return client


def test_mailed_link_has_the_address_the_officer_sent_from(app, db, world, campaign,
                                                           smtp_server):
    """The job sends without a request: its links use the address of the request that started
    it (BASE_URL unset), not a made-up local one."""
    assert not app.config.get("BASE_URL")
    site = "https://alumni.example.ac.th:8443"
    sent = _officer_at(app, world, site).post(f"/tracer/{campaign.survey.id}/send",
                                              base_url=site)
    assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
    wait_for_idle()
    message = smtp_server.to(world.second_alumnus.email)[0]
    assert f"{site}/survey/" in smtp_server.text(message)
    smtp_server.messages.clear()
    site = "http://10.1.2.3:8080"
    _officer_at(app, world, site).post(f"/tracer/{campaign.survey.id}/send?mode=remind",
                                       base_url=site)
    wait_for_idle()
    message = smtp_server.to(world.second_alumnus.email)[0]
    assert "http://10.1.2.3:8080/survey/" in smtp_server.text(message)


def test_production_job_without_an_address_fails_and_mails_nothing(app, db, world, campaign,
                                                                    smtp_server, monkeypatch):
    """No request address kept with the job and no BASE_URL: in production the job stops with
    a message saying what to set, instead of mailing links to this machine."""
    monkeypatch.setitem(app.config, "TESTING", False)  # as in production: not debug, not tests
    job = tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    job_id = job.id
    wait_for_idle()
    db.session.rollback()
    job = db.session.get(Job, job_id)
    assert job.status == "failed" and "Set BASE_URL" in job.error
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.sent_at.is_not(None))) == 0
