"""Files meant for a spreadsheet: CSV that Excel reads in any script, cells never run.

Excel opens a CSV without a byte-order mark in the computer's legacy code page, so Thai,
Khmer and Burmese names come out garbled: the text starts with a UTF-8 BOM. A cell that a
spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage return)
gets a leading apostrophe, so opening an export never runs one (CSV injection). In XLSX such
a cell is stored as text with Excel's own quote prefix (shown as written, never a formula).

`table_download(fmt, name, title, header, rows)` is the one way a page offers its table as
CSV or XLSX: the figure pages' downloads go through it. `xlsx_bytes` (one sheet) and
`workbook_bytes(sheets)` (several: the evidence pack's) are the one XLSX writer (the register
export, the feedback chain and the national tracer layout use it too); a `Formatted` cell
carries its number format (`percent`, `money` with its currency, `count`), a CSV gets its
plain value.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MIMETYPE}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class Formatted:
    """A number with the format a spreadsheet shows it in (a CSV gets the plain number)."""

    value: float | int | None
    number_format: str


def percent(value: float | None) -> Formatted:
    """A share 0-1, shown as a percentage with one decimal."""
    return Formatted(value, "0.0%")


def money(value: float | None, currency: str | None) -> Formatted:
    """An amount shown with its currency code (amounts in two currencies are never added)."""
    code = re.sub(r"[^A-Z]", "", (currency or "").upper())[:3]
    return Formatted(value, f'#,##0.00 "{code}"' if code else "#,##0.00")


def count(value: float | None) -> Formatted:
    """A count (or hours, months): whole numbers with separators, else one decimal."""
    whole = value is None or float(value).is_integer()
    return Formatted(value, "#,##0" if whole else "#,##0.0")


@dataclass
class Sheet:
    """One sheet of a workbook: a bold, frozen header row, then the rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)  # column widths in characters
    wrap_text: bool = False  # wrap long text (comments) in its cell


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made plain; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: empty for None, ISO dates, text neutralised."""
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return neutralise(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The header and rows as CSV text that starts with a byte-order mark (send it as UTF-8)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Any, wrap: Alignment | None = None) -> Any:
    """A value for a write-only sheet: text always text (a formula start quote-prefixed),
    times without a zone (Excel has none), decimals as numbers, Formatted with its format."""
    if isinstance(value, Formatted):
        if value.value is None:
            return None
        cell = WriteOnlyCell(sheet, value=float(value.value))
        cell.number_format = value.number_format
        return cell
    if isinstance(value, date):  # datetime too
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None) if isinstance(
            value, datetime) else value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        if wrap is None and not value.startswith(FORMULA_STARTS):
            return value  # plain text is stored as text; a cell object each is slow
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        if wrap is not None:
            cell.alignment = wrap
        return cell
    return value


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               wrap_text: bool = False) -> bytes:
    """A workbook with one sheet (a bold header row, then the rows) as XLSX bytes.
    `wrap_text` wraps long text (comments) in its cell."""
    return workbook_bytes([Sheet(title, header, rows, wrap_text=wrap_text)])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets, each with its header row frozen, as XLSX bytes."""
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for data in sheets:
        title = _sheet_title(data.title)
        while title.lower() in used:  # Excel refuses two sheets of one name
            title = _sheet_title(f"{title[:27]} {len(used)}")
        used.add(title.lower())
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for i, width in enumerate(data.widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        heading = []
        for name in data.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        wrap = Alignment(wrap_text=True, vertical="top") if data.wrap_text else None
        for row in data.rows:
            sheet.append([_xlsx_cell(sheet, v, wrap) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's sheet names: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join(" " if ch in ':\\/?*[]' else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"


def table_download(fmt: str, name: str, title: str, header: Sequence[str],
                   rows: Iterable[Sequence[Any]]) -> Response:
    """A page's table as an attachment: `name`.csv or `name`.xlsx; another format is 404."""
    if fmt not in DOWNLOAD_FORMATS:
        abort(404)
    body: bytes = (csv_text(header, rows).encode("utf-8") if fmt == "csv"
                   else xlsx_bytes(title, header, rows))
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "download"  # a header is ASCII
    return Response(body, content_type=DOWNLOAD_FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{safe}.{fmt}"'})
