"""Small value cleaners shared by the exchange services."""

from __future__ import annotations

from typing import Any


def text_or_none(value: Any) -> str | None:
    """The value as trimmed text; None when it is missing or blank."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None
