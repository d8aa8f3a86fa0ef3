"""Event services: create and edit events, bulk attendance, alumni registering themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import Select, func, select, update

from app.alumni.lookup import find_by_student_numbers
from app.alumni.models import Alumnus, Institution, Programme
from app.core.audit import add_with_audit, change_with_audit, record_audit, snapshot
from app.core.db import today
from app.core.errors import Conflict, ValidationFailed
from app.core.i18n import format_date, format_number
from app.core.own_words import clean_translations
from app.core.permissions import require_own_institution, require_self, require_writer, scope
from app.engagement.models import (
    EVENT_KINDS,
    EVENT_MODES,
    HOLDS_PLACE,
    PARTICIPANT_ROLES,
    Event,
    Participation,
)
from app.extensions import db

EVENT_FIELDS = ("title", "kind", "event_date", "start_time", "end_date", "end_time", "mode",
                "programme_id", "location", "description", "capacity", "registration_open",
                "default_hours")


@dataclass
class EventData:
    title: str | None = None
    kind: str | None = None
    event_date: date | None = None
    start_time: time | None = None
    end_date: date | None = None  # empty: the same day
    end_time: time | None = None
    mode: str | None = None
    programme_id: int | None = None
    location: str | None = None
    description: str | None = None
    capacity: int | None = None
    registration_open: bool = False
    default_hours: Decimal | str | None = None
    # The title and description in further languages, {"th": "…"} (app/core/own_words.py).
    title_translations: dict[str, str] | None = None
    description_translations: dict[str, str] | None = None


def _hours(value: Any, name: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        errors[name] = gettext("Enter hours as a number, e.g. 2.5.")
        return None
    if not hours.is_finite() or hours < 0 or hours > 1000:
        errors[name] = gettext("Enter hours between 0 and 1000.")
        return None
    return hours.quantize(Decimal("0.01"))


def _clean_event(data: EventData, institution_id: int) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {n: getattr(data, n) for n in EVENT_FIELDS}
    for name in ("title", "location", "description"):
        value = out[name]
        out[name] = value.strip() or None if isinstance(value, str) else value
    if not out["title"]:
        errors["title"] = gettext("Fill in the title.")
    if out["kind"] not in EVENT_KINDS:
        errors["kind"] = gettext("Choose the kind of event.")
    if out["mode"] not in EVENT_MODES:
        errors["mode"] = gettext("Choose on-site, online or hybrid.")
    if out["event_date"] is None:
        errors["event_date"] = gettext("Enter the date of the event.")
    if out["start_time"] is None:
        errors["start_time"] = gettext("Enter the time it starts (on the institution's clocks).")
    if out["end_time"] is None:
        errors["end_time"] = gettext("Enter the time it ends.")
    if out["end_date"] == out["event_date"]:
        out["end_date"] = None  # one day: no separate end date
    if out["event_date"] and out["start_time"] and out["end_time"]:
        start = datetime.combine(out["event_date"], out["start_time"])
        end = datetime.combine(out["end_date"] or out["event_date"], out["end_time"])
        if end <= start:
            field_name = "end_date" if out["end_date"] else "end_time"
            errors[field_name] = gettext(
                "The event ends before it starts: check the times, or give the end date of an "
                "event over several days.")
    if out["capacity"] is not None and out["capacity"] < 1:
        errors["capacity"] = gettext(
            "Enter a capacity of at least 1, or leave it empty for no limit.")
    if out["programme_id"]:
        prog = db.session.get(Programme, out["programme_id"])
        if prog is None or prog.institution_id != institution_id:
            errors["programme_id"] = gettext("Choose a programme of this institution.")
    else:
        out["programme_id"] = None
    out["registration_open"] = bool(out["registration_open"])
    out["default_hours"] = _hours(out["default_hours"], "default_hours", errors)
    out["title_translations"] = clean_translations(data.title_translations, field="title",
                                                   max_length=200, errors=errors)
    out["description_translations"] = clean_translations(
        data.description_translations, field="description", max_length=None, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    return out


def create_event(data: EventData, *, institution: Institution, actor: Any) -> Event:
    """Create an event of the institution."""
    require_own_institution(
        actor, institution.id, "You create events for your own institution only.")
    event = Event(institution_id=institution.id, **_clean_event(data, institution.id))
    return add_with_audit(event, "event.create", actor)


def update_event(event: Event, data: EventData, *, actor: Any) -> Event:
    """Change an event's details; a capacity below the places already taken is refused."""
    require_writer(actor)
    values = _clean_event(data, event.institution_id)
    errors: dict[str, str] = {}
    if values["capacity"] is not None and values["capacity"] < event.places_taken:
        errors["capacity"] = ngettext(
            "%(count)s place is already taken: set at least %(count)s, or leave empty for no "
            "limit.",
            "%(count)s places are already taken: set at least %(count)s, or leave empty for no "
            "limit.", event.places_taken, count=format_number(event.places_taken))
    if values["event_date"] > event.today_here() and event.attended_count:
        errors["event_date"] = ngettext(
            "%(count)s alumnus is recorded as having attended: keep a date on or before today, "
            "or remove them first.",
            "%(count)s alumni are recorded as having attended: keep a date on or before today, "
            "or remove them first.", event.attended_count,
            count=format_number(event.attended_count))
    if errors:
        raise ValidationFailed(errors)
    return change_with_audit(event, values, "event.update", actor)


def events_query(*, actor: Any, when: str = "all") -> Select:
    """The events the actor may see: upcoming (soonest first), past or all (newest first)."""
    stmt = scope(select(Event), Event, actor)
    if when == "upcoming":
        return stmt.where(Event.event_date >= today()).order_by(Event.event_date, Event.id)
    if when == "past":
        stmt = stmt.where(Event.event_date < today())
    return stmt.order_by(Event.event_date.desc(), Event.id.desc())


# --- participants --------------------------------------------------------------------------


@dataclass
class AttendanceResult:
    added: list[Alumnus] = field(default_factory=list)  # new participations
    updated: list[Alumnus] = field(default_factory=list)  # registered before, now attended
    unchanged: list[Alumnus] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # student numbers not in the register


def _participation(event: Event, alumnus_id: int) -> Participation | None:
    return db.session.scalar(select(Participation).where(
        Participation.event_id == event.id, Participation.alumnus_id == alumnus_id))


def split_student_numbers(text: str) -> list[str]:
    """Student numbers pasted from a sheet: separated by lines, commas, semicolons or spaces."""
    seen: dict[str, str] = {}
    for token in re.split(r"[\s,;]+", text or ""):
        if token:
            seen.setdefault(token.lower(), token)
    return list(seen.values())


def record_attendance(
    event: Event,
    *,
    student_numbers: str = "",
    alumnus_ids: list[int] | None = None,
    role: str = "attendee",
    hours: Decimal | str | None = None,
    actor: Any,
) -> AttendanceResult:
    """Mark many alumni as having attended: pasted student numbers and/or ticked alumni.

    Attendance records what happened, so it is not limited by the registration capacity.
    Unknown student numbers are reported back, not guessed.
    """
    require_writer(actor)
    errors: dict[str, str] = {}
    if event.event_date > event.today_here():
        errors["event"] = gettext(
            "%(title)s has not taken place yet (%(date)s): record attendance from the day of "
            "the event.", title=event.title, date=format_date(event.event_date))
    if role not in PARTICIPANT_ROLES:
        errors["role"] = gettext("Choose attendee, speaker or organiser.")
    hours_value = _hours(hours, "hours", errors)
    if errors:
        raise ValidationFailed(errors)
    if hours_value is None:
        hours_value = event.default_hours
    numbers = split_student_numbers(student_numbers)
    result = AttendanceResult()
    found: dict[int, Alumnus] = {}
    if numbers:
        # Matched without regard to case, as the register search does; a number merged into
        # another record counts for the survivor.
        by_number = find_by_student_numbers(event.institution_id, numbers)
        result.unknown = [n for n in numbers if n.lower() not in by_number]
        found.update({a.id: a for a in by_number.values()})
    if alumnus_ids:
        for a in db.session.scalars(select(Alumnus).where(
                Alumnus.institution_id == event.institution_id, Alumnus.id.in_(alumnus_ids))):
            found[a.id] = a
    if not found and not result.unknown:
        raise ValidationFailed({"student_numbers": gettext(
            "Paste student numbers or tick alumni.")})
    for alumnus in found.values():
        p = _participation(event, alumnus.id)
        if p is None:
            p = Participation(event_id=event.id, alumnus_id=alumnus.id, role=role,
                              hours=hours_value, status="attended", source="bulk",
                              institution_id=event.institution_id)
            db.session.add(p)
            result.added.append(alumnus)
        elif p.status == "attended" and p.role == role and p.hours == hours_value:
            result.unchanged.append(alumnus)
        else:
            p.status, p.role, p.hours = "attended", role, hours_value
            result.updated.append(alumnus)
    db.session.flush()
    record_audit(actor, "event.attendance", event, after={
        "added": [a.id for a in result.added], "updated": [a.id for a in result.updated],
        "unknown": result.unknown, "role": role, "hours": str(hours_value)})
    return result


def remove_participation(event: Event, participation_id: int, *, actor: Any) -> Participation:
    """Take a wrongly entered participant off the event (the audit log keeps the record)."""
    require_writer(actor)
    p = db.session.get(Participation, participation_id)
    if p is None or p.event_id != event.id:
        raise ValidationFailed({"participation_id": gettext(
            "No such participant at this event.")})
    record_audit(actor, "event.remove_participant", p, before=snapshot(p))
    db.session.delete(p)
    db.session.flush()
    return p


# --- self-registration ---------------------------------------------------------------------


def _lock_event(event: Event) -> None:
    """Lock the event's row, so two registrations for the last place queue up.

    A no-op UPDATE: on PostgreSQL it takes the row lock (like SELECT ... FOR UPDATE); on
    SQLite, being the transaction's first write, it takes the database's write lock, so the
    count of places that follows sees every committed registration.
    """
    db.session.execute(
        update(Event).where(Event.id == event.id).values(capacity=Event.capacity),
        execution_options={"synchronize_session": False},
    )


def _check_own(alumnus: Alumnus, actor: Any) -> None:
    require_self(alumnus, actor, gettext("Alumni register themselves only."))


def open_for_registration(event: Event, alumnus: Alumnus) -> str | None:
    """Why the alumnus cannot register, or None when they can."""
    if event.institution_id != alumnus.institution_id:
        return gettext("This event is not one of your institution's.")
    if event.event_date < event.today_here():
        return gettext("This event has already taken place.")
    if not event.registration_open:
        return gettext("Registration for this event is not open.")
    return None


def register_for_event(event: Event, alumnus: Alumnus, *, actor: Any) -> Participation:
    """The alumnus takes a place at an upcoming event with open registration, within capacity."""
    _check_own(alumnus, actor)
    reason = open_for_registration(event, alumnus)
    if reason:
        raise ValidationFailed({"event": reason})
    _lock_event(event)
    existing = _participation(event, alumnus.id)
    if existing is not None and existing.status in HOLDS_PLACE:
        raise Conflict(gettext("You are already registered for this event."))
    if event.capacity is not None:
        taken = db.session.scalar(select(func.count(Participation.id)).where(
            Participation.event_id == event.id, Participation.status.in_(HOLDS_PLACE)))
        if taken >= event.capacity:
            raise ValidationFailed({"event": gettext("This event is full.")})
    if existing is None:
        existing = Participation(event_id=event.id, alumnus_id=alumnus.id, role="attendee",
                                 status="registered", source="self",
                                 institution_id=event.institution_id)
        db.session.add(existing)
    else:
        existing.status, existing.source = "registered", "self"
    db.session.flush()
    record_audit(actor, "event.register", existing, after=snapshot(existing))
    return existing


def cancel_registration(event: Event, alumnus: Alumnus, *, actor: Any) -> Participation:
    """The alumnus gives their place back, before the event."""
    _check_own(alumnus, actor)
    p = _participation(event, alumnus.id)
    if p is None or p.status != "registered":
        raise ValidationFailed({"event": gettext("You have no registration to cancel for this "
                                                 "event.")})
    if event.event_date < event.today_here():
        raise ValidationFailed({"event": gettext("The event has already taken place.")})
    before = snapshot(p, ["status"])
    p.status = "cancelled"
    db.session.flush()
    record_audit(actor, "event.cancel", p, before=before, after=snapshot(p, ["status"]))
    return p


def events_for_alumnus(alumnus: Alumnus) -> tuple[list[Event], dict[int, Participation]]:
    """Upcoming events of the alumnus's institution with open registration, and their own
    participations (any event), keyed by event id."""
    upcoming = list(db.session.scalars(
        select(Event).where(Event.institution_id == alumnus.institution_id,
                            Event.event_date >= today(), Event.registration_open.is_(True))
        .order_by(Event.event_date, Event.id)))
    mine = {p.event_id: p for p in db.session.scalars(
        select(Participation).where(Participation.alumnus_id == alumnus.id))}
    return upcoming, mine


def participations_of(alumnus: Alumnus) -> list[Participation]:
    """Every event the alumnus registered for or attended, newest first."""
    return list(db.session.scalars(
        select(Participation).join(Event).where(Participation.alumnus_id == alumnus.id)
        .order_by(Event.event_date.desc())))


def event_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                   ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, day) of events attended in the window."""
    stmt = (select(Participation.alumnus_id, Event.event_date)
            .join(Event, Participation.event_id == Event.id)
            .where(Participation.institution_id == institution_id,
                   Participation.status == "attended",
                   Event.event_date >= since, Event.event_date <= until))
    return [stmt if alumnus is None else stmt.where(Participation.alumnus_id == alumnus)]


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of events attended in the window."""
    from app.engagement.services import latest_activity

    return latest_activity(event_activity(institution_id, since, until))
