"""Employer follow-up: what employers said in a year's employer survey, taken into the
curriculum review as input (source "employer_survey", with the survey year), then decided and
acted on through the review chain (input → decision → action) like any other input. The
evidence pack lists these actions after the employer satisfaction figures of the same years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.alumni.models import Institution, Programme
from app.core.audit import record_audit
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.i18n import format_number
from app.core.permissions import require_own_institution, scope
from app.employment.services import COMPETENCIES
from app.extensions import db
from app.feedback.models import CurriculumFeedback, FeedbackDecision

SOURCE = "employer_survey"
FIRST_YEAR = 2000


@dataclass
class EmployerInputData:
    programme_id: int | None = None
    survey_year: int | None = None
    competency: str | None = None  # a key of COMPETENCIES (what M11 rates)
    said: str | None = None  # what the employers said: their ratings, comments
    suggestion: str | None = None  # what they asked for, if they did
    noted_on: date | None = None  # when the office took the answers in (default today)


def competency_choices() -> list[tuple[str, str]]:
    """The competencies employers rate, named in the page's language."""
    return [(key, gettext(label)) for key, label in COMPETENCIES.items()]


def record_employer_input(data: EmployerInputData, *, institution: Institution, actor: Any
                          ) -> CurriculumFeedback:
    """What employers said about a programme in one survey year, as curriculum input; every
    mistake is named next to its field, none is guessed."""
    require_own_institution(
        actor, institution.id, "You can record follow-up of your own institution only.")
    errors: dict[str, str] = {}
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if programme is None or programme.institution_id != institution.id:
        errors["programme_id"] = gettext("Choose a programme of this institution.")
    this_year = today().year
    year = data.survey_year
    if year is None:
        errors["survey_year"] = gettext(
            "Enter the year the employers were asked about, e.g. 2024.")
    elif not FIRST_YEAR <= year <= this_year:
        errors["survey_year"] = gettext("Give a survey year from %(first)s to %(last)s.",
                                        first=FIRST_YEAR, last=this_year)
    if data.competency not in COMPETENCIES:
        errors["competency"] = gettext(
            "Choose the competency the employers' answers were about.")
    said = (data.said or "").strip()
    if not said:
        errors["said"] = gettext("Write what the employers said: their ratings or comments.")
    elif len(said) > 4000:
        errors["said"] = gettext("Keep it under %(num)s characters.", num=format_number(4000))
    suggestion = (data.suggestion or "").strip() or None
    if suggestion and len(suggestion) > 4000:
        errors["suggestion"] = gettext("Keep it under %(num)s characters.",
                                       num=format_number(4000))
    noted_on = data.noted_on or today()
    if noted_on > today():
        errors["noted_on"] = gettext("The answers cannot be taken in on a day still to come.")
    elif year is not None and "survey_year" not in errors and noted_on.year < year:
        errors["noted_on"] = gettext("The answers about %(year)s cannot have been taken in "
                                     "before %(year)s: give a later day.", year=year)
    if errors:
        raise ValidationFailed(errors)
    feedback = CurriculumFeedback(
        institution_id=institution.id, programme_id=programme.id, source=SOURCE,
        survey_year=year, anonymous=False, topic_kind="competency",
        topic=str(COMPETENCIES[data.competency])[:200], relevance=None, skill_gap=said,
        suggestion=suggestion, status="new", received_on=noted_on)
    db.session.add(feedback)
    db.session.flush()
    record_audit(actor, "feedback.employer_input", feedback,
                 after={"programme_id": programme.id, "survey_year": year,
                        "competency": data.competency})
    return feedback


def follow_up_list(*, actor: Any, programme_id: int | None = None,
                   survey_year: int | None = None) -> list[CurriculumFeedback]:
    """Employer-survey input the actor may see, with its decisions: newest survey year first."""
    f = CurriculumFeedback
    stmt = (scope(select(f), f, actor).where(f.source == SOURCE)
            .options(selectinload(f.programme),
                     selectinload(f.decisions).selectinload(FeedbackDecision.meeting))
            .order_by(f.survey_year.desc(), f.received_on.desc(), f.id.desc()))
    if programme_id:
        stmt = stmt.where(f.programme_id == programme_id)
    if survey_year:
        stmt = stmt.where(f.survey_year == survey_year)
    return list(db.session.scalars(stmt))
