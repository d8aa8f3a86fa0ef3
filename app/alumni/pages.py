"""What the pages of several features read the same way: the signed-in alumnus's record and
the institution a page works in (404 where there is none), and the register's filters.

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


def register_filters_from_args() -> services.RegisterFilters:
    """The register's search, filters and sort from the query string (the register page and
    its export read the same ones)."""
    args = request.args
    return services.RegisterFilters(
        q=args.get("q", "").strip(),
        programme_id=args.get("programme", type=int),
        cohort_year=args.get("cohort", type=int),
        status=args.get("status") or None,
        country=args.get("country") or None,
        archived=args.get("archived") == "1",
        sort=args.get("sort", "name") if args.get("sort") in services.SORTS else "name",
        descending=args.get("dir") == "desc",
    )
