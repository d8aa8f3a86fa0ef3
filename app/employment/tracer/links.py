"""Survey links: the invitation behind a link, whether it can still be answered, and the
surveys an alumnus can answer from their own page."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.alumni.models import Alumnus
from app.core.db import today
from app.core.tokens import hash_token
from app.employment.models import SurveyInvitation, TracerSurvey
from app.extensions import db


class LinkProblem(Exception):
    """A survey link that cannot be used: unknown, answered, expired or closed."""

    def __init__(self, reason: str, invitation: SurveyInvitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def find_invitation(raw: str) -> SurveyInvitation:
    """The invitation behind a survey link, or LinkProblem(unknown|answered|expired|closed)."""
    digest = hash_token(raw or "")
    invitation = db.session.scalar(select(SurveyInvitation).where(
        or_(SurveyInvitation.token_hash == digest,
            SurveyInvitation.previous_token_hash == digest)))
    if invitation is None:
        raise LinkProblem("unknown")
    check_answerable(invitation)
    return invitation


def check_answerable(invitation: SurveyInvitation) -> None:
    """Raise LinkProblem(answered|expired|closed) unless the invitation can be answered now."""
    if invitation.responded_at is not None:
        raise LinkProblem("answered", invitation)
    if invitation.expired:
        raise LinkProblem("expired", invitation)
    if not invitation.survey.is_open(today()):
        raise LinkProblem("closed", invitation)


def open_invitations_for(alumnus: Alumnus) -> list[SurveyInvitation]:
    """The surveys an alumnus has been invited to and can still answer."""
    this_day = today()
    rows = db.session.scalars(
        select(SurveyInvitation).join(TracerSurvey)
        .where(SurveyInvitation.alumnus_id == alumnus.id,
               SurveyInvitation.responded_at.is_(None),
               TracerSurvey.opens_on <= this_day, TracerSurvey.closes_on >= this_day)
        .order_by(TracerSurvey.closes_on)
    )
    return list(rows)
