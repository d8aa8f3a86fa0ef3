"""Contribution pages: list, record, receipt detail, acknowledgement, totals, linkages."""

from __future__ import annotations

from datetime import date

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from app.alumni.lookup import find_by_student_number, follow_merges
from app.alumni.models import Alumnus, Institution
from app.alumni.pages import working_institution_or_404
from app.contributions import bp, exports, services
from app.contributions.forms import ContributionForm, VoidForm
from app.contributions.models import CATEGORIES, DONOR_KINDS, KINDS, Contribution
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.i18n import currency_choices_in_language
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.core.spreadsheet import table_download
from app.extensions import db


def _year_arg() -> int | None:
    return request.args.get("year", type=int)


@bp.route("/contributions/")
@roles_required(*STAFF_READ)
def index():
    filters = services.ContributionFilters(
        year=_year_arg(), kind=request.args.get("kind") or None,
        category=request.args.get("category") or None,
        include_void=request.args.get("void") == "1",
    )
    page = db.paginate(services.contributions_query(filters, actor=current_user),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("contributions/index.html", page=page, filters=filters, args=args,
                           years=services.contribution_years(actor=current_user),
                           kinds=KINDS, categories=CATEGORIES)


def _alumnus_id(form: ContributionForm, institution: Institution) -> int | None:
    number = (form.student_number.data or "").strip()
    if not number:
        return None
    alumnus = find_by_student_number(institution.id, number)
    if alumnus is None:
        raise ValidationFailed({"student_number": gettext(
            "No alumnus with student number %(number)s.", number=number)})
    return alumnus.id


def _contribution_data(form: ContributionForm, institution: Institution
                       ) -> services.ContributionData:
    return services.ContributionData(
        donor_kind=form.donor_kind.data, alumnus_id=_alumnus_id(form, institution),
        organisation_name=form.organisation_name.data, contact_email=form.contact_email.data,
        kind=form.kind.data, category=form.category.data, received_on=form.received_on.data,
        amount=form.amount.data, currency=form.currency.data, purpose=form.purpose.data,
        description=form.description.data, quantity=form.quantity.data,
        estimated_value=form.estimated_value.data, value_currency=form.value_currency.data,
        valuation_basis=form.valuation_basis.data, hours=form.hours.data, notes=form.notes.data,
    )


@bp.route("/contributions/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def create():
    institution = working_institution_or_404()
    form = ContributionForm()
    if request.method == "GET":
        form.received_on.data = today()
        preset = request.args.get("alumnus", type=int)
        if preset:  # a link from a record merged away since gives the survivor's number
            preset = follow_merges([preset]).get(preset, preset)
        alumnus = db.session.get(Alumnus, preset) if preset else None
        if alumnus is not None and alumnus.institution_id == institution.id:
            form.student_number.data = alumnus.student_number
    if form.validate_on_submit():
        # An unknown student number is a field error too, so the data is read inside the save.
        contribution = commit_form(form, lambda: services.record_contribution(
            _contribution_data(form, institution), institution=institution, actor=current_user))
        if contribution is not None:
            flash(gettext("Recorded with receipt %(number)s.", number=contribution.receipt_number),
                  "success")
            if form.send_acknowledgement.data:
                _acknowledge(contribution)
            return redirect(url_for("contributions.detail", contribution_id=contribution.id))
    return render_template("contributions/form.html", form=form, institution=institution)


def _acknowledge(contribution: Contribution) -> None:
    # The message leaves after the commit; a refused one leaves the contribution recorded and
    # unacknowledged (the page then shows why), to be sent again from its page.
    queued = commit_or_flash(
        lambda: services.acknowledge_contribution(contribution, actor=current_user),
        category="warning", prefix=gettext("Acknowledgement not sent.") + " ")
    if queued is not None and contribution.acknowledged_at is not None:
        flash(gettext("Acknowledgement sent to %(address)s.", address=contribution.acknowledged_to),
              "success")


@bp.route("/contributions/<int:contribution_id>")
@roles_required(*STAFF_READ)
def detail(contribution_id: int):
    contribution = get_scoped_or_404(Contribution, contribution_id)
    return render_template("contributions/detail.html", c=contribution, kinds=KINDS,
                           categories=CATEGORIES, donor_kinds=DONOR_KINDS, confirm=ConfirmForm(),
                           address=services.acknowledgement_address(contribution),
                           void_form=VoidForm())


@bp.route("/contributions/<int:contribution_id>/acknowledge", methods=["POST"])
@roles_required(*STAFF_WRITE)
def acknowledge(contribution_id: int):
    contribution = get_scoped_or_404(Contribution, contribution_id)
    if ConfirmForm().validate_on_submit():
        _acknowledge(contribution)
    return redirect(url_for("contributions.detail", contribution_id=contribution.id))


@bp.route("/contributions/<int:contribution_id>/void", methods=["POST"])
@roles_required(*STAFF_WRITE)
def void(contribution_id: int):
    contribution = get_scoped_or_404(Contribution, contribution_id)
    form = VoidForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: services.void_contribution(contribution, form.reason.data,
                                                              actor=current_user),
                           category="warning", catch=ValidationFailed) is not None:
            flash(gettext("Receipt %(number)s is void; the number stays used.",
                          number=contribution.receipt_number), "success")
    else:
        flash(gettext("Say why the record is voided."), "warning")
    return redirect(url_for("contributions.detail", contribution_id=contribution.id))


@bp.route("/contributions/totals")
@roles_required(*STAFF_READ)
def totals():
    year = _year_arg()
    figures = services.contribution_totals(actor=current_user, year=year)
    combined, errors = None, {}
    target = (request.args.get("target") or "").strip()
    rates_text = request.args.get("rates", "")
    rate_date_text = request.args.get("rate_date", "")
    if target:
        try:
            rate_date = date.fromisoformat(rate_date_text) if rate_date_text else None
        except ValueError:
            rate_date = None
        try:
            combined = services.combine_money(
                figures.money, target=target, rates=services.parse_rates(rates_text),
                rate_date=rate_date)
        except ValidationFailed as exc:
            errors = exc.field_errors
    return render_template(
        "contributions/totals.html", t=figures, year=year, categories=CATEGORIES,
        years=services.contribution_years(actor=current_user), combined=combined,
        errors=errors, target=target, rates_text=rates_text, rate_date=rate_date_text,
        currencies=currency_choices_in_language(),
    )


@bp.route("/contributions/linkages")
@roles_required(*STAFF_READ)
def linkages():
    year = _year_arg()
    return render_template("contributions/linkages.html",
                           s=services.linkage_summary(actor=current_user, year=year), year=year,
                           years=services.contribution_years(actor=current_user),
                           categories=CATEGORIES)


@bp.route("/contributions/totals.<fmt>")
@roles_required(*STAFF_READ)
def totals_download(fmt: str):
    year = _year_arg()
    figures = services.contribution_totals(actor=current_user, year=year)
    return table_download(fmt, f"contribution-totals-{year or 'all-years'}",
                          "Contribution totals", exports.TOTALS_HEADER,
                          exports.totals_rows(figures))


@bp.route("/contributions/linkages.<fmt>")
@roles_required(*STAFF_READ)
def linkages_download(fmt: str):
    year = _year_arg()
    summary = services.linkage_summary(actor=current_user, year=year)
    return table_download(fmt, f"alumni-linkages-{year or 'all-years'}", "Linkages",
                          exports.LINKAGES_HEADER, exports.linkages_rows(summary))
