"""Look-ups the pages of every feature share, answering 404 where the record is missing.

They read the signed-in user; the services they call take it as a value.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.alumni import services
from app.alumni.models import Alumnus
from app.core.errors import DomainError


def own_alumnus_or_404() -> Alumnus:
    """The signed-in alumnus's own record; 404 when the account is linked to none."""
    try:
        return services.own_alumnus(current_user)
    except DomainError:
        abort(404)

