"""queue_email: messages wait on the session and leave only after a successful commit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.alumni.models import Institution
from app.core.mail import Outgoing, pending_email, queue_email


def _note(to: str) -> Outgoing:
    return Outgoing(to=to, subject="Hello", text=f"For {to}", purpose="transactional")


def test_mail_leaves_after_the_commit(db, smtp_server):
    db.session.add(Institution(code="QMAIL", name="Queue College", country="TH"))
    queued = queue_email(_note("a@example.org"))
    assert smtp_server.messages == [] and pending_email() == queued.items
    db.session.commit()
    assert [m["To"] for m in smtp_server.messages] == ["a@example.org"]
    assert queued.delivered and queued.sent == queued.items and pending_email() == []


def test_a_failed_transaction_after_queueing_sends_nothing(db, smtp_server):
    db.session.add(Institution(code="DUP", name="First", country="TH"))
    db.session.commit()
    queue_email([_note("a@example.org"), _note("b@example.org")])
    db.session.add(Institution(code="DUP", name="Second", country="TH"))  # the code is unique
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert pending_email() == []
    db.session.commit()  # a later commit does not send what the failed one held
    assert smtp_server.messages == []
    assert [i.name for i in db.session.scalars(select(Institution).where(
        Institution.code == "DUP"))] == ["First"]


def test_each_result_is_reported_and_a_refusal_does_not_stop_the_rest(db, smtp_server):
    seen = []
    queued = queue_email([_note("undeliverable@example.org"), _note("b@example.org")],
                         on_sent=lambda item, error: seen.append((item.to, error is None)))
    db.session.commit()
    assert seen == [("undeliverable@example.org", False), ("b@example.org", True)]
    assert [i.to for i in queued.sent] == ["b@example.org"]
    assert "550" in str(queued.first_error) and queued.error is None


def test_a_server_that_cannot_be_reached_is_reported_not_raised(app, db):
    from app.extensions import mail
    from tests.conftest import free_port

    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_SUPPRESS_SEND")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SUPPRESS_SEND=False)
    mail.init_app(app)
    try:
        queued = queue_email(_note("a@example.org"))
        db.session.commit()  # the data is saved; the mail's failure is kept for the caller
    finally:
        app.config.update(saved)
        mail.init_app(app)
    assert queued.error is not None and [i.to for i, _ in queued.failed] == ["a@example.org"]
