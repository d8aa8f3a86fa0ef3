"""Exchange figures (X1–X5) for the exchange page. X1-X4 are the functions of app/reports
(defined once there, with the records they counted); this module adds the page's breakdowns
and X5.

Definitions:
- participants: participations that started — in progress, completed, or withdrawn during
  the exchange; nominations, acceptances and withdrawals before the start are not counted.
- X1 participants by batch, direction, partner country (the other side's country) and study
  area.
- X2 completion rate: completed / (completed + withdrawn during the exchange); exchanges
  still running are not decided yet.
- X3 evaluation-form submission rate: completed with the form submitted / completed.
- X4 credit recognition rate: outgoing completed with credits recognised / outgoing
  completed (the sending institution recognises credits; for outgoing students that is us).
- X5 employment of exchange alumni beside the rest of their cohort: employment rate
  = (wage + self-employed) / (wage + self-employed + unemployed seeking), from each alumnus's
  latest employment record, per cohort year, exchange alumni vs the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, func, select

from app.alumni.models import STUDY_AREAS, Alumnus
from app.core.countries import country_name
from app.core.figure_cache import cached_figure
from app.core.i18n import N_
from app.core.pagination import SeekPage, seek_page
from app.core.permissions import ADMIN, scope
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.extensions import db

EMPLOYED = ("wage_employed", "self_employed")
SEEKING = ("unemployed_seeking",)


@dataclass
class Figure:
    """A figure's numbers (kept a while, see exchange_figures) and the queries of the records it
    counted: the records are read only when a page shows them."""

    code: str
    title: str
    definition: str
    numerator: int | None = None
    denominator: int | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    by: str | None = None  # what the breakdown is by (batch, direction, …)
    keys: dict[str, Any] = field(default_factory=dict)  # each part's code (batch id, country)
    record_queries: list[Select] = field(default_factory=list)  # the denominator's (or count's)
    counted_queries: list[Select] = field(default_factory=list)  # the numerator's
    # A kept figure (numbers only): the same figure counted now, for its records' queries.
    counted_now: Callable[[], Figure] | None = None

    @property
    def rate(self) -> float | None:
        if not self.denominator:
            return None
        return round(100.0 * (self.numerator or 0) / self.denominator, 1)

    def _queries(self) -> Figure:
        return self if self.counted_now is None else self.counted_now()

    @property
    def records(self) -> list[Any]:
        """What the denominator (or count) counted, read now."""
        return [r for q in self._queries().record_queries for r in db.session.scalars(q)]

    @property
    def counted(self) -> list[Any]:
        """What the numerator counted, read now."""
        return [r for q in self._queries().counted_queries for r in db.session.scalars(q)]

    @property
    def counted_ids(self) -> set[int]:
        """The ids of what the numerator counted (one query each, ids only)."""
        return {i for q in self._queries().counted_queries
                for i in db.session.scalars(q.with_only_columns(ExchangeParticipation.id))}


@dataclass
class CohortComparison:
    cohort: int
    exchange_employed: int = 0
    exchange_labour_force: int = 0
    others_employed: int = 0
    others_labour_force: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    @property
    def exchange_rate(self) -> float | None:
        return self._rate(self.exchange_employed, self.exchange_labour_force)

    @property
    def others_rate(self) -> float | None:
        return self._rate(self.others_employed, self.others_labour_force)


# X5's records in the order they are listed (each alumnus once: the id ends the order).
RECORD_KEYS = (Alumnus.cohort_year, Alumnus.id)


@dataclass
class EmploymentFigure:
    code: str
    title: str
    definition: str
    cohorts: list[CohortComparison]
    # Builds the query of the (alumnus, latest status, exchange alumnus?) rows counted: only
    # when the records are shown (building it cost a tenth of the page).
    records_query_of: Callable[[], Select] | None = None
    available: bool = True
    counted_at: datetime | None = None  # when the counts were counted, if kept
    # The same alumni as (alumnus, exchange alumnus?) without their status, for a page of
    # them in index order (the statuses are then read for that page's alumni only).
    page_query_of: Callable[[], Select] | None = None

    @property
    def records(self) -> list[Any]:
        """Every alumnus counted, read now as plain columns (at 100,000 alumni the whole list
        as objects took 5.8 s): rows with `student_number`, `given_name`, `preferred_name`,
        `family_name`, `cohort_year`, `status` (the latest) and `exchange` (an exchange
        alumnus?)."""
        if self.records_query_of is None:
            return []
        query = self.records_query_of()
        status, exchange = list(query.selected_columns)[-2:]  # after the alumnus's columns
        return db.session.execute(query.with_only_columns(
            Alumnus.student_number, Alumnus.given_name, Alumnus.preferred_name,
            Alumnus.family_name, Alumnus.cohort_year, status, exchange)
            .order_by(*RECORD_KEYS)).all()

    def records_page(self, **paging: Any) -> SeekPage | None:
        """One page of `records` (every alumnus of the exchange cohorts: a list as long as
        those cohorts), by cohort and id; `paging` as `seek_page` takes it. Its `rows` are
        (alumnus, latest status, exchange alumnus?, keys…)."""
        if self.page_query_of is None:
            return None
        from app.employment.services import latest_employment_statuses

        found = seek_page(self.page_query_of(), RECORD_KEYS, descending=False, **paging)
        ids = [a.id for a in found.items]
        statuses = latest_employment_statuses(select(Alumnus.id).where(Alumnus.id.in_(ids)))
        found.rows = [(row[0], statuses.get(row[0].id), row[1], *row[2:]) for row in found.rows]
        return found


def started(p: ExchangeParticipation) -> bool:
    return p.status in ("in_progress", "completed") or (
        p.status == "withdrawn" and p.withdrawn_from == "in_progress")


# X1-X4 are defined once, in app/reports (the Outcomes page and the evidence pack read the
# same functions); this page shows them for every batch (or one) with its own breakdowns.
# The titles (and the X5 words below) are English for the downloads, marked N_ so the page
# says them in its language.
BREAKDOWN_WORDS = {"batch": ("X1a", N_("Participants by batch")),
                   "direction": ("X1b", N_("Participants by direction")),
                   "partner_country": ("X1c", N_("Participants by partner country")),
                   "study_area": ("X1d", N_("Participants by study area"))}
DIRECTION_WORDS = {"outgoing": N_("Outgoing"), "incoming": N_("Incoming")}


def _selections(actor: Any, batch_id: int | None) -> list[Any]:
    """One selection per institution the actor sees (administrators: every institution with
    exchange participations), over every batch year or the one batch."""
    from app.reports.indicators import Params, make_selection
    from app.reports.indicators.exchange import batch_years

    if actor.role == ADMIN:
        institutions = list(db.session.scalars(
            select(ExchangeParticipation.institution_id).distinct()))
    else:
        institutions = [actor.institution_id]
    params = Params(batch_id=batch_id)
    return [make_selection(i, [], batch_years(i), 0, params) for i in institutions]


def _label(by: str, key: Any, batches: dict[int, str]) -> str:
    if by == "batch":
        return batches.get(key, str(key))
    if by == "direction":
        return DIRECTION_WORDS.get(key, key)
    if by == "partner_country":
        return country_name(key)
    return STUDY_AREAS.get(key, key)


def _figure(code: str, title: str, results: list[Any]) -> Figure:
    """A page figure from one indicator per institution (added up; records side by side)."""
    counted = [r.counted.query for r in results if r.counted]
    records = [(r.base or r.counted).query for r in results if r.base or r.counted]
    numerator = int(sum(r.numerator or 0 for r in results))
    rate = results[0].unit == "ratio" if results else False
    denominator = int(sum(r.denominator or 0 for r in results)) if rate else None
    definition = results[0].definition if results else ""
    return Figure(code, title, definition, numerator=numerator, denominator=denominator,
                  record_queries=records, counted_queries=counted)


def participant_figures(selections: list[Any]) -> list[Figure]:
    """X1 by batch, direction, partner country and study area (app/reports X1 and its
    grouped counts)."""
    from app.reports.indicators import compute
    from app.reports.indicators.exchange import participant_breakdown

    totals = [compute("X1", sel, "total") for sel in selections]
    batches = {b.id: b.label for b in db.session.scalars(select(ExchangeBatch))}
    out = []
    for by, (code, title) in BREAKDOWN_WORDS.items():
        figure = _figure(code, title, totals)
        figure.counted_queries, figure.by = [], by
        breakdown: Counter = Counter()
        for sel in selections:
            for key, n in participant_breakdown(sel, by).items():
                label = _label(by, key, batches)
                breakdown[label] += n
                figure.keys[label] = key
        figure.breakdown = dict(sorted(breakdown.items()))
        out.append(figure)
    return out


def rate_figures(selections: list[Any]) -> list[Figure]:
    """X2 completion, X3 evaluation-form submission, X4 credit recognition (app/reports)."""
    from app.reports.indicators import compute

    return [_figure(code, title, [compute(code, sel, "rate") for sel in selections])
            for code, title in (("X2", N_("Completion rate")),
                                ("X3", N_("Evaluation-form submission rate")),
                                ("X4", N_("Credit recognition rate")))]


X5_DEFINITION = N_("Employment rate = (wage + self-employed) / (wage + self-employed + "
                 "unemployed seeking), from each alumnus's latest employment record, per "
                 "cohort; exchange alumni (at least one exchange that started) vs the others.")
X5_TITLE = N_("Employment of exchange alumni beside their cohort")


def _x5_parts(actor: Any, cohorts: list[int] | None
              ) -> tuple[list[int], Any, Any, Select] | None:
    """(the cohort years, each alumnus's latest status as a subquery, "is an exchange
    alumnus" as a condition, the cohorts' alumni ids), or None when employment records are
    not installed."""
    try:
        from app.employment.services import latest_employment_status_rows
    except ImportError:
        return None
    from app.reports.indicators.exchange import STARTED

    exchange_ids = (scope(select(ExchangeParticipation.alumnus_id), ExchangeParticipation, actor)
                    .where(ExchangeParticipation.alumnus_id.is_not(None), STARTED))
    if cohorts:
        wanted = sorted(set(cohorts))
    else:
        wanted = list(db.session.scalars(
            select(Alumnus.cohort_year).distinct()
            .where(Alumnus.id.in_(exchange_ids), Alumnus.cohort_year.is_not(None))
            .order_by(Alumnus.cohort_year)))
    in_cohorts = (scope(select(Alumnus.id), Alumnus, actor)
                  .where(Alumnus.cohort_year.in_(wanted), Alumnus.archived_at.is_(None)))
    latest = latest_employment_status_rows(in_cohorts).subquery()
    return wanted, latest, Alumnus.id.in_(exchange_ids), in_cohorts


def x5_cohorts(actor: Any, cohorts: list[int] | None = None) -> list[CohortComparison] | None:
    """X5's counts per cohort: one grouped aggregate over each alumnus's latest employment
    status (in the database); None when employment records are not installed."""
    parts = _x5_parts(actor, cohorts)
    if parts is None:
        return None
    wanted, latest, is_exchange, _ = parts
    if not wanted:
        return []
    status = latest.c.status
    employed, in_force = status.in_(EMPLOYED), status.in_(EMPLOYED + SEEKING)
    table = {year: CohortComparison(year) for year in wanted}
    rows = db.session.execute(
        select(Alumnus.cohort_year, is_exchange.label("exchange"),
               func.count().filter(employed), func.count().filter(in_force))
        .join(latest, latest.c.alumnus_id == Alumnus.id)
        .group_by(Alumnus.cohort_year, is_exchange))
    for year, exchange, n_employed, n_force in rows:
        row = table[year]
        if exchange:
            row.exchange_employed, row.exchange_labour_force = n_employed, n_force
        else:
            row.others_employed, row.others_labour_force = n_employed, n_force
    return list(table.values())


def employment_comparison(*, actor: Any, cohorts: list[int] | None = None,
                          kept: bool = False) -> EmploymentFigure:
    """X5: employment rate of exchange alumni beside the other alumni of their cohort. With
    `kept`, the counts may be a minute old (they read every alumnus of the exchange cohorts;
    see app.core.figure_cache); the records behind them are read when shown."""
    if kept:
        who = SimpleNamespace(role=actor.role, institution_id=actor.institution_id)
        counts, counted_at = cached_figure(("exchange_x5", who.role, who.institution_id,
                                            tuple(cohorts or ())),
                                           lambda: x5_cohorts(who, cohorts))
    else:
        counts, counted_at = x5_cohorts(actor, cohorts), None
    if counts is None:
        return EmploymentFigure("X5", X5_TITLE, X5_DEFINITION, [], available=False)
    if not counts:
        return EmploymentFigure("X5", X5_TITLE, X5_DEFINITION, [], counted_at=counted_at)

    def records_query() -> Select:
        _, latest, is_exchange, _ = _x5_parts(actor, [c.cohort for c in counts])
        return (select(Alumnus, latest.c.status, is_exchange.label("exchange"))
                .join(latest, latest.c.alumnus_id == Alumnus.id))

    def page_query() -> Select:
        from app.employment.services import has_employment_record

        _, _, is_exchange, in_cohorts = _x5_parts(actor, [c.cohort for c in counts])
        # the cohorts' conditions on the listed alumni themselves (an IN over a second read
        # of the register made the database sort all of them for each page)
        return select(Alumnus, is_exchange).where(in_cohorts.whereclause,
                                                  has_employment_record())

    return EmploymentFigure("X5", X5_TITLE, X5_DEFINITION, counts, records_query,
                            counted_at=counted_at, page_query_of=page_query)


@dataclass
class ExchangeReport:
    figures: list[Figure]
    employment: EmploymentFigure
    counted_at: datetime | None = None  # when X1-X4 were counted, if kept

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)


def count_figures(actor: Any, batch_id: int | None = None) -> list[Figure]:
    """X1 (with its breakdowns) to X4 for the actor's institution (optionally one batch),
    counted now: grouped counts over the participations."""
    selections = _selections(actor, batch_id)
    return participant_figures(selections) + rate_figures(selections)


def _kept_figures(actor: Any, batch_id: int | None) -> tuple[list[Figure], datetime]:
    """X1-X4's numbers kept a while (see app.core.figure_cache), with when they were
    counted; each figure reads its records from the same figures counted now, when shown."""
    who = SimpleNamespace(role=actor.role, institution_id=actor.institution_id)
    kept, counted_at = cached_figure(
        ("exchange_figures", who.role, who.institution_id, batch_id),
        lambda: [replace(f, record_queries=[], counted_queries=[])
                 for f in count_figures(who, batch_id)])
    now: dict[str, Figure] = {}

    def counted_now(code: str) -> Figure:
        if not now:  # once for every figure whose records the page shows
            now.update((f.code, f) for f in count_figures(actor, batch_id))
        return now[code]

    return [replace(f, counted_now=lambda code=f.code: counted_now(code))
            for f in kept], counted_at


def exchange_figures(*, actor: Any, batch_id: int | None = None,
                     kept: bool = False) -> ExchangeReport:
    """Every exchange figure for the actor's institution (optionally one batch): X1-X4 counted
    now (grouped counts over the participations), or with `kept` (the page, on every view)
    kept a while and saying when they were counted; X5 kept a while (it reads every alumnus
    of the exchange cohorts) and saying when it was counted. The records behind a figure
    are read when the page shows them."""
    if kept:
        counts, counted_at = _kept_figures(actor, batch_id)
    else:
        counts, counted_at = count_figures(actor, batch_id), None
    return ExchangeReport(counts, employment_comparison(actor=actor, kept=True), counted_at)
