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

import numpy as np
import pandas as pd
import phonenumbers
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
    """The institution's register as a frame (values as the driver returns them)."""
    names = ["id", "student_number", "version", *VALUE_FIELDS]
    table = Alumnus.__table__
    # Read without per-value type processing: 100,000 rows in a fraction of a second.
    sql = select(*(table.c[n] for n in names)).where(table.c.institution_id == institution_id)
    compiled = sql.compile(db.engine)
    cursor = db.session.connection().connection.cursor()  # the session's own transaction
    try:
        cursor.execute(str(compiled),
                       _positional(compiled, {"institution_id_1": institution_id}))
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=names)
    finally:
        cursor.close()
    for name in DATE_FIELDS:
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    frame["key"] = frame["student_number"].str.lower()
    return frame


def _positional(compiled: Any, params: dict[str, Any]) -> Any:
    if compiled.positiontup is None:
        return params
    return tuple(params[name] for name in compiled.positiontup)


def _aliases(institution_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id)
        .where(StudentNumberAlias.institution_id == institution_id)).all())


_E164 = re.compile(r"^\+(\d{7,15})$")


class PhoneReader:
    """normalise_phone, with a shortcut for numbers already in international form.

    For "+<digits>" in a region whose only national prefix is 0 (Southeast Asia, most of the
    world) and whose national part does not start with 0, the result depends only on the
    calling code and the length: one number of each (code, length) is checked with
    normalise_phone and stands for the rest. Everything else goes through normalise_phone.
    """

    def __init__(self) -> None:
        self.shapes: dict[tuple[str, int], bool] = {}

    def _shape(self, digits: str) -> tuple[str, int] | None:
        for size in (1, 2, 3):
            code = digits[:size]
            region = phonenumbers.region_code_for_country_code(int(code))
            if region == "ZZ":
                continue
            meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
                int(code), region)
            if meta is None or meta.national_prefix_for_parsing not in (None, "0"):
                return None
            if len(phonenumbers.region_codes_for_country_code(int(code))) != 1:
                return None
            national = digits[size:]
            if not national or national[0] == "0":
                return None
            return code, len(national)
        return None

    def __call__(self, value: str, country: str | None) -> str:
        match = _E164.match(value)
        shape = self._shape(match.group(1)) if match else None
        if shape is None:
            return normalise_phone(value, country)
        known = self.shapes.get(shape)
        if known is None:
            try:
                known = normalise_phone(value, country) == value
            except ValueError:
                known = False
            self.shapes[shape] = known
        return value if known else normalise_phone(value, country)


def _changed(mine: pd.Series, theirs: pd.Series, kind: str) -> pd.Series:
    """Where the file has a value that differs from the register's (blanks never count)."""
    if kind == "date":
        a, b = pd.to_datetime(mine, errors="coerce"), pd.to_datetime(theirs, errors="coerce")
    elif kind == "int":
        a = pd.to_numeric(mine, errors="coerce").astype("Int64")
        b = pd.to_numeric(theirs, errors="coerce").astype("Int64")
    else:
        a, b = mine.astype(object), theirs.astype(object)
        a = a.where(a.notna(), None)
        b = b.where(b.notna(), None)
        return a.notna() & (b.isna() | (a != b))
    differs = (a != b).astype("boolean").fillna(True)
    return (a.notna() & (b.isna() | differs)).astype(bool)


FIELD_KINDS = {**{n: "date" for n in DATE_FIELDS}, "programme_id": "int", "cohort_year": "int"}


def _fold_series(series: pd.Series) -> pd.Series:
    """fold() for a whole column: ASCII text vectorised, other scripts once per value."""
    text = series.astype(object).where(series.notna(), None)
    ascii_mask = text.map(lambda v: isinstance(v, str) and v.isascii()).astype(bool)
    out = pd.Series("", index=series.index, dtype=object)
    if ascii_mask.any():
        out[ascii_mask] = (text[ascii_mask].astype(str).str.lower()
                           .str.split().str.join(" ")).astype(object)
    other = text.notna() & ~ascii_mask
    if other.any():
        uniques = {v: fold(v) for v in text[other].unique()}
        out[other] = text[other].map(uniques)
    return out


def build_search_series(frame: pd.DataFrame) -> pd.Series:
    """The same text as Alumnus.refresh_search_text, for a whole frame at once."""
    result = pd.Series("", index=frame.index, dtype=object)
    for column in ("given_name", "family_name", "preferred_name", "student_number", "email"):
        part = _fold_series(frame[column]).astype(str)
        both = (result != "") & (part != "")
        result = result.where(~both, result + " | " + part)
        result = result.where(~((result == "") & (part != "")), part)
    return result


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
    reader = PhoneReader()
    normalised, bad = _map_unique(pairs, lambda p: reader(*p.split("|", 1)))
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
    consent_rows: list[dict[str, Any]] = []
    unchanged = 0
    if known.any():
        ids = alumnus_id[known].astype("int64")
        theirs = ex_by_id.loc[ids.to_numpy()]
        theirs.index = ids.index
        mine = values[known]
        changed = pd.DataFrame({n: _changed(mine[n], theirs[n], FIELD_KINDS.get(n, "text"))
                                for n in VALUE_FIELDS}, index=mine.index)
        consent_change = pd.Series(False, index=mine.index)
        wanted = consents[known]
        given = wanted.notna()
        if given.any().any():
            latest = _latest_consents(ids.tolist())
            for purpose in CONSENT_PURPOSES:
                current = pd.Series([latest.get((int(a), purpose)) for a in ids],
                                    index=ids.index, dtype=object)
                differs = given[purpose] & (current.isna() | (current != wanted[purpose]))
                consent_change |= differs.astype(bool)
                consent_rows += [{"alumnus_id": int(a), "purpose": purpose, "granted": bool(g)}
                                 for a, g in zip(ids[differs], wanted.loc[differs, purpose],
                                                 strict=True)]
        any_change = changed.any(axis=1)
        touched = any_change | consent_change
        unchanged = int((~touched).sum())
        search_fields = {"given_name", "family_name", "preferred_name", "email"}
        changed_t, mine_t, theirs_t = changed[touched], mine[touched], theirs[touched]
        for idx, flags, new_values, old_values in zip(
                changed_t.index, changed_t.to_dict("records"),
                mine_t.to_dict("records"), theirs_t.to_dict("records"), strict=True):
            names = [n for n in VALUE_FIELDS if flags[n]]
            change = {n: new_values[n] for n in names}
            before = {n: _plain(old_values[n]) for n in names}
            if search_fields & set(names):
                row = {n: _plain(old_values[n]) for n in search_fields}
                row.update({k: v for k, v in change.items() if k in row})
                row["student_number"] = old_values["student_number"]
                change["search_text"] = build_search_series(
                    pd.DataFrame([row]).astype(object))[0]
            updates.append({"id": int(ids[idx]), "version": int(old_values["version"]),
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
    """A pandas/numpy value as the plain Python value a driver takes."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _column_values(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column as plain Python values (None for blanks), without a per-cell Python call."""
    series = frame[name]
    if name in ("programme_id", "cohort_year"):
        series = pd.to_numeric(series, errors="coerce").astype("Int64")
    return series.astype(object).where(series.notna(), None).tolist()


def _bulk_insert(table: Any, rows: dict[str, list[Any]], ctx: ImportContext,
                 total: int, done: int) -> int:
    """Core insert() executemany of column lists, in chunks, reporting progress.

    Each column's bind processor (date to text on SQLite, for instance) runs once per column
    here rather than per row and column inside SQLAlchemy: that per-row work was most of the
    commit time for 100,000 rows. The statement is still the Core insert(), run in the
    session's transaction.
    """
    names = list(rows)
    dialect = db.engine.dialect
    for name in names:
        process = table.c[name].type.bind_processor(dialect)
        if process is not None:
            rows[name] = [None if v is None else process(v) for v in rows[name]]
    stmt = insert(table).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    order = list(stmt.positiontup) if stmt.positiontup is not None else None
    columns = [rows[n] for n in (order or names)]
    count = len(columns[0]) if columns else 0
    connection = db.session.connection()
    for start in range(0, count, CHUNK):
        part = list(zip(*(c[start:start + CHUNK] for c in columns), strict=True))
        if order is None:
            part = [dict(zip(names, r, strict=True)) for r in part]
        connection.exec_driver_sql(str(stmt), part)
        done += len(part)
        ctx.progress(done, total, f"Added {min(start + CHUNK, count):,} of {count:,} new records")
    return count


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
    n = len(create)
    columns = {name: _column_values(create, name) for name in create.columns}
    columns.update(institution_id=[institution_id] * n, directory_visible=[False] * n,
                   version=[1] * n, created_at=[now] * n, updated_at=[now] * n)
    created = _bulk_insert(table, columns, ctx, total, 0) if n else 0
    del columns

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


def refresh_duplicates(ctx: ImportContext) -> None:
    """New and changed records join the possible-duplicates queue."""
    from app.imports.duplicates import scan_duplicates

    scan_duplicates(ctx.institution, actor=None)


ALUMNI_KIND = ImportKind(
    name="alumni",
    label="Registrar alumni list",
    description="One row per graduate: student number, names, contact details, programme, "
                "graduation and cohort. Known student numbers are updated where the file has "
                "a value; blanks never erase.",
    columns=COLUMNS,
    plan=plan_alumni,
    commit=commit_alumni,
    after_commit=refresh_duplicates,
)
register_kind(ALUMNI_KIND)
