"""Answering a tracer survey: check the answers, store them once, update employment."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update

from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.permissions import require_self
from app.core.tokens import LinkUnusable
from app.employment import codes
from app.employment.models import (
    Employment,
    SurveyInvitation,
    SurveyResponse,
    rating_values,
)
from app.employment.services import EmploymentData, clean_employment_data
from app.employment.services.records import apply_values
from app.employment.tracer import check_answerable
from app.extensions import db

YES_NO = {"yes": True, "no": False}
MAX_NUMBER = 1e12  # an answer to a number question stays below this, either sign


@dataclass
class ResponseData:
    """A tracer answer as plain values (strings from a form are fine)."""

    status: str | None = None
    job_within_6_months: str | bool | None = None
    months_to_first_job: int | str | None = None
    how_found: str | None = None
    employer_type: str | None = None
    employer_name: str | None = None
    isic_section: str | None = None
    job_title: str | None = None
    isco_group: str | None = None
    hours: str | None = None
    contract: str | None = None
    start_date: date | None = None
    work_country: str | None = None
    work_city: str | None = None
    income_amount: Any = None
    income_currency: str | None = None
    relevance: int | str | None = None
    education_level: str | None = None
    workplace_level: str | None = None
    further_study: str | bool | None = None
    further_study_field: str | None = None
    # competency -> (level at graduation, level required now), each 1-5
    competencies: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # "q_<id>" -> answer


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    return YES_NO.get(str(value).strip().lower())


def _number(value: Any) -> float | str:
    """The answer to a number question, or the message to show next to it. Infinity, NaN and
    numbers past a trillion are refused: JSON cannot hold the first two (PostgreSQL refuses
    them) and no honest answer needs the third."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return gettext("Give a number in digits, such as 12 or 3.5.")
    if not math.isfinite(number):
        return gettext("Give a number in digits, such as 12 or 3.5.")
    if abs(number) >= MAX_NUMBER:
        return gettext("Give a number smaller than 1,000,000,000,000.")
    return number


def _extra_answers(invitation: SurveyInvitation, extra: dict[str, Any],
                   errors: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in invitation.survey.questions:
        raw = extra.get(q.field_name)
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            if q.required:
                errors[q.field_name] = gettext("Please answer this question.")
            continue
        if q.kind == "number":
            value = _number(value)
            if isinstance(value, str):
                errors[q.field_name] = value
                continue
        elif q.kind == "yes_no":
            value = _yes_no(value)
            if value is None:
                errors[q.field_name] = gettext("Answer yes or no.")
                continue
        elif q.kind == "choice" and value not in (q.choices or []):
            errors[q.field_name] = gettext("Choose one of the listed options.")
            continue
        elif q.kind == "scale":
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                errors[q.field_name] = gettext("Choose a value from 1 to 5.")
                continue
        elif isinstance(value, str):
            value = value[:2000]
        out[str(q.id)] = {"label": q.label, "answer": value}
    return out


def clean_response(invitation: SurveyInvitation, data: ResponseData
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(employment values, response values) or ValidationFailed."""
    errors: dict[str, str] = {}
    try:
        employment, response = clean_answer(data, complete=True)
    except ValidationFailed as exc:
        employment, response = {}, {}
        errors.update({k: v[0] for k, v in exc.field_errors.items()})
    extra = _extra_answers(invitation, data.extra, errors)
    if errors:
        raise ValidationFailed(errors)
    response["extra_answers"] = extra or None
    return employment, response


def clean_answer(data: ResponseData, *, complete: bool = True
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tracer core of an answer: (employment values, response values), or ValidationFailed
    naming every wrong field. The response values hold the competency ratings as the answer's
    rating columns (models.rating_values: all fourteen, None where not rated). The web form
    asks `complete` answers (the job's relevance and level, all seven competencies); a past
    study brought in by the tracer import may leave them out, and then rates only the
    competencies it gives both levels of."""
    errors: dict[str, str] = {}
    job_fields = {f.name for f in fields(EmploymentData)}
    job = EmploymentData(**{k: getattr(data, k) for k in job_fields if hasattr(data, k)},
                         months_to_find=data.months_to_first_job)
    try:
        employment = clean_employment_data(job)
    except ValidationFailed as exc:
        employment = {}
        errors.update({("months_to_first_job" if k == "months_to_find" else k): v[0]
                       for k, v in exc.field_errors.items()})
    status = employment.get("status") or data.status
    employed = status in codes.EMPLOYED
    if employed and complete:
        for name in ("relevance", "education_level"):
            if employment.get(name) is None and name not in errors:
                errors[name] = gettext("Please answer this question.")
    within = _yes_no(data.job_within_6_months)
    if data.job_within_6_months not in (None, "") and within is None:
        errors["job_within_6_months"] = gettext("Answer yes or no.")
    months = employment.get("months_to_find")
    if within is None and months is not None:
        within = months <= 6
    further = _yes_no(data.further_study)
    if data.further_study not in (None, "") and further is None:
        errors["further_study"] = gettext("Answer yes or no.")
    if status == "further_study":
        further = True
    ratings: dict[str, tuple[int, int]] = {}
    for key in codes.COMPETENCIES:
        pair = data.competencies.get(key) or (None, None)
        if not complete and all(v in (None, "") for v in pair):
            continue  # a past study that did not ask about this competency
        levels = []
        for part, value in zip(("at_graduation", "required_now"), pair, strict=True):
            try:
                level = int(value)
            except (TypeError, ValueError):
                level = 0
            if not 1 <= level <= 5:
                errors[f"{key}_{part}"] = gettext("Choose a level from 1 to 5.")
            levels.append(level)
        ratings[key] = (levels[0], levels[1])
    if errors:
        raise ValidationFailed(errors)
    response = {
        "status": status,
        "job_within_6_months": within,
        "months_to_first_job": months,
        "further_study": further,
        "further_study_field": (data.further_study_field or "").strip()[:200] or None,
        "extra_answers": None,
    }
    for name in RESPONSE_JOB_FIELDS:
        response[name] = employment.get(name)
    response.update(rating_values(ratings))
    return employment, response


# What a response keeps of the employment values, beside its own answers.
RESPONSE_JOB_FIELDS = ("how_found", "employer_type", "employer_name", "job_title", "isco_group",
                       "hours", "contract", "start_date", "work_country", "work_city",
                       "income_amount", "income_currency", "relevance", "education_level",
                       "workplace_level")


def submit_response(invitation: SurveyInvitation, data: ResponseData, *, channel: str,
                    actor: Any = None) -> SurveyResponse:
    """Store one answer per invitation and create or update the alumnus's employment record
    tagged with the survey. A second submit raises LinkUnusable("answered"); bad values raise
    ValidationFailed and nothing is saved."""
    if channel == "account":
        require_self(invitation.alumnus, actor, "You can answer your own survey only.")
    check_answerable(invitation)
    employment_values, values = clean_response(invitation, data)
    now = utcnow()
    # Claim the invitation atomically: of two submits racing, only one passes this update.
    claimed = db.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.responded_at.is_(None))
        .values(responded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkUnusable("answered", invitation)
    invitation.responded_at = now
    employment = db.session.scalar(select(Employment).where(
        Employment.alumnus_id == invitation.alumnus_id,
        Employment.survey_id == invitation.survey_id))
    if employment is None:
        employment = Employment(institution_id=invitation.institution_id,
                                alumnus_id=invitation.alumnus_id, source="tracer",
                                survey_id=invitation.survey_id)
        db.session.add(employment)
    employment_values = dict(employment_values)
    employment_values["verified"] = False
    apply_values(employment, employment_values)
    db.session.flush()
    response = SurveyResponse(
        institution_id=invitation.institution_id, survey_id=invitation.survey_id,
        invitation_id=invitation.id, alumnus_id=invitation.alumnus_id,
        employment_id=employment.id, submitted_at=now, channel=channel, **values)
    db.session.add(response)
    db.session.flush()
    record_audit(actor, "tracer.answer", response, after={
        "survey_id": invitation.survey_id, "alumnus_id": invitation.alumnus_id,
        "status": values["status"], "channel": channel})
    return response
