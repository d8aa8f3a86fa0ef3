"""What the pages of several features read the same way: the signed-in alumnus's record and
the institution a page works in (404 where there is none), and the register's filters.

They read the signed-in user and the request; the services they call take both as values.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from app.alumni import lookup, services
from app.alumni.models import Alumnus, Institution
from app.core.i18n import format_date
from app.core.permissions import found_or_404, get_scoped_or_404, in_scope
from app.extensions import db


def own_alumnus_or_404() -> Alumnus:
    """The signed-in alumnus's own record; 404 when the account is linked to none."""
    return found_or_404(services.own_alumnus, current_user)


def alumnus_or_404(alumnus_id: int, *, same_page: bool = True,
                   options: Sequence[ORMOption] = ()) -> Alumnus:
    """The staff pages' record by id, in the signed-in user's scope. A record merged into
    another leads to the survivor, saying so: the same page for a GET (a bookmark or an old
    link), the survivor's record page for a POST (an action meant for the old record is not
    done to another without the officer seeing it, nor when `same_page` is False). `options`:
    what to load with it (the record page's programme and institution, in its one statement)."""
    alumnus = db.session.get(Alumnus, alumnus_id, options=list(options))
    if alumnus is None:
        merged = lookup.merged_record(alumnus_id)
        if merged is not None and in_scope(merged.survivor, current_user):
            survivor = merged.survivor
            flash(gettext("Record %(old_number)s (%(old_name)s) was merged into %(number)s "
                          "(%(name)s) on %(date)s; this is the record it became.",
                          old_number=merged.merged_student_number, old_name=merged.merged_name,
                          number=survivor.student_number, name=survivor.display_name,
                          date=format_date(merged.merged_at.date())), "info")
            if same_page and request.method == "GET" and request.endpoint:
                args = {**request.args.to_dict(), **(request.view_args or {}),
                        "alumnus_id": survivor.id}
                abort(redirect(url_for(request.endpoint, **args)))
            abort(redirect(url_for("alumni.detail", alumnus_id=survivor.id)))
    return get_scoped_or_404(Alumnus, alumnus_id)


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
