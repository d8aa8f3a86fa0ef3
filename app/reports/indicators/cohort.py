"""Whose outcome counts: the cohort, its respondents and the undeliverable, as SQL.

- The cohort (N): the programme's alumni with that graduation (cohort) year, not archived.
  A merge deletes the merged-away record, so nobody is in a cohort twice.
- Respondents (R): cohort alumni with a response to a tracer survey that covers their cohort
  (programme and year) at the reference point, answered on the web or imported. Where an
  alumnus answered two such surveys, the latest response counts, once.
- Undeliverable: cohort alumni without a response whose invitation to such a survey could
  not be delivered.
Everything here returns SQL expressions; the indicator modules aggregate them in the database.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import Select, and_, case, func, or_, select

from app.alumni.models import Alumnus
from app.core.db import IdList, in_ids
from app.employment import codes
from app.employment.models import (
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
    TracerSurveyCohort,
)
from app.extensions import db
from app.reports.indicators.result import Selection
from app.reports.indicators.shared import cohorts_of, once, sharing

EMPLOYED = codes.EMPLOYED  # wage employed, self-employed
SEEKING = ("unemployed_seeking",)
FURTHER_STUDY = ("further_study",)
# Thailand's D: further study, military or national service, ordination.
THAI_EXCLUDED = ("further_study", "military_service", "ordination")


def in_cohort(sel: Selection):
    """SQL condition on Alumnus: in one of the selected cohorts."""
    return and_(Alumnus.institution_id == sel.institution_id,
                Alumnus.programme_id.in_(sel.programme_ids),
                Alumnus.cohort_year.in_(sel.cohort_years),
                Alumnus.archived_at.is_(None))


def cohort_ids(sel: Selection) -> Select:
    return select(Alumnus.id).where(in_cohort(sel))


def cohort_alumni(sel: Selection) -> Select:
    """The cohort's alumni (N), in register order."""
    return select(Alumnus).where(in_cohort(sel)).order_by(
        Alumnus.cohort_year, Alumnus.family_name, Alumnus.given_name, Alumnus.id)


def _covers(survey_id):
    """SQL condition: the survey covers the alumnus's cohort (programme and year)."""
    return select(TracerSurveyCohort.id).where(
        TracerSurveyCohort.survey_id == survey_id,
        TracerSurveyCohort.programme_id == Alumnus.programme_id,
        TracerSurveyCohort.cohort_year == Alumnus.cohort_year).exists()


def respondent_response_ids(sel: Selection) -> Select:
    """The id of each respondent's counted response (the latest of the covering surveys)."""
    return select(_counted_ids(sel).c.id)


def response_filter(sel: Selection):
    """SQL condition on SurveyResponse: it is a respondent's counted response. Inside a
    `shared_queries` block the selection's counted responses are read once and later
    statements name their ids (bound as one parameter), so each statement does not rank the
    cohort's responses again; the condition then holds the ids as they were at that read,
    the same ones every figure of the block counted."""
    if not sharing():
        return SurveyResponse.id.in_(respondent_response_ids(sel))
    ids = once(("counted_response_ids", cohorts_of(sel)),
               lambda: IdList(db.session.scalars(respondent_response_ids(sel))))
    return in_ids(SurveyResponse.id, ids)


@lru_cache(maxsize=512)
def _counted_ids(sel: Selection):
    """The counted responses as one common table expression per selection (the same object
    each time, so a statement that names it twice holds it once). PostgreSQL is told to
    compute it once (MATERIALIZED): on tables whose statistics lag behind a big import the
    planner otherwise re-ran the ranking for every response row."""
    ranked = (
        select(SurveyResponse.id.label("id"),
               func.row_number().over(
                   partition_by=SurveyResponse.alumnus_id,
                   order_by=(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc()),
               ).label("rank"))
        .join(Alumnus, Alumnus.id == SurveyResponse.alumnus_id)
        .join(TracerSurvey, TracerSurvey.id == SurveyResponse.survey_id)
        # Driven from the cohort's alumni (ix_alumnus_cohort), then their responses by
        # alumnus: a condition on survey_response.institution_id would let the planner read
        # every response of the institution instead.
        .where(in_cohort(sel), TracerSurvey.reference_months == sel.reference_months,
               _covers(TracerSurvey.id))
        .subquery("ranked_response"))
    name = "counted_response_" + hashlib.sha1(repr(sel).encode()).hexdigest()[:10]
    return (select(ranked.c.id).where(ranked.c.rank == 1).cte(name)
            .prefix_with("MATERIALIZED", dialect="postgresql"))


def counted_responses(sel: Selection, *conditions) -> Select:
    """The respondents' counted responses (with more conditions), as SurveyResponse rows."""
    return (select(SurveyResponse).where(response_filter(sel), *conditions)
            .order_by(SurveyResponse.alumnus_id))


def undeliverable_alumni(sel: Selection) -> Select:
    """Cohort alumni without a counted response whose covering invitation bounced."""
    bounced = (select(SurveyInvitation.id)
               .join(TracerSurvey, TracerSurvey.id == SurveyInvitation.survey_id)
               .where(SurveyInvitation.alumnus_id == Alumnus.id,
                      SurveyInvitation.undeliverable_at.is_not(None),
                      TracerSurvey.reference_months == sel.reference_months,
                      _covers(TracerSurvey.id)).exists())
    responded = select(SurveyResponse.id).where(
        SurveyResponse.alumnus_id == Alumnus.id, response_filter(sel)).exists()
    return select(Alumnus).where(in_cohort(sel), bounced, ~responded).order_by(Alumnus.id)


def effective_months():
    """Months to the first job as counted: a job begun before graduation counts as 0 (a
    negative number of months, or a start date before the graduation date)."""
    m = SurveyResponse.months_to_first_job
    before = and_(SurveyResponse.start_date.is_not(None), Alumnus.graduation_date.is_not(None),
                  SurveyResponse.start_date < Alumnus.graduation_date)
    return case((m < 0, 0), (m.is_not(None), m), (before, 0), else_=None)


def with_alumnus(stmt: Select, sel: Selection) -> Select:
    """Join the response rows to their alumnus (for effective_months and listings). The
    cohort's condition on the alumni changes no row (every counted response is a cohort
    alumnus's) but lets the database read the cohort's index, not every record: given the
    counted responses as ids, PostgreSQL otherwise hashed the whole register to join them."""
    return stmt.join(Alumnus, Alumnus.id == SurveyResponse.alumnus_id).where(in_cohort(sel))


def status_in(statuses):
    return SurveyResponse.status.in_(statuses)


def count_where(condition):
    """An aggregate: how many rows meet the condition."""
    return func.count(case((condition, 1)))


def any_of(*conditions):
    return or_(*conditions)
