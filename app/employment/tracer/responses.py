"""Reading a tracer survey's responses: one answer in full (the tracer core, the seven
competencies at graduation and required now, the institution's own questions) and all answers
of a survey as CSV. The page and the file show the same values in the same words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.alumni.models import Programme
from app.core.countries import COUNTRY_NAMES
from app.core.spreadsheet import csv_text
from app.employment import codes
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.extensions import db

CHANNELS = {"link": "E-mailed link", "account": "Signed in", "import": "Imported (past study)"}
YES_NO = {True: "Yes", False: "No"}

# The tracer core as stored on the response: (attribute, label, code list or None).
CORE_ANSWERS: tuple[tuple[str, str, dict | None], ...] = (
    ("status", "Main activity", codes.EMPLOYMENT_STATUSES),
    ("job_within_6_months", "Job within 6 months", YES_NO),
    ("months_to_first_job", "Months to the first job", None),
    ("how_found", "How the job was found", codes.HOW_FOUND),
    ("employer_name", "Employer", None),
    ("employer_type", "Type of employer", codes.EMPLOYER_TYPES),
    ("job_title", "Job title", None),
    ("isco_group", "Occupation (ISCO-08)", codes.ISCO_GROUPS),
    ("hours", "Hours", codes.HOURS),
    ("contract", "Contract", codes.CONTRACTS),
    ("start_date", "Job started", None),
    ("work_country", "Country of work", None),
    ("work_city", "City of work", None),
    ("income_amount", "Monthly income", None),
    ("income_currency", "Currency", None),
    ("relevance", "Relation of the job to the training", codes.RELEVANCE),
    ("education_level", "Education level the job needs", codes.EDUCATION_LEVELS),
    ("workplace_level", "Workplace level", codes.WORKPLACE_LEVELS),
    ("further_study", "Studying further", YES_NO),
    ("further_study_field", "Further study: what and where", None),
)
COMPETENCY_PARTS = (("at_graduation", "at graduation"), ("required_now", "required now"))


def _words(value: Any, choices: dict | None = None) -> Any:
    """A stored value as the staff read it: a code's label, Yes/No, a date as ISO text."""
    if value is None:
        return None
    if choices is not None:
        return choices.get(value, value)
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def core_answers(response: SurveyResponse) -> list[tuple[str, Any]]:
    """(label, answer in words) of the tracer core, in the form's order."""
    return [(label, _words(getattr(response, name),
                           COUNTRY_NAMES if name == "work_country" else choices))
            for name, label, choices in CORE_ANSWERS]


def competency_levels(response: SurveyResponse) -> list[tuple[str, int | None, int | None]]:
    """(competency, level at graduation, level required now), 1–5, for the seven."""
    rated = response.ratings
    return [(label, *rated.get(key, (None, None))) for key, label in codes.COMPETENCIES.items()]


def own_answers(survey: TracerSurvey, response: SurveyResponse) -> list[tuple[str, Any]]:
    """(question, answer in words, or None when not answered) of the institution's own
    questions in the survey's order; an answer to a question no longer on the survey follows
    under the label it was asked with."""
    stored = dict(response.extra_answers or {})
    out = [(q.label, _words(stored.pop(str(q.id), {}).get("answer")))
           for q in sorted(survey.questions, key=lambda q: q.position)]
    out += [(item.get("label", ""), _words(item.get("answer"))) for item in stored.values()]
    return out


def _header(survey: TracerSurvey) -> list[str]:
    return (["Response", "Submitted (UTC)", "Answered by", "Student number", "Name",
             "Programme", "Cohort"]
            + [label for _, label, _ in CORE_ANSWERS]
            + [f"{label}: {part}" for label in codes.COMPETENCIES.values()
               for _, part in COMPETENCY_PARTS]
            + [q.label for q in sorted(survey.questions, key=lambda q: q.position)])


def response_rows(survey: TracerSurvey) -> Iterator[list[Any]]:
    """One row per response under `_header`, oldest first (values in words, not neutralised)."""
    programmes = dict(db.session.execute(select(Programme.id, Programme.code).where(
        Programme.institution_id == survey.institution_id)).all())
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
        .options(selectinload(SurveyResponse.invitation)
                 .selectinload(SurveyInvitation.alumnus)))
    width = len(survey.questions)
    for r in responses:
        alumnus = r.invitation.alumnus
        own = [answer for _, answer in own_answers(survey, r)][:width]
        yield ([r.id, _words(r.submitted_at.replace(microsecond=0)),
                CHANNELS.get(r.channel, r.channel), alumnus.student_number,
                alumnus.display_name, programmes.get(r.invitation.programme_id),
                r.invitation.cohort_year]
               + [answer for _, answer in core_answers(r)]
               + [level for _, grad, now in competency_levels(r) for level in (grad, now)]
               + own)


def responses_csv(survey: TracerSurvey) -> bytes:
    """All responses of a survey as CSV: UTF-8 with a byte-order mark, so spreadsheets read
    names in any script; a text cell that starts like a formula gets a leading apostrophe."""
    return csv_text(_header(survey), response_rows(survey)).encode("utf-8")
