"""Vectorised checks a kind's plan uses: row errors from masks, required values, dates."""

from __future__ import annotations

import re

import pandas as pd

from app.imports.pipeline.kinds import ImportKind, RowError


def errors_for(mask: pd.Series, frame: pd.DataFrame, field_name: str, message: str | pd.Series,
               level: str = "error", dropped: bool = False) -> list[RowError]:
    """Row errors for the rows where `mask` is true (message may be a per-row Series);
    `dropped` marks a warning whose field is left out of a kept row."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    rows = frame.loc[mask, "_row"].tolist()
    messages = (message[mask].tolist() if isinstance(message, pd.Series)
                else [message] * len(rows))
    return [RowError(int(r), field_name, m, level, dropped)
            for r, m in zip(rows, messages, strict=True)]


def missing_required(frame: pd.DataFrame, kind: ImportKind,
                     only: pd.Series | None = None) -> list[RowError]:
    """Rows without a value in a required column (limited to `only` rows when given)."""
    out: list[RowError] = []
    for col in kind.columns:
        if not col.required and not col.key:
            continue
        mask = frame[col.name].isna() if col.name in frame else pd.Series(True, frame.index)
        if only is not None:
            mask &= only
        out += errors_for(mask, frame, col.name, f"Fill in the {col.label.lower()}.")
    return out


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y",
                "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%Y-%m-%d %H:%M:%S")


# Thai offices write the Buddhist Era year (2566 is 2023): a four-digit year from 2400 is one.
_BUDDHIST_YEAR = re.compile(r"(?<!\d)2[4-6]\d\d(?!\d)")
BUDDHIST_ERA_OFFSET = 543
# Thai month names, full and abbreviated ("1 ม.ค. 2544"), read as the English abbreviations;
# "พ.ศ." (Buddhist Era) before the year is dropped.
_THAI_MONTHS = {
    "มกราคม": "Jan", "ม.ค.": "Jan", "กุมภาพันธ์": "Feb", "ก.พ.": "Feb", "มีนาคม": "Mar",
    "มี.ค.": "Mar", "เมษายน": "Apr", "เม.ย.": "Apr", "พฤษภาคม": "May", "พ.ค.": "May",
    "มิถุนายน": "Jun", "มิ.ย.": "Jun", "กรกฎาคม": "Jul", "ก.ค.": "Jul", "สิงหาคม": "Aug",
    "ส.ค.": "Aug", "กันยายน": "Sep", "ก.ย.": "Sep", "ตุลาคม": "Oct", "ต.ค.": "Oct",
    "พฤศจิกายน": "Nov", "พ.ย.": "Nov", "ธันวาคม": "Dec", "ธ.ค.": "Dec", "พ.ศ.": "",
}
_THAI_MONTH = re.compile("|".join(re.escape(m) for m in sorted(_THAI_MONTHS, key=len,
                                                                 reverse=True)))


def read_dates(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse dates written in any of the common formats (day before month).

    Returns (dates as datetime64 without a time of day, mask of values that were given but
    could not be read, mask of values read as Buddhist Era dates). A year from 2400 to 2699 is
    a Buddhist Era year and is read as the same day of the common era (2566 -> 2023); Thai
    month names are read ("1 ม.ค. 2544"); a date outside the years 1677-2262 (a typing slip
    such as 0202) cannot be read.
    """
    # Registrar files repeat dates a lot (one graduation day per cohort): trim and parse each
    # distinct value once, then give every row its value by position.
    positions, distinct = pd.factorize(series.astype("string"))
    uniques = pd.Series(distinct, dtype="string").str.strip()
    thai = uniques.str.contains(_THAI_MONTH).fillna(False).astype(bool)
    if thai.any():
        uniques[thai] = (uniques[thai].str.replace(_THAI_MONTH, lambda m: _THAI_MONTHS[m.group()],
                                                   regex=True)
                         .str.split().str.join(" "))
    buddhist = uniques.str.contains(_BUDDHIST_YEAR).fillna(False).astype(bool)
    if buddhist.any():
        uniques[buddhist] = uniques[buddhist].str.replace(
            _BUDDHIST_YEAR, lambda m: str(int(m.group()) - BUDDHIST_ERA_OFFSET), regex=True)
    # Microseconds hold any year a file may carry; out-of-range dates are dropped below.
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    # A date cell's time of day is no part of the date (and would differ from the register's).
    parsed = parsed.dt.normalize()
    parsed = parsed.where((parsed >= pd.Timestamp.min.ceil("D"))
                          & (parsed <= pd.Timestamp.max.floor("D")))
    values = parsed.astype("datetime64[ns]").to_numpy()
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    found = positions >= 0
    if found.any():
        out[found] = values[positions[found]]
    bad = pd.Series(found, index=series.index) & out.isna()
    era = pd.Series(False, index=series.index)
    if found.any():
        era[found] = buddhist.to_numpy()[positions[found]]
    return out, bad, era & ~bad


def parse_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`read_dates` without the Buddhist Era mask: (dates, mask of unreadable values)."""
    dates, bad, _ = read_dates(series)
    return dates, bad


def repeated_in_file(keys: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Mask of rows whose key (already normalised) appears on more than one row."""
    return keys.notna() & keys.duplicated(keep=False)
