"""The preview of a tracer study file: every row checked, matched to the register and to the
survey it goes into; nothing written.

Each row is one graduate the study reached out to. A responder's answer is checked by the same
function as an answer from the web form (`app.employment.answers.clean_answer`), so the import
accepts and stores exactly what the form would; a past study may leave out the questions the
form insists on (relevance, level, competencies). A row whose graduate already has an answer
from an earlier import of this survey starts from that answer and takes the file's values
over it (a column the file does not have keeps what is stored), so a re-import changes
nothing and a corrected file updates just what it corrects.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select

from app.alumni.models import Alumnus, Programme, StudentNumberAlias
from app.core.db import today
from app.core.errors import ValidationFailed
from app.employment import codes
from app.employment.answers import ResponseData, clean_answer
from app.employment.tracer_import import columns as C
from app.employment.tracer_import import values as V
from app.employment.tracer_import.existing import Stored, find_survey, stored_answers
from app.extensions import db
from app.imports.pipeline import (
    ImportContext,
    Plan,
    RowError,
    errors_for,
    missing_required,
    repeated_in_file,
)

# Which column of the file a field of the shared answer check comes from (for row errors).
_FIELD_COLUMN = {"employer_name": "employer", "start_date": "first_job_start",
                 "income_amount": "income", "income_currency": "currency",
                 "job_within_6_months": "within_6_months",
                 "further_study_field": "further_study_institution"}
_STATUS_HELP = ("Use wage employed, self-employed, further study, unemployed seeking, not in "
                "labour force, military service, ordination or family care (or a national "
                "f8 code 1-5).")


def register_of(institution_id: int) -> pd.DataFrame:
    """The institution's graduates: key (student number, lower case), id, programme, cohort."""
    rows = db.session.execute(
        select(Alumnus.id, Alumnus.student_number, Alumnus.programme_id, Alumnus.cohort_year,
               Alumnus.graduation_date, Alumnus.archived_at, Alumnus.email, Programme.code)
        .outerjoin(Programme, Programme.id == Alumnus.programme_id)
        .where(Alumnus.institution_id == institution_id)).all()
    frame = pd.DataFrame(rows, columns=["id", "student_number", "programme_id", "cohort_year",
                                        "graduation_date", "archived_at", "email",
                                        "programme_code"])
    frame["key"] = frame["student_number"].str.strip().str.lower()
    return frame


def _match(f: pd.DataFrame, institution_id: int, errors: list[RowError]) -> pd.DataFrame:
    """The register's record of each row (columns of `register_of`, NaN when not found)."""
    register = register_of(institution_id)
    key = f["student_number"].str.strip().str.lower()
    by_key = pd.Series(register.index.to_numpy(), index=register["key"].to_numpy())
    by_key = by_key[~by_key.index.duplicated()]
    at = key.map(by_key)
    aliases = dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id)
        .where(StudentNumberAlias.institution_id == institution_id)).all())
    if aliases:
        by_id = pd.Series(register.index.to_numpy(), index=register["id"].to_numpy())
        via = at.isna() & key.isin(list(aliases))
        at[via] = key[via].map(aliases).map(by_id)
    found = register.reindex(at.fillna(-1).astype("int64").to_numpy()).set_index(f.index)
    found.loc[at.isna()] = None
    given = f["student_number"].notna()
    errors += errors_for(given & at.isna(), f, "student_number",
                         "This student number is not in the register; add the graduate "
                         "first (import the registrar's list) or correct the number.")
    archived = given & at.notna() & found["archived_at"].notna()
    errors += errors_for(archived, f, "student_number",
                         "This graduate's record is archived; restore it to bring in the "
                         "answer.")
    incomplete = given & at.notna() & ~archived & (found["programme_id"].isna()
                                                   | found["cohort_year"].isna())
    errors += errors_for(incomplete, f, "student_number",
                         "The register has no programme or graduation year for this graduate, "
                         "so they are in no cohort; complete the record first.")
    ident = found["id"].where(at.notna())
    repeated = repeated_in_file(ident, f)
    errors += errors_for(repeated, f, "student_number",
                         "This graduate is on more than one row; keep one.")
    found["ok"] = given & at.notna() & ~archived & ~incomplete & ~repeated
    return found


def _cohort_warnings(f: pd.DataFrame, found: pd.DataFrame, national: bool,
                     errors: list[RowError]) -> None:
    ok = found["ok"]
    if "cohort_year" in f:
        stated = pd.to_numeric(f["cohort_year"].str.extract(r"(\d{4})")[0], errors="coerce")
        differs = ok & stated.notna() & (stated != pd.to_numeric(found["cohort_year"]))
        errors += errors_for(differs, f, "cohort_year",
                             "The register says " + found["cohort_year"].astype("Int64")
                             .astype(str) + "; the register's year is used.", level="warning")
    if "programme" in f and not national:  # national files carry national programme codes
        stated = f["programme"].str.strip().str.lower()
        differs = ok & stated.notna() & (stated != found["programme_code"].str.lower())
        errors += errors_for(differs, f, "programme",
                             "The register says " + found["programme_code"].astype(str)
                             + "; the register's programme is used.", level="warning")


def _answers_in_file(f: pd.DataFrame, institution, found: pd.DataFrame, answering: pd.Series,
                     errors: list[RowError]) -> dict[str, pd.Series]:
    """The file's answers as the shared check's fields (only the columns the file has)."""
    out: dict[str, pd.Series] = {}
    only = answering
    if "status" in f:
        keys = V._distinct(f["status"], V._word_key)
        bare = keys == C.NOT_AVAILABLE_ALONE
        errors += errors_for(bare & only, f, "status",
                             "Say which: military service, ordination or family care.")
        out["status"] = V.coded(f, "status", C.STATUS_WORDS, _STATUS_HELP, errors,
                                only & ~bare)
    words = (("employer_type", C.EMPLOYER_TYPE_WORDS, codes.EMPLOYER_TYPES, "f1101 code 1-7"),
             ("hours", C.HOURS_WORDS, codes.HOURS, None),
             ("contract", C.CONTRACT_WORDS, codes.CONTRACTS, None),
             ("education_level", C.EDUCATION_WORDS, codes.EDUCATION_LEVELS, "f15 code 1-4"),
             ("workplace_level", C.WORKPLACE_WORDS, codes.WORKPLACE_LEVELS, "f5d code 1-3"))
    for name, table, labels, code in words:
        if name in f:
            listed = ", ".join(str(v).lower() for v in labels.values())
            message = f"Use one of: {listed}" + (f" (or the national {code})." if code else ".")
            out[name] = V.coded(f, name, table, message, errors, only)
    if "within_6_months" in f:
        out["job_within_6_months"] = V.coded(f, "within_6_months", C.YES_NO_WORDS,
                                             "Answer yes or no (or f504 1 / 2).", errors, only)
    if "months_to_first_job" in f:
        out["months_to_first_job"] = V.whole_numbers(
            f, "months_to_first_job", 0, 240,
            "Give whole months from 0 (found before graduating) to 240.", errors, only)
    if "first_job_start" in f:
        out["start_date"] = V.dates(f, "first_job_start", errors, only)
    for name, field in (("employer", "employer_name"), ("job_title", "job_title"),
                        ("further_study_institution", "further_study_field")):
        if name in f:
            out[field] = f[name].astype(object).where(f[name].notna(), None)
    relevance = None
    if "relevance" in f:
        relevance = V.whole_numbers(f, "relevance", 1, 5,
                                    "Give the relevance from 1 (not related) to 5 (very "
                                    "closely related).", errors, only)
    if "f14" in f:
        match = V.whole_numbers(f, "f14", 1, 5, "Use the f14 codes 1 (very close) to 5 "
                                "(none).", errors, only)
        from_f14 = match.map(lambda v: None if v is None else 6 - v)
        relevance = from_f14 if relevance is None else relevance.where(relevance.notna(),
                                                                       from_f14)
    if relevance is not None:
        out["relevance"] = relevance
    if "income" in f:
        out["income_amount"] = V._distinct(f["income"], V.money_text)
    if "currency" in f:
        out["income_currency"] = f["currency"].astype(object).where(f["currency"].notna(), None)
    elif "income" in f:  # a national file's f505 is in the country's currency
        local = codes.COUNTRY_CURRENCY.get(institution.country or "")
        out["income_currency"] = out["income_amount"].map(
            lambda v: None if v is None else local)
    for _, grad, now in C.COMPETENCY_FIELDS:
        for name in (grad, now):
            if name in f:
                out[name] = V.whole_numbers(f, name, 1, 5, "Give a level from 1 (very low) "
                                            "to 5 (very high).", errors, only)
    return out


def _response_data(values: dict[str, Any]) -> ResponseData:
    competencies = {key: (values.get(grad), values.get(now))
                    for key, grad, now in C.COMPETENCY_FIELDS}
    plain = {k: v for k, v in values.items()
             if k in ResponseData.__dataclass_fields__ and k != "competencies"}
    return ResponseData(**plain, competencies=competencies)


def _stored_values(stored: Stored) -> dict[str, Any]:
    values = dict(stored.values)  # the rating columns are named as the file's columns
    values["job_within_6_months"] = values.get("job_within_6_months")
    return values


def plan_tracer(frame: pd.DataFrame, ctx: ImportContext) -> Plan:
    """Check a tracer study file and work out what it adds to (or changes in) the survey."""
    from app.employment.tracer_import.kind import TRACER_KIND
    from app.employment.tracer_import.outcome import decide

    f = frame
    institution = ctx.institution
    months = int(ctx.options.get("reference_months") or 0)
    title = (ctx.options.get("survey_title") or "").strip() or None
    errors: list[RowError] = missing_required(f, TRACER_KIND)
    national = "response" not in f
    ctx.progress(0, len(f), "Matching student numbers")
    found = _match(f, institution.id, errors)
    _cohort_warnings(f, found, national, errors)
    if national:
        state = pd.Series(C.RESPONDED, index=f.index, dtype=object)
    else:
        state = V.coded(f, "response", C.RESPONSE_WORDS,
                        "Write responded, no response or undeliverable.", errors, found["ok"])
        has_status = f["status"].notna() if "status" in f else pd.Series(False, f.index)
        blank = f["response"].isna()
        state[blank & has_status] = C.RESPONDED
        errors += errors_for(blank & ~has_status & found["ok"], f, "response",
                             "Write responded, no response or undeliverable.")
    answering = found["ok"] & (state == C.RESPONDED)
    if "status" not in f:
        errors += errors_for(answering, f, "status",
                             "The file has no status column; every answer needs the status.")
    else:
        errors += errors_for(answering & f["status"].isna(), f, "status",
                             "Fill in the status (what the graduate was doing).")
    answers = _answers_in_file(f, institution, found, answering, errors)

    # Rows refused so far still go through the shared check, so the preview names all their
    # problems at once; they get no outcome.
    refused = set(f.loc[f["_row"].isin({e.row for e in errors if e.level == "error"}),
                        "_row"].astype(int))
    good = found["ok"] & state.notna()
    flagged = {(e.row, e.field) for e in errors if e.level == "error"}
    unrefused = good & ~f["_row"].isin(refused)
    cohorts = sorted({(int(p), int(y)) for p, y in zip(found.loc[unrefused, "programme_id"],
                                                       found.loc[unrefused, "cohort_year"],
                                                       strict=True)})
    survey = find_survey(institution.id, months, title, cohorts)
    stored = stored_answers(survey.id) if survey is not None else {}
    ctx.progress(0, len(f), "Checking the answers")
    carried = set(answers)
    # Plain values for the shared check: a blank is None, never pandas' NaN.
    columns = {name: [None if v is None or v != v else v for v in answers[name][good].tolist()]
               for name in carried}
    picked = f.index[good]
    rows_of = f.loc[good, "_row"].astype(int).tolist()
    ids = found.loc[good, "id"].astype(int).tolist()
    states = state[good].tolist()
    programmes = found.loc[good, "programme_id"].astype(int).tolist()
    years = found.loc[good, "cohort_year"].astype(int).tolist()
    graduated = [d if isinstance(d, date) else None
                 for d in found.loc[good, "graduation_date"].tolist()]
    emails = [e if isinstance(e, str) else None for e in found.loc[good, "email"].tolist()]
    rederive_within = "job_within_6_months" not in carried and bool(
        carried & {"months_to_first_job", "start_date"})
    rows: list[dict[str, Any]] = []
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for j in range(len(picked)):
        row, alumnus_id = rows_of[j], ids[j]
        before = stored.get(alumnus_id)
        cleaned = None
        if states[j] == C.RESPONDED:
            values = _stored_values(before) if before is not None and before.imported else {}
            for name in carried:
                values[name] = columns[name][j]
            if rederive_within:
                values["job_within_6_months"] = None  # worked out again from the months
            if "status" in carried:
                values["further_study"] = None
            if values.get("months_to_first_job") is None and values.get("start_date"):
                values["months_to_first_job"] = V.months_between(graduated[j],
                                                                  values["start_date"])
            try:
                cleaned = clean_answer(_response_data(values), complete=False)
            except ValidationFailed as exc:
                for name, messages in exc.field_errors.items():
                    column = _FIELD_COLUMN.get(name, name)
                    if column == "relevance" and "relevance" not in f and "f14" in f:
                        column = "f14"
                    if column == "currency" and "currency" not in f:
                        column = "income"
                    if (row, column) not in flagged:  # a word not understood says it already
                        errors.append(RowError(row, column, messages[0]))
                continue
        if row in refused:
            continue
        outcome = decide(row, alumnus_id, states[j], cleaned, before, errors)
        if outcome is None:
            continue
        counts[outcome["action"]] += 1
        outcome.update(programme_id=programmes[j], cohort_year=years[j],
                       graduation_date=graduated[j], email=emails[j])
        rows.append(outcome)
        if j % 5_000 == 4_999:
            ctx.progress(j + 1, len(picked), f"Checked {j + 1:,} of {len(picked):,} rows")
    cohorts = sorted({(r["programme_id"], r["cohort_year"]) for r in rows})
    others = _others_not_responded(found, good, institution.id, cohorts, stored) \
        if national else []
    if others:
        rest = (f"the other {len(others):,} graduates of these cohorts count" if len(others) > 1
                else "the one other graduate of these cohorts counts")
        header_row = int(f["_row"].min()) - 1  # the warning is about the file's header
        errors.append(RowError(header_row, "response", (
            f"The file has no Response column, so it lists the respondents; {rest} as not "
            "responded."), level="warning"))
    plan = Plan(kind="tracer", rows_read=len(f), errors=errors, **counts)
    plan.payload = {"survey_id": survey.id if survey is not None else None,
                    "new_survey": _new_survey(title, months, cohorts, rows)
                    if survey is None else None,
                    "cohorts": cohorts, "rows": rows, "others": others,
                    "reference_months": months}
    return plan


def _others_not_responded(found: pd.DataFrame, good: pd.Series, institution_id: int,
                          cohorts: list[tuple[int, int]], stored: dict[int, Stored]
                          ) -> list[dict[str, Any]]:
    """The cohorts' graduates the national file does not list and the survey has no
    invitation for: they count as not responded."""
    if not cohorts:
        return []
    listed = set(found.loc[good, "id"].astype(int))
    register = register_of(institution_id)
    in_cohort = register[register["archived_at"].isna() & register["programme_id"].notna()
                         & register["cohort_year"].notna()]
    wanted = set(cohorts)
    out = []
    for r in in_cohort.itertuples(index=False):
        pair = (int(r.programme_id), int(r.cohort_year))
        if pair in wanted and r.id not in listed and r.id not in stored:
            out.append({"alumnus_id": int(r.id), "programme_id": pair[0],
                        "cohort_year": pair[1], "email": r.email,
                        "graduation_date": r.graduation_date})
    return out


def _new_survey(title: str | None, months: int, cohorts: list[tuple[int, int]],
                rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The survey a first import sets up: dated from the cohorts' reference point (graduation
    plus the months given), at the latest yesterday, since the study is over."""
    years = sorted({y for _, y in cohorts})
    span = (f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}") if years else ""
    reference = [_add_months(r["graduation_date"], months) for r in rows
                 if r.get("graduation_date") is not None]
    yesterday = date.fromordinal(today().toordinal() - 1)
    closes = min(max(reference), yesterday) if reference else yesterday
    opens = min(min(reference), closes) if reference else closes
    return {"title": title or f"Tracer study {span} at {months} months (imported)".strip(),
            "opens_on": opens, "closes_on": closes}


def _add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)
