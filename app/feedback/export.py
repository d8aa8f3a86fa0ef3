"""Export of a programme's feedback chain as XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

from typing import Any

from app.core.spreadsheet import neutralise, xlsx_bytes

__all__ = ["neutralise", "to_xlsx"]  # the CSV is app.core.spreadsheet.csv_text


def to_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """The chain as a workbook (app.core.spreadsheet.xlsx_bytes), comments wrapped."""
    return xlsx_bytes(title, header, rows, wrap_text=True)
