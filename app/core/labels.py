"""Display helpers shared by templates: choice labels and dates."""

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
