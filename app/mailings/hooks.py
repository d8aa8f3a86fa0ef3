"""What mailings add to the others: the mail gate every message goes through, and what a
sending job that died leaves behind."""

from __future__ import annotations

from app.core.job_recovery import register_dead_job_handler
from app.core.mail import register_mail_gate, register_mail_rule
from app.mailings.gate import decide_mail, exclusion_reason, record_bounces
from app.mailings.services import mailing_of_dead_job


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    register_mail_gate(decide_mail)
    register_mail_rule(exclusion_reason, record_bounces)
    register_dead_job_handler("mailing", mailing_of_dead_job)
