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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.alumni.models import STUDY_AREAS, Alumnus
from app.core.countries import country_name
from app.core.permissions import ADMIN, scope
from app.exchange.models import DIRECTIONS, ExchangeBatch, ExchangeParticipation
from app.extensions import db

EMPLOYED = ("wage_employed", "self_employed")
SEEKING = ("unemployed_seeking",)


@dataclass
class Figure:
    code: str
    title: str
    definition: str
    numerator: int | None = None
    denominator: int | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    records: list[Any] = field(default_factory=list)  # what the denominator (or count) counted
    counted: list[Any] = field(default_factory=list)  # what the numerator counted

    @property
    def rate(self) -> float | None:
        if not self.denominator:
            return None
        return round(100.0 * (self.numerator or 0) / self.denominator, 1)


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


@dataclass
class EmploymentFigure:
    code: str
    title: str
    definition: str
    cohorts: list[CohortComparison]
    records: list[tuple[Alumnus, str, bool]]  # (alumnus, latest status, exchange alumnus?)
    available: bool = True


def started(p: ExchangeParticipation) -> bool:
    return p.status in ("in_progress", "completed") or (
        p.status == "withdrawn" and p.withdrawn_from == "in_progress")


# X1-X4 are defined once, in app/reports (the Outcomes page and the evidence pack read the
# same functions); this page shows them for every batch (or one) with its own breakdowns.
BREAKDOWN_WORDS = {"batch": ("X1a", "batch"), "direction": ("X1b", "direction"),
                   "partner_country": ("X1c", "partner country"),
                   "study_area": ("X1d", "study area")}


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
        return DIRECTIONS[key].split(" (")[0]
    if by == "partner_country":
        return country_name(key)
    return STUDY_AREAS.get(key, key)


def _records(result: Any) -> tuple[list[Any], list[Any]]:
    """(records behind the denominator or count, records behind the numerator)."""
    counted = list(db.session.scalars(result.counted.query)) if result.counted else []
    base = list(db.session.scalars(result.base.query)) if result.base else counted
    return base, counted


def _figure(code: str, title: str, results: list[Any]) -> Figure:
    """A page figure from one indicator per institution (added up; records side by side)."""
    records, counted = [], []
    for r in results:
        base, part = _records(r)
        records += base
        counted += part
    numerator = int(sum(r.numerator or 0 for r in results))
    rate = results[0].unit == "ratio" if results else False
    denominator = int(sum(r.denominator or 0 for r in results)) if rate else None
    definition = results[0].definition if results else ""
    return Figure(code, title, definition, numerator=numerator, denominator=denominator,
                  records=records, counted=counted)


def participant_figures(selections: list[Any]) -> list[Figure]:
    """X1 by batch, direction, partner country and study area (app/reports X1 and its
    grouped counts)."""
    from app.reports.indicators import compute
    from app.reports.indicators.exchange import participant_breakdown

    totals = [compute("X1", sel, "total") for sel in selections]
    batches = {b.id: b.label for b in db.session.scalars(select(ExchangeBatch))}
    out = []
    for by, (code, what) in BREAKDOWN_WORDS.items():
        figure = _figure(code, f"Participants by {what}", totals)
        figure.counted = []
        breakdown: Counter = Counter()
        for sel in selections:
            for key, n in participant_breakdown(sel, by).items():
                breakdown[_label(by, key, batches)] += n
        figure.breakdown = dict(sorted(breakdown.items()))
        out.append(figure)
    return out


def rate_figures(selections: list[Any]) -> list[Figure]:
    """X2 completion, X3 evaluation-form submission, X4 credit recognition (app/reports)."""
    from app.reports.indicators import compute

    return [_figure(code, title, [compute(code, sel, "rate") for sel in selections])
            for code, title in (("X2", "Completion rate"),
                                ("X3", "Evaluation-form submission rate"),
                                ("X4", "Credit recognition rate"))]


def employment_comparison(*, actor: Any, cohorts: list[int] | None = None) -> EmploymentFigure:
    """X5: employment rate of exchange alumni beside the other alumni of their cohort."""
    definition = ("Employment rate = (wage + self-employed) / (wage + self-employed + "
                  "unemployed seeking), from each alumnus's latest employment record, per "
                  "cohort; exchange alumni (at least one exchange that started) vs the others.")
    title = "Employment of exchange alumni beside their cohort"
    try:
        from app.employment.services import latest_employment_statuses
    except ImportError:
        return EmploymentFigure("X5", title, definition, [], [], available=False)
    linked = db.session.scalars(
        scope(select(ExchangeParticipation), ExchangeParticipation, actor)
        .where(ExchangeParticipation.alumnus_id.is_not(None)))
    exchange_ids = {p.alumnus_id for p in linked if started(p)}
    exchange_cohorts = set(db.session.scalars(
        select(Alumnus.cohort_year).where(Alumnus.id.in_(list(exchange_ids)))
    )) if exchange_ids else set()
    wanted = set(cohorts) if cohorts else exchange_cohorts
    wanted.discard(None)
    if not wanted:
        return EmploymentFigure("X5", title, definition, [], [])
    in_cohorts = (scope(select(Alumnus), Alumnus, actor)
                  .where(Alumnus.cohort_year.in_(sorted(wanted)), Alumnus.archived_at.is_(None)))
    alumni = list(db.session.scalars(in_cohorts.order_by(Alumnus.cohort_year, Alumnus.id)))
    statuses = latest_employment_statuses(in_cohorts.with_only_columns(Alumnus.id))
    table = {year: CohortComparison(year) for year in sorted(wanted)}
    records = []
    for alumnus in alumni:
        status = statuses.get(alumnus.id)
        if status is None:
            continue
        is_exchange = alumnus.id in exchange_ids
        records.append((alumnus, status, is_exchange))
        row = table[alumnus.cohort_year]
        in_force = status in EMPLOYED or status in SEEKING
        employed = status in EMPLOYED
        if is_exchange:
            row.exchange_labour_force += in_force
            row.exchange_employed += employed
        else:
            row.others_labour_force += in_force
            row.others_employed += employed
    return EmploymentFigure("X5", title, definition, list(table.values()), records)


@dataclass
class ExchangeReport:
    figures: list[Figure]
    employment: EmploymentFigure

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)


def exchange_figures(*, actor: Any, batch_id: int | None = None) -> ExchangeReport:
    """Every exchange figure for the actor's institution (optionally one batch)."""
    selections = _selections(actor, batch_id)
    figures = participant_figures(selections) + rate_figures(selections)
    return ExchangeReport(figures, employment_comparison(actor=actor))

