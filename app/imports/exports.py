"""The register as CSV or XLSX, with the register page's filters applied.

A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe, so opening an export never runs one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from app.alumni.services import RegisterFilters, search_alumni
from app.extensions import db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    ("student_number", "Student number"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("preferred_name", "Preferred name"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("country", "Country"),
    ("city", "City"),
    ("gender", "Gender"),
    ("birth_date", "Birth date"),
    ("programme_code", "Programme code"),
    ("graduation_date", "Graduation date"),
    ("award_date", "Award date"),
    ("cohort_year", "Cohort"),
    ("status", "Status"),
)


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_rows(filters: RegisterFilters, *, actor: Any) -> Iterator[list[Any]]:
    """The header, then one neutralised row per alumnus the register page would list."""
    yield [label for _, label in EXPORT_COLUMNS]
    stmt = search_alumni(filters, actor=actor).execution_options(yield_per=2_000)
    for alumnus in db.session.scalars(stmt):
        row = []
        for name, _ in EXPORT_COLUMNS:
            if name == "programme_code":
                value = alumnus.programme.code if alumnus.programme else None
            else:
                value = getattr(alumnus, name)
            row.append(neutralise(value))
        yield row


def export_csv(filters: RegisterFilters, *, actor: Any) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read names in any script."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(filters, actor=actor):
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v)
                         for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(filters: RegisterFilters, *, actor: Any) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Alumni")
    for row in export_rows(filters, actor=actor):
        sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
