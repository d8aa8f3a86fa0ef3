"""The Outcomes page: figures with numerator and denominator, a framework's tables, and the
records behind each figure."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from app.alumni.pages import working_institution_or_404
from app.core.forms import commit_form, commit_or_flash, form_data
from app.core.i18n import N_, country_name_in_language
from app.core.permissions import ADMIN, STAFF_READ, roles_required
from app.extensions import db
from app.reports import bp, listing, services, wages
from app.reports.forms import MinimumWageFileForm, MinimumWageForm
from app.reports.frameworks import frameworks
from app.reports.indicators import (
    ENGAGEMENT,
    EXCHANGE,
    OUTCOME,
    REGISTRY,
    UnknownVariant,
    all_indicators,
    compute,
)
from app.reports.tables import fill_tables

# the groups' titles are translated where the page shows them
GROUPS = ((OUTCOME, N_("Graduate outcomes")), (ENGAGEMENT, N_("Engagement")),
          (EXCHANGE, N_("Exchange")))


def _choice(institution):
    return services.read_choice(
        institution, request.args.getlist("programme", type=int),
        request.args.getlist("cohort", type=int), request.args.get("months", type=int),
        request.args.get("framework") or None)


def _args(choice) -> dict:
    args = {"programme": [p.id for p in choice.programmes], "cohort": choice.years,
            "months": choice.reference_months}
    if choice.framework:
        args["framework"] = choice.framework.name
    if request.args.get("institution"):
        args["institution"] = request.args.get("institution", type=int)
    return args


@bp.route("/outcomes")
@roles_required(*STAFF_READ)
def outcomes():
    institution = working_institution_or_404()
    choice = _choice(institution)
    sel = choice.selection(institution)
    groups, tables = [], []
    if sel is not None:
        results = all_indicators(sel)
        for group, title in GROUPS:
            groups.append((title, [r for r in results if REGISTRY[r.code].group == group]))
        if choice.framework:
            tables = fill_tables(choice.framework, sel, max(choice.years))
    return render_template(
        "reports/outcomes.html", institution=institution, choice=choice, groups=groups,
        tables=tables, args=_args(choice), programmes=services.programmes_of(institution),
        known_years=services.cohort_years_of(institution), frameworks=frameworks(),
        outside=services.outside_cohorts(institution.id),
        reference_choices=services.REFERENCE_CHOICES, fmt=listing.page_value, say=listing.say)


def _as_of() -> date | None:
    """The `as_of` day of a figure's link (YYYY-MM-DD); a malformed one is not found."""
    text = request.args.get("as_of")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.route("/outcomes/records")
@roles_required(*STAFF_READ)
def records():
    institution = working_institution_or_404()
    choice = _choice(institution)
    sel = choice.selection(institution)
    code = request.args.get("code", "")
    which = request.args.get("which", "counted")
    if choice.errors:  # another institution's programme, a year out of range
        abort(404)
    if sel is None or code not in REGISTRY or which not in ("counted", "base"):
        return redirect(url_for("reports.outcomes", **_args(choice)))
    currency = request.args.get("currency") or None
    if currency:
        sel = replace(sel, params=replace(sel.params, currency=currency))
    as_of = _as_of()
    if as_of is not None:  # a kept figure's own day (E1's window ends on it)
        sel = replace(sel, params=replace(sel.params, as_of=as_of))
    try:
        result = compute(code, sel, request.args.get("variant") or None)
    except UnknownVariant:
        abort(404)
    record_list = result.counted if which == "counted" else result.base
    if record_list is None:
        abort(404)
    page = db.paginate(record_list.query, per_page=50, error_out=False)
    args = {**_args(choice), "code": code, "variant": result.variant, "which": which}
    if currency:
        args["currency"] = currency
    if as_of is not None:
        args["as_of"] = as_of.isoformat()
    return render_template(
        "reports/records.html", institution=institution, result=result, which=which,
        page=page, columns=listing.columns(record_list.kind),
        rows=[listing.row(record_list.kind, r) for r in page.items], args=args,
        back=_args(choice), fmt=listing.page_value, as_of=as_of, say=listing.say)


@bp.route("/admin/minimum-wages", methods=["GET", "POST"])
@roles_required(ADMIN)
def minimum_wages():
    form, upload = MinimumWageForm(prefix="one"), MinimumWageFileForm(prefix="csv")
    if request.method == "POST" and "one-country" in request.form and form.validate_on_submit():
        saved = commit_form(form, lambda: wages.save_minimum_wage(
            form_data(form, wages.WageData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved the minimum wage of %(country)s %(year)s.",
                          country=country_name_in_language(saved.country), year=saved.year),
                  "success")
            return redirect(url_for("reports.minimum_wages"))
    elif request.method == "POST" and upload.validate_on_submit():
        text = upload.file.data.read().decode("utf-8-sig", errors="replace")
        count = commit_or_flash(lambda: wages.import_minimum_wages(text, actor=current_user),
                                prefix=gettext("Nothing was saved.") + " ")
        if count is not None:
            flash(ngettext("Saved %(num)d minimum wage.", "Saved %(num)d minimum wages.", count),
                  "success")
            return redirect(url_for("reports.minimum_wages"))
    return render_template("reports/minimum_wages.html", form=form, upload=upload,
                           wages=wages.minimum_wages())
