"""Survey links: the invitation behind a link, whether it can still be answered, and the
surveys an alumnus can answer from their own page."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.core.db import today
from app.core.tokens import LinkUnusable, find_by_token
from app.employment.models import SurveyInvitation, TracerSurvey
from app.extensions import db


def find_invitation(raw: str) -> SurveyInvitation:
    """The invitation behind a survey link (its latest or its previous one), or
    LinkUnusable(unknown|answered|expired|closed)."""
    invitation = find_by_token(SurveyInvitation, raw,
                               columns=("token_hash", "previous_token_hash"))
    check_answerable(invitation)
    return invitation


def check_answerable(invitation: SurveyInvitation) -> None:
    """Raise LinkUnusable(answered|expired|closed) unless the invitation can be answered now."""
    if invitation.responded_at is not None:
        raise LinkUnusable("answered", invitation)
    if invitation.expired:
        raise LinkUnusable("expired", invitation)
    if not invitation.survey.is_open(today()):
        raise LinkUnusable("closed", invitation)


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
