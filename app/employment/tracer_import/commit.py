"""Writing a tracer import plan: the survey, its invitations, the answers, and the employment
record each answer writes, with Core bulk inserts in the caller's transaction.

The rows are those `app.employment.answers.submit_response` writes for an answer from the web
form (the same cleaned values, the employer matched or added by its normalised name, the
employment record tagged with source "tracer" and the survey), only many at once; the
answer's channel is "import". One audit entry names the survey and the counts, one per changed
answer its before and after; the pipeline adds the batch's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, select, update

from app.core.audit import record_audit
from app.core.db import today, utcnow
from app.core.errors import Conflict
from app.employment.models import (
    Employment,
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
    TracerSurveyCohort,
)
from app.employment.tracer_import import columns as C
from app.employment.tracer_import.employers import employer_ids
from app.employment.tracer_import.existing import IMPORT_CHANNEL
from app.extensions import db
from app.imports.pipeline import ImportContext, Plan
from app.imports.pipeline.bulk import insert_rows

EMPLOYMENT_FIELDS = ("status", "hours", "contract", "job_title", "isco_group", "start_date",
                     "end_date", "how_found", "months_to_find", "income_amount",
                     "income_currency", "relevance", "education_level", "workplace_level",
                     "work_country", "work_city")
UNDELIVERABLE_NOTE = "Undeliverable in the imported tracer study."


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _survey(plan: Plan, ctx: ImportContext) -> TracerSurvey:
    payload = plan.payload
    if payload["survey_id"] is not None:
        survey = db.session.get(TracerSurvey, payload["survey_id"])
        if survey is None:
            raise Conflict("The survey this file goes into was deleted since the preview; "
                           "nothing was saved. Preview the file again.")
    else:
        new = payload["new_survey"]
        survey = TracerSurvey(institution_id=ctx.institution.id, title=new["title"][:200],
                              reference_months=payload["reference_months"],
                              opens_on=new["opens_on"], closes_on=new["closes_on"],
                              created_by_id=getattr(ctx.actor, "id", None))
        db.session.add(survey)
        db.session.flush()
        record_audit(ctx.actor, "tracer.create", survey, after={
            "title": survey.title, "reference_months": survey.reference_months,
            "cohorts": [list(c) for c in payload["cohorts"]], "imported": True})
    have = {(c.programme_id, c.cohort_year) for c in survey.cohorts}
    for programme_id, year in payload["cohorts"]:
        if (programme_id, year) not in have:
            survey.cohorts.append(TracerSurveyCohort(programme_id=programme_id,
                                                     cohort_year=year))
    db.session.flush()
    return survey


def commit_tracer(plan: Plan, ctx: ImportContext) -> dict[str, int]:
    """Write the survey, invitations and answers exactly as planned (no commit)."""
    survey = _survey(plan, ctx)
    rows: list[dict[str, Any]] = plan.payload["rows"]
    others: list[dict[str, Any]] = plan.payload["others"]
    now = utcnow()
    sent_at = _midnight(survey.opens_on)
    answered_at = _midnight(min(survey.closes_on, today()))
    total = len(rows) + len(others)
    ctx.progress(0, total, "Adding the invitations")

    # Invitations: one per row new to the survey, and the cohorts' graduates a national file
    # does not list (not responded).
    new = [r for r in rows if r["step"] == "invite"] + [
        {**o, "state": C.NO_RESPONSE} for o in others]
    if new:
        if _already_invited(survey.id, [r["alumnus_id"] for r in new]):
            raise Conflict("Some of these graduates were added to the survey since the "
                           "preview; nothing was saved. Preview the file again.")
        insert_rows(SurveyInvitation.__table__, {
            "survey_id": [survey.id] * len(new),
            "institution_id": [survey.institution_id] * len(new),
            "alumnus_id": [r["alumnus_id"] for r in new],
            "programme_id": [r["programme_id"] for r in new],
            "cohort_year": [r["cohort_year"] for r in new],
            "email": [r["email"] for r in new],
            "created_at": [now] * len(new),
            "reminder_count": [0] * len(new),
            "sent_at": [sent_at] * len(new),
            "undeliverable_at": [sent_at if r["state"] == C.UNDELIVERABLE else None
                                 for r in new],
            "delivery_error": [UNDELIVERABLE_NOTE if r["state"] == C.UNDELIVERABLE else None
                               for r in new],
            "responded_at": [answered_at if r["state"] == C.RESPONDED else None for r in new],
        }, progress=lambda n: ctx.progress(n, total, f"Added {n:,} invitations"))
        ids = dict(db.session.execute(select(SurveyInvitation.alumnus_id, SurveyInvitation.id)
                                      .where(SurveyInvitation.survey_id == survey.id)).all())
        for r in rows:
            if r["step"] == "invite":
                r["invitation_id"] = ids[r["alumnus_id"]]

    _change_states(rows, sent_at, answered_at)
    answering = [r for r in rows if r["step"] in ("invite", "respond")
                 and r["state"] == C.RESPONDED]
    _add_answers(survey, answering, ctx, now, answered_at, total)
    replaced = [r for r in rows if r["step"] == "replace"]
    _replace_answers(survey, replaced, ctx, now)
    created = sum(1 for r in rows if r["action"] == "create")
    updated = sum(1 for r in rows if r["action"] == "update")
    record_audit(ctx.actor, "tracer.import", survey, after={
        "batch": ctx.batch.id if ctx.batch is not None else None, "created": created,
        "updated": updated, "not_listed_not_responded": len(others)})
    db.session.expire_all()
    return {"create": created, "update": updated, "unchanged": plan.unchanged}


def _already_invited(survey_id: int, alumni: list[int]) -> bool:
    invited = set(db.session.scalars(select(SurveyInvitation.alumnus_id).where(
        SurveyInvitation.survey_id == survey_id)))
    return not invited.isdisjoint(alumni)


def _change_states(rows: list[dict[str, Any]], sent_at: datetime, answered_at: datetime
                   ) -> None:
    """Invitations the survey had whose state the file changes (responded, undeliverable)."""
    table = SurveyInvitation.__table__
    changes = [{"b_id": r["invitation_id"],
                "b_sent": sent_at,
                "b_undeliverable": sent_at if r["state"] == C.UNDELIVERABLE else None,
                "b_error": UNDELIVERABLE_NOTE if r["state"] == C.UNDELIVERABLE else None,
                "b_responded": answered_at if r["state"] == C.RESPONDED else None}
               for r in rows if r["step"] in ("respond", "state")]
    if changes:
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                sent_at=db.func.coalesce(table.c.sent_at, bindparam("b_sent")),
                undeliverable_at=bindparam("b_undeliverable"),
                delivery_error=bindparam("b_error"), responded_at=bindparam("b_responded"))
            .execution_options(synchronize_session=False), changes)


def _employment_columns(answering: list[dict[str, Any]], employers: dict[str, int]
                        ) -> dict[str, list[Any]]:
    # clean_employment_data gives every field: read as tuples, turned into columns by zip.
    get = itemgetter(*EMPLOYMENT_FIELDS, "employer_name")
    *columns, names = zip(*(get(r["cleaned"][0]) for r in answering), strict=True)
    out = {name: list(c) for name, c in zip(EMPLOYMENT_FIELDS, columns, strict=True)}
    out["employer_id"] = [employers.get(name or "") for name in names]
    return out


def _add_answers(survey: TracerSurvey, answering: list[dict[str, Any]], ctx: ImportContext,
                 now: datetime, answered_at: datetime, total: int) -> None:
    """Each responder's employment record and answer (its competency ratings included)."""
    if not answering:
        return
    n = len(answering)
    employers = employer_ids(survey.institution_id, [r["cleaned"][0] for r in answering])
    # The web form reuses the record an earlier answer to this survey wrote.
    had = dict(db.session.execute(select(Employment.alumnus_id, Employment.id).where(
        Employment.survey_id == survey.id)).all())
    fresh = [r for r in answering if r["alumnus_id"] not in had]
    again = [r for r in answering if r["alumnus_id"] in had]
    if fresh:
        columns = _employment_columns(fresh, employers)
        k = len(fresh)
        columns.update(institution_id=[survey.institution_id] * k,
                       alumnus_id=[r["alumnus_id"] for r in fresh], source=["tracer"] * k,
                       survey_id=[survey.id] * k, verified=[False] * k,
                       created_at=[now] * k, updated_at=[now] * k)
        insert_rows(Employment.__table__, columns, progress=lambda m: ctx.progress(
            m, total, f"Added {m:,} of {n:,} employment records"))
    if again:
        _update_employments(again, employers, had, now)
    had = dict(db.session.execute(select(Employment.alumnus_id, Employment.id).where(
        Employment.survey_id == survey.id)).all())
    # Every answer's values have the same keys (answers.clean_answer); read as tuples and
    # turned into columns by the interpreter's own loops (a third of a second at 70,000).
    names = list(answering[0]["cleaned"][1])
    values = map(itemgetter(*names), (r["cleaned"][1] for r in answering))
    columns = dict(zip(names, map(list, zip(*values, strict=True)), strict=True))
    columns.update(institution_id=[survey.institution_id] * n, survey_id=[survey.id] * n,
                   invitation_id=[r["invitation_id"] for r in answering],
                   alumnus_id=[r["alumnus_id"] for r in answering],
                   employment_id=[had[r["alumnus_id"]] for r in answering],
                   submitted_at=[answered_at] * n, channel=[IMPORT_CHANNEL] * n)
    insert_rows(SurveyResponse.__table__, columns, progress=lambda m: ctx.progress(
        m, total, f"Added {m:,} of {n:,} answers"))


def _update_employments(rows: list[dict[str, Any]], employers: dict[str, int],
                        ids: dict[int, int], now: datetime) -> None:
    table = Employment.__table__
    columns = _employment_columns(rows, employers)
    names = [*EMPLOYMENT_FIELDS, "employer_id"]
    params = [{"b_id": ids[r["alumnus_id"]], **{f"v_{n}": columns[n][i] for n in names}}
              for i, r in enumerate(rows)]
    db.session.execute(
        update(table).where(table.c.id == bindparam("b_id")).values(
            {**{n: bindparam(f"v_{n}") for n in names}, "verified": False, "updated_at": now})
        .execution_options(synchronize_session=False), params)


def _replace_answers(survey: TracerSurvey, rows: list[dict[str, Any]], ctx: ImportContext,
                     now: datetime) -> None:
    """Answers an earlier import brought in that the file corrects: the answer (its ratings
    included) and the employment record it wrote take the new values."""
    if not rows:
        return
    employers = employer_ids(survey.institution_id, [r["cleaned"][0] for r in rows])
    table = SurveyResponse.__table__
    names = list(rows[0]["cleaned"][1])
    ids = [r["response_id"] for r in rows]
    before = {}
    for start in range(0, len(ids), 5_000):
        before.update({r.id: r for r in db.session.execute(
            select(table).where(table.c.id.in_(ids[start:start + 5_000])))})
    db.session.execute(
        update(table).where(table.c.id == bindparam("b_id"))
        .values({n: bindparam(f"v_{n}") for n in names})
        .execution_options(synchronize_session=False),
        [{"b_id": r["response_id"], **{f"v_{n}": r["cleaned"][1][n] for n in names}}
         for r in rows])
    with_record = [r for r in rows if r["employment_id"] is not None]
    if with_record:
        _update_employments(with_record, employers,
                            {r["alumnus_id"]: r["employment_id"] for r in with_record}, now)
    for r in rows:
        old = before[r["response_id"]]
        record_audit(ctx.actor, "tracer.import_update", entity_type="SurveyResponse",
                     entity_id=r["response_id"], institution_id=survey.institution_id,
                     before={n: _plain(getattr(old, n)) for n in names},
                     after={n: _plain(r["cleaned"][1][n]) for n in names})


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | int | float | str | dict | list):
        return str(value)
    return value
