"""A sending job that commits in rounds tells, when it fails part-way, what it saved and what
it did not (issue 12, item 7): here the mail server stops listening after the first round,
so the second round cannot connect, a real failure half-way through."""

from __future__ import annotations

from sqlalchemy import select

from app.core.jobs import Job, wait_for_idle
from app.employment import tracer
from app.employment.models import SurveyInvitation
from tests.conftest import MailSink


class ClosingSink(MailSink):
    """Accepts the first connection's messages, then stops listening when it ends (QUIT):
    the next connection is refused, as when a mail server goes down."""

    server = None  # the controller's listening server, set by the test

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        if self.server is not None:
            self.server.close()
        return "221 Bye"


def test_a_failure_part_way_says_what_was_saved_and_what_was_not(app, db, world, campaign,
                                                                 smtp_server):
    from aiosmtpd.controller import Controller

    from app.extensions import mail
    from tests.conftest import free_port

    sink = ClosingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.server = controller.server
    app.config.update(MAIL_PORT=port, TRACER_SENDING_ROUND=3)
    mail.init_app(app)
    try:
        survey = db.session.get(type(campaign.survey), campaign.survey.id)
        job = tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
        db.session.commit()
        job_id = job.id
        wait_for_idle()
    finally:
        app.config.pop("TRACER_SENDING_ROUND")
        controller.stop()
    db.session.rollback()
    job = db.session.get(Job, job_id)
    invitations = db.session.scalars(select(SurveyInvitation)).all()
    sent = sum(i.sent_at is not None for i in invitations)
    undeliverable = sum(i.undeliverable_at is not None for i in invitations)
    total = len(campaign.invited)

    assert job.status == "failed" and "ConnectionRefusedError" in job.error
    assert sent + undeliverable == 3 and len(sink.messages) == sent  # the first round only
    assert job.message == (
        f"Failed part-way. Saved: {sent} of {total} invitations sent and recorded, "
        f"{undeliverable} addresses marked undeliverable. Not saved: the other {total - 3} "
        "invitations were not recorded as sent; they go out at the next sending.")
    assert job.result["saved"]["sent"] == sent
    assert "nothing from this job was saved" not in job.message

    # Sending again reaches the rest, and only them.
    app.config["MAIL_PORT"] = smtp_server.port
    mail.init_app(app)
    survey = db.session.get(type(campaign.survey), campaign.survey.id)
    again = tracer.start_sending(survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    again_id = again.id
    wait_for_idle()
    db.session.rollback()
    assert db.session.get(Job, again_id).status == "done"
    assert len(smtp_server.messages) == total - 3 - (1 if undeliverable == 0 else 0)
