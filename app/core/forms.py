"""The one way a page saves through a service: commit once, or show the errors in the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

from flask import flash
from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.core.errors import DomainError, ValidationFailed, apply_to_form

T = TypeVar("T")
D = TypeVar("D")


class ConfirmForm(FlaskForm):
    """The form of a button that posts (archive, invite, commit, dismiss, send): nothing but
    its CSRF token. Every such button in the product uses this one."""

    submit = SubmitField("Confirm")


def form_data(form: Any, data_class: type[D]) -> D:
    """A service's data class filled from the form's fields of the same names; a field the form
    does not have (or removed, as self-service forms do) keeps the class's default."""
    return data_class(**{f.name: getattr(form, f.name).data for f in fields(data_class)
                         if getattr(form, f.name, None) is not None})


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


def error_message(exc: DomainError) -> str:
    """A domain error as one line for a flash: every field message, or the error's message."""
    if isinstance(exc, ValidationFailed):
        return " ".join(m for ms in exc.field_errors.values() for m in ms)
    return exc.message


def commit_or_flash(
    action: Callable[[], T],
    *,
    category: str = "danger",
    catch: type[DomainError] | tuple[type[DomainError], ...] = DomainError,
    prefix: str = "",
) -> T | None:
    """Call `action` (a service call that returns what it wrote) and commit, for a button that
    has no form to show again.

    On an error of `catch` roll back, flash `prefix` + its message and return None; the page
    then redirects as it would after a save. Other errors propagate after nothing was committed.
    """
    from app.extensions import db

    try:
        result = action()
        db.session.commit()
    except catch as exc:
        db.session.rollback()
        flash(prefix + error_message(exc), category)
        return None
    return result
