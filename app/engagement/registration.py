"""The office registers an alumnus for an event (on the phone, at the desk, from a list)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import func, select, update

from app.alumni.lookup import find_by_student_number
from app.core.audit import record_audit, snapshot
from app.core.errors import Conflict, ValidationFailed
from app.core.i18n import format_number
from app.core.permissions import require_writer_in_scope
from app.engagement.events import _lock_event, _participation
from app.engagement.models import HOLDS_PLACE, Event, Participation
from app.extensions import db


def register_alumnus(event: Event, student_number: str, *, actor: Any) -> Participation:
    """Register the alumnus with this student number (a merged-away number finds the record
    it became) for an event that has not taken place. The office may register while alumni
    cannot register themselves; the capacity still holds."""
    require_writer_in_scope(actor, event, message="No such event.")
    number = (student_number or "").strip()
    if not number:
        raise ValidationFailed({"student_number": gettext("Enter the alumnus's student number.")})
    alumnus = find_by_student_number(event.institution_id, number)
    if alumnus is None:
        raise ValidationFailed({"student_number": gettext(
            "No alumnus of this institution has the student number %(number)s.", number=number)})
    if event.event_date < event.today_here():
        raise ValidationFailed({"student_number": gettext(
            "This event has already taken place: record attendance instead.")})
    _lock_event(event)
    existing = _participation(event, alumnus.id)
    if existing is not None and existing.status in HOLDS_PLACE:
        raise Conflict(gettext("%(name)s (%(number)s) is already registered for this event.",
                               name=alumnus.display_name, number=alumnus.student_number))
    if event.capacity is not None:
        taken = db.session.scalar(select(func.count(Participation.id)).where(
            Participation.event_id == event.id, Participation.status.in_(HOLDS_PLACE)))
        if taken >= event.capacity:
            raise ValidationFailed({"student_number": ngettext(
                "This event is full (%(count)s place): raise the capacity first.",
                "This event is full (%(count)s places): raise the capacity first.",
                event.capacity, count=format_number(event.capacity))})
    if existing is None:
        existing = Participation(event_id=event.id, alumnus_id=alumnus.id, role="attendee",
                                 status="registered", source="officer",
                                 institution_id=event.institution_id)
        db.session.add(existing)
    else:
        existing.status, existing.source = "registered", "officer"
    db.session.flush()
    record_audit(actor, "event.register", existing, after=snapshot(existing))
    return existing


# A participation's strength when one person has two at the same event (two records merged).
_RANK = {"attended": 3, "registered": 2, "cancelled": 1}


def merge_participations(table: Any, column: Any, survivor_id: int, merged_id: int) -> int:
    """Merge handler (app.imports.merge): the merged-away record's participations move to the
    survivor; where both were at the same event, one participation stays, with the stronger
    status (attended, then registered), the role and hours that went with it, and the
    earlier registration time. Returns the rows moved or combined."""
    rows = {r.event_id: r for r in db.session.scalars(
        select(Participation).where(Participation.alumnus_id.in_([survivor_id, merged_id]))
        .order_by(Participation.id)) if r.alumnus_id == survivor_id}
    theirs = list(db.session.scalars(select(Participation).where(
        Participation.alumnus_id == merged_id)))
    combined = 0
    for other in theirs:
        mine = rows.get(other.event_id)
        if mine is None:
            continue
        before = snapshot(mine)
        if _RANK.get(other.status, 0) > _RANK.get(mine.status, 0):
            mine.status, mine.role, mine.hours = other.status, other.role, other.hours
        mine.registered_at = min(mine.registered_at, other.registered_at)
        record_audit(None, "event.participation_merged", mine, before=before,
                     after={**snapshot(mine), "merged_participation": snapshot(other)})
        db.session.delete(other)
        combined += 1
    db.session.flush()
    moved = db.session.execute(
        update(table).where(column == merged_id)
        .values({column.name: survivor_id, "updated_at": table.c.updated_at})).rowcount
    return combined + moved
