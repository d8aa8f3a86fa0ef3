"""Reading a tracer survey's responses: one answer in full (the tracer core, the seven
competencies at graduation and required now, the institution's own questions) and all answers
of a survey as CSV. The file keeps the English words (its header and code words are the
product's, whoever downloads it); the page says the same values in the reader's language
(`shown_core_answers`, `shown_own_answers`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.alumni.models import Programme
from app.core.countries import COUNTRY_NAMES
from app.core.i18n import N_, country_name_in_language, format_date, format_number
from app.core.spreadsheet import csv_text
from app.employment import codes
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.extensions import db

CHANNELS = {"link": N_("E-mailed link"), "account": N_("Signed in"),
            "import": N_("Imported (past study)")}
YES_NO = {True: N_("Yes"), False: N_("No")}

# The tracer core as stored on the response: (attribute, label, code list or None).
CORE_ANSWERS: tuple[tuple[str, str, dict | None], ...] = (
    ("status", N_("Main activity"), codes.EMPLOYMENT_STATUSES),
    ("job_within_6_months", N_("Job within 6 months"), YES_NO),
    ("months_to_first_job", N_("Months to the first job"), None),
    ("how_found", N_("How the job was found"), codes.HOW_FOUND),
    ("employer_name", N_("Employer"), None),
    ("employer_type", N_("Type of employer"), codes.EMPLOYER_TYPES),
    ("job_title", N_("Job title"), None),
    ("isco_group", N_("Occupation (ISCO-08)"), codes.ISCO_GROUPS),
    ("hours", N_("Hours"), codes.HOURS),
    ("contract", N_("Contract"), codes.CONTRACTS),
    ("start_date", N_("Job started"), None),
    ("work_country", N_("Country of work"), None),
    ("work_city", N_("City of work"), None),
    ("income_amount", N_("Monthly income"), None),
    ("income_currency", N_("Currency"), None),
    ("relevance", N_("Relation of the job to the training"), codes.RELEVANCE),
    ("education_level", N_("Education level the job needs"), codes.EDUCATION_LEVELS),
    ("workplace_level", N_("Workplace level"), codes.WORKPLACE_LEVELS),
    ("further_study", N_("Studying further"), YES_NO),
    ("further_study_field", N_("Further study: what and where"), None),
)
# The page's words where the file's would read wrong in a language: "Type of employer" is the
# answer form's question to the graduate ("… where you work" in Indonesian).
PAGE_LABELS = {"employer_type": N_("Employer type")}
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


def _shown(value: Any, choices: dict | None = None) -> Any:
    """A stored value in the page's language: a code's or Yes/No's words through the
    catalogue, dates and numbers by Babel; typed text as typed."""
    if value is None:
        return None
    if choices is not None:
        return gettext(choices[value]) if value in choices else value
    if isinstance(value, bool):
        return gettext(YES_NO[value])
    if isinstance(value, date | datetime):
        return format_date(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return value


def shown_core_answers(response: SurveyResponse) -> list[tuple[str, Any]]:
    """(label, answer) of the tracer core for a staff page, in the page's language (the CSV
    keeps `core_answers`' English)."""
    out = []
    for name, label, choices in CORE_ANSWERS:
        value = getattr(response, name)
        if name == "work_country" and value:
            answer = country_name_in_language(value)
        else:
            answer = _shown(value, choices)
        out.append((gettext(PAGE_LABELS.get(name, label)), answer))
    return out


def shown_own_answers(survey: TracerSurvey, response: SurveyResponse
                      ) -> list[tuple[str, Any]]:
    """`own_answers` for a staff page: yes / no, dates and numbers in the page's language; the
    questions and typed answers as the institution and the graduate wrote them."""
    return own_answers(survey, response, words=_shown)


def competency_levels(response: SurveyResponse) -> list[tuple[str, int | None, int | None]]:
    """(competency, level at graduation, level required now), 1–5, for the seven."""
    rated = response.ratings
    return [(label, *rated.get(key, (None, None))) for key, label in codes.COMPETENCIES.items()]


def own_answers(survey: TracerSurvey, response: SurveyResponse, *,
                words: Callable[[Any], Any] = _words) -> list[tuple[str, Any]]:
    """(question, answer in words, or None when not answered) of the institution's own
    questions in the survey's order; an answer to a question no longer on the survey follows
    under the label it was asked with."""
    stored = dict(response.extra_answers or {})
    out = [(q.label, words(stored.pop(str(q.id), {}).get("answer")))
           for q in sorted(survey.questions, key=lambda q: q.position)]
    out += [(item.get("label", ""), words(item.get("answer"))) for item in stored.values()]
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
