"""The register as CSV or XLSX, with the register page's filters applied.

A cell that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe, so opening an export never runs one: in
the CSV as a character of the cell, in the workbook as Excel's own quote prefix on a text cell
(the cell shows its value as written, "+66 81…" without an apostrophe, and stays text when
edited).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select

from app.alumni.models import ALUMNUS_STATUSES, Alumnus, Institution, Programme
from app.alumni.register import RegisterFilters, register_query, sort_keys
from app.core.countries import COUNTRY_CODES
from app.core.i18n import country_name_in_language
from app.core.permissions import CONTACT_FIELDS, in_scope, sees_contacts
from app.core.spreadsheet import BOM, csv_cell, neutralise, xlsx_bytes
from app.extensions import db

__all__ = ["describe_filters", "export_csv", "export_csv_stream", "export_rows", "export_xlsx",
           "neutralise"]
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


def export_columns(actor: Any) -> tuple[tuple[str, str], ...]:
    """The export's columns for this reader: without e-mail, phone and birth date for quality
    staff who have no grant to see them (`sees_contacts`)."""
    if sees_contacts(actor):
        return EXPORT_COLUMNS
    return tuple(c for c in EXPORT_COLUMNS if c[0] not in CONTACT_FIELDS)


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
        out.applied.append((gettext("Search"), f"“{args['q'].strip()}”"))
    raw = args.get("programme", "").strip()
    if raw:
        programme = (db.session.get(Programme, int(raw)) if raw.isdigit() and len(raw) < 10
                     else None)
        if programme is None or not in_scope(programme, actor):
            out.unmatched.append(gettext(
                "The programme filter “%(value)s” matches no programme you can see.", value=raw))
        else:
            out.applied.append((gettext("Programme"), f"{programme.code} — {programme.name}"))
    raw = args.get("cohort", "").strip()
    if raw:
        if raw.isdigit() and len(raw) == 4:
            out.applied.append((gettext("Cohort"), raw))
        else:
            out.unmatched.append(gettext("The cohort filter “%(value)s” is not a year.",
                                         value=raw))
    raw = args.get("status", "").strip()
    if raw:
        if raw in ALUMNUS_STATUSES:
            out.applied.append((gettext("Status"), gettext(ALUMNUS_STATUSES[raw])))
        else:
            out.unmatched.append(gettext(
                "The status filter “%(value)s” is not one of: %(choices)s.", value=raw,
                choices=", ".join(gettext(s) for s in ALUMNUS_STATUSES.values())))
    raw = args.get("country", "").strip()
    if raw:
        if raw in COUNTRY_CODES:
            out.applied.append((gettext("Country"), country_name_in_language(raw)))
        else:
            out.unmatched.append(gettext("The country filter “%(value)s” is not a country code.",
                                         value=raw))
    if args.get("archived") == "1":
        out.applied.append((gettext("Records"), gettext("archived ones")))
    return out


def export_select(filters: RegisterFilters, *, actor: Any) -> Select:
    """The export's columns as one plain SELECT (no ORM objects), in the register's order."""
    columns = []
    for name, _ in export_columns(actor):
        if name == "programme_code":
            columns.append(Programme.code)
        elif name == "institution_code":
            columns.append(Institution.code)
        else:
            columns.append(getattr(Alumnus, name))
    order = [c.desc() if filters.descending else c.asc() for c in sort_keys(filters)]
    return (register_query(filters, actor=actor).with_only_columns(*columns)
            .join_from(Alumnus, Programme, Programme.id == Alumnus.programme_id, isouter=True)
            .join_from(Alumnus, Institution, Institution.id == Alumnus.institution_id)
            .order_by(*order).execution_options(yield_per=5_000))


def export_rows(filters: RegisterFilters, *, actor: Any) -> Iterator[Sequence[Any]]:
    """The header, then one row per alumnus the register page would list (not neutralised),
    read in batches as plain rows: memory does not grow with the register."""
    yield [label for _, label in export_columns(actor)]
    yield from db.session.execute(export_select(filters, actor=actor))


def csv_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Rows (the header first) as CSV while they are read: UTF-8 with a byte-order mark
    (spreadsheets then read names in any script), in pieces of about 256 KB."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    rows = iter(rows)
    writer.writerow(next(rows))
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        if out.tell() > 256_000:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


class CsvStream:
    """The CSV of a query for a streamed response, read on a connection of its own (no
    request context needed while the response is sent), opened at the first piece and closed
    after the last one, or when the server closes the response (the client went away)."""

    def __init__(self, stmt: Select, header: list[str]) -> None:
        self._stmt, self._engine, self._header = stmt, db.engine, header
        self._connection = self._pieces = None

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._pieces is None:
            self._connection = self._engine.connect()
            self._pieces = csv_chunks(itertools.chain([self._header], self._rows()))
        try:
            return next(self._pieces)
        except BaseException:
            self.close()
            raise

    def _rows(self) -> Iterator[Sequence[Any]]:
        # The connection goes back (its transaction ended) as soon as the last row is read,
        # not when the server next asks for a piece: a reader that stops after the last piece
        # must not leave a transaction holding its tables.
        try:
            yield from self._connection.execute(self._stmt)
        finally:
            self._connection.close()

    def close(self) -> None:
        if self._pieces is not None:
            self._pieces.close()
        if self._connection is not None:
            self._connection.close()
        self._connection = None


def export_csv_stream(filters: RegisterFilters, *, actor: Any) -> CsvStream:
    """The register's CSV as it is read (for the download route)."""
    return CsvStream(export_select(filters, actor=actor),
                     [label for _, label in export_columns(actor)])


def export_csv(filters: RegisterFilters, *, actor: Any) -> bytes:
    """The whole CSV at once (tests, small files)."""
    return b"".join(csv_chunks(export_rows(filters, actor=actor)))


def export_xlsx(filters: RegisterFilters, *, actor: Any,
                progress: Callable[[int], None] | None = None) -> bytes:
    """The workbook (openpyxl's write-only mode: rows go to a temporary file, not memory)."""
    rows = export_rows(filters, actor=actor)
    header = next(rows)

    def counted() -> Iterator[Sequence[Any]]:
        for n, row in enumerate(rows, 1):
            if progress is not None and n % 2_000 == 0:
                progress(n)
            yield row
    return xlsx_bytes("Alumni", header, counted())
