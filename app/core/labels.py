"""Display helpers shared by templates: choice labels, dates and counts of people."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.core.db import as_utc


def label_for(value: Any, choices: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    return choices.get(value, str(value))


def format_date(value: date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def format_datetime(value: datetime | None) -> str:
    value = as_utc(value)
    return value.strftime("%d %b %Y %H:%M UTC") if value else "—"


def count_of(n: int | None, one: str, many: str) -> str:
    """"1 alumnus", "1,204 alumni": a count with its noun in the right number."""
    n = n or 0
    return f"{n:,} {one if n == 1 else many}"


def alumni_count(n: int | None) -> str:
    """A count of alumni in words: "1 alumnus", "0 alumni", "2,310 alumni"."""
    return count_of(n, "alumnus", "alumni")
