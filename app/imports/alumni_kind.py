"""The registrar's alumni list: kind "alumni" of the import pipeline.

The checks are the register's own (`app.alumni.services.clean_alumnus_data`: student number
form, required given name, e-mail, country, phone, gender, status, programme of this
institution, cohort range, date order), done column by column with pandas so that a file of
100,000 rows is checked in seconds. Matching is on (institution, student number), case
insensitive, and through student numbers merged away into a survivor; known alumni are updated
field by field where the file has a value, and blanks never erase anything.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from sqlalchemy import bindparam, func, insert, select, update

from app.alumni.models import (
    ALUMNUS_STATUSES,
    CONSENT_PURPOSES,
    CURRENT_NOTICE_VERSION,
    GENDERS,
    Alumnus,
    Consent,
    Programme,
)
from app.alumni.services import STUDENT_NUMBER_RE
from app.alumni.text import fold
from app.core.audit import AuditEntry
from app.core.countries import COUNTRY_CODES, normalise_phone
from app.core.db import utcnow
from app.core.errors import Conflict
from app.extensions import db
from app.imports.models import StudentNumberAlias
from app.imports.pipeline import (
    Column,
    ImportContext,
    ImportKind,
    Plan,
    RowError,
    errors_for,
    parse_dates,
    register_kind,
    repeated_in_file,
)

CHUNK = 5_000
TEXT_FIELDS = ("given_name", "family_name", "preferred_name", "city")
DATE_FIELDS = ("birth_date", "graduation_date", "award_date")
# Fields an import may set on the alumnus row (student_number only on creation).
VALUE_FIELDS = ("given_name", "family_name", "preferred_name", "email", "phone", "country",
                "city", "gender", "birth_date", "programme_id", "graduation_date", "award_date",
                "cohort_year", "status")
CONSENT_FIELDS = tuple(f"consent_{p}" for p in CONSENT_PURPOSES)
YES = {"yes", "y", "true", "1", "granted", "x", "ใช่", "ya", "oo", "có"}
NO = {"no", "n", "false", "0", "withdrawn", "ไม่", "tidak", "hindi", "không"}

COLUMNS = (
    Column("student_number", "Student number",
           ("student no", "student id", "studentid", "student code", "matric no",
            "matric number", "matriculation number", "registration number", "reg no",
            "nim", "nis", "id number", "student", "รหัสนักศึกษา", "mã sinh viên"), key=True),
    Column("given_name", "Given name",
           ("first name", "firstname", "forename", "given names", "name", "ชื่อ", "tên"),
           required=True),
    Column("family_name", "Family name",
           ("last name", "lastname", "surname", "family", "นามสกุล", "họ")),
    Column("preferred_name", "Preferred name", ("nickname", "known as", "ชื่อเล่น")),
    Column("email", "E-mail", ("email address", "e-mail address", "mail", "personal email",
                               "อีเมล")),
    Column("phone", "Phone", ("mobile", "mobile number", "telephone", "tel", "phone number",
                              "contact number", "hp", "เบอร์โทร")),
    Column("country", "Country", ("country code", "nationality country")),
    Column("city", "City", ("town", "province", "city town")),
    Column("gender", "Gender", ("sex",)),
    Column("birth_date", "Birth date", ("date of birth", "dob", "birthdate", "birthday",
                                        "born")),
    Column("programme_code", "Programme code",
           ("programme", "program", "program code", "course", "course code", "major",
            "study programme", "programme id")),
    Column("graduation_date", "Graduation date",
           ("graduated", "date of graduation", "graduation", "completion date",
            "date graduated")),
    Column("award_date", "Award date", ("diploma date", "date of award", "certificate date",
                                        "award", "diploma issue date")),
    Column("cohort_year", "Cohort", ("cohort year", "graduation year", "year of graduation",
                                     "batch", "year")),
    Column("status", "Status", ("alumnus status",)),
    *(Column(f"consent_{p}", f"Consent: {p}", (f"{p} consent", f"consent {p}"))
      for p in CONSENT_PURPOSES),
)

_FAST_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_GENDER_WORDS = {"f": "female", "m": "male", "woman": "female", "man": "male",
                 **{v.lower(): k for k, v in GENDERS.items()}, **{k: k for k in GENDERS}}
_STATUS_WORDS = {**{v.lower(): k for k, v in ALUMNUS_STATUSES.items()},
                 **{k: k for k in ALUMNUS_STATUSES}, "opted out": "opted_out"}


def _column_lengths() -> dict[str, int]:
    return {c.name: c.type.length for c in Alumnus.__table__.columns
            if getattr(c.type, "length", None)}


def normalise_email(value: str) -> str:
    """validate_email's normalised form; ValueError with its message when invalid.

    Plain ASCII addresses that are certainly valid skip the full parser: the local part is
    kept, the domain lower-cased, exactly as validate_email returns them.
    """
    local, _, domain = value.rpartition("@")
    if (len(value) <= 254 and len(local) <= 64 and _FAST_EMAIL.match(value)
            and domain.rsplit(".", 1)[-1].lower() not in SPECIAL_USE_DOMAIN_NAMES
            and len(domain) <= 253):
        return f"{local}@{domain.lower()}"
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"That e-mail address is not valid: {exc}") from exc


def _map_unique(values: pd.Series, func_: Any) -> tuple[pd.Series, pd.Series]:
    """Apply a normalising function once per distinct value: (normalised, error message)."""
    good: dict[Any, Any] = {}
    bad: dict[Any, str] = {}
    for v in values.dropna().unique():
        try:
            good[v] = func_(v)
        except ValueError as exc:
            bad[v] = str(exc)
    return values.map(good), values.map(bad)


def _existing(institution_id: int) -> pd.DataFrame:
    cols = [Alumnus.id, Alumnus.student_number, Alumnus.version, Alumnus.search_text,
            *(getattr(Alumnus, f) for f in VALUE_FIELDS)]
    rows = db.session.execute(
        select(*cols).where(Alumnus.institution_id == institution_id)
    ).all()
    frame = pd.DataFrame(rows, columns=[c.key for c in cols])
    frame["key"] = frame["student_number"].str.lower()
    return frame


def _aliases(institution_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id)
        .where(StudentNumberAlias.institution_id == institution_id)).all())


def _comparable(series: pd.Series) -> pd.Series:
    """Values as text for comparing the file with the register."""
    def one(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            return None
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    return series.astype(object).map(one)


def _fold_series(series: pd.Series) -> pd.Series:
    text = series.astype(object)
    ascii_mask = text.map(lambda v: isinstance(v, str) and v.isascii())
    out = pd.Series("", index=series.index, dtype=object)
    out[ascii_mask] = text[ascii_mask].str.lower().str.split().str.join(" ")
    other = text.notna() & ~ascii_mask
    out[other] = text[other].map(fold)
    return out


def build_search_series(frame: pd.DataFrame) -> pd.Series:
    """The same text as Alumnus.refresh_search_text, for a whole frame at once."""
    parts = [_fold_series(frame[c]) for c in
             ("given_name", "family_name", "preferred_name", "student_number", "email")]
    joined = pd.concat(parts, axis=1).astype(object)
    return joined.apply(lambda r: " | ".join(p for p in r if p), axis=1)


def plan_alumni(frame: pd.DataFrame, ctx: ImportContext) -> Plan:
    """Check every row and work out what to create, update and leave unchanged."""
    institution = ctx.institution
    kind = ALUMNI_KIND
    f = frame.copy()
    for col in kind.columns:
        if col.name not in f:
            f[col.name] = pd.Series(pd.NA, index=f.index, dtype="string")
    errors: list[RowError] = []
    total = len(f)
    ctx.progress(0, total, "Checking student numbers")

    # Student number: present, in the register's form, once in the file.
    sn = f["student_number"]
    errors += errors_for(sn.isna(), f, "student_number", "The student number is required.")
    bad_form = sn.notna() & ~sn.fillna("").str.match(STUDENT_NUMBER_RE.pattern)
    errors += errors_for(bad_form, f, "student_number",
                         "Use letters and digits (dots, dashes and slashes inside), at most 40.")
    key = sn.str.lower().where(~bad_form)

    existing = _existing(institution.id)
    by_key = pd.Series(existing["id"].to_numpy(), index=existing["key"].to_numpy())
    aliases = _aliases(institution.id)
    alumnus_id = key.map(by_key)
    via_alias = alumnus_id.isna() & key.isin(list(aliases))
    if via_alias.any():
        alumnus_id[via_alias] = key[via_alias].map(aliases)
        survivor_number = alumnus_id[via_alias].map(
            pd.Series(existing["student_number"].to_numpy(), index=existing["id"].to_numpy()))
        errors += errors_for(via_alias, f, "student_number",
                             "This student number was merged into " + survivor_number.astype(str)
                             + "; the row updates that record.", level="warning")
    ident = alumnus_id.astype("Int64").astype("string").where(alumnus_id.notna(), "k:" + key)
    repeated = repeated_in_file(ident.where(key.notna()), f)
    if repeated.any():
        rows_by = f.loc[repeated].groupby(ident[repeated])["_row"].agg(
            lambda r: ", ".join(str(x) for x in r))
        errors += errors_for(repeated, f, "student_number",
                             "This student number is repeated in the file (rows "
                             + ident.map(rows_by).astype(str) + ").")
    is_new = alumnus_id.isna()
    ctx.progress(int(total * 0.1), total, "Checking names, e-mail and phone")

    # Required fields of a new record (an update may leave them out: blanks never erase).
    errors += errors_for(is_new & key.notna() & f["given_name"].isna(), f, "given_name",
                         "The given name is required.")

    values = pd.DataFrame(index=f.index)
    lengths = _column_lengths()
    for name in TEXT_FIELDS:
        values[name] = f[name].astype(object).where(f[name].notna(), None)
        too_long = f[name].str.len() > lengths[name]
        errors += errors_for(too_long, f, name, f"Longer than {lengths[name]} characters.")

    # E-mail: the register's normalised form; the register's own values need no new check.
    email = f["email"]
    known_emails = set(existing["email"].dropna())
    normalised, bad = _map_unique(email.where(~email.isin(known_emails)), normalise_email)
    values["email"] = normalised.where(~email.isin(known_emails), email).astype(object)
    errors += errors_for(bad.notna(), f, "email", bad)

    # Country, then phone read with the row's country (the file's, the record's, or ours).
    country = f["country"].str.upper()
    unknown_country = country.notna() & ~country.isin(list(COUNTRY_CODES))
    errors += errors_for(unknown_country, f, "country",
                         "“" + f["country"].astype(str)
                         + "” is not an ISO 3166 two-letter country code.")
    values["country"] = country.where(~unknown_country).astype(object)
    existing_country = alumnus_id.map(
        pd.Series(existing["country"].to_numpy(), index=existing["id"].to_numpy()))
    phone_country = values["country"].fillna(existing_country).fillna(institution.country)
    phone = f["phone"]
    known_phones = set(existing["phone"].dropna())
    todo = phone.notna() & ~phone.isin(known_phones) & ~unknown_country
    pairs = (phone[todo] + "|" + phone_country[todo].astype(str))
    normalised, bad = _map_unique(pairs, lambda p: normalise_phone(*p.split("|", 1)))
    values["phone"] = phone.where(~todo, normalised).astype(object)
    values.loc[unknown_country, "phone"] = None
    errors += errors_for(bad.reindex(f.index).notna(), f, "phone", bad.reindex(f.index))
    ctx.progress(int(total * 0.3), total, "Checking programmes, dates and choices")

    # Gender and status: the register's words, a few common spellings accepted.
    for name, words, choices in (("gender", _GENDER_WORDS, GENDERS),
                                 ("status", _STATUS_WORDS, ALUMNUS_STATUSES)):
        raw = f[name].str.lower().str.strip()
        mapped = raw.map(words)
        unknown = raw.notna() & mapped.isna()
        message = ("Choose one of the listed options." if name == "gender"
                   else "Choose one of: " + ", ".join(choices) + ".")
        errors += errors_for(unknown, f, name, message)
        values[name] = mapped.astype(object).where(mapped.notna(), None)

    # Programme: a code of this institution.
    codes = dict(db.session.execute(
        select(func.upper(Programme.code), Programme.id)
        .where(Programme.institution_id == institution.id)).all())
    code = f["programme_code"].str.upper()
    programme_id = code.map(codes).astype("Int64")
    unknown = code.notna() & programme_id.isna()
    errors += errors_for(unknown, f, "programme_code",
                         "Unknown programme code “" + f["programme_code"].astype(str)
                         + "” for this institution.")
    values["programme_id"] = programme_id.astype(object).where(programme_id.notna(), None)

    # Dates in any of the common formats.
    parsed: dict[str, pd.Series] = {}
    for name in DATE_FIELDS:
        when, bad = parse_dates(f[name])
        errors += errors_for(bad, f, name, "Cannot read the date “" + f[name].astype(str)
                             + "”; write it like 2021-06-30, 30/06/2021 or 30-Jun-2021.")
        parsed[name] = when
        values[name] = when.dt.date.astype(object).where(when.notna(), None)

    # Cohort year.
    cohort = pd.to_numeric(f["cohort_year"], errors="coerce")
    not_year = f["cohort_year"].notna() & (cohort.isna() | (cohort % 1 != 0))
    errors += errors_for(not_year, f, "cohort_year", "The cohort is a year, such as 2024.")
    out_of_range = ~not_year & cohort.notna() & ((cohort < 1950)
                                                | (cohort > date.today().year + 6))
    errors += errors_for(out_of_range, f, "cohort_year", "The cohort year is out of range.")
    values["cohort_year"] = cohort.where(~not_year & ~out_of_range).astype("Int64").astype(
        object).where(cohort.notna() & ~not_year & ~out_of_range, None)

    # Date order on the values the record will have (the file's, else the register's).
    ex_by_id = existing.set_index("id")
    def effective(name: str) -> pd.Series:
        mine = pd.to_datetime(values[name], errors="coerce")
        if ex_by_id.empty:
            return mine
        theirs = pd.to_datetime(alumnus_id.map(ex_by_id[name]), errors="coerce")
        return mine.fillna(theirs)
    grad, award, born = effective("graduation_date"), effective("award_date"), \
        effective("birth_date")
    today = pd.Timestamp(date.today())
    errors += errors_for(award < grad, f, "award_date",
                         "The award date cannot be before graduation.")
    errors += errors_for(born > today, f, "birth_date", "The birth date is in the future.")
    errors += errors_for((born <= today) & (born >= grad), f, "birth_date",
                         "The birth date must be before graduation.")
    # The cohort is the graduation year unless stated.
    eff_cohort = values["cohort_year"]
    if not ex_by_id.empty:
        eff_cohort = eff_cohort.where(eff_cohort.notna(), alumnus_id.map(ex_by_id["cohort_year"]))
    fill = eff_cohort.isna() & grad.notna()
    values.loc[fill, "cohort_year"] = grad[fill].dt.year.astype(object)

    # Consents, when the file has them.
    consents = pd.DataFrame(index=f.index)
    for purpose in CONSENT_PURPOSES:
        raw = f[f"consent_{purpose}"].str.lower()
        granted = raw.map(lambda v: True if v in YES else (False if v in NO else None))
        unknown = raw.notna() & granted.isna()
        errors += errors_for(unknown, f, f"consent_{purpose}", "Write yes or no.")
        consents[purpose] = granted.where(~unknown, None)
    ctx.progress(int(total * 0.6), total, "Comparing with the register")

    rejected_rows = {e.row for e in errors if e.level == "error"}
    rejected = f["_row"].isin(rejected_rows)
    ok = ~rejected

    # New records.
    new = ok & is_new
    create = values[new].copy()
    create.insert(0, "student_number", sn[new].astype(object))
    create["status"] = create["status"].where(create["status"].notna(), "active")
    create["search_text"] = build_search_series(create) if len(create) else []
    create_consents = consents[new].copy()
    create_consents["key"] = key[new]

    # Known records: the fields where the file has a different value.
    known = ok & ~is_new
    updates: list[dict[str, Any]] = []
    unchanged = 0
    consent_rows: list[dict[str, Any]] = []
    if known.any():
        ids = alumnus_id[known].astype("int64")
        theirs = ex_by_id.loc[ids.to_numpy()]
        theirs.index = ids.index
        mine = values[known]
        changed = pd.DataFrame(index=mine.index)
        for name in VALUE_FIELDS:
            a, b = _comparable(mine[name]), _comparable(theirs[name])
            changed[name] = a.notna() & (a != b)
        latest = _latest_consents(ids.tolist()) if consents.notna().any().any() else {}
        any_change = changed.any(axis=1)
        for idx in mine.index:
            aid = int(ids[idx])
            consent_changes = [
                (p, bool(consents.at[idx, p])) for p in CONSENT_PURPOSES
                if consents.at[idx, p] is not None and not pd.isna(consents.at[idx, p])
                and latest.get((aid, p)) != bool(consents.at[idx, p])]
            for purpose, granted in consent_changes:
                consent_rows.append({"alumnus_id": aid, "purpose": purpose, "granted": granted})
            if not any_change[idx]:
                if not consent_changes:
                    unchanged += 1
                else:
                    updates.append({"id": aid, "version": int(theirs.at[idx, "version"]),
                                    "changes": {}, "before": {}})
                continue
            names = [n for n in VALUE_FIELDS if changed.at[idx, n]]
            change = {n: mine.at[idx, n] for n in names}
            before = {n: theirs.at[idx, n] for n in names}
            before = {k: (None if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
                      for k, v in before.items()}
            if {"given_name", "family_name", "preferred_name", "email"} & set(names):
                row = {n: theirs.at[idx, n] for n in ("given_name", "family_name",
                                                        "preferred_name", "email")}
                row.update({k: v for k, v in change.items() if k in row})
                row["student_number"] = theirs.at[idx, "student_number"]
                change["search_text"] = build_search_series(
                    pd.DataFrame([row]).astype(object))[0]
            updates.append({"id": aid, "version": int(theirs.at[idx, "version"]),
                            "changes": change, "before": before})

    ctx.progress(total, total, "Checked")
    return Plan(
        kind="alumni",
        rows_read=total,
        create=int(new.sum()),
        update=len(updates),
        unchanged=unchanged,
        errors=errors,
        payload={"create": create.reset_index(drop=True),
                 "create_consents": create_consents.reset_index(drop=True),
                 "updates": updates, "consents": consent_rows},
    )


def _latest_consents(alumnus_ids: list[int]) -> dict[tuple[int, str], bool]:
    out: dict[tuple[int, str], bool] = {}
    for start in range(0, len(alumnus_ids), 10_000):
        part = alumnus_ids[start:start + 10_000]
        rows = db.session.execute(
            select(Consent.alumnus_id, Consent.purpose, Consent.granted)
            .where(Consent.alumnus_id.in_(part)).order_by(Consent.recorded_at, Consent.id)
        ).all()
        for aid, purpose, granted in rows:
            out[(aid, purpose)] = granted
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _json(value: Any) -> Any:
    value = _plain(value)
    return value.isoformat() if isinstance(value, date) else value


def commit_alumni(plan: Plan, ctx: ImportContext) -> dict[str, int]:
    """Insert the new alumni and update the known ones, exactly as planned (no commit)."""
    table = Alumnus.__table__
    institution_id = ctx.institution.id
    now = utcnow()
    create: pd.DataFrame = plan.payload["create"]
    updates: list[dict[str, Any]] = plan.payload["updates"]
    total = len(create) + len(updates)
    actor_id = getattr(ctx.actor, "id", None)
    actor_label = getattr(ctx.actor, "email", None) or "system"
    batch_id = ctx.batch.id if ctx.batch is not None else None
    origin = "import"

    if len(create):
        # Someone may have added one of these numbers since the preview.
        keys = set(create["student_number"].str.lower())
        taken = set(db.session.scalars(
            select(func.lower(Alumnus.student_number))
            .where(Alumnus.institution_id == institution_id)))
        clash = keys & taken
        if clash:
            raise Conflict(f"{len(clash)} student numbers of this file were added to the "
                           "register since the preview; nothing was saved. Preview again.")
    records = create.astype(object).where(create.notna(), None).to_dict("records")
    created = 0
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        for r in chunk:
            for k, v in r.items():
                r[k] = _plain(v)
            r.update(institution_id=institution_id, directory_visible=False, version=1,
                     created_at=now, updated_at=now)
        db.session.execute(insert(table), chunk)
        created += len(chunk)
        ctx.progress(created, total, f"Added {created:,} of {len(records):,} new alumni")
    del records

    consent_rows = list(plan.payload["consents"])
    cc: pd.DataFrame = plan.payload["create_consents"]
    if len(create) and cc.drop(columns=["key"]).notna().any().any():
        ids = dict(db.session.execute(
            select(func.lower(Alumnus.student_number), Alumnus.id)
            .where(Alumnus.institution_id == institution_id)).all())
        for purpose in CONSENT_PURPOSES:
            given = cc[cc[purpose].notna()]
            consent_rows += [{"alumnus_id": ids[k], "purpose": purpose, "granted": bool(g)}
                             for k, g in zip(given["key"], given[purpose], strict=True)]

    updated = 0
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u["changes"])), []).append(u)
    for names, items in groups.items():
        stmt = (update(table)
                .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                .values({**{n: bindparam(f"v_{n}") for n in names},
                         "version": table.c.version + 1, "updated_at": now}))
        for start in range(0, len(items), CHUNK):
            part = items[start:start + CHUNK]
            params = [{"b_id": u["id"], "b_version": u["version"],
                       **{f"v_{n}": _plain(u["changes"][n]) for n in names}} for u in part]
            result = db.session.execute(stmt, params)
            if db.engine.dialect.supports_sane_multi_rowcount and result.rowcount != len(part):
                raise Conflict("Some of these alumni were changed since the preview; nothing "
                               "was saved. Preview the file again.")
            updated += len(part)
            ctx.progress(len(create) + updated, total,
                         f"Updated {updated:,} of {len(updates):,} alumni")
    if updates and not db.engine.dialect.supports_sane_multi_rowcount:
        _check_versions(updates)

    if consent_rows:
        db.session.execute(insert(Consent.__table__), [
            {**c, "method": "import", "recorded_at": now, "notice_version": CURRENT_NOTICE_VERSION,
             "recorded_by_id": actor_id} for c in consent_rows])

    # One audit entry per changed record (what changed, before and after); new records are
    # listed by the batch's own entry, which the pipeline adds.
    audit = [{"created_at": now, "actor_id": actor_id, "actor_label": actor_label,
              "institution_id": institution_id, "action": "alumnus.import_update",
              "entity_type": "Alumnus", "entity_id": str(u["id"]),
              "before": {k: _json(v) for k, v in u["before"].items()} | {"batch": batch_id},
              "after": {k: _json(v) for k, v in u["changes"].items() if k != "search_text"}
              | {"batch": batch_id}, "origin": origin} for u in updates]
    for start in range(0, len(audit), CHUNK):
        db.session.execute(insert(AuditEntry.__table__), audit[start:start + CHUNK])
    db.session.expire_all()
    return {"create": created, "update": updated, "unchanged": plan.unchanged}


def _check_versions(updates: list[dict[str, Any]]) -> None:
    expected = {u["id"]: u["version"] + 1 for u in updates}
    ids = list(expected)
    for start in range(0, len(ids), 10_000):
        part = ids[start:start + 10_000]
        for aid, version in db.session.execute(
                select(Alumnus.id, Alumnus.version).where(Alumnus.id.in_(part))):
            if expected[aid] != version:
                raise Conflict("Some of these alumni were changed since the preview; nothing "
                               "was saved. Preview the file again.")


ALUMNI_KIND = ImportKind(
    name="alumni",
    label="Registrar alumni list",
    description="One row per graduate: student number, names, contact details, programme, "
                "graduation and cohort. Known student numbers are updated where the file has "
                "a value; blanks never erase.",
    columns=COLUMNS,
    plan=plan_alumni,
    commit=commit_alumni,
)
register_kind(ALUMNI_KIND)
