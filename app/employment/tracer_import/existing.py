"""What the database already holds for a tracer import: the survey it goes into and the
invitations and answers of that survey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.core.errors import ValidationFailed
from app.employment.answers import RESPONSE_JOB_FIELDS
from app.employment.models import (
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
    TracerSurveyCohort,
    rating_column_names,
)
from app.extensions import db

IMPORT_CHANNEL = "import"  # SurveyResponse.channel of an answer brought in from a file
# What an answer holds that a file can give (the competency ratings as their columns).
RESPONSE_FIELDS = ("status", "job_within_6_months", "months_to_first_job", "further_study",
                   "further_study_field", *RESPONSE_JOB_FIELDS, *rating_column_names())


@dataclass
class Stored:
    """One graduate's invitation to the survey, and their answer if any."""

    invitation_id: int
    sent: bool
    undeliverable: bool
    responded: bool
    response_id: int | None = None
    employment_id: int | None = None
    imported: bool = False
    values: dict[str, Any] = field(default_factory=dict)


def find_survey(institution_id: int, months: int, title: str | None,
                cohorts: list[tuple[int, int]]) -> TracerSurvey | None:
    """The survey an import goes into: the one of that title, or else the one at that
    reference point covering most of the file's cohorts (the newest of equals); None when
    there is none yet, and the commit sets one up."""
    if title:
        survey = db.session.scalar(
            select(TracerSurvey).where(TracerSurvey.institution_id == institution_id,
                                       func.lower(TracerSurvey.title) == title.lower())
            .order_by(TracerSurvey.id.desc()).limit(1))
        if survey is not None and survey.reference_months != months:
            raise ValidationFailed({"survey_title": (
                f"The survey “{survey.title}” is at {survey.reference_months} months after "
                f"graduation, not {months}; choose {survey.reference_months} months or "
                "another title.")})
        return survey
    if not cohorts:
        return None
    pairs = {f"{p}:{y}" for p, y in cohorts}
    overlap: dict[int, int] = {}
    for survey_id, programme_id, year in db.session.execute(
            select(TracerSurvey.id, TracerSurveyCohort.programme_id,
                   TracerSurveyCohort.cohort_year)
            .join(TracerSurveyCohort, TracerSurveyCohort.survey_id == TracerSurvey.id)
            .where(TracerSurvey.institution_id == institution_id,
                   TracerSurvey.reference_months == months)):
        if f"{programme_id}:{year}" in pairs:
            overlap[survey_id] = overlap.get(survey_id, 0) + 1
    if not overlap:
        return None
    best = max(overlap, key=lambda s: (overlap[s], s))
    return db.session.get(TracerSurvey, best)


def stored_answers(survey_id: int) -> dict[int, Stored]:
    """alumnus id -> the invitation (and answer) the survey holds for them."""
    inv, resp = SurveyInvitation, SurveyResponse
    out: dict[int, Stored] = {}
    for r in db.session.execute(
            select(inv.alumnus_id, inv.id, inv.sent_at, inv.undeliverable_at, inv.responded_at)
            .where(inv.survey_id == survey_id)):
        out[r.alumnus_id] = Stored(r.id, r.sent_at is not None, r.undeliverable_at is not None,
                                   r.responded_at is not None)
    columns = [getattr(resp, n) for n in RESPONSE_FIELDS]
    for r in db.session.execute(
            select(resp.alumnus_id, resp.id, resp.employment_id, resp.channel, *columns)
            .where(resp.survey_id == survey_id)):
        stored = out.get(r.alumnus_id)
        if stored is None:
            continue
        stored.response_id, stored.employment_id = r.id, r.employment_id
        stored.imported = r.channel == IMPORT_CHANNEL
        stored.values = {n: getattr(r, n) for n in RESPONSE_FIELDS}
    return out
