"""Exchange figures (X1–X5). Each figure is computed by one function that also returns the
records it counted, so a page or a report can show how the number was made.

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
from sqlalchemy.orm import joinedload

from app.alumni.models import STUDY_AREAS, Alumnus
from app.core.countries import country_name
from app.core.permissions import scope
from app.exchange.models import DIRECTIONS, ExchangeParticipation
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


def _by(code: str, what: str, participations: list[ExchangeParticipation], key) -> Figure:
    counted = [p for p in participations if started(p)]
    breakdown = Counter(key(p) for p in counted)
    return Figure(code, f"Participants by {what}",
                  f"Participations that started (in progress, completed, or withdrawn during "
                  f"the exchange), counted by {what}.",
                  numerator=len(counted), breakdown=dict(sorted(breakdown.items())),
                  records=counted)


def participants_by_batch(participations: list[ExchangeParticipation]) -> Figure:
    """X1: participants per batch."""
    return _by("X1a", "batch", participations, lambda p: p.batch.label)


def participants_by_direction(participations: list[ExchangeParticipation]) -> Figure:
    """X1: participants going out and coming in."""
    return _by("X1b", "direction", participations,
               lambda p: DIRECTIONS[p.direction].split(" (")[0])


def participants_by_partner_country(participations: list[ExchangeParticipation]) -> Figure:
    """X1: participants per country of the partner institution."""
    return _by("X1c", "partner country", participations,
               lambda p: country_name(p.partner_institution.country))


def participants_by_study_area(participations: list[ExchangeParticipation]) -> Figure:
    """X1: participants per SEAMEO study area."""
    return _by("X1d", "study area", participations,
               lambda p: STUDY_AREAS.get(p.study_area, p.study_area))


def completion_rate(participations: list[ExchangeParticipation]) -> Figure:
    """X2: completed / (completed + withdrawn during the exchange)."""
    decided = [p for p in participations if p.status == "completed"
               or (p.status == "withdrawn" and p.withdrawn_from == "in_progress")]
    done = [p for p in decided if p.status == "completed"]
    return Figure("X2", "Completion rate",
                  "Completed / (completed + withdrawn during the exchange).",
                  numerator=len(done), denominator=len(decided), records=decided, counted=done)


def evaluation_rate(participations: list[ExchangeParticipation]) -> Figure:
    """X3: completed participants who submitted the evaluation form / completed."""
    done = [p for p in participations if p.status == "completed"]
    submitted = [p for p in done if p.evaluation_submitted]
    return Figure("X3", "Evaluation-form submission rate",
                  "Completed with the evaluation form submitted / completed.",
                  numerator=len(submitted), denominator=len(done), records=done,
                  counted=submitted)


def recognition_rate(participations: list[ExchangeParticipation]) -> Figure:
    """X4: outgoing completed with credits recognised / outgoing completed."""
    done = [p for p in participations if p.status == "completed" and p.direction == "outgoing"]
    recognised = [p for p in done if p.credits_recognised]
    return Figure("X4", "Credit recognition rate",
                  "Outgoing completed with credits recognised by our institution / "
                  "outgoing completed.",
                  numerator=len(recognised), denominator=len(done), records=done,
                  counted=recognised)


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
    participations: list[ExchangeParticipation]
    figures: list[Figure]
    employment: EmploymentFigure

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)


def load_participations(*, actor: Any, batch_id: int | None = None
                        ) -> list[ExchangeParticipation]:
    stmt = scope(select(ExchangeParticipation), ExchangeParticipation, actor).options(
        joinedload(ExchangeParticipation.batch),
        joinedload(ExchangeParticipation.sending_institution),
        joinedload(ExchangeParticipation.receiving_institution))
    if batch_id:
        stmt = stmt.where(ExchangeParticipation.batch_id == batch_id)
    return list(db.session.scalars(stmt.order_by(ExchangeParticipation.id)).unique())


def exchange_figures(*, actor: Any, batch_id: int | None = None) -> ExchangeReport:
    """Every exchange figure for the actor's institution (optionally one batch)."""
    rows = load_participations(actor=actor, batch_id=batch_id)
    figures = [f(rows) for f in (participants_by_batch, participants_by_direction,
                                 participants_by_partner_country, participants_by_study_area,
                                 completion_rate, evaluation_rate, recognition_rate)]
    return ExchangeReport(rows, figures, employment_comparison(actor=actor))

