"""Reading an import file: size and row limits, text encodings, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from typing import Any

import pandas as pd
from flask import current_app
from flask_babel import get_translations, gettext

from app.core.errors import DomainError
from app.core.i18n import N_, format_number

DEFAULTS = {
    "IMPORT_MAX_BYTES": 40 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_MAX_COLUMNS": 200,
    "IMPORT_MAX_CELL_CHARS": 32_767,  # Excel's own limit for one cell
    # What a workbook may unpack to: a few kilobytes of zip can declare gigabytes.
    "IMPORT_MAX_UNPACKED_BYTES": 400 * 1024 * 1024,
    "IMPORT_JOB_THRESHOLD": 2_000,  # rows; a larger commit from the pages runs as a job
    "IMPORT_MAX_STORED_ERRORS": 5_000,
    # rows; a commit of at least this many refreshes PostgreSQL's planner statistics of the
    # tables it filled (app.core.db.refresh_statistics)
    "IMPORT_ANALYZE_ROWS": 10_000,
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

class Label(str):
    """A column's or a setting's name inside a refusal: said in the reader's language, in
    lower case mid-sentence when `lower` ("The file has no student number column")."""

    lower = False


def label(text: str, *, lower: bool = False) -> Label:
    said = Label(text)
    said.lower = lower
    return said


class ImportRefused(DomainError):
    """The file cannot be imported at all (limits, encoding, no key column); nothing written.

    Its text is a catalogue message (`N_`, with `plural` and `num` for a count) and its values:
    `message` says it in the language in force (the page's: a refusal is shown at once, not
    stored), numbers by Babel and a `Label` in the reader's words; `str()` keeps it English
    (a background job's stored error, the log).
    """

    def __init__(self, message: str, *, plural: str | None = None, num: int | None = None,
                 **values: Any) -> None:
        self.msgid, self.plural, self.num, self.values = message, plural, num, values
        Exception.__init__(self, self._english())

    def _english(self) -> str:
        values = {k: _english_value(v) for k, v in self.values.items()}
        if self.plural is not None:
            values.setdefault("num", _english_value(self.num))
            text = self.msgid if self.num == 1 else self.plural
        else:
            text = self.msgid
        return text % values if values else text

    @property  # type: ignore[override]
    def message(self) -> str:
        values = {k: format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                  else _said(v) for k, v in self.values.items()}
        if self.plural is not None:
            # Flask-Babel's ngettext puts the bare count in %(num)s; here it is Babel's
            text = get_translations().ungettext(self.msgid, self.plural, self.num or 0)
            return text % {"num": format_number(self.num), **values}
        return gettext(self.msgid, **values) if values else gettext(self.msgid)


def _english_value(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value).lower() if isinstance(value, Label) and value.lower else str(value)
    return f"{value:,}" if isinstance(value, int) or value != int(value) else f"{value:,.0f}"


def _said(value: Any) -> Any:
    if not isinstance(value, Label):
        return value
    said = gettext(str(value))
    return said.lower() if value.lower else said


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def import_folder() -> str:
    folder = current_app.config.get("IMPORT_FOLDER") or os.path.join(
        current_app.instance_path, "imports"
    )
    os.makedirs(folder, exist_ok=True)
    return folder


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
# Vietnamese Windows-1258 writes a tone mark as its own byte after the vowel (Nguyễn is
# "Nguy" ê + tilde); read as Windows-1252 those bytes are Ì Ò Þ ì ò, which Western names
# hardly ever put after a vowel.
_VIETNAMESE_TONE = re.compile(
    rb"[AEIOUYaeiouy\xc2\xc3\xca\xd4\xd5\xdd\xe2\xe3\xea\xf4\xf5\xfd][\xcc\xd2\xde\xec\xf2]")


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
    # so runs of high bytes are long; Windows-1252 text has accented letters among ASCII ones,
    # and so has Vietnamese Windows-1258, where tone marks after vowels are a good share.
    runs = [len(m.group()) for m in _HIGH_RUN.finditer(data)]
    thai_like = bool(runs) and sum(runs) / len(runs) >= 2.5
    tones = 0 if thai_like else len(_VIETNAMESE_TONE.findall(data))
    if tones and tones * 5 >= sum(runs):
        return "cp1258"
    order = ("cp874", "cp1252") if thai_like else ("cp1252", "cp874")
    for encoding in order:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportRefused(N_(
        "The file's character encoding could not be recognised (it is not UTF-8, Windows-1252, "
        "Windows-1258 or TIS-620). Save it from your spreadsheet as “CSV UTF-8” and upload it "
        "again."))


HEADER_SEARCH_ROWS = 10  # a title or blank rows above the header are looked for this far


def _delimiter(lines: list[str]) -> str:
    """The separator that the top lines of a CSV file use most (a title line may use none)."""
    counts = {d: max((line.count(d) for line in lines), default=0)
              for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _filled(cells: list) -> int:
    return sum(1 for v in cells if v is not None and str(v).strip())


def header_index(top: list[list]) -> int:
    """Which of the top rows is the header: the first that fills more than half as many cells
    as the fullest of them, so a title row ("Graduates 2025", often merged across the
    columns) or a blank row above the header is skipped."""
    counts = [_filled(r) for r in top]
    widest = max(counts, default=0)
    return next((i for i, n in enumerate(counts) if n and n * 2 > widest), 0)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_names(cells: list, width: int) -> tuple[list[str], set[str]]:
    """Header names as the file has them, told apart: a blank header is named by its column
    letter ("Column D"), a repeated one gets its number ("Email (2)"). Returns the names and
    those of the blank headers (left out later when their column is empty too)."""
    names: list[str] = []
    blank: set[str] = set()
    seen: dict[str, int] = {}
    for i in range(width):
        cell = cells[i] if i < len(cells) else None
        name = "" if cell is None else _composed(str(cell).strip())
        if not name:
            name = f"Column {column_letter(i)}"
            blank.add(name)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        names.append(name)
    return names, blank


def too_many_rows(limit: int) -> ImportRefused:
    return ImportRefused(N_("The file has more than %(limit)s rows, the limit; split it into "
                            "smaller files."), limit=limit)


def too_many_columns(found: int, limit: int) -> ImportRefused:
    return ImportRefused(N_("The file has %(found)s columns; the limit is %(limit)s. Keep the "
                            "columns of the register (delete the others) and upload it again."),
                         found=found, limit=limit)


def _read_csv(text: str) -> tuple[pd.DataFrame, int, set[str]]:
    """A CSV file as text from its header line down, the header's line number, and the names
    given to blank headers."""
    lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    sep = _delimiter(lines)
    max_columns, max_cell = setting("IMPORT_MAX_COLUMNS"), setting("IMPORT_MAX_CELL_CHARS")
    try:
        top = list(csv.reader([line.rstrip("\r") for line in lines], delimiter=sep))
    except csv.Error as exc:  # a cell longer than the csv module's field limit (128 KB)
        raise _cell_too_long(max_cell) from exc
    widest = max((len(r) for r in top), default=0)
    if widest > max_columns:
        raise too_many_columns(widest, max_columns)
    skip = header_index(top)
    max_rows = setting("IMPORT_MAX_ROWS")
    # Blank lines are read as rows here and left out later: room for some of them.
    nrows = max_rows + 1_000
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False,
                            skip_blank_lines=False, skiprows=skip, nrows=nrows)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ImportRefused(N_("The CSV file could not be read: %(reason)s"),
                            reason=str(exc)) from exc
    except pd.errors.EmptyDataError as exc:
        raise ImportRefused(N_("The file is empty.")) from exc
    if len(frame) >= nrows:  # it goes on past the limit
        raise too_many_rows(max_rows)
    if len(frame.columns) > max_columns:
        raise too_many_columns(len(frame.columns), max_columns)
    blank: set[str] = set()
    if skip < len(top) and len(top[skip]) == len(frame.columns):
        names, blank = column_names(top[skip], len(frame.columns))
        frame.columns = names
    return frame, skip + 1, blank


def _cell_too_long(limit: int, column: str | None = None, row: str | None = None
                   ) -> ImportRefused:
    if column is None:
        return ImportRefused(N_(
            "A cell is longer than %(limit)s characters, more than any field of the register "
            "holds; correct the file and upload it again."), limit=limit)
    return ImportRefused(N_(
        "A cell in column “%(column)s”, row %(row)s, is longer than %(limit)s characters, more "
        "than any field of the register holds; correct the file and upload it again."),
        column=column, row=row, limit=limit)


def _check_cell_sizes(frame: pd.DataFrame) -> None:
    """Refuse a file with a cell longer than the limit, naming the first such cell."""
    limit = setting("IMPORT_MAX_CELL_CHARS")
    for name in frame.columns.drop("_row"):
        too_long = frame[name].str.len().gt(limit).fillna(False).astype(bool)
        if too_long.any():
            row = frame.loc[too_long, "_row"].iloc[0]
            raise _cell_too_long(limit, name[:60], str(row))


# White space after a NUL: in a column's values joined with NUL (and in the reverse of that
# text), a value that starts (ends) with white space.
_SPACE_AFTER_NUL = re.compile(r"\x00\s")
# The register's export writes a cell a spreadsheet would take for a formula with a leading
# apostrophe ("'=...", "'+66..."); reading such a file back takes the apostrophe off again.
_QUOTED_FORMULA = re.compile(r"\x00'[=+\-@\t\r]")


def _composed(text: str) -> str:
    """Accents joined to their letters (NFC), as typed on a keyboard and kept in the register:
    a Mac or a Vietnamese Windows-1258 file writes "Nguyễn" as "Nguyê" + a combining tilde."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _trimmed(column: pd.Series) -> pd.Series:
    """The column as text without surrounding white space (nor the export's apostrophe before
    a formula sign), accents composed; blanks become missing.

    Stripping 100,000 values one by one is the slowest step of reading a file, and most
    registrar columns have nothing to strip: one regular-expression pass over the joined
    values says whether this column has.
    """
    col = column.astype("string")
    joined = "\x00" + "\x00".join(col.dropna().tolist()) + "\x00"
    if not unicodedata.is_normalized("NFC", joined):
        col = col.str.normalize("NFC")
    if _QUOTED_FORMULA.search(joined):
        col = col.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True).str.strip()
    elif _SPACE_AFTER_NUL.search(joined) or _SPACE_AFTER_NUL.search(joined[::-1]):
        col = col.str.strip()
    return col.mask(col == "")


def read_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, str | None]:
    """Read a CSV or XLSX file into text columns; blanks are missing values.

    The frame keeps the file's own headers (a title row above them is skipped; blank and
    repeated header names are told apart); `_row` is the spreadsheet row number.
    """
    if len(data) > setting("IMPORT_MAX_BYTES"):
        limit = setting("IMPORT_MAX_BYTES") / (1024 * 1024)
        raise ImportRefused(N_("The file is larger than the %(limit)s MB limit; split it."),
                            limit=limit)
    if not data.strip():
        raise ImportRefused(N_("The file is empty."))
    suffix = os.path.splitext(file_name.lower())[1]
    encoding: str | None = None
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        from app.imports.workbook import read_workbook  # it reads this module's helpers

        try:
            frame, header_row, blank = read_workbook(data)
        except ImportRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets one message
            raise ImportRefused(N_(
                "The workbook could not be read; save it as .xlsx or as CSV and try again."
            )) from exc
    elif suffix in TEXT_SUFFIXES or suffix == "":
        encoding = detect_encoding(data)
        text = data.decode(encoding)
        if text.startswith("\ufeff"):
            text = text[1:]
        text = _composed(text)
        frame, header_row, blank = _read_csv(text)
    else:
        raise ImportRefused(N_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    for name in frame.columns.drop("_row", errors="ignore"):
        frame[name] = _trimmed(frame[name])
    # Columns with neither a header nor a value (trailing empty columns) are left out.
    frame = frame.drop(columns=[c for c in blank if frame[c].isna().all()])
    if "_row" not in frame:  # a workbook's rows carry their numbers already
        frame["_row"] = range(header_row + 1, len(frame) + header_row + 1)
    data_columns = [c for c in frame.columns if c != "_row"]
    _check_cell_sizes(frame[[*data_columns, "_row"]])
    frame = frame[frame[data_columns].notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImportRefused(N_("The file is empty: it has no rows below the header."))
    if len(frame) > setting("IMPORT_MAX_ROWS"):
        raise ImportRefused(N_("The file has %(rows)s rows; the limit is %(limit)s. Split it "
                               "into smaller files."),
                            rows=len(frame), limit=setting("IMPORT_MAX_ROWS"))
    return frame, encoding
