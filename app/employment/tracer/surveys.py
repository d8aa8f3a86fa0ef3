"""Tracer surveys: setting one up for cohorts (programme + graduation year) and adding the
institution's own questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app.alumni.models import Programme
from app.core.audit import record_audit
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.own_words import clean_translations
from app.core.permissions import require_writer, require_writer_in_scope, scope, writes_to
from app.employment import codes
from app.employment.models import SurveyQuestion, TracerSurvey, TracerSurveyCohort
from app.employment.tracer.counts import response_count
from app.extensions import db


@dataclass
class QuestionData:
    label: str
    kind: str
    choices: list[str] = field(default_factory=list)
    required: bool = False
    label_translations: dict[str, str] | None = None  # {"th": "…"}: the question in others


@dataclass
class SurveyData:
    title: str | None = None
    reference_months: int | str | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    introduction: str | None = None
    # The title and introduction in further languages, {"th": "…"} (app/core/own_words.py).
    title_translations: dict[str, str] | None = None
    introduction_translations: dict[str, str] | None = None
    cohorts: list[tuple[int, int]] = field(default_factory=list)  # (programme_id, year)
    questions: list[QuestionData] = field(default_factory=list)


def _clean_question(q: QuestionData, index: int, errors: dict[str, str],
                    by_language: dict[str, str] | None = None) -> dict[str, Any]:
    """A question's values; its errors under `questions-<index>`, those of its translations
    under `label_<code>` in `by_language` when given (the question form's own fields)."""
    label = (q.label or "").strip()
    name = f"questions-{index}"
    if not label:
        errors[name] = "Each question needs a text."
    if q.kind not in codes.QUESTION_KINDS:
        errors[name] = "Choose a kind of question."
    choices = [c.strip() for c in (q.choices or []) if c and c.strip()]
    if q.kind == "choice" and len(choices) < 2:
        errors[name] = "Give a list question at least two options, one a line."
    translated: dict[str, str] = {}
    translations = clean_translations(q.label_translations, field="label", max_length=300,
                                      errors=translated)
    if by_language is not None:
        by_language.update(translated)
    elif translated:
        errors[name] = next(iter(translated.values()))
    return {"label": label[:300], "label_translations": translations, "kind": q.kind,
            "choices": choices or None, "required": bool(q.required), "position": index}


def create_survey(data: SurveyData, *, institution_id: int, actor: Any) -> TracerSurvey:
    """An officer sets up a tracer survey for cohorts (programme + graduation year)."""
    require_writer(actor)
    if not writes_to(actor, institution_id):
        raise ValidationFailed({"cohorts": "Survey your own institution's alumni."})
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = "Give the survey a title."
    try:
        months = int(data.reference_months)
    except (TypeError, ValueError):
        months = 0
    if months not in codes.REFERENCE_MONTHS:
        errors["reference_months"] = "Choose 6, 12 or 24 months after graduation."
    if data.opens_on is None:
        errors["opens_on"] = "Give the opening date."
    if data.closes_on is None:
        errors["closes_on"] = "Give the closing date."
    elif data.opens_on and data.closes_on < data.opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date."
    cohorts = sorted(set(data.cohorts))
    if not cohorts:
        errors["cohorts"] = "Choose at least one programme and graduation year."
    programme_ids = {p for p, _ in cohorts}
    if programme_ids:
        found = set(db.session.scalars(select(Programme.id).where(
            Programme.id.in_(programme_ids), Programme.institution_id == institution_id)))
        if found != programme_ids:
            errors["cohorts"] = "Choose programmes of this institution."
    last_year = today().year + 1
    if any(not 1950 <= y <= last_year for _, y in cohorts):
        errors["cohorts"] = f"Give graduation years from 1950 to {last_year}."
    questions = [_clean_question(q, i, errors) for i, q in enumerate(data.questions)]
    title_translations = clean_translations(data.title_translations, field="title",
                                            max_length=200, errors=errors)
    introduction_translations = clean_translations(
        data.introduction_translations, field="introduction", max_length=3000, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    survey = TracerSurvey(institution_id=institution_id, title=title[:200],
                          reference_months=months, opens_on=data.opens_on,
                          closes_on=data.closes_on,
                          introduction=(data.introduction or "").strip() or None,
                          title_translations=title_translations,
                          introduction_translations=introduction_translations,
                          created_by_id=actor.id)
    survey.cohorts = [TracerSurveyCohort(programme_id=p, cohort_year=y) for p, y in cohorts]
    survey.questions = [SurveyQuestion(**q) for q in questions]
    db.session.add(survey)
    db.session.flush()
    record_audit(actor, "tracer.create", survey,
                 after={"title": survey.title, "cohorts": [list(c) for c in cohorts],
                        "reference_months": months,
                        "title_translations": title_translations,
                        "introduction_translations": introduction_translations})
    return survey


def add_question(survey: TracerSurvey, data: QuestionData, *, actor: Any) -> SurveyQuestion:
    """Add an institution-defined question (only before anyone answered)."""
    require_writer_in_scope(actor, survey, message="No such survey.")
    if response_count(survey) > 0:
        raise ValidationFailed({"label": "People have answered, so the questions are fixed "
                                         "now; set up a new survey to ask other questions."})
    errors: dict[str, str] = {}
    by_language: dict[str, str] = {}
    values = _clean_question(data, len(survey.questions), errors, by_language)
    if errors or by_language:
        raise ValidationFailed({**({"label": next(iter(errors.values()))} if errors else {}),
                                **by_language})
    question = SurveyQuestion(**values)
    survey.questions.append(question)
    db.session.flush()
    record_audit(actor, "tracer.question", survey, after={
        "label": question.label, "label_translations": question.label_translations})
    return question


def surveys_for(actor: Any):
    """The surveys query of the actor's institution, newest first."""
    return scope(select(TracerSurvey), TracerSurvey, actor).order_by(
        TracerSurvey.opens_on.desc(), TracerSurvey.id.desc())
