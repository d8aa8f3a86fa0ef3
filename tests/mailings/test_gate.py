"""The mail gate through every feature that mails: one table of cases (the purpose's consent
granted, never asked, withdrawn; the alumnus deceased, archived, opted out; the address
bounced), each sent through the feature's own service to the real SMTP server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from app.alumni.models import CONSENT_PURPOSES, Consent
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.jobs import wait_for_idle
from app.core.mail import Outgoing, queue_email
from app.mailings.models import MailBounce, Mailing, SuppressedMail
from app.mailings.segments import Segment
from app.mailings.services import MailingData, create_mailing, send_mailing

TRANSACTIONAL = "transactional"


def _set_state(db, alumnus, state: str, purpose: str) -> None:
    """Put the alumnus in `state` for mail of `purpose` (transactional: every consent no)."""
    purposes = list(CONSENT_PURPOSES) if purpose == TRANSACTIONAL else [purpose]
    granted = {"granted": True, "withdrawn": False}.get(state, True)
    if state == "never":
        return
    for p in purposes:
        db.session.add(Consent(alumnus_id=alumnus.id, purpose=p, method="officer",
                               granted=granted if purpose != TRANSACTIONAL else False))
    if state in ("deceased", "opted_out"):
        alumnus.status = state
    elif state == "archived":
        alumnus.archived_at = utcnow()
    elif state == "bounced":
        db.session.add(MailBounce(address=alumnus.email.lower(), error="550 no such mailbox"))
    db.session.commit()


def _held(db, alumnus) -> str | None:
    return db.session.scalar(select(SuppressedMail.reason)
                             .where(SuppressedMail.alumnus_id == alumnus.id))


def via_mailing(purpose):
    def send(db, world, alumnus):
        officer = world.users["officer"]
        mailing = create_mailing(MailingData(purpose, "Alumni news", "Hello **alumni**",
                                             Segment(programme_ids=[alumnus.programme_id])),
                                 institution_id=world.home.id, actor=officer)
        db.session.commit()
        send_mailing(mailing, actor=officer)
        db.session.commit()
        wait_for_idle()
        db.session.rollback()
        mailing = db.session.get(Mailing, mailing.id)
        assert mailing.status == "sent" and mailing.recipients == 1
        return next(iter(mailing.excluded), None) or _held(db, alumnus)
    return send


def via_tracer(db, world, alumnus):
    from app.employment import tracer

    survey = tracer.create_survey(
        tracer.SurveyData(title="Graduates at 12 months", reference_months=12,
                          opens_on=date.today() - timedelta(days=1),
                          closes_on=date.today() + timedelta(days=30),
                          cohorts=[(alumnus.programme_id, 2024)], questions=[]),
        institution_id=world.home.id, actor=world.users["officer"])
    db.session.commit()
    try:
        tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
    except ValidationFailed:  # nobody in the cohort may be invited: nothing is sent
        db.session.rollback()
        return _held(db, alumnus)
    db.session.commit()
    wait_for_idle()
    db.session.rollback()
    return _held(db, alumnus)


def via_mentoring_proposal(db, world, alumnus):
    from app.mentoring.models import MentorProfile, Student
    from app.mentoring.services import notify_mentor_of_proposal, propose_mentorship

    profile = MentorProfile(alumnus_id=alumnus.id, institution_id=world.home.id,
                            languages="en", capacity=3, load=0)
    student = Student(institution_id=world.home.id, student_number=f"ST{alumnus.id}",
                      given_name="Mentee", programme_id=alumnus.programme_id)
    db.session.add_all([profile, student])
    db.session.commit()
    m = propose_mentorship(student, profile, goals=None, actor=world.users["officer"])
    notify_mentor_of_proposal(m)
    db.session.commit()
    return _held(db, alumnus)


def via_receipt(db, world, alumnus):
    from app.contributions.services import (
        ContributionData,
        acknowledge_contribution,
        record_contribution,
    )

    c = record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=alumnus.id, kind="monetary", category="donation",
        received_on=date(2026, 3, 1), amount="100", currency="MYR"),
        institution=world.home, actor=world.users["officer"])
    db.session.commit()
    acknowledge_contribution(c, actor=world.users["officer"])
    db.session.commit()
    return _held(db, alumnus)


def via_password_reset(db, world, alumnus):
    from app.auth.services import request_password_reset

    user = world.users["alumnus"]
    alumnus.user_id, user.email = None, "x" + user.email  # free the world's account
    db.session.commit()
    from app.auth.models import User

    db.session.add(User(email=alumnus.email, role="alumnus", institution_id=world.home.id,
                        full_name="Reset Person"))
    db.session.flush()
    alumnus.user_id = db.session.scalar(select(User.id).where(User.email == alumnus.email))
    db.session.commit()
    request_password_reset(alumnus.email)
    db.session.commit()
    wait_for_idle()
    db.session.rollback()
    return _held(db, alumnus)


FEATURES = {
    "mailing:contact": ("contact", via_mailing("contact")),
    "mailing:fundraising": ("fundraising", via_mailing("fundraising")),
    "mailing:mentoring": ("mentoring", via_mailing("mentoring")),
    "tracer invitation": ("tracer", via_tracer),
    "mentoring proposal": (TRANSACTIONAL, via_mentoring_proposal),
    "contribution receipt": (TRANSACTIONAL, via_receipt),
    "password reset": (TRANSACTIONAL, via_password_reset),
}

# (feature, state, sent?, reason recorded when not sent)
CASES = [
    ("mailing:contact", "granted", True, None),
    ("mailing:contact", "never", False, "no_consent"),
    ("mailing:contact", "withdrawn", False, "consent_withdrawn"),
    ("mailing:contact", "deceased", False, "deceased"),
    ("mailing:contact", "archived", False, "archived"),
    ("mailing:contact", "opted_out", False, "opted_out"),
    ("mailing:contact", "bounced", False, "bounced"),
    ("mailing:fundraising", "granted", True, None),
    ("mailing:fundraising", "withdrawn", False, "consent_withdrawn"),
    ("mailing:mentoring", "granted", True, None),
    ("mailing:mentoring", "never", False, "no_consent"),
    ("tracer invitation", "granted", True, None),
    ("tracer invitation", "never", True, None),  # asked unless withdrawn
    # never invited: the audience is the gate's own rule (app.core.mail.mail_exclusion)
    ("tracer invitation", "withdrawn", False, None),
    ("tracer invitation", "bounced", False, None),
    ("mentoring proposal", "withdrawn", True, None),  # transactional: consent not needed
    ("mentoring proposal", "deceased", False, "deceased"),
    ("contribution receipt", "withdrawn", True, None),
    ("contribution receipt", "deceased", False, "deceased"),
    ("password reset", "withdrawn", True, None),
    ("password reset", "opted_out", True, None),
]


@pytest.mark.parametrize(("feature", "state", "sent", "reason"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_gate_through_each_feature(db, world, make_programme, make_alumnus, smtp_server,
                                   feature, state, sent, reason):
    purpose, send = FEATURES[feature]
    programme = make_programme(world.home)
    alumnus = make_alumnus(world.home, programme_id=programme.id, cohort_year=2024)
    address = alumnus.email
    _set_state(db, alumnus, state, purpose)
    found = send(db, world, alumnus)
    received = smtp_server.to(address)
    assert bool(received) == sent, f"{feature}, {state}: {len(received)} received"
    assert found == reason
    if sent:
        [message] = received
        if purpose == TRANSACTIONAL:
            assert message["List-Unsubscribe"] is None
        else:  # RFC 8058: the link in the headers and in the text
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            link = message["List-Unsubscribe"].strip().strip("<>")
            assert "/unsubscribe/" in link and link in smtp_server.text(message)


def test_consent_is_read_when_the_message_leaves_not_when_it_is_queued(
        db, world, smtp_server):
    """A withdrawal committed by someone else after the message was queued still holds it."""
    alumnus = world.second_alumnus
    db.session.add(Consent(alumnus_id=alumnus.id, purpose="contact", granted=True,
                           method="officer"))
    db.session.commit()
    queue_email(Outgoing(alumnus.email, "News", "Hello", purpose="contact",
                         alumnus_id=alumnus.id, kind="test"))
    with db.engine.begin() as other:  # the alumnus says no in another session meanwhile
        other.execute(insert(Consent), [{
            "alumnus_id": alumnus.id, "purpose": "contact", "granted": False,
            "method": "self_service", "recorded_at": utcnow() + timedelta(seconds=1),
            "notice_version": "2026-01"}])
    db.session.commit()
    assert smtp_server.to(alumnus.email) == []
    held = db.session.scalar(select(SuppressedMail))
    assert (held.reason, held.purpose, held.kind, held.alumnus_id) == (
        "consent_withdrawn", "contact", "test", alumnus.id)


def test_unknown_purpose_and_mail_of_consent_to_no_alumnus_are_held(db, world, smtp_server):
    queued = queue_email([
        Outgoing("someone@example.org", "News", "Hello", purpose="newsletter"),
        Outgoing("someone@example.org", "News", "Hello", purpose="contact"),
        Outgoing("staff@example.org", "Your account", "Hello", purpose=TRANSACTIONAL),
    ])
    db.session.commit()
    assert [r for _, r in queued.suppressed] == ["unknown_purpose", "not_an_alumnus"]
    assert [m["To"] for m in smtp_server.messages] == ["staff@example.org"]
