"""E1, the engagement rate, defined once: contactable alumni with any engagement in the 12
months up to a day / contactable alumni. The E1 indicator (a cohort) and the engagement page
(the whole institution, with its lists) both come from here.

Engaged: a registered engagement source (app.engagement.services) found activity in the
window, or, for a feature that registers only a timeline source, its timeline shows a scored
activity of a kind no engagement source answers for. Sources given as SQL (`activity`) are
counted in the database with one correlated EXISTS per source; a source given only as a
Python query, and the timeline fallback, make the figure read the lists instead.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import has_request_context
from sqlalchemy import Select, false, func, or_, select, union

from app.alumni.models import Alumnus
from app.core import timeline
from app.core.db import today
from app.core.urls import site_request_context
from app.engagement.services import (
    KIND_LABELS,
    WINDOW_DAYS,
    contactable_alumni,
    engagement_sources,
    weight_of,
)
from app.extensions import db


def window(as_of: date | None = None) -> tuple[date, date]:
    """The 365 days up to and including `as_of` (today)."""
    until = as_of or today()
    return until - timedelta(days=WINDOW_DAYS - 1), until


def _timeline_feeds() -> list:
    """Timeline sources of features without an engagement source of the same name."""
    names = {s.name for s in engagement_sources()}
    return [feed for name, feed in timeline._SOURCES.items() if name not in names]


def engaged_condition(institution_id: int, since: date, until: date, *, per_row: bool = False):
    """SQL condition on Alumnus: some source found activity in the window. None when a source
    is not SQL or a timeline-only feature exists (the lists must be read then).

    Counted over many alumni (the figures, a mailing's segment), each source's activity in
    the window is read once as a set of alumni (`found_by`). `per_row`: for a page of alumni
    read in index order (the engagement lists), each source is looked up for each alumnus
    read instead (its alumnus index), never the whole window's activity."""
    sources = _sql_sources()
    if sources is None:
        return None
    parts = [found_by(source, institution_id, since, until, per_row=per_row)
             for source in sources]
    return or_(*parts) if parts else false()


def _sql_sources() -> list | None:
    """The engagement sources when every one is SQL and no timeline-only feature exists; None
    when the lists must be read instead."""
    if _timeline_feeds():
        return None
    sources = list(engagement_sources())
    return None if any(source.activity is None for source in sources) else sources


def source_alumni(source: Any, institution_id: int, since: date, until: date
                  ) -> list[Select]:
    """The ids (as `id`, no NULL) of the alumni each part of a SQL source found active in the
    window: no NULL in a set, as NOT IN over one would be unknown for everyone (a segment's
    "not engaged")."""
    ids = [list(p.subquery().c)[0] for p in source.activity(institution_id, since, until, None)]
    return [select(i.label("id")).where(i.is_not(None)) for i in ids]


def found_by(source: Any, institution_id: int, since: date, until: date, *,
             per_row: bool = False):
    """SQL condition on Alumnus: this SQL source found activity in the window.

    By default its alumni in the window as a set (`IN`): the database reads the window's
    activity once, however many alumni it is asked about (an OR of correlated EXISTS was
    looked up alumnus by alumnus: 2.3 s on PostgreSQL and 0.45 s on SQLite for 100,000
    alumni, against 0.24 s). `per_row`: a correlated EXISTS per part, each with OFFSET 0,
    which keeps PostgreSQL from reading every activity row of the window for a page of 25."""
    if per_row:
        return or_(*(p.offset(0).exists()
                     for p in source.activity(institution_id, since, until, Alumnus.id)))
    return or_(*(Alumnus.id.in_(part)
                 for part in source_alumni(source, institution_id, since, until)))


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


def engagement_counts(institution_id: int, since: date, until: date, alumni: Any = None
                      ) -> tuple[int, int]:
    """(engaged, contactable) among the institution's alumni meeting `alumni` (a SQL
    condition on Alumnus; all when None): one aggregate when every source is SQL."""
    engaged, contactable, _ = engagement_counts_by_source(institution_id, since, until,
                                                          alumni, by_source=False)
    return engaged, contactable


def engagement_counts_by_source(institution_id: int, since: date, until: date,
                                alumni: Any = None, *, by_source: bool = True
                                ) -> tuple[int, int, dict[str, int]]:
    """`engagement_counts` and, per source label, the contactable alumni it found, from the
    same pass over the contactable alumni (the engagement page's figures: one pass, not two
    of 0.25 s each at 100,000 alumni)."""
    # Asked of some alumni (a cohort), contact consent is looked up per alumnus (two steps on
    # the consent index each), not as the set of every withdrawal in the register, which
    # ranks every consent record (130 ms at 100,000 alumni, for a cohort of 2,400 as for all).
    contactable = contactable_alumni(institution_id, one_by_one=alumni is not None)
    if alumni is not None:
        contactable = contactable.where(alumni)
    every = _sql_sources()
    if every is None:
        detail = engagement_detail(institution_id, as_of=until, alumni=alumni)
        return len(detail.engaged), detail.contactable, detail.by_source
    sources = every if by_source else []
    if sources:
        # each source's alumni read once (a CTE named twice: in E1's condition and in its own
        # count), not once per mention (a set built twice per source)
        found = [Alumnus.id.in_(select(_found_set(s, n, institution_id, since, until).c.id))
                 for n, s in enumerate(sources)]
        condition = or_(*found)
    else:
        found = []
        condition = engaged_condition(institution_id, since, until)
    row = db.session.execute(contactable.with_only_columns(
        func.count(Alumnus.id).filter(condition), func.count(Alumnus.id),
        *(func.count(Alumnus.id).filter(f) for f in found))).one()
    return (row[0] or 0, row[1] or 0,
            {s.label: n or 0 for s, n in zip(sources, row[2:], strict=True)})


def _found_set(source: Any, n: int, institution_id: int, since: date, until: date):
    """The alumni a SQL source found active in the window, as one named set (a CTE)."""
    parts = source_alumni(source, institution_id, since, until)
    return (parts[0] if len(parts) == 1 else union(*parts)).cte(f"found_by_{n}")


def latest_activity(institution_id: int, since: date, until: date
                    ) -> dict[int, dict[str, date]]:
    """Each alumnus's latest day of activity per engagement source within the window."""
    out: dict[int, dict[str, date]] = {}
    for source in engagement_sources():
        for alumnus_id, when in source.query(institution_id, since, until):
            day = when.date() if isinstance(when, datetime) else when
            seen = out.setdefault(alumnus_id, {})
            if source.label not in seen or seen[source.label] < day:
                seen[source.label] = day
    return out


def engagement_detail(institution_id: int, *, as_of: date | None = None, alumni: Any = None
                      ) -> EngagementRate:
    """The rate with its lists (who is engaged, by which source and when; who is not; who
    did something but is not contactable), for the engagement page and its download."""
    since, until = window(as_of)
    activity = latest_activity(institution_id, since, until)
    stmt = contactable_alumni(institution_id)
    if alumni is not None:
        stmt = stmt.where(alumni)
    contactable = list(db.session.scalars(stmt.order_by(Alumnus.family_name,
                                                         Alumnus.given_name)))
    contactable_ids = {a.id for a in contactable}
    _from_timelines(activity, [a for a in contactable if a.id not in activity], since, until)
    engaged = [EngagedRow(a, activity[a.id]) for a in contactable if a.id in activity]
    not_engaged = [a for a in contactable if a.id not in activity]
    others = [i for i in activity if i not in contactable_ids]
    outside = []
    if others:
        found = select(Alumnus).where(Alumnus.id.in_(others)).order_by(Alumnus.family_name)
        if alumni is not None:
            found = found.where(alumni)
        outside = [EngagedRow(a, activity[a.id]) for a in db.session.scalars(found)]
    by_source = Counter(label for row in engaged for label in row.sources)
    labels = [s.label for s in engagement_sources()]
    labels += sorted(label for label in by_source if label not in labels)
    return EngagementRate(since, until, len(contactable), engaged, not_engaged, outside,
                          {label: by_source.get(label, 0) for label in labels})


def _from_timelines(activity: dict[int, dict[str, date]], alumni: list[Alumnus],
                    since: date, until: date) -> None:
    """Fallback for features that register a timeline source but no engagement source yet:
    read the timeline of each contactable alumnus not found engaged so far, and count any
    scored activity of another kind in the window (one timeline per alumnus: slower than a
    registered query, so features should register one)."""
    feeds = _timeline_feeds()
    if not alumni or not feeds:
        return
    covered = {kind for source in engagement_sources() for kind in source.kinds}
    context = nullcontext() if has_request_context() else site_request_context()
    with context:  # timeline sources may build links
        for alumnus in alumni:
            for item in (i for feed in feeds for i in feed(alumnus)):
                when = item.when
                day = when.date() if isinstance(when, datetime) else when
                if (item.kind in covered or weight_of(item.kind) == 0
                        or not since <= day <= until):
                    continue
                label = KIND_LABELS.get(item.kind, item.kind)
                seen = activity.setdefault(alumnus.id, {})
                if label not in seen or seen[label] < day:
                    seen[label] = day
