"""What one row of a tracer study file does to the survey: a new invitation (and answer), a
changed one, or nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.employment.tracer_import import columns as C
from app.employment.tracer_import.existing import RESPONSE_FIELDS, Stored
from app.imports.pipeline import RowError

Cleaned = tuple[dict[str, Any], dict[str, Any]]  # (employment values, response values)


def _same(value: Any, other: Any) -> bool:
    if isinstance(value, Decimal) or isinstance(other, Decimal):
        return value is not None and other is not None and Decimal(value) == Decimal(other)
    return value == other


def same_answer(cleaned: Cleaned, stored: Stored) -> bool:
    """Whether the checked answer is what the survey already holds."""
    _, response = cleaned
    return all(_same(response.get(n), stored.values.get(n)) for n in RESPONSE_FIELDS)


def decide(row: int, alumnus_id: int, wanted: str, cleaned: Cleaned | None,
           stored: Stored | None, errors: list[RowError]) -> dict[str, Any] | None:
    """The row's action ("create", "update" or "unchanged") with what the commit needs, or
    None when the row is refused (its error added to `errors`)."""
    out: dict[str, Any] = {"row": row, "alumnus_id": alumnus_id, "state": wanted,
                           "cleaned": cleaned}
    if stored is None:
        return {**out, "action": "create", "step": "invite"}
    out.update(invitation_id=stored.invitation_id, response_id=stored.response_id,
               employment_id=stored.employment_id)
    if stored.responded:
        if wanted != C.RESPONDED:
            errors.append(RowError(row, "response", (
                "The survey holds this graduate's answer; a file cannot take it back. "
                "Write responded and the answer, or leave the row out.")))
            return None
        if not stored.imported:
            errors.append(RowError(row, "response", (
                "This graduate answered the survey themselves; their own answer is kept."),
                level="warning"))
            return {**out, "action": "unchanged", "step": None}
        if stored.response_id is None or cleaned is None or same_answer(cleaned, stored):
            return {**out, "action": "unchanged", "step": None}
        return {**out, "action": "update", "step": "replace"}
    if wanted == C.RESPONDED:
        return {**out, "action": "update", "step": "respond"}
    if wanted == C.NO_RESPONSE and stored.sent and not stored.undeliverable:
        return {**out, "action": "unchanged", "step": None}
    if wanted == C.UNDELIVERABLE and stored.undeliverable:
        return {**out, "action": "unchanged", "step": None}
    return {**out, "action": "update", "step": "state"}
