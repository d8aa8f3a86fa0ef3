"""Exchange indicators X1-X4, for the institution's exchange batches of the years (the
batch year). A participant is a participation that started: in progress, completed, or
withdrawn during the exchange (nominations and withdrawals before the start are not)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select

from app.alumni.models import Institution
from app.core.i18n import N_
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.extensions import db
from app.reports.indicators.registry import EXCHANGE, indicator
from app.reports.indicators.result import COUNT, RATIO, Indicator, RecordList, Selection, ratio

P = ExchangeParticipation
STARTED = or_(P.status.in_(("in_progress", "completed")),
              and_(P.status == "withdrawn", P.withdrawn_from == "in_progress"))
COMPLETED = P.status == "completed"
WITHDRAWN_DURING = and_(P.status == "withdrawn", P.withdrawn_from == "in_progress")
# What X1-X4 count, by name: the counts and the records behind them use the same condition.
CONDITIONS = {
    "started": STARTED,
    "outgoing": and_(STARTED, P.direction == "outgoing"),
    "incoming": and_(STARTED, P.direction == "incoming"),
    "completed": COMPLETED,
    "decided": or_(COMPLETED, WITHDRAWN_DURING),
    "submitted": and_(COMPLETED, P.evaluation_submitted.is_(True)),
    "outgoing_completed": and_(COMPLETED, P.direction == "outgoing"),
    "recognised": and_(COMPLETED, P.direction == "outgoing", P.credits_recognised.is_(True)),
}


def _of_years_bound(one_batch: bool, values: dict[str, Any] | None = None):
    """SQL condition on participations: in the institution's batches of the years (or its one
    batch), as bound parameters: without `values` left open, so the counts' statements are
    built once and run with `_bound_values` (building one cost twice what running it does)."""
    def param(name: str, **kw):
        return bindparam(name, values[name], **kw) if values else bindparam(name, **kw)

    batches = select(ExchangeBatch.id).where(
        ExchangeBatch.institution_id == param("institution_id"),
        ExchangeBatch.year.in_(param("years", expanding=True)))
    if one_batch:
        batches = batches.where(ExchangeBatch.id == param("batch_id"))
    return and_(P.institution_id == param("institution_id"), P.batch_id.in_(batches))


def _bound_values(sel: Selection) -> dict[str, Any]:
    values = {"institution_id": sel.institution_id, "years": list(sel.cohort_years)}
    if sel.params.batch_id is not None:
        values["batch_id"] = sel.params.batch_id
    return values


def _of_years(sel: Selection):
    """`_of_years_bound` with the selection's values in place (for the records' queries)."""
    return _of_years_bound(sel.params.batch_id is not None, _bound_values(sel))


def batch_years(institution_id: int) -> list[int]:
    """The years of the institution's exchange batches (to select all of them)."""
    return list(db.session.scalars(select(ExchangeBatch.year).distinct().where(
        ExchangeBatch.institution_id == institution_id).order_by(ExchangeBatch.year)))


BREAKDOWNS = ("batch", "direction", "partner_country", "study_area")


@cache
def _breakdown_statement(by: str, one_batch: bool) -> Select:
    partner = case((P.direction == "outgoing", P.receiving_institution_id),
                   else_=P.sending_institution_id)
    key = {"batch": P.batch_id, "direction": P.direction, "study_area": P.study_area,
           "partner_country": Institution.country}[by]
    stmt = select(key, func.count(P.id)).select_from(P)
    if by == "partner_country":
        stmt = stmt.join(Institution, Institution.id == partner)
    return stmt.where(_of_years_bound(one_batch), STARTED).group_by(key)


def participant_breakdown(sel: Selection, by: str) -> dict[Any, int]:
    """X1's participants (started) counted by batch id, direction, partner country (the
    receiving institution's going out, the sending one's coming in) or study area: one
    grouped aggregate."""
    stmt = _breakdown_statement(by, sel.params.batch_id is not None)
    return {k: n for k, n in db.session.execute(stmt, _bound_values(sel))}


def _participations(sel: Selection, *conditions) -> RecordList:
    return RecordList("participation", select(P).where(_of_years(sel), *conditions)
                      .order_by(P.batch_id, P.family_name, P.given_name, P.id))


@cache
def _counts_statement(part: str, whole: str, one_batch: bool) -> Select:
    return (select(func.count(P.id).filter(CONDITIONS[part]),
                   func.count(P.id).filter(CONDITIONS[whole]))
            .where(_of_years_bound(one_batch)))


def _counts(sel: Selection, part: str, whole: str) -> tuple[int, int]:
    """(participations meeting CONDITIONS[part], those meeting CONDITIONS[whole])."""
    stmt = _counts_statement(part, whole, sel.params.batch_id is not None)
    row = db.session.execute(stmt, _bound_values(sel)).one()
    return row[0] or 0, row[1] or 0


X1_WORDS = {
    "total": (N_("Exchange participants"),
              N_("Exchange participants: participations in the years' batches that started "
                 "(in progress, completed, or withdrawn during the exchange).")),
    "outgoing": (N_("Outgoing participants"),
                 N_("Outgoing participants: participations in the years' batches that started "
                    "(in progress, completed, or withdrawn during the exchange).")),
    "incoming": (N_("Incoming participants"),
                 N_("Incoming participants: participations in the years' batches that started "
                    "(in progress, completed, or withdrawn during the exchange).")),
}


@indicator("X1", "Exchange participants", ("total", "outgoing", "incoming"), EXCHANGE)
def participants(sel: Selection, variant: str) -> Indicator:
    """X1: participants of the years' batches, all or by direction."""
    chosen = "started" if variant == "total" else variant
    n, _ = _counts(sel, chosen, chosen)
    return Indicator("X1", variant, *X1_WORDS[variant], COUNT, n, n,
                     None, counted=_participations(sel, CONDITIONS[chosen]))


@indicator("X2", "Exchange completion rate", ("rate",), EXCHANGE)
def completion(sel: Selection, variant: str) -> Indicator:
    """X2: completed / (completed + withdrawn during the exchange)."""
    part, whole = _counts(sel, "completed", "decided")
    return Indicator("X2", variant, N_("Completion rate"),
                     N_("Completed / (completed + withdrawn during the exchange); exchanges "
                        "still running are not decided yet."), RATIO, ratio(part, whole), part,
                     whole, counted=_participations(sel, CONDITIONS["completed"]),
                     base=_participations(sel, CONDITIONS["decided"]))


@indicator("X3", "Evaluation-form submission", ("rate",), EXCHANGE)
def evaluation(sel: Selection, variant: str) -> Indicator:
    """X3: completed with the evaluation form submitted / completed."""
    part, whole = _counts(sel, "submitted", "completed")
    return Indicator("X3", variant, N_("Evaluation-form submission rate"),
                     N_("Completed with the evaluation form submitted / completed."), RATIO,
                     ratio(part, whole), part, whole,
                     counted=_participations(sel, CONDITIONS["submitted"]),
                     base=_participations(sel, CONDITIONS["completed"]))


@indicator("X4", "Credit recognition", ("rate",), EXCHANGE)
def recognition(sel: Selection, variant: str) -> Indicator:
    """X4: outgoing completed with credits recognised / outgoing completed."""
    part, whole = _counts(sel, "recognised", "outgoing_completed")
    return Indicator("X4", variant, N_("Credit recognition rate"),
                     N_("Outgoing completed with credits recognised by our institution / "
                        "outgoing completed."), RATIO, ratio(part, whole), part, whole,
                     counted=_participations(sel, CONDITIONS["recognised"]),
                     base=_participations(sel, CONDITIONS["outgoing_completed"]))
