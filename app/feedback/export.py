"""Export of a programme's feedback chain as XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.core.spreadsheet import FORMULA_STARTS, neutralise

__all__ = ["neutralise", "to_xlsx"]  # the CSV is app.core.spreadsheet.csv_text


def to_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """An XLSX workbook with one sheet; every text cell is stored as text, never a formula;
    one that starts like a formula carries Excel's quote prefix, as the register export's."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
                # Excel's own quote prefix: shown as written, still text when edited (an
                # apostrophe in the value would show, as the CSV's does)
                cell.quotePrefix = cell.value.startswith(FORMULA_STARTS)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
