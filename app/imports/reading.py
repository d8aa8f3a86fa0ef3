"""Reading an import file: size and row limits, text encodings, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import os
import re

import pandas as pd
from flask import current_app

from app.core.errors import DomainError

DEFAULTS = {
    "IMPORT_MAX_BYTES": 40 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_JOB_THRESHOLD": 2_000,  # rows; a larger commit from the pages runs as a job
    "IMPORT_MAX_STORED_ERRORS": 5_000,
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

class ImportRefused(DomainError):
    """The file cannot be imported at all (limits, encoding, no key column); nothing written."""


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def import_folder() -> str:
    folder = current_app.config.get("IMPORT_FOLDER") or os.path.join(
        current_app.instance_path, "imports"
    )
    os.makedirs(folder, exist_ok=True)
    return folder


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file, or ImportRefused with what to do about it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Single-byte encodings: Thai (TIS-620 / Windows-874) puts whole words in the high half,
    # so runs of high bytes are long; Windows-1252 text has accented letters among ASCII ones.
    runs = [len(m.group()) for m in _HIGH_RUN.finditer(data)]
    thai_like = bool(runs) and sum(runs) / len(runs) >= 2.5
    order = ("cp874", "cp1252") if thai_like else ("cp1252", "cp874")
    for encoding in order:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        "The file's character encoding could not be recognised (it is not UTF-8, Windows-1252 "
        "or TIS-620). Save it from your spreadsheet as “CSV UTF-8” and upload it again."
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# White space after a NUL: in a column's values joined with NUL (and in the reverse of that
# text), a value that starts (ends) with white space.
_SPACE_AFTER_NUL = re.compile(r"\x00\s")


def _trimmed(column: pd.Series) -> pd.Series:
    """The column as text without surrounding white space; blanks become missing.

    Stripping 100,000 values one by one is the slowest step of reading a file, and most
    registrar columns have nothing to strip: one regular-expression pass over the joined
    values says whether this column has.
    """
    col = column.astype("string")
    joined = "\x00" + "\x00".join(col.dropna().tolist()) + "\x00"
    if _SPACE_AFTER_NUL.search(joined) or _SPACE_AFTER_NUL.search(joined[::-1]):
        col = col.str.strip()
    return col.mask(col == "")


def read_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, str | None]:
    """Read a CSV or XLSX file into text columns; blanks are missing values.

    The frame keeps the file's own headers; `_row` is the spreadsheet row number.
    """
    if len(data) > setting("IMPORT_MAX_BYTES"):
        limit = setting("IMPORT_MAX_BYTES") / (1024 * 1024)
        raise ImportRefused(f"The file is larger than the {limit:g} MB limit; split it.")
    if not data.strip():
        raise ImportRefused("The file is empty.")
    suffix = os.path.splitext(file_name.lower())[1]
    encoding: str | None = None
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets one message
            raise ImportRefused(
                "The workbook could not be read; save it as .xlsx or as CSV and try again."
            ) from exc
    elif suffix in TEXT_SUFFIXES or suffix == "":
        encoding = detect_encoding(data)
        text = data.decode(encoding)
        if text.startswith("\ufeff"):
            text = text[1:]
        first = text.split("\n", 1)[0]
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=_delimiter(first),
                                keep_default_na=False, skip_blank_lines=False)
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ImportRefused(f"The CSV file could not be read: {exc}") from exc
        except pd.errors.EmptyDataError as exc:
            raise ImportRefused("The file is empty.") from exc
    else:
        raise ImportRefused("Upload a CSV (.csv) or Excel (.xlsx) file.")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.startswith("Unnamed:") or frame[c].notna().any()
                          for c in frame.columns]]
    for name in frame.columns:
        frame[name] = _trimmed(frame[name])
    frame["_row"] = range(2, len(frame) + 2)
    data_columns = [c for c in frame.columns if c != "_row"]
    frame = frame[frame[data_columns].notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImportRefused("The file is empty: it has no rows below the header.")
    if len(frame) > setting("IMPORT_MAX_ROWS"):
        raise ImportRefused(
            f"The file has {len(frame):,} rows; the limit is {setting('IMPORT_MAX_ROWS'):,}. "
            "Split it into smaller files."
        )
    return frame, encoding
