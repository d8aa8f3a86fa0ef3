"""The register as CSV or XLSX, with the register page's filters applied.

A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe, so opening an export never runs one: in
the CSV as a character of the cell, in the workbook as Excel's own quote prefix on a text cell
(the cell shows its value as written, "+66 81…" without an apostrophe, and stays text when
edited).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.alumni.models import ALUMNUS_STATUSES, Programme
from app.alumni.services import RegisterFilters, search_alumni
from app.core.countries import COUNTRY_CODES, country_name
from app.core.permissions import in_scope
from app.core.spreadsheet import csv_text, neutralise, xlsx_bytes
from app.extensions import db

__all__ = ["describe_filters", "export_csv", "export_rows", "export_xlsx", "neutralise"]
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
    ("institution_code", "Institution"),  # an administrator's export holds several
)


@dataclass
class FilterWords:
    """The export's filters as a reader says them, and the values that match nothing."""

    applied: list[tuple[str, str]] = field(default_factory=list)  # (filter, value in words)
    unmatched: list[str] = field(default_factory=list)  # a sentence per value


def describe_filters(args: Mapping[str, str], *, actor: Any) -> FilterWords:
    """Name each filter of the register's query string in words (the programme's code and
    name, the status's label, the country's name); a value that is not one the register
    knows, or that names nothing the actor may see, is said instead of being dropped."""
    out = FilterWords()
    if args.get("q", "").strip():
        out.applied.append(("Search", f"“{args['q'].strip()}”"))
    raw = args.get("programme", "").strip()
    if raw:
        programme = (db.session.get(Programme, int(raw)) if raw.isdigit() and len(raw) < 10
                     else None)
        if programme is None or not in_scope(programme, actor):
            out.unmatched.append(f"The programme filter “{raw}” matches no programme you can "
                                 "see.")
        else:
            out.applied.append(("Programme", f"{programme.code} — {programme.name}"))
    raw = args.get("cohort", "").strip()
    if raw:
        if raw.isdigit() and len(raw) == 4:
            out.applied.append(("Cohort", raw))
        else:
            out.unmatched.append(f"The cohort filter “{raw}” is not a year.")
    raw = args.get("status", "").strip()
    if raw:
        if raw in ALUMNUS_STATUSES:
            out.applied.append(("Status", ALUMNUS_STATUSES[raw]))
        else:
            out.unmatched.append(f"The status filter “{raw}” is not one of: "
                                 + ", ".join(ALUMNUS_STATUSES.values()) + ".")
    raw = args.get("country", "").strip()
    if raw:
        if raw in COUNTRY_CODES:
            out.applied.append(("Country", country_name(raw)))
        else:
            out.unmatched.append(f"The country filter “{raw}” is not a country code.")
    if args.get("archived") == "1":
        out.applied.append(("Records", "archived ones"))
    return out


def export_rows(filters: RegisterFilters, *, actor: Any) -> Iterator[list[Any]]:
    """The header, then one row per alumnus the register page would list (not neutralised)."""
    yield [label for _, label in EXPORT_COLUMNS]
    stmt = search_alumni(filters, actor=actor).execution_options(yield_per=2_000)
    for alumnus in db.session.scalars(stmt):
        row = []
        for name, _ in EXPORT_COLUMNS:
            if name == "programme_code":
                value = alumnus.programme.code if alumnus.programme else None
            elif name == "institution_code":
                value = alumnus.institution.code
            else:
                value = getattr(alumnus, name)
            row.append(value)
        yield row


def export_csv(filters: RegisterFilters, *, actor: Any) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets read names in any script."""
    rows = export_rows(filters, actor=actor)
    return csv_text(next(rows), rows).encode("utf-8")


def export_xlsx(filters: RegisterFilters, *, actor: Any) -> bytes:
    rows = export_rows(filters, actor=actor)
    return xlsx_bytes("Alumni", next(rows), rows)
