"""Engagement per alumnus (timeline, score) and the institution's engagement rate (E1).

Two registries feed it:
- the timeline (`app.core.timeline.add_timeline_source`): everything an alumnus did, shown on
  their pages and scored below;
- engagement sources (`add_engagement_source` here): for the rate, each feature answers
  "which alumni of this institution did something in this window, and when last", as one
  query over its own tables instead of building every alumnus's timeline.
A feature that wants its activity counted in the rate registers both (employment, surveys,
mentoring, feedback, exchange: see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import Select, and_, func, or_, select

from app.alumni.models import Alumnus, Consent
from app.core import timeline
from app.core.db import today
from app.core.timeline import TimelineItem, timeline_for
from app.extensions import db

WINDOW_DAYS = 365  # "the last 12 months"

# --- engagement sources (for the rate) -----------------------------------------------------

EngagementQuery = Callable[[int, date, date], Iterable[tuple[int, date]]]


@dataclass(frozen=True)
class EngagementSource:
    name: str
    label: str
    query: EngagementQuery  # (institution_id, since, until) -> [(alumnus_id, last date), ...]
    kinds: tuple[str, ...] = ()  # the timeline kinds it answers for


_SOURCES: dict[str, EngagementSource] = {}


def add_engagement_source(name: str, label: str, query: EngagementQuery, *,
                          kinds: tuple[str, ...] | None = None) -> None:
    """Register a feature's engagement source for the rate (idempotent by name).

    `query(institution_id, since, until)` returns (alumnus id, date of the latest activity in
    the window) for every alumnus of the institution who did something there between `since`
    and `until`, both included. `kinds` names the timeline kinds of the same activity, which
    the rate then no longer looks for in the timelines (by default the one kind named like the
    source: "mentoring", "feedback").
    """
    _SOURCES[name] = EngagementSource(name, label, query,
                                      tuple(kinds) if kinds is not None else (name,))


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
KIND_LABELS = {
    "employment": "Job reported", "survey": "Survey answered", "event": "Event attended",
    "event_lead": "Event speaker / organiser", "event_registration": "Event registration",
    "contribution": "Contribution", "linkage": "Industry link enabled",
    "feedback": "Curriculum feedback", "mentoring": "Mentoring", "exchange": "Exchange",
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
    """Alumni whose latest contact consent record is a withdrawal."""
    latest = (select(Consent.alumnus_id, func.max(Consent.recorded_at).label("at"))
              .where(Consent.purpose == "contact").group_by(Consent.alumnus_id).subquery())
    return (select(Consent.alumnus_id)
            .join(latest, and_(Consent.alumnus_id == latest.c.alumnus_id,
                               Consent.recorded_at == latest.c.at))
            .where(Consent.purpose == "contact", Consent.granted.is_(False)))


def contactable_alumni(institution_id: int) -> Select:
    """Contactable: status active, not archived, an e-mail or a phone, and contact consent not
    withdrawn (no record counts as not withdrawn: the register holds people the institution
    may write to until they say no)."""
    return select(Alumnus).where(
        Alumnus.institution_id == institution_id,
        Alumnus.status == "active",
        Alumnus.archived_at.is_(None),
        or_(and_(Alumnus.email.is_not(None), Alumnus.email != ""),
            and_(Alumnus.phone.is_not(None), Alumnus.phone != "")),
        Alumnus.id.not_in(_contact_withdrawn()),
    )


@dataclass
class EngagedRow:
    alumnus: Alumnus
    sources: dict[str, date]  # source label -> latest activity in the window

    @property
    def last(self) -> date:
        return max(self.sources.values())


@dataclass
class EngagementRate:
    """E1 with the records behind it."""

    since: date
    until: date
    contactable: int
    engaged: list[EngagedRow]  # contactable and engaged: the numerator
    not_engaged: list[Alumnus]  # contactable, nothing in the window
    engaged_not_contactable: list[EngagedRow]  # did something, but outside the denominator
    by_source: dict[str, int]  # source label -> engaged contactable alumni it found

    @property
    def rate(self) -> float | None:
        return len(self.engaged) / self.contactable if self.contactable else None


def engagement_rate(institution_id: int, *, as_of: date | None = None) -> EngagementRate:
    """Alumni with any engagement in the last 12 months / contactable alumni."""
    until = as_of or today()
    since = until - timedelta(days=WINDOW_DAYS - 1)
    activity: dict[int, dict[str, date]] = {}
    for source in _SOURCES.values():
        for alumnus_id, when in source.query(institution_id, since, until):
            day = _day(when)
            seen = activity.setdefault(alumnus_id, {})
            if source.label not in seen or seen[source.label] < day:
                seen[source.label] = day
    contactable = list(db.session.scalars(
        contactable_alumni(institution_id).order_by(Alumnus.family_name, Alumnus.given_name)))
    contactable_ids = {a.id for a in contactable}
    _from_timelines(activity, [a for a in contactable if a.id not in activity], since, until)
    engaged = [EngagedRow(a, activity[a.id]) for a in contactable if a.id in activity]
    not_engaged = [a for a in contactable if a.id not in activity]
    others = [i for i in activity if i not in contactable_ids]
    outside = []
    if others:
        outside = [EngagedRow(a, activity[a.id]) for a in db.session.scalars(
            select(Alumnus).where(Alumnus.id.in_(others)).order_by(Alumnus.family_name))]
    by_source = Counter(label for row in engaged for label in row.sources)
    labels = [s.label for s in _SOURCES.values()]
    labels += sorted(label for label in by_source if label not in labels)
    return EngagementRate(since, until, len(contactable), engaged, not_engaged, outside,
                          {label: by_source.get(label, 0) for label in labels})


def _from_timelines(activity: dict[int, dict[str, date]], alumni: list[Alumnus],
                    since: date, until: date) -> None:
    """Fallback for features that register a timeline source but no engagement source yet:
    read the timeline of each contactable alumnus not found engaged so far, and count any
    scored activity of another kind in the window (one timeline per alumnus: slower than a
    registered query, so features should register one)."""
    if not alumni:
        return
    covered = {kind for source in _SOURCES.values() for kind in source.kinds}
    # Only the timeline sources of features without an engagement source of the same name.
    feeds = [feed for name, feed in timeline._SOURCES.items() if name not in _SOURCES]
    if not feeds:
        return
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:  # timeline sources may build links
        for alumnus in alumni:
            for item in (i for feed in feeds for i in feed(alumnus)):
                day = _day(item.when)
                if (item.kind in covered or weight_of(item.kind) == 0
                        or not since <= day <= until):
                    continue
                label = KIND_LABELS.get(item.kind, item.kind)
                seen = activity.setdefault(alumnus.id, {})
                if label not in seen or seen[label] < day:
                    seen[label] = day


def rate_for_display(rate: EngagementRate) -> str:
    return "—" if rate.rate is None else f"{rate.rate:.1%}"


def score_formula_text() -> str:
    parts = ", ".join(f"{KIND_LABELS.get(k, k)} {w}" for k, w in SCORE_WEIGHTS.items())
    return (f"Points per activity in the last 12 months ({WINDOW_DAYS} days): {parts}; "
            f"any other activity {DEFAULT_WEIGHT}. Each kind counts at most {SCORE_CAP} "
            f"activities. Score = Σ weight × min(count, {SCORE_CAP}).")


