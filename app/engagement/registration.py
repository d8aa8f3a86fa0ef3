"""The office registers an alumnus for an event (on the phone, at the desk, from a list)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.alumni.lookup import find_by_student_number
from app.core.audit import record_audit, snapshot
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.permissions import in_scope, require_writer
from app.engagement.events import _lock_event, _participation
from app.engagement.models import HOLDS_PLACE, Event, Participation
from app.extensions import db


def register_alumnus(event: Event, student_number: str, *, actor: Any) -> Participation:
    """Register the alumnus with this student number (a merged-away number finds the record
    it became) for an event that has not taken place. The office may register while alumni
    cannot register themselves; the capacity still holds."""
    require_writer(actor)
    if not in_scope(event, actor):
        raise NotFound("No such event.")
    number = (student_number or "").strip()
    if not number:
        raise ValidationFailed({"student_number": "Enter the alumnus's student number."})
    alumnus = find_by_student_number(event.institution_id, number)
    if alumnus is None:
        raise ValidationFailed({"student_number": f"No alumnus of this institution has the "
                                                  f"student number {number}."})
    if event.event_date < event.today_here():
        raise ValidationFailed({"student_number": "This event has already taken place: "
                                                  "record attendance instead."})
    _lock_event(event)
    existing = _participation(event, alumnus.id)
    if existing is not None and existing.status in HOLDS_PLACE:
        raise Conflict(f"{alumnus.display_name} ({alumnus.student_number}) is already "
                       "registered for this event.")
    if event.capacity is not None:
        taken = db.session.scalar(select(func.count(Participation.id)).where(
            Participation.event_id == event.id, Participation.status.in_(HOLDS_PLACE)))
        if taken >= event.capacity:
            raise ValidationFailed({"student_number": f"This event is full ({event.capacity} "
                                                      "places): raise the capacity first."})
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
