"""The preview's last step for known records: what the file changes in each, field by field.

A known alumnus is updated only where the file has a value that differs from the register's
(blanks never erase), and a consent only where the file states one that differs from the
latest recorded. The preview page lists the first records' changes (`CHANGES_SHOWN`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select

from app.alumni.models import CONSENT_PURPOSES, Consent, Programme
from app.extensions import db
from app.imports.alumni_values import (
    FIELD_KINDS,
    VALUE_FIELDS,
    build_search_series,
    changed_values,
    plain_value,
)

if TYPE_CHECKING:
    from app.imports.alumni_plan import Rows

SEARCH_FIELDS = {"given_name", "family_name", "preferred_name", "email"}
# Fields that place a graduate in the register (the figures count by them): changing one the
# register already holds is a change the officer accepts explicitly in the preview.
KEY_FIELDS = ("programme_id", "graduation_date", "cohort_year")


def changes_to_known(rows: Rows, consents: pd.DataFrame, known: pd.Series
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int,
                                list[dict[str, Any]]]:
    """For the accepted rows of known records: the fields where the file has a different value.

    Returns (updates, consent rows to add, how many rows change nothing, what the preview
    shows of the changes: the first CHANGES_SHOWN records', field by field).
    """
    if not known.any():
        return [], [], 0, []
    ids = rows.alumnus_id[known].astype("int64")
    theirs = rows.existing.iloc[rows.at[known.to_numpy()]]
    theirs.index = ids.index
    mine = rows.values[known]
    changed = pd.DataFrame({n: changed_values(mine[n], theirs[n], FIELD_KINDS.get(n, "text"))
                            for n in VALUE_FIELDS}, index=mine.index)
    consent_change, consent_rows, latest = _consent_changes(ids, consents[known])
    touched = changed.any(axis=1) | consent_change
    updates = []
    for idx, row_number, flags, new_values, old_values in zip(
            changed.index[touched], rows.frame.loc[touched[touched].index, "_row"].tolist(),
            changed[touched].to_dict("records"), mine[touched].to_dict("records"),
            theirs[touched].to_dict("records"), strict=True):
        names = [n for n in VALUE_FIELDS if flags[n]]
        change = {n: plain_value(new_values[n]) for n in names}
        key_fields = [n for n in KEY_FIELDS
                      if n in change and plain_value(old_values[n]) is not None]
        if SEARCH_FIELDS & set(names):
            row = {n: plain_value(old_values[n]) for n in SEARCH_FIELDS}
            row.update({k: v for k, v in change.items() if k in row})
            row["student_number"] = old_values["student_number"]
            change["search_text"] = build_search_series(pd.DataFrame([row]).astype(object))[0]
        updates.append({"id": int(ids[idx]), "version": int(old_values["version"]),
                        "changes": change,
                        "before": {n: plain_value(old_values[n]) for n in names},
                        "row": int(row_number),
                        "number": old_values["student_number"],
                        "key_fields": key_fields})
    # Key changes are listed first, so the preview shows every one it can.
    ordered = sorted(updates, key=lambda u: not u["key_fields"])
    shown = _changes_shown(ordered[:CHANGES_SHOWN], consent_rows, latest, rows.institution.id)
    return updates, consent_rows, int((~touched).sum()), shown


CHANGES_SHOWN = 100  # records whose changes the preview page lists


def _changes_shown(updates: list[dict[str, Any]], consent_rows: list[dict[str, Any]],
                   latest: dict[tuple[int, str], bool], institution_id: int
                   ) -> list[dict[str, Any]]:
    """Each change as the preview page lists it: the file's row, the student number, the
    field (the import's column name), the register's value and the file's, as text."""
    codes = dict(db.session.execute(select(Programme.id, Programme.code).where(
        Programme.institution_id == institution_id)).all())
    words = {True: "yes", False: "no", None: None}

    def text(name: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a column with blanks is read as floats: 2019.0 is 2019
        if name == "programme_id":
            return codes.get(value, str(value))
        return value.isoformat() if isinstance(value, date) else str(value)

    by_id = {u["id"]: u for u in updates}
    out = []
    for u in updates:
        for name in VALUE_FIELDS:
            if name in u["changes"]:
                out.append({"row": u["row"], "key": u["number"],
                            "field": "programme_code" if name == "programme_id" else name,
                            "before": text(name, u["before"][name]),
                            "after": text(name, u["changes"][name]),
                            "key_field": name in u["key_fields"]})
    for c in consent_rows:
        u = by_id.get(c["alumnus_id"])
        if u is not None:
            out.append({"row": u["row"], "key": u["number"], "field": f"consent_{c['purpose']}",
                        "before": words[latest.get((c["alumnus_id"], c["purpose"]))],
                        "after": words[c["granted"]]})
    return sorted(out, key=lambda c: c["row"])


def _consent_changes(ids: pd.Series, wanted: pd.DataFrame
                     ) -> tuple[pd.Series, list[dict[str, Any]], dict[tuple[int, str], bool]]:
    """Rows whose stated consents differ from the latest recorded, the rows to record, and
    the latest recorded consents."""
    changed = pd.Series(False, index=ids.index)
    out: list[dict[str, Any]] = []
    given = wanted.notna()
    if not given.any().any():
        return changed, out, {}
    latest = _latest_consents(ids.tolist())
    for purpose in CONSENT_PURPOSES:
        current = pd.Series([latest.get((int(a), purpose)) for a in ids], index=ids.index,
                            dtype=object)
        differs = given[purpose] & (current.isna() | (current != wanted[purpose]))
        changed |= differs.astype(bool)
        out += [{"alumnus_id": int(a), "purpose": purpose, "granted": bool(g)}
                for a, g in zip(ids[differs], wanted.loc[differs, purpose], strict=True)]
    return changed, out, latest


def _latest_consents(alumnus_ids: list[int]) -> dict[tuple[int, str], bool]:
    out: dict[tuple[int, str], bool] = {}
    for start in range(0, len(alumnus_ids), 10_000):
        part = alumnus_ids[start:start + 10_000]
        found = db.session.execute(
            select(Consent.alumnus_id, Consent.purpose, Consent.granted)
            .where(Consent.alumnus_id.in_(part)).order_by(Consent.recorded_at, Consent.id)
        ).all()
        for aid, purpose, granted in found:
            out[(aid, purpose)] = granted
    return out
