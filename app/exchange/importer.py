"""Import of an exchange participants spreadsheet through the shared import pipeline.

One row per student, in the shape of the programme's student profile form: names, student
number, programme, level, study area, sending and receiving institution codes, dates, hours
(and optionally the batch, e-mail, project, mentor teacher, e-buddy, industry partner).
`flask import exchange FILE [--dry-run]` and the import wizard (/imports/new?kind=exchange)
both run it: every row is checked with vectorised pandas operations before anything is
written, and the commit writes exactly the preview in the caller's single transaction.

A row is matched to an existing participation by batch, sending institution and student
number: then the file's non-blank values update it (the status is never imported).
Without a batch column, a row goes to the institution's only batch of its start year.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, func, insert, select, update

from app.alumni.models import QUALIFICATION_LEVELS, STUDY_AREAS, Institution
from app.core.audit import record_audit, record_audit_bulk
from app.core.db import utcnow
from app.core.errors import Conflict
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.exchange.services.participations import (
    MAX_HOURS,
    STUDENT_NUMBER_RE,
    link_exchange_alumni,
)
from app.extensions import db
from app.imports.pipeline import (
    Column,
    ImportContext,
    ImportKind,
    Plan,
    RowError,
    errors_for,
    header_key,
    missing_required,
    parse_dates,
    repeated_in_file,
)

COLUMNS = (
    Column("student_number", "Student number",
           ("student id", "student no", "matric no", "matriculation number", "nim", "nis",
            "id number", "student code", "รหัสนักศึกษา", "mã sinh viên"), key=True),
    Column("given_name", "Given name", ("first name", "given names", "name", "ชื่อ", "tên"),
           required=True),
    Column("family_name", "Family name", ("surname", "last name", "นามสกุล", "họ")),
    Column("email", "E-mail", ("email address", "e-mail address", "mail")),
    Column("programme_code", "Programme", ("programme code", "program", "program code",
                                           "course", "course code", "study programme")),
    Column("level", "Level", ("qualification level", "level of study", "qualification")),
    Column("study_area", "Study area", ("area of study", "field of study", "field", "area",
                                        "department"), required=True),
    Column("batch", "Batch", ("exchange batch", "batch number", "batch no")),
    Column("sending_institution", "Sending institution",
           ("sending institution code", "home institution", "sending", "from institution",
            "sending school"), required=True),
    Column("receiving_institution", "Receiving institution",
           ("receiving institution code", "host institution", "receiving", "to institution",
            "host"), required=True),
    Column("start_date", "Start date", ("start", "from", "date from", "exchange start")),
    Column("end_date", "End date", ("end", "to", "date to", "exchange end")),
    Column("hours", "Hours", ("total hours", "hours attended", "no of hours", "duration hours")),
    Column("project", "Project", ("project title", "joint project")),
    Column("mentor_teacher", "Mentor teacher", ("mentor", "teacher", "supervisor")),
    Column("e_buddy", "E-buddy", ("ebuddy", "buddy")),
    Column("industry_partner", "Industry partner", ("industry", "company")),
)
TEXT_FIELDS = ("given_name", "family_name", "email", "programme_code", "project",
               "mentor_teacher", "e_buddy", "industry_partner")
UPDATABLE = (*TEXT_FIELDS, "receiving_institution_id", "study_area", "level", "start_date",
             "end_date", "hours")
EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# Study areas by their key, their label and the words the SEAMEO forms use.
_AREA_WORDS = {
    "it": ("computer science", "information technology", "informatics", "ict", "computing"),
    "multimedia": ("creative industry", "creative media", "animation", "graphic design"),
    "business": ("entrepreneurship", "business administration", "accounting", "management"),
    "hospitality": ("tourism", "hospitality and tourism", "hotel", "culinary"),
    "health": ("health science", "nursing", "health sciences"),
    "agriculture": ("animal science", "agribusiness", "agricultural technology"),
    "mechatronics": ("electronics", "manufacturing", "mechanical", "electrical", "automotive"),
}


def _lookup(choices: dict[str, str], extra: dict[str, tuple[str, ...]] | None = None
            ) -> dict[str, str]:
    out = {}
    for key, label in choices.items():
        out[header_key(key)] = key
        out[header_key(label)] = key
        for word in (extra or {}).get(key, ()):
            out[header_key(word)] = key
        for part in re.split(r"\s*/\s*", label):  # "Multimedia / creative industry"
            out.setdefault(header_key(part), key)
    return out


AREAS = _lookup(STUDY_AREAS, _AREA_WORDS)
LEVELS = _lookup(QUALIFICATION_LEVELS, {"higher_diploma": ("advanced diploma",),
                                        "bachelor": ("bachelor", "degree", "d4")})


def _keys(series: pd.Series) -> pd.Series:
    """Comparable keys of a column's values (computed once per distinct value)."""
    lookup = {v: header_key(v) for v in series.dropna().unique()}
    return series.map(lookup)


def _batches(institution_id: int) -> pd.DataFrame:
    rows = db.session.execute(select(ExchangeBatch.id, ExchangeBatch.year,
                                     ExchangeBatch.batch_number, ExchangeBatch.name)
                              .where(ExchangeBatch.institution_id == institution_id)).all()
    return pd.DataFrame(rows, columns=["id", "year", "number", "name"])


def _resolve_batches(f: pd.DataFrame, start: pd.Series, institution_id: int
                     ) -> tuple[pd.Series, pd.Series]:
    """The batch id of each row and a per-row message where none is found."""
    batches = _batches(institution_id)
    batch_id = pd.Series(pd.NA, index=f.index, dtype="Int64")
    message = pd.Series("", index=f.index, dtype=object)
    by_label: dict[str, int] = {}
    per_year: dict[int, list[int]] = {}
    for row in batches.itertuples():
        for label in (f"{row.year}-{row.number}", f"{row.year}/{row.number}",
                      f"{row.year} batch {row.number}"):
            by_label[header_key(label)] = row.id
        per_year.setdefault(int(row.year), []).append(int(row.id))
    given = f["batch"].notna()
    if given.any():
        found = _keys(f["batch"]).map(by_label)
        batch_id[given] = found[given].astype("Int64")
        message[given & found.isna()] = ("No batch “" + f["batch"].astype(str)
                                         + "” is recorded; write year-number, e.g. 2022-1.")
    only_by_year = {year: ids[0] for year, ids in per_year.items() if len(ids) == 1}
    years = start.dt.year
    todo = ~given
    by_year = years.map(only_by_year)
    batch_id[todo & by_year.notna()] = by_year[todo & by_year.notna()].astype("Int64")
    missing = todo & by_year.isna()
    message[missing] = "Name the batch (year-number, e.g. 2022-1): it is not clear from the dates."
    return batch_id, message


def _existing(institution_id: int) -> pd.DataFrame:
    p = ExchangeParticipation
    rows = db.session.execute(
        select(p.id, p.batch_id, p.sending_institution_id, func.lower(p.student_number),
               *[getattr(p, n) for n in UPDATABLE])
        .where(p.institution_id == institution_id)).all()
    return pd.DataFrame(rows, columns=["id", "batch_id", "sending_institution_id", "number",
                                       *UPDATABLE])


def plan_exchange(frame: pd.DataFrame, ctx: ImportContext) -> Plan:
    """Check every row and work out which participations to create or update."""
    f = frame.copy()
    for col in COLUMNS:
        if col.name not in f:
            f[col.name] = pd.Series(pd.NA, index=f.index, dtype="string")
    total = len(f)
    owner = ctx.institution.id
    errors: list[RowError] = list(missing_required(f, EXCHANGE_KIND))
    ctx.progress(0, total, "Checking student numbers and institutions")

    number = f["student_number"]
    bad_number = number.notna() & ~number.fillna("").str.match(STUDENT_NUMBER_RE.pattern)
    errors += errors_for(bad_number, f, "student_number",
                         "Use letters and digits (dots, dashes and slashes inside), at most 40.")

    codes = {c.upper(): i for c, i in db.session.execute(select(Institution.code,
                                                                Institution.id)).all()}
    sending = f["sending_institution"].str.upper().map(codes)
    receiving = f["receiving_institution"].str.upper().map(codes)
    for name, ids in (("sending_institution", sending), ("receiving_institution", receiving)):
        unknown = f[name].notna() & ids.isna()
        errors += errors_for(unknown, f, name, "No institution has the code “"
                             + f[name].astype(str) + "”; add it as a partner institution first.")
    both = sending.notna() & receiving.notna()
    errors += errors_for(both & (sending == receiving), f, "receiving_institution",
                         "Choose a receiving institution other than the sending one.")
    neither = both & (sending != owner) & (receiving != owner)
    errors += errors_for(neither, f, "sending_institution",
                         f"{ctx.institution.code} is either the sending or the receiving "
                         "institution.")
    direction = pd.Series(None, index=f.index, dtype=object)
    direction[sending == owner] = "outgoing"
    direction[(receiving == owner) & (sending != owner)] = "incoming"

    ctx.progress(int(total * 0.3), total, "Checking study areas, levels, dates and hours")
    area = _keys(f["study_area"]).map(AREAS)
    errors += errors_for(f["study_area"].notna() & area.isna(), f, "study_area",
                         "Unknown study area “" + f["study_area"].astype(str) + "”; use one of: "
                         + ", ".join(STUDY_AREAS) + ".")
    level = _keys(f["level"]).map(LEVELS)
    errors += errors_for(f["level"].notna() & level.isna(), f, "level",
                         "Unknown level “" + f["level"].astype(str) + "”; use one of: "
                         + ", ".join(QUALIFICATION_LEVELS) + ".")
    start, bad_start = parse_dates(f["start_date"])
    end, bad_end = parse_dates(f["end_date"])
    errors += errors_for(bad_start, f, "start_date", "This is not a date (use 2022-05-16).")
    errors += errors_for(bad_end, f, "end_date", "This is not a date (use 2022-06-24).")
    errors += errors_for(start.notna() & end.notna() & (end < start), f, "end_date",
                         "Enter an end date on or after the start date.")
    hours = pd.to_numeric(f["hours"].str.replace(",", ".", regex=False), errors="coerce")
    errors += errors_for(f["hours"].notna() & (hours.isna() | (hours < 0)
                                               | (hours > float(MAX_HOURS))),
                         f, "hours", f"Hours are a number from 0 to {MAX_HOURS}.")
    email = f["email"].str.lower()
    errors += errors_for(email.notna() & ~email.fillna("").str.match(EMAIL_RE), f, "email",
                         "This is not an e-mail address.")
    for col in TEXT_FIELDS:
        limit = ExchangeParticipation.__table__.c[col].type.length
        errors += errors_for(f[col].str.len() > limit, f, col, f"At most {limit} characters.")

    batch_id, batch_message = _resolve_batches(f, start, owner)
    errors += errors_for(batch_id.isna() & (batch_message != ""), f, "batch", batch_message)

    ctx.progress(int(total * 0.6), total, "Matching existing participations")
    key = (batch_id.astype("string") + "|" + sending.astype("Int64").astype("string") + "|"
           + number.str.lower())
    repeated = repeated_in_file(key, f)
    errors += errors_for(repeated, f, "student_number",
                         "This student is on more than one row for the same batch.")

    rejected = set(e.row for e in errors if e.level == "error")
    ok = ~f["_row"].isin(rejected)
    values = pd.DataFrame({
        "batch_id": batch_id, "direction": direction,
        "student_number": number, "sending_institution_id": sending.astype("Int64"),
        "receiving_institution_id": receiving.astype("Int64"), "study_area": area,
        "level": level, "start_date": start.dt.date, "end_date": end.dt.date,
        "hours": hours, "email": email, "key": key,
        **{c: f[c] for c in TEXT_FIELDS if c != "email"},
    })[ok]
    existing = _existing(owner)
    existing["key"] = (existing["batch_id"].astype("string") + "|"
                       + existing["sending_institution_id"].astype("string") + "|"
                       + existing["number"])
    match = values["key"].map(pd.Series(existing["id"].to_numpy(),
                                        index=existing["key"].to_numpy()))
    creates = _records(values[match.isna()])
    updates, unchanged = _changes(values[match.notna()], match[match.notna()], existing)
    ctx.progress(total, total, "Checked")
    return Plan(kind="exchange", rows_read=total, create=len(creates), update=len(updates),
                unchanged=unchanged, errors=errors,
                payload={"creates": creates, "updates": updates,
                         "existing_ids": [u["id"] for u in updates]})


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if pd.isna(value):
            return None
        return Decimal(str(round(value, 1)))
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.drop(columns=["key"]).to_dict("records"):
        out.append({k: _plain(v) for k, v in row.items()})
    return out


def _changes(frame: pd.DataFrame, ids: pd.Series, existing: pd.DataFrame
             ) -> tuple[list[dict[str, Any]], int]:
    """Per matched row, the non-blank file values that differ from the record (a blank never
    erases); compared column by column, then gathered only for the rows that changed."""
    if frame.empty:
        return [], 0
    current = existing.set_index("id").loc[ids.astype(int).to_numpy()]
    current.index = frame.index
    differs = pd.DataFrame(False, index=frame.index, columns=list(UPDATABLE))
    for name in UPDATABLE:
        new, old = frame[name], current[name]
        if name == "hours":
            old_num = pd.to_numeric(old.astype(object), errors="coerce")
            same = new.round(1) == old_num.round(1)
        elif name in ("start_date", "end_date"):
            same = pd.to_datetime(new) == pd.to_datetime(old)
        elif name.endswith("_id"):
            same = new.astype("Int64") == old.astype("Int64")
        else:
            same = new.astype("string") == old.astype("string")
        differs[name] = new.notna() & ~same.fillna(False).astype(bool)
    changed = differs.any(axis=1)
    updates = []
    for index in frame.index[changed]:
        names = [n for n in UPDATABLE if differs.at[index, n]]
        updates.append({"id": int(ids[index]),
                        "changes": {n: _plain(frame.at[index, n]) for n in names}})
    return updates, int((~changed).sum())


def commit_exchange(plan: Plan, ctx: ImportContext) -> dict[str, int]:
    """Write the plan (Core executemany, one transaction owned by the caller)."""
    owner = ctx.institution.id
    creates, updates = plan.payload["creates"], plan.payload["updates"]
    p = ExchangeParticipation.__table__
    if creates:  # the preview's new rows must still be new
        keys = {(c["batch_id"], c["sending_institution_id"], c["student_number"].lower())
                for c in creates}
        taken = db.session.execute(
            select(p.c.batch_id, p.c.sending_institution_id, func.lower(p.c.student_number))
            .where(p.c.institution_id == owner,
                   func.lower(p.c.student_number).in_([k[2] for k in keys]))).all()
        if keys & {tuple(t) for t in taken}:
            raise Conflict("Participants of this file were added since the preview; "
                           "preview it again. Nothing was saved.")
    now = utcnow()
    total = len(creates) + len(updates)
    for start in range(0, len(creates), 1000):
        chunk = creates[start:start + 1000]
        db.session.execute(insert(ExchangeParticipation), [
            {**c, "institution_id": owner, "status": "nominated", "status_changed_at": now,
             "evaluation_submitted": False, "created_at": now, "updated_at": now}
            for c in chunk])
        ctx.progress(start + len(chunk), total, "Adding participants")
    for name in UPDATABLE:
        rows = [{"pid": u["id"], "value": u["changes"][name]} for u in updates
                if name in u["changes"]]
        if rows:
            db.session.execute(update(p).where(p.c.id == bindparam("pid"))
                               .values({name: bindparam("value"), "updated_at": now}), rows)
    record_audit_bulk(ctx.actor, [
        {"institution_id": owner, "action": "exchange_participation.import_update",
         "entity_type": "ExchangeParticipation", "entity_id": u["id"],
         "after": {k: _json(v) for k, v in u["changes"].items()}} for u in updates],
        origin="import", at=now)
    if creates:
        record_audit(ctx.actor, "exchange_participation.import_create",
                     entity_type="ExchangeParticipation", institution_id=owner,
                     after={"created": len(creates)})
    link_exchange_alumni(owner, actor=ctx.actor)
    ctx.progress(total, total, "Done")
    return {"create": len(creates), "update": len(updates), "unchanged": plan.unchanged}


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


EXCHANGE_KIND = ImportKind(
    name="exchange",
    label="Exchange participants",
    columns=COLUMNS,
    plan=plan_exchange,
    commit=commit_exchange,
    tables=("exchange_participation",),
    description="One row per student: names, student number, programme, level, study area, "
                "sending and receiving institution codes, dates, hours (batch as 2022-1).",
)
