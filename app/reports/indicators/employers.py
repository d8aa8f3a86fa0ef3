"""M11 employer satisfaction: per competency, the shares of employers rating the programme's
graduates very good / good / fair / poor, and how many employers answered. The years are
the years the employers were asked about (the survey year of the employer feedback)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.i18n import N_
from app.employment import codes
from app.employment.models import EmployerFeedback, EmployerRating
from app.employment.satisfaction import latest_answers
from app.extensions import db
from app.reports.indicators.registry import indicator
from app.reports.indicators.result import (
    COUNT,
    RATIO,
    Indicator,
    RecordList,
    Said,
    Selection,
    Word,
    ratio,
)
from app.reports.indicators.shared import cohorts_of, once

M11_VARIANTS = ("employers", *(f"{c}.{level}" for c in codes.COMPETENCIES
                               for level in codes.SATISFACTION_LEVELS))


def counted_feedback(sel: Selection):
    """SQL condition on EmployerFeedback: an answer counted for the selection (one per
    employer, programme and year: the latest, as on the employer satisfaction page)."""
    return (EmployerFeedback.institution_id == sel.institution_id) & \
        EmployerFeedback.programme_id.in_(sel.programme_ids) & \
        EmployerFeedback.year.in_(sel.cohort_years) & \
        EmployerFeedback.id.in_(latest_answers())


def rating_counts(sel: Selection) -> dict[str, dict[str, int]]:
    """Counted employer ratings per competency and level (one grouped aggregate)."""
    def run() -> dict[str, dict[str, int]]:
        r = EmployerRating
        out: dict[str, dict[str, int]] = {}
        for competency, level, n in db.session.execute(
                select(r.competency, r.level, func.count(r.id))
                .join(EmployerFeedback, EmployerFeedback.id == r.feedback_id)
                .where(counted_feedback(sel)).group_by(r.competency, r.level)):
            out.setdefault(competency, {})[level] = n
        return out
    return once(("rating_counts", cohorts_of(sel)), run)


@indicator("M11", "Employer satisfaction", M11_VARIANTS)
def employer_satisfaction(sel: Selection, variant: str) -> Indicator:
    """M11: employers answering, or per competency and level the share of employers."""
    answers = select(EmployerFeedback).where(counted_feedback(sel)).order_by(
        EmployerFeedback.year, EmployerFeedback.id)
    if variant == "employers":
        n = db.session.scalar(select(func.count(func.distinct(EmployerFeedback.employer_id)))
                              .where(counted_feedback(sel))) or 0
        records = RecordList("employer_feedback", answers)
        return Indicator("M11", variant, N_("Employers answering"),
                         N_("Employers who rated the programme's graduates in the years."),
                         COUNT, n, n, None, counted=records, base=records)
    competency, level = variant.split(".")
    r = EmployerRating
    levels = rating_counts(sel).get(competency, {})
    part, whole = levels.get(level, 0), sum(levels.values())
    with_rating = answers.join(r, r.feedback_id == EmployerFeedback.id).where(
        r.competency == competency)
    words = Word(codes.SATISFACTION_LEVELS[level], lower=True)
    return Indicator("M11", variant,
                     Said(N_("%(competency)s: %(level)s"),
                          competency=Word(codes.COMPETENCIES[competency]), level=words),
                     Said(N_("Employer answers rating the graduates' %(competency)s %(level)s / "
                             "employer answers rating it."),
                          competency=Word(codes.COMPETENCIES[competency], lower=True),
                          level=words), RATIO, ratio(part, whole), part, whole,
                     counted=RecordList("employer_feedback", with_rating.where(r.level == level)),
                     base=RecordList("employer_feedback", with_rating))
