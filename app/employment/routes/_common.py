"""Helpers shared by the employment pages."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.alumni.models import Alumnus
from app.alumni.services import own_alumnus
from app.core.errors import DomainError


def me() -> Alumnus:
    """The signed-in alumnus's record; 404 when the account is linked to none."""
    try:
        return own_alumnus(current_user)
    except DomainError:
        abort(404)
