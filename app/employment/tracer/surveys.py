"""Tracer surveys: setting one up for cohorts (programme + graduation year), adding the
institution's own questions, and changing its words (in each language)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.alumni.models import Programme
from app.core.audit import record_audit
from app.core.db import as_utc, today, utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.own_words import clean_option_translations, clean_translations
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
    # A list's options in other languages: {"th": "one a line"} or {"th": ["…", "…"]}, as
    # many as `choices` and in their order.
    choices_translations: dict[str, Any] | None = None


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
    under `label_<code>` and `choices_<code>` in `by_language` when given (the question
    form's own fields)."""
    label = (q.label or "").strip()
    name = f"questions-{index}"
    if not label:
        errors[name] = gettext("Each question needs a text.")
    if q.kind not in codes.QUESTION_KINDS:
        errors[name] = gettext("Choose a kind of question.")
    choices = [c.strip() for c in (q.choices or []) if c and c.strip()]
    if q.kind == "choice" and len(choices) < 2:
        errors[name] = gettext("Give a list question at least two options, one a line.")
    translated: dict[str, str] = {}
    translations = clean_translations(q.label_translations, field="label", max_length=300,
                                      errors=translated)
    options = clean_option_translations(q.choices_translations, choices=choices,
                                        field="choices", errors=translated)
    if by_language is not None:
        by_language.update(translated)
    elif translated:
        errors[name] = next(iter(translated.values()))
    return {"label": label[:300], "label_translations": translations, "kind": q.kind,
            "choices": choices or None, "choices_translations": options,
            "required": bool(q.required), "position": index}


def create_survey(data: SurveyData, *, institution_id: int, actor: Any) -> TracerSurvey:
    """An officer sets up a tracer survey for cohorts (programme + graduation year)."""
    require_writer(actor)
    if not writes_to(actor, institution_id):
        raise ValidationFailed({"cohorts": gettext("Survey your own institution's alumni.")})
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = gettext("Give the survey a title.")
    try:
        months = int(data.reference_months)
    except (TypeError, ValueError):
        months = 0
    if months not in codes.REFERENCE_MONTHS:
        errors["reference_months"] = gettext("Choose 6, 12 or 24 months after graduation.")
    if data.opens_on is None:
        errors["opens_on"] = gettext("Give the opening date.")
    if data.closes_on is None:
        errors["closes_on"] = gettext("Give the closing date.")
    elif data.opens_on and data.closes_on < data.opens_on:
        errors["closes_on"] = gettext(
            "The closing date must be on or after the opening date.")
    cohorts = sorted(set(data.cohorts))
    if not cohorts:
        errors["cohorts"] = gettext("Choose at least one programme and graduation year.")
    programme_ids = {p for p, _ in cohorts}
    if programme_ids:
        found = set(db.session.scalars(select(Programme.id).where(
            Programme.id.in_(programme_ids), Programme.institution_id == institution_id)))
        if found != programme_ids:
            errors["cohorts"] = gettext("Choose programmes of this institution.")
    last_year = today().year + 1
    if any(not 1950 <= y <= last_year for _, y in cohorts):
        errors["cohorts"] = gettext("Give graduation years from %(first)s to %(last)s.",
                                   first=1950, last=last_year)
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
        raise ValidationFailed({"label": gettext(
            "People have answered, so the questions are fixed now; set up a new survey to ask "
            "other questions.")})
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
        "label": question.label, "label_translations": question.label_translations,
        **({"choices_translations": question.choices_translations}
           if question.choices_translations else {})})
    return question


@dataclass
class SurveyWords:
    """A survey's own words as the words form sends them: the title and introduction,
    {question id: (text, translations)} of the questions and {question id: {code: options}}
    of the list questions' options in other languages (both left out once people
    answered)."""

    title: str | None = None
    title_translations: dict[str, str] | None = None
    introduction: str | None = None
    introduction_translations: dict[str, str] | None = None
    questions: dict[int, tuple[str | None, dict[str, str] | None]] = field(
        default_factory=dict)
    options: dict[int, dict[str, Any] | None] = field(default_factory=dict)


def words_stamp(survey: TracerSurvey) -> str:
    """When the survey was last saved, for the words form to send back (see
    update_survey_words)."""
    return as_utc(survey.updated_at).isoformat() if survey.updated_at else ""


def update_survey_words(survey: TracerSurvey, words: SurveyWords, *, stamp: str | None,
                        actor: Any) -> TracerSurvey:
    """Change a survey's title, introduction and own questions' texts, each in its languages,
    and a list question's options in other languages (the questions only before anyone
    answered); refused when the survey was saved since
    the form was opened (`stamp`)."""
    require_writer_in_scope(actor, survey, message="No such survey.")
    if stamp is not None and stamp != words_stamp(survey):
        raise Conflict(gettext(
            "Someone else saved changes to this record while you were editing. "
            "The form now shows the current values; make your changes again."))
    errors: dict[str, str] = {}
    title = (words.title or "").strip()
    if not title:
        errors["title"] = gettext("Give the survey a title.")
    elif len(title) > 200:
        errors["title"] = gettext("Keep the title to 200 characters.")
    introduction = (words.introduction or "").strip() or None
    if introduction and len(introduction) > 3000:
        errors["introduction"] = gettext("Keep the introduction to 3000 characters.")
    values: dict[str, Any] = {
        "title": title, "introduction": introduction,
        "title_translations": clean_translations(words.title_translations, field="title",
                                                 max_length=200, errors=errors),
        "introduction_translations": clean_translations(
            words.introduction_translations, field="introduction", max_length=3000,
            errors=errors)}
    questions = {q.id: q for q in survey.questions}
    if (words.questions or words.options) and response_count(survey) > 0:
        raise ValidationFailed({"title": gettext(
            "People have answered, so the questions are fixed now; set up a new survey to ask "
            "other questions.")})
    changed: dict[int, dict[str, Any]] = {}
    for question_id, (label, translations) in words.questions.items():
        if question_id not in questions:
            raise ValidationFailed({"title": gettext("No such question in this survey.")})
        name = f"q{question_id}_label"
        label = (label or "").strip()
        if not label:
            errors[name] = gettext("Each question needs a text.")
        elif len(label) > 300:
            errors[name] = gettext("Keep a question to 300 characters.")
        changed[question_id] = {"label": label, "label_translations": clean_translations(
            translations, field=name, max_length=300, errors=errors)}
    options: dict[int, dict[str, list[str]] | None] = {}
    for question_id, translations in words.options.items():
        if question_id not in questions:
            raise ValidationFailed({"title": gettext("No such question in this survey.")})
        options[question_id] = clean_option_translations(
            translations, choices=questions[question_id].choices,
            field=f"q{question_id}_choices", errors=errors)
    if errors:
        raise ValidationFailed(errors)
    before = {name: getattr(survey, name) for name in values}
    before["questions"] = {i: [questions[i].label, questions[i].label_translations]
                           for i in changed}
    if options:
        before["options"] = {i: questions[i].choices_translations for i in options}
    for name, value in values.items():
        setattr(survey, name, value)
    for question_id, question_values in changed.items():
        for name, value in question_values.items():
            setattr(questions[question_id], name, value)
    for question_id, translated in options.items():
        questions[question_id].choices_translations = translated
    survey.updated_at = utcnow()  # a question's change is the survey's too (the stamp)
    db.session.flush()
    record_audit(actor, "tracer.words", survey, before=before, after={
        **values, "questions": {i: [v["label"], v["label_translations"]]
                                for i, v in changed.items()},
        **({"options": options} if options else {})})
    return survey


def surveys_for(actor: Any):
    """The surveys query of the actor's institution, newest first."""
    return scope(select(TracerSurvey), TracerSurvey, actor).order_by(
        TracerSurvey.opens_on.desc(), TracerSurvey.id.desc())
