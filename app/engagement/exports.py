"""The events list and an event's attendance as tables to download (CSV or XLSX through
app.core.spreadsheet), with what the pages show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core.labels import label_for
from app.engagement.models import (
    EVENT_KINDS,
    EVENT_MODES,
    PARTICIPANT_ROLES,
    PARTICIPATION_SOURCES,
    PARTICIPATION_STATUSES,
    Event,
)

EVENTS_HEADER = ["Date", "Event", "Programme", "Kind", "Mode", "Location", "Places offered",
                 "Registered", "Attended", "Registration"]
ATTENDANCE_HEADER = ["Event", "Date", "Alumnus", "Student number", "Role", "Hours", "Status",
                     "How"]


def events_rows(events: Iterable[Event]) -> list[list[Any]]:
    """One row per event: when, what, places and attendance."""
    return [[e.event_date, e.title, e.programme.code if e.programme else None,
             label_for(e.kind, EVENT_KINDS), label_for(e.mode, EVENT_MODES), e.location,
             e.capacity, e.places_taken, e.attended_count,
             "Taken place" if e.has_taken_place else ("Open" if e.registration_open
                                                      else "Closed")]
            for e in events]


def attendance_rows(event: Event) -> list[list[Any]]:
    """One row per participant of the event."""
    return [[event.title, event.event_date, p.alumnus.display_name, p.alumnus.student_number,
             label_for(p.role, PARTICIPANT_ROLES), p.hours,
             label_for(p.status, PARTICIPATION_STATUSES),
             label_for(p.source, PARTICIPATION_SOURCES)]
            for p in event.participations]
