"""The preview of a registrar alumni list: check every row, then compare with the register.

The checks are the register's own (`app.alumni.services.clean_alumnus_data`: student number
form, required given name, e-mail, country, phone, gender, status, programme of this
institution; the cohort and date rules of `app.alumni.rules`), done column by column with
pandas so that a file of 100,000 rows is checked in seconds. Matching is on (institution,
student number), case insensitive, and through student numbers merged away into a survivor;
known alumni are updated field by field where the file has a value, and blanks never erase
anything.

`plan_alumni` runs the steps below in order; each adds its row errors to `Rows.errors` and its
cleaned columns to `Rows.values`. The last step, what changes in known records, is
`app.imports.alumni_changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from app.alumni import rules
from app.alumni.models import (
    ALUMNUS_STATUSES,
    CONSENT_PURPOSES,
    GENDERS,
    Alumnus,
    Programme,
    StudentNumberAlias,
)
from app.alumni.services import STUDENT_NUMBER_RE
from app.core.countries import normalise_country
from app.extensions import db
from app.imports.alumni_changes import changes_to_known
from app.imports.alumni_values import (
    DATE_FIELDS,
    GENDER_HINT,
    GENDER_WORDS,
    STATUS_WORDS,
    TEXT_FIELDS,
    VALUE_FIELDS,
    PhoneReader,
    build_search_series,
    column_lengths,
    map_unique,
    normalise_email,
    per_distinct,
)
from app.imports.pipeline import (
    ImportContext,
    Plan,
    RowError,
    errors_for,
    read_dates,
    repeated_in_file,
)

# Fields whose unreadable value is left out with a warning; the row is kept. Only the key
# fields (student number, given name, programme, dates the register orders by) reject a row.
OPTIONAL_FIELDS = ("phone", "country", "gender", "birth_date", "city")

YES = {"yes", "y", "true", "1", "granted", "x", "ใช่", "ya", "oo", "có"}
NO = {"no", "n", "false", "0", "withdrawn", "ไม่", "tidak", "hindi", "không"}


@dataclass
class Rows:
    """The file's rows as the steps see them, and what they have found so far."""

    frame: pd.DataFrame  # the file's text, one column per field, plus `_row`
    existing: pd.DataFrame  # the institution's register
    institution: Any
    values: pd.DataFrame = field(init=False)  # cleaned values, the register's types
    errors: list[RowError] = field(default_factory=list)
    key: pd.Series = field(init=False)  # lower-case student number (missing: unusable)
    alumnus_id: pd.Series = field(init=False)  # the matched record (missing: a new one)
    at: Any = field(init=False)  # each row's position in `existing` (-1: a new record)

    def __post_init__(self) -> None:
        self.values = pd.DataFrame(index=self.frame.index)

    def flag(self, mask: pd.Series, name: str,
             message: str | pd.Series | Callable[[pd.Series], pd.Series],
             level: str = "error") -> None:
        """Row errors where `mask` holds. A message built from each row's values is given as
        a function of the mask, so it is built for those rows only, not for all 100,000."""
        mask = mask.fillna(False).astype(bool)
        if callable(message):
            if not mask.any():
                return
            message = message(mask).reindex(self.frame.index)
        self.errors += errors_for(mask, self.frame, name, message, level)

    def drop(self, mask: pd.Series, name: str,
             message: str | pd.Series | Callable[[pd.Series], pd.Series]) -> None:
        """An optional field that cannot be read: a warning, and the value left out (empty
        for a new record, unchanged for a known one); the row is kept."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        if callable(message):
            message = message(mask).reindex(self.frame.index)
        self.errors += errors_for(mask, self.frame, name, message, "warning", dropped=True)
        if name in self.values:
            self.values.loc[mask, name] = None

    def from_register(self, name: str) -> pd.Series:
        """The register's value of each row's record (missing for new records)."""
        taken = pd.api.extensions.take(self.existing[name].to_numpy(), self.at, allow_fill=True)
        return pd.Series(taken, index=self.frame.index)

    def effective(self, name: str) -> pd.Series:
        """The value the record will have: the file's, else the register's."""
        mine = self.values[name]
        if self.existing.empty:
            return mine
        return mine.fillna(pd.to_datetime(self.from_register(name), errors="coerce"))


def plan_alumni(frame: pd.DataFrame, ctx: ImportContext) -> Plan:
    """Check every row and work out what to create, update and leave unchanged."""
    from app.imports.alumni_kind import ALUMNI_KIND

    f = frame.copy()
    for col in ALUMNI_KIND.columns:
        if col.name not in f:
            f[col.name] = pd.Series(pd.NA, index=f.index, dtype="string")
    rows = Rows(f, register_frame(ctx.institution.id), ctx.institution)
    total = len(f)
    ctx.progress(0, total, "Checking student numbers")
    match_student_numbers(rows)
    ctx.progress(int(total * 0.1), total, "Checking names, e-mail and phone")
    check_names_and_contacts(rows)
    ctx.progress(int(total * 0.3), total, "Checking programmes, dates and choices")
    check_choices(rows)
    check_dates_and_cohort(rows)
    consents = read_consents(rows)
    ctx.progress(int(total * 0.6), total, "Comparing with the register")
    ok = ~f["_row"].isin({e.row for e in rows.errors if e.level == "error"})
    is_new = rows.alumnus_id.isna()
    create, create_consents = new_records(rows, consents, ok & is_new)
    updates, consent_rows, unchanged, shown = changes_to_known(rows, consents, ok & ~is_new)
    ctx.progress(total, total, "Checked")
    return Plan(
        kind="alumni",
        rows_read=total,
        create=len(create),
        update=len(updates),
        unchanged=unchanged,
        errors=rows.errors,
        payload={"create": create, "create_consents": create_consents,
                 "updates": updates, "consents": consent_rows},
        changes=shown,
        key_changes=sum(1 for u in updates if u["key_fields"]),
    )


def register_frame(institution_id: int) -> pd.DataFrame:
    """The institution's register as a frame (values as the driver returns them)."""
    names = ["id", "student_number", "version", *VALUE_FIELDS]
    table = Alumnus.__table__
    # Read without per-value type processing: 100,000 rows in a fraction of a second.
    sql = select(*(table.c[n] for n in names)).where(table.c.institution_id == institution_id)
    compiled = sql.compile(db.engine)
    params = {"institution_id_1": institution_id}
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = db.session.connection().connection.cursor()  # the session's own transaction
    try:
        cursor.execute(str(compiled), params)
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=names)
    finally:
        cursor.close()
    for name in DATE_FIELDS:
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    frame["key"] = frame["student_number"].str.lower()
    return frame


def aliases_of(institution_id: int) -> dict[str, int]:
    """Student numbers merged away (lower case) and the record each now names."""
    return dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id)
        .where(StudentNumberAlias.institution_id == institution_id)).all())


def match_student_numbers(rows: Rows) -> None:
    """Student number: present, in the register's form, once in the file; find the record."""
    f, existing = rows.frame, rows.existing
    sn = f["student_number"]
    rows.flag(sn.isna(), "student_number", "Fill in the student number.")
    bad_form = sn.notna() & ~sn.fillna("").str.match(STUDENT_NUMBER_RE.pattern)
    rows.flag(bad_form, "student_number",
              "Use letters and digits (dots, dashes and slashes inside), at most 40.")
    key = sn.str.lower().where(~bad_form)

    by_key = pd.Series(existing["id"].to_numpy(), index=existing["key"].to_numpy())
    aliases = aliases_of(rows.institution.id)
    alumnus_id = key.map(by_key)
    via_alias = alumnus_id.isna() & key.isin(list(aliases))
    if via_alias.any():
        alumnus_id[via_alias] = key[via_alias].map(aliases)
        survivor_number = alumnus_id[via_alias].map(
            pd.Series(existing["student_number"].to_numpy(), index=existing["id"].to_numpy()))
        rows.flag(via_alias, "student_number",
                  "This student number was merged into " + survivor_number.astype(str)
                  + "; the row updates that record.", level="warning")
    rows.key, rows.alumnus_id = key, alumnus_id
    rows.at = pd.Index(existing["id"].to_numpy()).get_indexer(
        alumnus_id.fillna(-1).astype("int64").to_numpy())

    # Two rows for one record (the same number, or a number and one merged into it).
    ident = alumnus_id.astype("Int64").astype("string").where(alumnus_id.notna(), "k:" + key)
    ident = ident.where(key.notna())
    repeated = repeated_in_file(ident, f)
    if repeated.any():
        rows_by = f.loc[repeated].groupby(ident[repeated])["_row"].agg(
            lambda r: ", ".join(str(x) for x in r))
        in_rows = ident.map(rows_by).astype(str)
        message = "This student number is repeated in the file (rows " + in_rows + ")."
        merged = via_alias & repeated
        if merged.any():
            # Rows for one record under its number and a number merged into it: name the record.
            merged_numbers = sn[merged].groupby(ident[merged]).agg(
                lambda n: ", ".join(dict.fromkeys(n)) + (" were" if n.nunique() > 1 else " was"))
            survivor = alumnus_id.map(pd.Series(existing["student_number"].to_numpy(),
                                                index=existing["id"].to_numpy()))
            message = message.where(~ident.isin(merged_numbers.index), (
                "Rows " + in_rows + " are for one record, " + survivor.astype(str) + " ("
                + ident.map(merged_numbers).astype(str) + " merged into it); keep one row."))
        rows.flag(repeated, "student_number", message)
    # A new record needs a given name (an update may leave it out: blanks never erase).
    rows.flag(alumnus_id.isna() & key.notna() & f["given_name"].isna(), "given_name",
              "Fill in the given name.")


def check_names_and_contacts(rows: Rows) -> None:
    """Text lengths, e-mail in the register's form, country, phone read with the country."""
    f, values, existing = rows.frame, rows.values, rows.existing
    lengths = column_lengths()
    for name in TEXT_FIELDS:
        values[name] = f[name].astype(object).where(f[name].notna(), None)
        too_long = f[name].str.len() > lengths[name]
        if name in OPTIONAL_FIELDS:
            rows.drop(too_long, name, f"Longer than {lengths[name]} characters; left out.")
        else:
            rows.flag(too_long, name, f"Longer than {lengths[name]} characters.")

    # The register's own values need no new check.
    email = f["email"]
    known_emails = email.isin(set(existing["email"].dropna()))
    normalised, bad = map_unique(email.where(~known_emails), normalise_email)
    values["email"] = normalised.where(~known_emails, email).astype(object)
    rows.flag(bad.notna(), "email", bad)

    # A country by its code or its name, in English or a language of the region.
    country, bad = map_unique(f["country"], normalise_country)
    values["country"] = country.astype(object).where(country.notna(), None)
    rows.drop(bad.notna(), "country", lambda m: bad[m] + " The country is left out.")

    # The phone is read with the row's country: the file's, the record's, or the institution's.
    phone_country = (values["country"].fillna(rows.from_register("country"))
                     .fillna(rows.institution.country))
    phone = f["phone"]
    todo = phone.notna() & ~phone.isin(set(existing["phone"].dropna()))
    reader = PhoneReader()
    normalised, bad = map_unique(phone[todo] + "|" + phone_country[todo].astype(str),
                                 lambda p: reader(*p.split("|", 1)))
    values["phone"] = phone.where(~todo, normalised).astype(object)
    bad = bad.reindex(f.index)
    rows.drop(bad.notna(), "phone", lambda m: "Cannot read the phone “" + f.loc[m, "phone"]
              + "”: " + bad[m] + " The phone is left out.")


def check_choices(rows: Rows) -> None:
    """Gender and status in the register's words (common spellings accepted); programme."""
    f, values = rows.frame, rows.values
    for name, words, choices in (("gender", GENDER_WORDS, GENDERS),
                                 ("status", STATUS_WORDS, ALUMNUS_STATUSES)):
        raw = per_distinct(f[name], lambda s: s.str.lower().str.strip())
        mapped = per_distinct(raw, lambda s, w=words: s.map(w))
        values[name] = mapped.astype(object).where(mapped.notna(), None)
        if name == "gender":
            rows.drop(raw.notna() & mapped.isna(), name,
                      lambda m: "Cannot read the gender “" + f.loc[m, "gender"].astype(str)
                      + f"”: write {GENDER_HINT}. The gender is left out.")
        else:
            rows.flag(raw.notna() & mapped.isna(), name,
                      "Choose one of: " + ", ".join(choices) + ".")

    codes = dict(db.session.execute(
        select(func.upper(Programme.code), Programme.id)
        .where(Programme.institution_id == rows.institution.id)).all())
    code = per_distinct(f["programme_code"], lambda s: s.str.upper())
    programme_id = code.map(codes).astype("Int64")
    rows.flag(code.notna() & programme_id.isna(), "programme_code",
              lambda m: "Unknown programme code “" + f.loc[m, "programme_code"].astype(str)
              + "” for this institution.")
    values["programme_id"] = programme_id.astype(object).where(programme_id.notna(), None)


def check_dates_and_cohort(rows: Rows) -> None:
    """Dates in any common format, the cohort year, and the order of the dates."""
    f, values = rows.frame, rows.values
    for name in DATE_FIELDS:
        when, bad, buddhist = read_dates(f[name])
        report = rows.drop if name in OPTIONAL_FIELDS else rows.flag
        report(bad, name, lambda m, n=name: "Cannot read the date “" + f.loc[m, n].astype(str)
               + "”; write it like 2021-06-30, 30/06/2021 or 30-Jun-2021."
               + (" The birth date is left out." if n == "birth_date" else ""))
        rows.flag(buddhist, name, lambda m, n=name, w=when: "Read “" + f.loc[m, n].astype(str)
                  + "” as a Buddhist Era date: " + w[m].dt.strftime("%d %b %Y") + ".",
                  level="warning")
        values[name] = when  # datetime64 here; plain dates where they are written

    # The register's rules (app.alumni.rules), on whole columns.
    cohort = pd.to_numeric(f["cohort_year"], errors="coerce")
    not_year = f["cohort_year"].notna() & (cohort.isna() | (cohort % 1 != 0))
    rows.flag(not_year, "cohort_year", rules.NOT_A_YEAR)
    out_of_range = ~not_year & cohort.notna() & ~rules.cohort_in_range(cohort)
    rows.flag(out_of_range, "cohort_year", rules.cohort_range_message())
    good = cohort.notna() & ~not_year & ~out_of_range
    values["cohort_year"] = cohort.where(good).astype("Int64").astype(object).where(good, None)
    beyond = {}
    for name in rules.DATED_FIELDS:
        year = values[name].dt.year
        beyond[name] = rules.beyond_common_era(year)
        rows.flag(beyond[name], name, lambda m, y=year: rules.buddhist_era_message(y[m]))

    # The order on the values the record will have (the file's, else the register's).
    grad, award, born = (rows.effective(n) for n in ("graduation_date", "award_date",
                                                      "birth_date"))
    grad = grad.mask(beyond["graduation_date"])
    rows.flag(rules.award_before_graduation(grad, award), "award_date",
              rules.AWARD_BEFORE_GRADUATION)
    # The file's own birth date, when wrong, is left out; the register's against a new
    # graduation date says the graduation date is in doubt, so the row is rejected.
    from_file = values["birth_date"].notna()
    not_before = rules.birth_not_before_graduation(born, grad)
    future = rules.birth_in_future(born) & ~not_before
    left_out = " The birth date is left out."
    rows.drop(from_file & future, "birth_date", rules.BIRTH_IN_FUTURE + left_out)
    rows.drop(from_file & not_before, "birth_date", rules.BIRTH_NOT_BEFORE_GRADUATION + left_out)
    rows.flag(~from_file & future, "birth_date", rules.BIRTH_IN_FUTURE)
    rows.flag(~from_file & not_before, "birth_date", rules.BIRTH_NOT_BEFORE_GRADUATION)
    # A stated cohort may be the intake year (said with a warning), never a later one.
    grad_year = grad.dt.year
    stated = values["cohort_year"].notna() & grad.notna()
    stated_year = pd.to_numeric(values["cohort_year"].where(stated), errors="coerce")
    later = stated & rules.cohort_after_graduation(stated_year, grad_year)
    rows.flag(later, "cohort_year", lambda m: rules.cohort_after_graduation_message(
        stated_year[m], grad_year[m]))
    rows.flag(stated & ~later & (stated_year != grad_year), "cohort_year",
              lambda m: rules.cohort_not_graduation_message(stated_year[m], grad_year[m]),
              level="warning")
    # The cohort is the graduation year unless stated.
    cohort_now = values["cohort_year"]
    if not rows.existing.empty:
        cohort_now = cohort_now.where(cohort_now.notna(), rows.from_register("cohort_year"))
    fill = cohort_now.isna() & grad.notna()
    values.loc[fill, "cohort_year"] = grad[fill].dt.year.astype(object)


def read_consents(rows: Rows) -> pd.DataFrame:
    """Consent per purpose where the file has a column for it: True, False or None."""
    f = rows.frame
    consents = pd.DataFrame(index=f.index)
    for purpose in CONSENT_PURPOSES:
        raw = f[f"consent_{purpose}"].str.lower()
        if raw.isna().all():
            consents[purpose] = pd.Series(None, index=f.index, dtype=object)
            continue
        granted = raw.map(lambda v: True if v in YES else (False if v in NO else None))
        unknown = raw.notna() & granted.isna()
        rows.flag(unknown, f"consent_{purpose}", "Write yes or no.")
        consents[purpose] = granted.where(~unknown, None)
    return consents


def new_records(rows: Rows, consents: pd.DataFrame,
                new: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accepted rows that create a record, and the consents they bring."""
    create = rows.values[new].copy()
    create.insert(0, "student_number", rows.frame.loc[new, "student_number"].astype(object))
    create["status"] = create["status"].where(create["status"].notna(), "active")
    create["search_text"] = build_search_series(create) if len(create) else []
    create_consents = consents[new].copy()
    create_consents["key"] = rows.key[new]
    return create.reset_index(drop=True), create_consents.reset_index(drop=True)
