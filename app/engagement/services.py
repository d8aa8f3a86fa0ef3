"""Engagement per alumnus (timeline, score), and the registry the engagement rate (E1,
computed in app/reports/indicators/engaged.py) reads.

Two registries feed it:
- the timeline (`app.core.timeline.add_timeline_source`): everything an alumnus did, shown on
  their pages and scored below;
- engagement sources (`add_engagement_source` here): for the rate, each feature answers
  "which alumni of this institution did something in this window, and when last", as SQL
  over its own tables instead of building every alumnus's timeline.
A feature that wants its activity counted in the rate registers both (employment, surveys,
mentoring, feedback, exchange: see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from app.alumni.models import Alumnus, Consent
from app.core.db import as_utc, today
from app.core.i18n import N_
from app.core.timeline import TimelineItem, timeline_for
from app.extensions import db

WINDOW_DAYS = 365  # "the last 12 months"

# --- engagement sources (for the rate) -----------------------------------------------------

EngagementQuery = Callable[[int, date, date], Iterable[tuple[int, date]]]
# activity(institution_id, since, until, alumnus) -> SQL selects of (alumnus id, when) rows;
# `alumnus`, when given, is a SQL expression the rows' alumnus id must equal (a correlated
# EXISTS per alumnus of a cohort, on the feature's alumnus_id index).
ActivityQuery = Callable[[int, date, date, Any], list[Select]]


def day_window(since: date, until: date) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until` (UTC), for an engagement window."""
    return (datetime.combine(since, time.min, tzinfo=UTC),
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC))


def latest_activity(parts: list[Select]) -> list[tuple[int, date]]:
    """(alumnus id, latest day) from a source's activity selects, sorted by alumnus."""
    latest: dict[int, date] = {}
    for part in parts:
        sq = part.subquery()
        for alumnus_id, when in db.session.execute(
                select(sq.c[0], func.max(sq.c[1])).group_by(sq.c[0])):
            day = as_utc(when).date() if isinstance(when, datetime) else when
            if alumnus_id not in latest or latest[alumnus_id] < day:
                latest[alumnus_id] = day
    return sorted(latest.items())


@dataclass(frozen=True)
class EngagementSource:
    name: str
    label: str
    query: EngagementQuery  # (institution_id, since, until) -> [(alumnus_id, last date), ...]
    kinds: tuple[str, ...] = ()  # the timeline kinds it answers for
    activity: ActivityQuery | None = None  # the same in SQL (what E1 counts with)


_SOURCES: dict[str, EngagementSource] = {}


def add_engagement_source(name: str, label: str, query: EngagementQuery | None = None, *,
                          kinds: tuple[str, ...] | None = None,
                          activity: ActivityQuery | None = None) -> None:
    """Register a feature's engagement source for the rate (idempotent by name).

    Give `activity(institution_id, since, until, alumnus)`: SQL selects of (alumnus id, when)
    rows for the institution's alumni active between `since` and `until`, both included,
    equal to `alumnus` when that is given (see ActivityQuery). The figure then counts in the
    database. A plain `query(institution_id, since, until)` returning (alumnus id, latest
    date) pairs still works, at the cost of reading the whole institution's window. `kinds`
    names the timeline kinds of the same activity, which the rate then no longer looks for in
    the timelines (by default the one kind named like the source: "mentoring", "feedback").
    """
    if query is None:
        if activity is None:
            raise ValueError(f"engagement source {name!r}: give activity or query")

        def query(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
            return latest_activity(activity(institution_id, since, until, None))
    _SOURCES[name] = EngagementSource(name, label, query,
                                      tuple(kinds) if kinds is not None else (name,),
                                      activity)


def engagement_sources() -> list[EngagementSource]:
    return list(_SOURCES.values())


# --- score ---------------------------------------------------------------------------------

# Points per activity in the last 12 months, by timeline kind; each kind counts at most
# SCORE_CAP activities, so twelve reported jobs do not outweigh everything else.
SCORE_WEIGHTS: dict[str, int] = {
    "employment": 1,  # a job reported or updated
    "survey": 2,  # a tracer survey answered
    "event": 2,  # an event attended
    "event_lead": 4,  # an event spoken at or organised
    "contribution": 3,  # money or goods given
    "linkage": 5,  # an internship, job posting, MOU, hire or guest lecture enabled
    "feedback": 3,  # curriculum feedback given
    "mentoring": 4,  # a mentorship or mentoring session
    "exchange": 3,  # an exchange participation
}
DEFAULT_WEIGHT = 1  # any other kind of activity a feature adds to the timeline
ZERO_WEIGHT_KINDS = {"event_registration"}  # a place taken is not yet engagement
SCORE_CAP = 5
KIND_LABELS = {  # translated where shown (engagement/_panel.html)
    "employment": N_("Job reported"), "survey": N_("Survey answered"),
    "event": N_("Event attended"), "event_lead": N_("Event speaker / organiser"),
    "event_registration": N_("Event registration"), "contribution": N_("Contribution"),
    "linkage": N_("Industry link enabled"), "feedback": N_("Curriculum feedback"),
    "mentoring": N_("Mentoring"), "exchange": N_("Exchange"),
}


def weight_of(kind: str) -> int:
    if kind in ZERO_WEIGHT_KINDS:
        return 0
    return SCORE_WEIGHTS.get(kind, DEFAULT_WEIGHT)


def _day(when: date | datetime) -> date:
    return when.date() if isinstance(when, datetime) else when


@dataclass
class EngagementScore:
    score: int
    since: date
    until: date
    lines: list[tuple[str, int, int, int]] = field(default_factory=list)  # kind, n, weight, pts


def engagement_score(items: list[TimelineItem], *, as_of: date | None = None) -> EngagementScore:
    """score = Σ over kinds of weight(kind) × min(activities of that kind in the window, 5);
    the window is the 365 days up to and including `as_of`."""
    until = as_of or today()
    since = until - timedelta(days=WINDOW_DAYS - 1)
    counts = Counter(i.kind for i in items if since <= _day(i.when) <= until)
    lines = []
    for kind, n in sorted(counts.items()):
        w = weight_of(kind)
        lines.append((kind, n, w, w * min(n, SCORE_CAP)))
    return EngagementScore(sum(pts for *_, pts in lines), since, until, lines)


def engagement_for(alumnus: Alumnus, *, as_of: date | None = None
                   ) -> tuple[list[TimelineItem], EngagementScore]:
    """The alumnus's merged timeline (every registered source) and their score."""
    items = timeline_for(alumnus)
    return items, engagement_score(items, as_of=as_of)


# --- engagement rate (E1) ------------------------------------------------------------------


def _contact_withdrawn() -> Select:
    """Alumni whose latest contact consent record is a withdrawal (as a set: for counting
    every contactable alumnus)."""
    latest = (select(Consent.alumnus_id, func.max(Consent.recorded_at).label("at"))
              .where(Consent.purpose == "contact").group_by(Consent.alumnus_id).subquery())
    return (select(Consent.alumnus_id)
            .join(latest, and_(Consent.alumnus_id == latest.c.alumnus_id,
                               Consent.recorded_at == latest.c.at))
            .where(Consent.purpose == "contact", Consent.granted.is_(False)))


@cache
def _consent_aliases():
    """Aliases of the consent records made once, at first use (making one adapts every
    column: it cost more than the query it serves on a page of a list)."""
    return aliased(Consent, name="consent_here"), aliased(Consent, name="consent_later")


def _contact_withdrawn_here():
    """The same, asked of one alumnus (two look-ups on the consent index): for a page of a
    list, which then costs a page's worth, not a pass over every consent record."""
    c, later = _consent_aliases()
    newer = select(later.id).where(later.alumnus_id == c.alumnus_id,
                                   later.purpose == "contact",
                                   later.recorded_at > c.recorded_at).exists()
    return select(c.id).where(c.alumnus_id == Alumnus.id, c.purpose == "contact",
                              c.granted.is_(False), ~newer).exists()


def contactable_alumni(institution_id: int, *, one_by_one: bool = False) -> Select:
    """Contactable: status active, not archived, an e-mail or a phone (for an erased record:
    one was held when it was erased, so erasure leaves E1 as it was), and contact consent not
    withdrawn (no record counts as not withdrawn: the register holds people the institution
    may write to until they say no). `one_by_one` asks consent per alumnus: for reading a
    page of a list in order, rather than counting them all."""
    return select(Alumnus).where(
        Alumnus.institution_id == institution_id,
        Alumnus.status == "active",
        Alumnus.archived_at.is_(None),
        or_(and_(Alumnus.email.is_not(None), Alumnus.email != ""),
            and_(Alumnus.phone.is_not(None), Alumnus.phone != ""),
            Alumnus.contact_at_erasure.is_(True)),
        (~_contact_withdrawn_here() if one_by_one
         else Alumnus.id.not_in(_contact_withdrawn())),
    )


def rate_for_display(rate: Any) -> str:
    return "—" if rate.rate is None else f"{rate.rate:.1%}"


def score_formula_text() -> str:
    parts = ", ".join(f"{KIND_LABELS.get(k, k)} {w}" for k, w in SCORE_WEIGHTS.items())
    return (f"Points per activity in the last 12 months ({WINDOW_DAYS} days): {parts}; "
            f"any other activity {DEFAULT_WEIGHT}. Each kind counts at most {SCORE_CAP} "
            f"activities. Score = Σ weight × min(count, {SCORE_CAP}).")




# --- segments for mailings (app.mailings) ---------------------------------------------------


def event_attendee(event_id: int):
    """SQL condition on Alumnus: attended the event (as attendee, speaker or organiser)."""
    from app.engagement.models import Participation

    return select(Participation.id).where(Participation.alumnus_id == Alumnus.id,
                                          Participation.event_id == event_id,
                                          Participation.status == "attended").exists()


def event_choices(institution_id: int) -> list[tuple[int, str]]:
    """(id, "date — title") of the institution's events, latest first, for a chooser."""
    from app.engagement.models import Event

    rows = db.session.execute(select(Event.id, Event.event_date, Event.title)
                              .where(Event.institution_id == institution_id)
                              .order_by(Event.event_date.desc(), Event.id.desc())).all()
    return [(r.id, f"{r.event_date.isoformat()} — {r.title}") for r in rows]
