"""Reading a workbook (XLSX) as a stream, refusing it at the first limit it breaks.

A workbook is a zip of XML: a few kilobytes can declare gigabytes or a sheet of a million
rows by sixteen thousand columns. Before openpyxl opens it, the sizes the zip declares are
checked and the rows that hold a value are counted on the sheet's raw XML; then the sheet is
read in openpyxl's read-only (streaming) mode, ignoring the dimension it declares, and each
row is checked against the column limit as it comes.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from datetime import date, datetime, time
from xml.etree import ElementTree

import pandas as pd
from openpyxl import load_workbook

from app.core.i18n import N_
from app.imports.reading import (
    HEADER_SEARCH_ROWS,
    ImportRefused,
    column_letter,
    column_names,
    header_index,
    setting,
    too_many_rows,
)

EXCEL_MAX_ROWS = 1_048_576  # no real sheet has more

# A zero-padded number format ("0000000"): Excel shows 12345 as 0012345, and so do we.
_ZERO_PADDED = re.compile(r"^0+$")
_MIDNIGHT = time()


def _cell_text(cell) -> str | None:
    """A workbook cell as the text Excel shows for it (dates as ISO dates)."""
    value = cell.value
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.time() == _MIDNIGHT:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        fmt = cell.number_format or ""
        return str(value).zfill(len(fmt)) if _ZERO_PADDED.match(fmt) else str(value)
    return str(value)


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that unpacks to more than the limit: a zip reads no further than the
    sizes it declares, so checking those bounds what reading can cost."""
    limit = setting("IMPORT_MAX_UNPACKED_BYTES")
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limit:
        raise ImportRefused(N_("The workbook unpacks to %(size)s MB, more than the %(limit)s MB "
                               "an import reads; save it as CSV, or split it."),
                            size=round(unpacked / 2**20), limit=round(limit / 2**20))


_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """Where the first sheet's XML is in the workbook's archive (workbook.xml and its
    relationships name it), or None when the package does not say."""
    try:
        root_rels = ElementTree.fromstring(archive.read("_rels/.rels"))
        book = next(r.get("Target") for r in root_rels.iter(_RELS)
                    if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
        folder, name = posixpath.split(book)
        sheets = ElementTree.fromstring(archive.read(book)).iter(_SHEET)
        first = next(sheets).get(_REL_ID)
        rels = ElementTree.fromstring(archive.read(f"{folder}/_rels/{name}.rels"))
        target = next(r.get("Target") for r in rels.iter(_RELS) if r.get("Id") == first)
    except (KeyError, StopIteration, ElementTree.ParseError):
        return None
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _count_rows_with_values(archive: zipfile.ZipFile, path: str, stop_after: int) -> int:
    """How many rows of the sheet's XML hold a value, counted on the raw text without
    building cells (300,000 rows in a fraction of a second), before the workbook is opened
    (opening one without a declared dimension parses the whole sheet once); stops past
    `stop_after`."""
    counted, rest = 0, b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            parts = (rest + chunk).split(b"</row>")
            rest = parts.pop()
            counted += sum(1 for p in parts if b"<v>" in p or b"<is>" in p or b"<v " in p)
            if counted > stop_after:
                return counted
    return counted


def _sheet_rows(sheet, max_rows: int, max_columns: int) -> list[list]:
    """The sheet's rows as text, read as a stream and refused at the first row past a limit.

    The dimension a workbook declares is not trusted (a 1.6 KB file declaring A1:XFD1048576
    once padded every row to 16,384 cells): rows are as wide as their last value.
    """
    sheet.reset_dimensions()
    rows: list[list] = []
    filled = 0
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > EXCEL_MAX_ROWS:
            raise ImportRefused(N_(
                "The workbook is damaged: it has rows past Excel's last row."))
        cells = [_cell_text(c) for c in row] if row else []
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if len(cells) > max_columns:
            raise ImportRefused(N_(
                "The file has values in column %(column)s (row %(row)s), so more than "
                "%(limit)s columns; the limit is %(limit)s. Keep the columns of the register "
                "(delete the others) and upload it again."),
                column=column_letter(len(cells) - 1), row=str(number), limit=max_columns)
        if cells:
            filled += 1
            if filled > max_rows:
                raise too_many_rows(max_rows - HEADER_SEARCH_ROWS - 1)
        rows.append(cells or _BLANK)  # a million blank rows cost a million pointers
    return rows


_BLANK: list = []  # shared by every blank row; never changed


def read_workbook(data: bytes) -> tuple[pd.DataFrame, int, set[str]]:
    """The first sheet as text from its header row down, the header's row number, and the
    names given to blank headers."""
    max_rows = setting("IMPORT_MAX_ROWS")
    # The header and any title rows above it come on top of the data rows.
    with_header = max_rows + HEADER_SEARCH_ROWS + 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_unpacked_size(archive)
        path = _first_sheet_path(archive)
        if path and _count_rows_with_values(archive, path, with_header) > with_header:
            raise too_many_rows(max_rows)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = _sheet_rows(sheet, with_header, setting("IMPORT_MAX_COLUMNS"))
    finally:
        workbook.close()
    skip = header_index(rows[:HEADER_SEARCH_ROWS])
    header = rows[skip] if rows else []
    width = max((len(r) for r in rows), default=0)
    names, blank = column_names(header, width)
    # Blank rows are left out here (each keeps its row number), never padded to full width.
    body = [(n, r) for n, r in enumerate(rows[skip + 1:], start=skip + 2) if r]
    frame = pd.DataFrame([r + [None] * (width - len(r)) for _, r in body], columns=names,
                         dtype=object)
    frame["_row"] = [n for n, _ in body]
    return frame, skip + 1, blank
