"""Events (reunions, guest lectures, career fairs, ...) and who took part in them."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, TimestampMixin, today, utcnow
from app.core.i18n import DEFAULT_LANGUAGE, N_, current_language, format_date
from app.core.own_words import own_words
from app.core.timezones import local_datetime

# The words of these lists are translated where the alumnus's pages show them (exports keep
# the English word).
EVENT_KINDS = {
    "reunion": N_("Reunion"),
    "guest_lecture": N_("Guest lecture"),
    "career_fair": N_("Career fair"),
    "workshop": N_("Workshop"),
    "webinar": N_("Webinar"),
    "industry_visit": N_("Industry visit"),
}
EVENT_MODES = {"on_site": N_("On-site"), "online": N_("Online"), "hybrid": N_("Hybrid")}
PARTICIPANT_ROLES = {"attendee": N_("Attendee"), "speaker": N_("Speaker"),
                     "organiser": N_("Organiser")}
PARTICIPATION_STATUSES = {
    "registered": N_("Registered"),
    "attended": N_("Attended"),
    "cancelled": N_("Cancelled"),
}
# How a participant came onto the list (Participation.source).
PARTICIPATION_SOURCES = {
    "self": N_("Registered themselves"),
    "officer": N_("Entered by the office"),
    "bulk": N_("Attendance list"),
}
# Registrations that hold a place against the event's capacity.
HOLDS_PLACE = ("registered", "attended")



def _day(value: date) -> str:
    """"Tue 12 May 2026" in English; the language's full date with its day name otherwise."""
    if current_language() == DEFAULT_LANGUAGE:
        return f"{value:%a} {value.day} {value:%b %Y}"
    return format_date(value, "full")

class Event(InstitutionOwned, TimestampMixin, Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # The title and description in further languages, {"th": "…"} (app/core/own_words.py).
    title_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    description_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    event_date: Mapped[date] = mapped_column(Date, index=True)  # the day it starts
    # Wall-clock times on the institution's clocks (Institution.time_zone); an event over
    # several days ends on end_date. Events recorded before times were asked have none.
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    end_date: Mapped[date | None] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(20))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    registration_open: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    default_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))

    programme = relationship("Programme")
    institution = relationship("Institution")
    participations: Mapped[list[Participation]] = relationship(
        back_populates="event", order_by="Participation.id"
    )

    @property
    def title_in_language(self) -> str:
        """The title in the reader's language (else the institution's default, else as
        entered)."""
        return own_words(self.title, self.title_translations)

    @property
    def description_in_language(self) -> str | None:
        return own_words(self.description, self.description_translations)

    @property
    def places_taken(self) -> int:
        return sum(1 for p in self.participations if p.status in HOLDS_PLACE)

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.places_taken, 0)

    @property
    def attended_count(self) -> int:
        return sum(1 for p in self.participations if p.status == "attended")

    @property
    def time_zone(self) -> str:
        return self.institution.time_zone if self.institution else "UTC"

    def today_here(self) -> date:
        """The day the register counts as today for this event's dates (UTC, as every date
        check of the register; times are shown on the institution's clocks)."""
        return today()

    @property
    def starts_at(self) -> datetime | None:
        if self.start_time is None:
            return None
        return local_datetime(self.event_date, self.start_time, self.time_zone)

    @property
    def ends_at(self) -> datetime | None:
        if self.end_time is None:
            return None
        return local_datetime(self.end_date or self.event_date, self.end_time, self.time_zone)

    @property
    def when_label(self) -> str:
        """"Tue 12 May 2026, 14:00–16:30 (Asia/Bangkok, UTC+07:00)"; the date alone for an
        event recorded without times."""
        day = _day(self.event_date)
        start, end = self.starts_at, self.ends_at
        if start is None:
            return day
        offset = start.strftime("%z")
        where = f"{self.time_zone}, UTC{offset[:3]}:{offset[3:]}"
        if end is None:
            return f"{day}, {start:%H:%M} ({where})"
        if end.date() == start.date():
            return f"{day}, {start:%H:%M}–{end:%H:%M} ({where})"
        last = end.date()
        return f"{day}, {start:%H:%M} – {_day(last)}, {end:%H:%M} ({where})"

    @property
    def has_taken_place(self) -> bool:
        """Past, so registration no longer matters and attendance tells who came (on the
        day itself both hold: registration is open and attendance may be recorded)."""
        return self.event_date < self.today_here()

    @property
    def attendance_open(self) -> bool:
        """Attendance is recorded from the day of the event."""
        return self.event_date <= self.today_here()


class Participation(InstitutionOwned, Base):
    """One alumnus at one event: registered (by themselves or the office), attended, cancelled."""

    __tablename__ = "participation"
    __table_args__ = (UniqueConstraint("event_id", "alumnus_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="attendee")
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    source: Mapped[str] = mapped_column(String(20), default="officer")  # PARTICIPATION_SOURCES
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="participations")
    alumnus = relationship("Alumnus")
