"""Directory pages: search, a listed person's page (by token), and my own choices."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.alumni.pages import own_alumnus_or_404
from app.core.forms import commit_form
from app.core.permissions import ALUMNUS, found_or_404, roles_required
from app.directory import bp, services
from app.directory.forms import DirectoryChoicesForm, DirectorySearchForm
from app.directory.models import DIRECTORY_FIELDS


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@bp.route("")
@roles_required(ALUMNUS)
def index():
    me = own_alumnus_or_404()
    form = DirectorySearchForm(request.args)
    choices = services.filter_choices(actor=current_user)
    form.programme.choices = [("", gettext("Any programme"))] + [
        (str(i), n) for i, n in choices["programmes"]]
    form.cohort.choices = [("", gettext("Any cohort"))] + [(str(c), n)
                                                           for c, n in choices["cohorts"]]
    form.industry.choices = [("", gettext("Any industry"))] + choices["industries"]
    filters = services.DirectoryFilters(
        name=(form.name.data or "")[:120], programme_id=_number(form.programme.data),
        cohort_year=_number(form.cohort.data), city=(form.city.data or "")[:120],
        industry=form.industry.data or "")
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    entries, total = services.search_directory(filters, page, actor=current_user)
    searched = any(v for k, v in request.args.items() if k != "page")
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("directory/index.html", form=form, entries=entries, total=total,
                           page=page, page_size=services.PAGE_SIZE, searched=searched,
                           args=args, fields=DIRECTORY_FIELDS,
                           listed=services.is_listed(me))


@bp.route("/people/<listing>")
@roles_required(ALUMNUS)
def person(listing: str):
    entry = found_or_404(lambda: services.directory_entry(listing, actor=current_user))
    return render_template("directory/person.html", entry=entry, fields=DIRECTORY_FIELDS)


@bp.route("/me", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def my_listing():
    alumnus = own_alumnus_or_404()
    profile = services.profile_of(alumnus)
    form = DirectoryChoicesForm(obj=profile)
    if form.validate_on_submit():
        chosen = {f: bool(getattr(form, f"show_{f}").data) for f in DIRECTORY_FIELDS}
        saved = commit_form(form, lambda: services.save_directory_choices(
            alumnus, chosen, actor=current_user))
        if saved is not None:
            flash(gettext("Your directory choices are saved."), "success")
            return redirect(url_for("directory.my_listing"))
    return render_template("directory/me.html", form=form, profile=profile,
                           fields=DIRECTORY_FIELDS, listed=services.is_listed(alumnus),
                           alumnus=alumnus)
