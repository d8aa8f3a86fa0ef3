"""The one way a page saves through a service: commit once, or show the errors in the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.core.errors import ValidationFailed, apply_to_form

T = TypeVar("T")


def commit_form(form, action: Callable[[], T]) -> T | None:
    """Call `action` (a service call that returns the record it wrote) and commit.

    On ValidationFailed roll back, put the messages next to the form's fields and return None,
    so the page shows the form again. Other errors propagate after nothing was committed.
    """
    from app.extensions import db

    try:
        result = action()
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        apply_to_form(form, exc)
        return None
    return result
