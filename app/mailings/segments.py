"""Who a mailing is for: a segment of an institution's alumni, and how many of them the
mail gate's rule excludes, and why, before anything is sent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.auth.models import User
from app.core.errors import ValidationFailed
from app.core.i18n import N_
from app.engagement.services import event_attendee
from app.exchange.services.queries import has_exchange
from app.extensions import db
from app.mailings.gate import exclusion_reason
from app.reports.indicators.engaged import engaged_condition, window

# Translated where shown (the mailing form and page).
ENGAGED_CHOICES = {"": N_("Engaged or not"), "yes": N_("Engaged in the last 12 months"),
                   "no": N_("Not engaged in the last 12 months")}


@dataclass
class Segment:
    """The filters a mailing's audience is chosen by; empty ones do not filter."""

    programme_ids: list[int] = field(default_factory=list)
    cohort_from: int | None = None
    cohort_to: int | None = None
    country: str = ""
    engaged: str = ""  # "", "yes", "no" (E1's rule: app.reports.indicators.engaged)
    event_id: int | None = None  # attended this event
    exchange_only: bool = False  # exchange alumni only

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Segment:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_segment(segment: Segment) -> None:
    """The segment's own rules (raised as field errors)."""
    errors = {}
    if (segment.cohort_from and segment.cohort_to
            and segment.cohort_from > segment.cohort_to):
        errors["cohort_to"] = gettext("The last cohort year comes after the first.")
    if segment.engaged not in ENGAGED_CHOICES:
        errors["engaged"] = gettext("Choose engaged, not engaged, or either.")
    if errors:
        raise ValidationFailed(errors)


def segment_conditions(institution_id: int, segment: Segment) -> list[Any]:
    """SQL conditions on Alumnus selecting the segment (archived records included: they are
    counted as excluded, so the office sees them)."""
    where: list[Any] = [Alumnus.institution_id == institution_id]
    if segment.programme_ids:
        where.append(Alumnus.programme_id.in_(segment.programme_ids))
    if segment.cohort_from:
        where.append(Alumnus.cohort_year >= segment.cohort_from)
    if segment.cohort_to:
        where.append(Alumnus.cohort_year <= segment.cohort_to)
    if segment.country:
        where.append(Alumnus.country == segment.country)
    if segment.event_id:
        where.append(event_attendee(segment.event_id))
    if segment.exchange_only:
        where.append(has_exchange())
    if segment.engaged:
        engaged = engaged_condition(institution_id, *window())
        if engaged is None:
            raise ValidationFailed({"engaged": gettext(
                "Engagement cannot be read as one query here; leave this filter empty.")})
        where.append(engaged if segment.engaged == "yes" else ~engaged)
    return where


@dataclass
class SegmentCount:
    total: int
    excluded: dict[str, int]

    @property
    def reachable(self) -> int:
        return self.total - sum(self.excluded.values())


def count_segment(institution_id: int, segment: Segment, purpose: str) -> SegmentCount:
    """How many alumni the segment holds, and how many the gate's rule excludes per reason
    (one grouped query)."""
    reason = exclusion_reason(purpose).label("reason")
    rows = db.session.execute(
        select(reason, func.count()).select_from(Alumnus)
        .where(*segment_conditions(institution_id, segment)).group_by(reason)).all()
    excluded = {r: n for r, n in rows if r is not None}
    return SegmentCount(total=sum(n for _, n in rows), excluded=excluded)


def reachable_recipients(institution_id: int, segment: Segment, purpose: str):
    """SELECT (id, email, language) of the segment's alumni the gate's rule lets mail reach,
    by id; `language`: the alumnus's account language (None: no account or none chosen)."""
    return (select(Alumnus.id, Alumnus.email, User.language)
            .outerjoin(User, User.id == Alumnus.user_id)
            .where(*segment_conditions(institution_id, segment),
                   exclusion_reason(purpose).is_(None))
            .order_by(Alumnus.id))
