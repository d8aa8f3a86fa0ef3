"""Look-ups the pages of every feature share, answering 404 where the record is missing.

They read the signed-in user and the request; the services they call take both as values.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user

from app.alumni import services
from app.alumni.models import Alumnus, Institution
from app.core.permissions import found_or_404


def own_alumnus_or_404() -> Alumnus:
    """The signed-in alumnus's own record; 404 when the account is linked to none."""
    return found_or_404(services.own_alumnus, current_user)


def working_institution_or_404() -> Institution:
    """The institution a staff page works in (`services.working_institution`); an
    administrator picks one with `?institution=<id>`. 404 when there is no such institution."""
    return found_or_404(services.working_institution, current_user,
                        request.args.get("institution", type=int))
