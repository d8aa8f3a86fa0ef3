"""Reading a tracer study file's cells: words and national codes to stored codes, numbers,
dates, months to the first job. Each distinct value is read once, then spread by position."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from app.imports.pipeline import RowError, errors_for, header_key, read_dates


def _distinct(series: pd.Series, read) -> pd.Series:
    """`read` applied to each distinct non-blank value; blanks stay None."""
    lookup = {v: read(v) for v in series.dropna().unique()}
    return series.map(lookup).astype(object).where(series.notna(), None)


def coded(frame: pd.DataFrame, name: str, words: dict[str, str], message: str,
          errors: list[RowError], only: pd.Series) -> pd.Series:
    """A column of words or codes as stored codes (None when blank or unknown; an unknown
    value in an `only` row is a row error with `message`)."""
    if name not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    keys = _distinct(frame[name], lambda v: _word_key(v))
    out = keys.map(lambda k: words.get(k) if k is not None else None)
    unknown = frame[name].notna() & out.isna() & only
    errors += errors_for(unknown, frame, name, message)
    return out.astype(object).where(out.notna(), None)


def _word_key(value: Any) -> str:
    text = str(value).strip()
    number = re.fullmatch(r"(\d+)\.0+", text)  # a workbook's 3 read as "3.0"
    return header_key(number.group(1) if number else text)


def whole_numbers(frame: pd.DataFrame, name: str, low: int, high: int, message: str,
                  errors: list[RowError], only: pd.Series) -> pd.Series:
    """A column of whole numbers from `low` to `high` (None when blank or wrong)."""
    if name not in frame:
        return pd.Series(None, index=frame.index, dtype=object)

    def read(v: Any) -> int | None:
        text = str(v).strip()
        match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
        if match is None:
            return None
        number = int(match.group(1))
        return number if low <= number <= high else None

    out = _distinct(frame[name], read)
    errors += errors_for(frame[name].notna() & out.isna() & only, frame, name, message)
    return out


_THOUSANDS_DOTS = re.compile(r"\d{1,3}(\.\d{3})+")
_THOUSANDS_COMMAS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def money_text(value: Any) -> str:
    """An income as written in the region's offices, as plain digits: "Rp 6.500.000" and
    "6,500,000" are 6500000; "4.500,50" is 4500.50. Anything else is left for the shared
    check to refuse."""
    text = re.sub(r"^(rp|idr|rm|myr|thb|php|vnd|sgd|usd|\$|฿|₱|₫)\.?\s*", "",
                  str(value).strip(), flags=re.IGNORECASE).replace(" ", "")
    text = re.sub(r"(\d)\.0+$", r"\1", text) if re.fullmatch(r"\d+\.0+", text) else text
    if _THOUSANDS_DOTS.fullmatch(text):
        return text.replace(".", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", text):
        return text.replace(".", "").replace(",", ".")
    if _THOUSANDS_COMMAS.fullmatch(text):
        return text.replace(",", "")
    return text


def dates(frame: pd.DataFrame, name: str, errors: list[RowError], only: pd.Series
          ) -> pd.Series:
    """A date column as `date` values (None when blank or unreadable, the latter an error)."""
    if name not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    parsed, bad, _ = read_dates(frame[name])
    errors += errors_for(bad & only, frame, name,
                         "Write the date as day/month/year, e.g. 15/08/2024.")
    out = pd.Series(None, index=frame.index, dtype=object)
    good = parsed.notna()
    out[good] = [d.date() for d in parsed[good]]
    return out


def months_between(graduated: date | None, started: date | None) -> int | None:
    """Whole months from graduation to the first job; a job begun before graduation is 0."""
    if graduated is None or started is None:
        return None
    months = (started.year - graduated.year) * 12 + started.month - graduated.month
    if started.day < graduated.day:
        months -= 1
    return max(months, 0)
