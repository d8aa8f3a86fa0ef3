"""The engagement page: E1's figures and its three lists of people, a page at a time.

The figures come from E1's own function (app.reports.indicators.engaged: engagement_counts,
engaged_condition); the lists are that condition as SQL, read by seek paging over the
register's name index (app.core.pagination), so a page costs the same at 1,000 alumni as at
100,000, and only the page's alumni have their activity dates looked up. The figures are
passes over every contactable alumnus: kept for `FIGURE_CACHE_SECONDS` and said so.

Where a feature counts engagement only through a timeline (no SQL condition), the lists
come from E1's full detail instead, paged in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import (
    Select,
    bindparam,
    func,
    literal,
    literal_column,
    not_,
    select,
    union,
    union_all,
)

from app.alumni.models import SORT_NAME, Alumnus
from app.core.db import as_utc
from app.core.figure_cache import cached_figure
from app.core.pagination import SeekPage, seek_page
from app.engagement.services import (
    EngagementSource,
    contactable_alumni,
    engagement_sources,
)
from app.extensions import db
from app.reports.indicators.engaged import (
    EngagedRow,
    engaged_condition,
    engagement_counts_by_source,
    engagement_detail,
    latest_activity,
    source_alumni,
    window,
)

LISTS = {"engaged": "Engaged", "not_engaged": "Contactable, not engaged",
         "outside": "Engaged, not contactable"}
KEYS = (SORT_NAME, Alumnus.given_name, Alumnus.id)
# The "outside" list is read from its few candidates and sorted (no index walk over every
# record, archived ones included): the same order, as expressions no index serves.
SORTED_KEYS = (SORT_NAME.concat(literal_column("''")).label(None),
               Alumnus.given_name.concat(literal_column("''")).label(None),
               (Alumnus.id + literal_column("0")).label(None))


@dataclass
class FirstPage:
    """A list's first page as it was when the figures were counted (kept with them): the
    alumni's ids in order, whether more follow (and the cursor to them), and the engaged
    alumni's latest activity per source."""

    ids: list[int]
    per_page: int
    has_next: bool
    next_cursor: str | None
    sources: dict[int, dict[str, date]] = field(default_factory=dict)


@dataclass
class EngagementFigures:
    since: date
    until: date
    contactable: int
    engaged: int
    outside: int
    by_source: dict[str, int]
    counted_at: datetime | None = None
    # each list's first page, counted with the figures (the page most views ask for); None in
    # figures kept before there were first pages (a default the class holds, see figure_cache)
    first_pages: dict[str, FirstPage] | None = None

    @property
    def not_engaged(self) -> int:
        return self.contactable - self.engaged

    @property
    def rate(self) -> float | None:
        return self.engaged / self.contactable if self.contactable else None


@dataclass
class EngagementPage:
    figures: EngagementFigures
    show: str
    page: SeekPage
    rows: list[Any] = field(default_factory=list)  # EngagedRow, or Alumnus (not engaged)


def list_query(institution_id: int, show: str, since: date, until: date, *,
               per_row: bool = False) -> Select | None:
    """One of the three lists as SQL (None: E1 has no SQL condition here); `per_row` for a
    page of it read in index order (engaged_condition's), not for the whole list."""
    if per_row:
        from app.core.timeline import _SOURCES as timeline_sources

        return _page_query(tuple(engagement_sources()), tuple(timeline_sources),
                           institution_id, show, since, until)
    return _list_query(institution_id, show, since, until, per_row=False)


@lru_cache(maxsize=32)
def _page_query(sources: tuple, feeds: tuple, institution_id: int, show: str, since: date,
                until: date) -> Select | None:
    """A list's statement for its pages, built once per institution, list and window (and
    the sources registered): building its seven sources' conditions cost a third of the
    page's time, and the window changes once a day. Statements are read-only once built, so
    the threads share them."""
    return _list_query(institution_id, show, since, until, per_row=True)


def _list_query(institution_id: int, show: str, since: date, until: date, *,
                per_row: bool) -> Select | None:
    condition = engaged_condition(institution_id, since, until, per_row=per_row)
    if condition is None:
        return None
    contactable = contactable_alumni(institution_id, one_by_one=True)
    if show == "not_engaged":
        return contactable.where(~condition)
    if show == "outside":  # a few of the engaged; archived ones too (no partial index)
        return select(Alumnus).where(Alumnus.institution_id == institution_id,
                                     Alumnus.id.in_(_engaged_ids(institution_id, since, until)),
                                     not_(contactable.whereclause))
    return contactable.where(condition)


def _engaged_ids(institution_id: int, since: date, until: date) -> Select:
    """The ids of every alumnus some SQL source found active in the window (the same
    condition as `engaged_condition`, as one set)."""
    parts = [part for s in engagement_sources()
             for part in source_alumni(s, institution_id, since, until)]
    return union(*parts) if len(parts) > 1 else parts[0]


def _figures(institution_id: int) -> EngagementFigures:
    since, until = window()
    outside_list = list_query(institution_id, "outside", since, until)
    if outside_list is None:
        detail = engagement_detail(institution_id, as_of=until)
        return EngagementFigures(since, until, detail.contactable, len(detail.engaged),
                                 len(detail.engaged_not_contactable), detail.by_source)
    # E1 and, per source, the contactable alumni it found: one aggregate
    engaged, contactable, by_source = engagement_counts_by_source(institution_id, since, until)
    outside = db.session.scalar(select(func.count()).select_from(
        outside_list.with_only_columns(Alumnus.id).subquery())) or 0
    figures = EngagementFigures(since, until, contactable, engaged, outside, by_source)
    per_page, figures.first_pages = current_app.config["PER_PAGE"], {}
    for show in LISTS:
        found, sources = _live_page(institution_id, show, figures, per_page=per_page)
        figures.first_pages[show] = FirstPage([a.id for a in found.items], per_page,
                                              found.has_next, found.next_cursor, sources)
    return figures


def engagement_figures(institution_id: int) -> EngagementFigures:
    """E1 and the size of each list, kept a minute (they count every contactable alumnus)."""
    figures, counted_at = cached_figure(("engagement_figures", institution_id),
                                        lambda: _figures(institution_id))
    figures.counted_at = counted_at
    return figures


def engagement_page(institution_id: int, show: str, *, per_page: int, page: int | None = None,
                    after: str | None = None, before: str | None = None,
                    last: bool = False) -> EngagementPage:
    """The figures and one page of a list (engaged, not_engaged, outside), by name: the
    first page as kept with the figures (its alumni read now), any other read now."""
    show = show if show in LISTS else "engaged"
    figures = engagement_figures(institution_id)
    first = (figures.first_pages or {}).get(show)
    if first is not None and first.per_page == per_page and (page or 1) == 1 and not (
            after or before or last):
        found, sources = _kept_page(figures, show, first), first.sources
    elif list_query(institution_id, show, figures.since, figures.until, per_row=True) is None:
        return _from_detail(institution_id, show, figures, per_page, page or 1)
    else:
        found, sources = _live_page(institution_id, show, figures, per_page=per_page,
                                    page=page, after=after, before=before, last=last)
    if show == "not_engaged":
        return EngagementPage(figures, show, found, list(found.items))
    return EngagementPage(figures, show, found,
                          [EngagedRow(a, sources.get(a.id, {})) for a in found.items])


def _size(figures: EngagementFigures, show: str) -> int:
    return {"engaged": figures.engaged, "not_engaged": figures.not_engaged,
            "outside": figures.outside}[show]


def _live_page(institution_id: int, show: str, figures: EngagementFigures, *, per_page: int,
               **position: Any) -> tuple[SeekPage, dict[int, dict[str, date]]]:
    """A page of a list read now, and its engaged alumni's latest activity per source."""
    stmt = list_query(institution_id, show, figures.since, figures.until, per_row=True)
    # The list's size is the figure's (not counted again; a minute old at most).
    found = seek_page(stmt, SORTED_KEYS if show == "outside" else KEYS, descending=False,
                      per_page=per_page, total=(_size(figures, show), False), **position)
    if show == "not_engaged":
        return found, {}
    return found, latest_by_source(institution_id, figures.since, figures.until,
                                   [a.id for a in found.items])


def _kept_page(figures: EngagementFigures, show: str, first: FirstPage) -> SeekPage:
    """The first page kept with the figures, its alumni read now by id (in its order; one
    erased since is left out)."""
    found = {a.id: a for a in db.session.scalars(
        select(Alumnus).where(Alumnus.id.in_(first.ids)))} if first.ids else {}
    return SeekPage(items=[found[i] for i in first.ids if i in found], per_page=first.per_page,
                    page=1, total=_size(figures, show), total_is_lower_bound=False,
                    has_next=first.has_next, has_prev=False, next_cursor=first.next_cursor)


def _from_detail(institution_id: int, show: str, figures: EngagementFigures, per_page: int,
                 page: int) -> EngagementPage:
    detail = engagement_detail(institution_id, as_of=figures.until)
    rows = {"engaged": detail.engaged, "not_engaged": detail.not_engaged,
            "outside": detail.engaged_not_contactable}[show]
    start = (page - 1) * per_page
    part = rows[start:start + per_page]
    found = SeekPage(items=part, per_page=per_page, page=page, total=len(rows),
                     total_is_lower_bound=False, has_next=start + per_page < len(rows),
                     has_prev=page > 1)
    return EngagementPage(figures, show, found, part)


def latest_by_source(institution_id: int, since: date, until: date, ids: list[int]
                     ) -> dict[int, dict[str, date]]:
    """{alumnus id: {source label: latest day in the window}} for these alumni only."""
    out: dict[int, dict[str, date]] = {}
    if not ids:
        return out
    sources = tuple(engagement_sources())
    rows: list[tuple[str, int, Any]] = []
    for stmt in _latest_statements(sources, institution_id, since, until):
        rows += [(sources[n].label, alumnus_id, when)
                 for n, alumnus_id, when in db.session.execute(stmt, {"ids": ids})]
    for source in sources:
        if source.activity is None:
            wanted = set(ids)
            rows += [(source.label, a, d) for a, d in source.query(institution_id, since, until)
                     if a in wanted]
    for label, alumnus_id, when in rows:
        day = as_utc(when).date() if isinstance(when, datetime) else when
        seen = out.setdefault(alumnus_id, {})
        if label not in seen or seen[label] < day:
            seen[label] = day
    return out


@lru_cache(maxsize=32)
def _latest_statements(sources: tuple[EngagementSource, ...], institution_id: int, since: date,
                       until: date) -> tuple[Select, ...]:
    """The SQL sources' parts as (source's position, alumnus id, latest when) for the alumni
    given as `ids`: one UNION ALL per type of "when" (a day or a time: each keeps its own
    reading), so a page asks twice, not once per part (eight round trips, half the page's
    SQL time on PostgreSQL). Built once per institution and window: building them cost more
    than running them. Statements are read-only once built, so the threads share them."""
    by_type: dict[str, list[Select]] = {}
    for n, source in enumerate(sources):
        if source.activity is None:
            continue
        for part in source.activity(institution_id, since, until, None):
            first, second = list(part.subquery().c)[:2]
            by_type.setdefault(type(second.type).__name__, []).append(
                select(literal(n).label("source"), first.label("alumnus_id"),
                       func.max(second).label("latest"))
                .where(first.in_(bindparam("ids", expanding=True))).group_by(first))
    return tuple(parts[0] if len(parts) == 1 else union_all(*parts)
                 for parts in by_type.values())


def download_rows(institution_id: int) -> Iterator[list[Any]]:
    """Every alumnus of the three lists (group, id, number, name, cohort, activity), read as
    plain rows; activity dates from one pass per source."""
    since, until = window()
    stmt = list_query(institution_id, "engaged", since, until)
    if stmt is None:
        detail = engagement_detail(institution_id, as_of=until)
        groups = ((LISTS["engaged"], [r.alumnus for r in detail.engaged]),
                  (LISTS["outside"], [r.alumnus for r in detail.engaged_not_contactable]),
                  (LISTS["not_engaged"], detail.not_engaged))
        sources = {r.alumnus.id: r.sources for r in detail.engaged
                   + detail.engaged_not_contactable}
        for group, alumni in groups:
            for a in alumni:
                yield [group, a.id, a.student_number, a.full_name, a.cohort_year,
                       _activity(sources.get(a.id, {}))]
        return
    sources = latest_activity(institution_id, since, until)
    columns = (Alumnus.id, Alumnus.student_number, Alumnus.given_name, Alumnus.family_name,
               Alumnus.cohort_year)
    for show in ("engaged", "outside", "not_engaged"):
        query = list_query(institution_id, show, since, until)
        for row in db.session.execute(query.with_only_columns(*columns).order_by(*KEYS)):
            name = " ".join(p for p in (row.given_name, row.family_name) if p)
            yield [LISTS[show], row.id, row.student_number, name, row.cohort_year,
                   _activity(sources.get(row.id, {}))]


def _activity(sources: dict[str, date]) -> str:
    return "; ".join(f"{k} {d.isoformat()}" for k, d in sources.items())
