"""Register pages for staff and self-service pages for alumni."""

from __future__ import annotations

from types import SimpleNamespace

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.alumni import bp, notices, privacy, services
from app.alumni.forms import (
    OFFICE_FIELD_LABELS,
    AlumnusForm,
    CorrectionForm,
    ResolveCorrectionForm,
    privacy_form,
)
from app.alumni.models import (
    ALUMNUS_STATUSES,
    CONSENT_METHODS,
    CONSENT_PURPOSES,
    CORRECTION_STATUSES,
    Alumnus,
    CorrectionRequest,
)
from app.alumni.pages import (
    alumnus_or_404,
    own_alumnus_or_404,
    register_filters_from_args,
    working_institution_or_404,
)
from app.core.audit import action_label_in_language, record_view
from app.core.audit import history as audit_history
from app.core.errors import Conflict
from app.core.figure_cache import cached_figure
from app.core.forms import ConfirmForm, commit_form, commit_or_flash, form_data
from app.core.i18n import country_choices_in_language
from app.core.pagination import PAGE_ARGS, seek_args
from app.core.panels import panels_for
from app.core.permissions import (
    ALUMNUS,
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
    scope,
)
from app.extensions import db


@bp.route("/dashboard")
@roles_required(*STAFF_READ)
def dashboard():
    from app.core.dashboard import sections_for

    # Counting the register is a pass over an index as long as the register: the tiles may be
    # a minute old, and say when they were counted.
    # (counted again in the background when old: plain values, not the signed-in user)
    actor = SimpleNamespace(role=current_user.role, institution_id=current_user.institution_id)
    counts, counted_at = cached_figure(
        services.register_counts_key(actor), lambda: services.register_counts(actor))
    return render_template("alumni/dashboard.html", counts=counts, counted_at=counted_at,
                           sections=sections_for(current_user))


@bp.route("/alumni/")
@roles_required(*STAFF_READ)
def index():
    filters = register_filters_from_args()
    page = services.register_page(filters, actor=current_user, **seek_args())
    args = {k: v for k, v in request.args.items() if k not in PAGE_ARGS}
    return render_template(
        "alumni/index.html",
        page=page,
        filters=filters,
        args=args,
        programmes=services.programmes_for(current_user),
        cohorts=services.cohort_years(current_user),
        statuses=ALUMNUS_STATUSES,
        countries=country_choices_in_language(),
    )


@bp.route("/alumni/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def create():
    institution = working_institution_or_404()
    form = AlumnusForm(programmes=institution.programmes)
    if form.validate_on_submit():
        alumnus = commit_form(form, lambda: services.create_alumnus(
            form_data(form, services.AlumnusData), institution=institution, actor=current_user))
        if alumnus is not None:
            flash(gettext("%(name)s is in the register.", name=alumnus.display_name), "success")
            _warn_about_cohort(alumnus)
            return redirect(url_for("alumni.detail", alumnus_id=alumnus.id))
    return render_template("alumni/form.html", form=form, alumnus=None, institution=institution)


# The record page shows the programme and the institution's code: read with the record.
_RECORD_PAGE_LOADS = (joinedload(Alumnus.programme), joinedload(Alumnus.institution))


@bp.route("/alumni/<int:alumnus_id>")
@roles_required(*STAFF_READ)
def detail(alumnus_id: int):
    alumnus = alumnus_or_404(alumnus_id, options=_RECORD_PAGE_LOADS)
    history = db.session.scalars(audit_history("Alumnus", alumnus.id)).all()
    page = render_template(
        "alumni/detail.html",
        alumnus=alumnus,
        consents=privacy.consent_summary(alumnus),
        purposes=CONSENT_PURPOSES,
        methods=CONSENT_METHODS,
        history=history,
        confirm=ConfirmForm(),
        statuses=ALUMNUS_STATUSES,
        panels=panels_for(alumnus, current_user, "staff"),
        action_label=action_label_in_language,
    )
    # Every view of a full record by staff is in the audit log (who, which record), committed
    # before the page is sent. Written once the page is drawn, so the page's reads and the
    # entry share one transaction: committed first, the panels' reads took a connection from
    # the pool again (on PostgreSQL a ping, a BEGIN and a ROLLBACK more a view).
    record_view(current_user, alumnus)
    return page


@bp.route("/alumni/<int:alumnus_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def edit(alumnus_id: int):
    alumnus = alumnus_or_404(alumnus_id)
    form = AlumnusForm(obj=alumnus, programmes=alumnus.institution.programmes)
    if request.method == "GET":
        form.version.data = alumnus.version
    if form.validate_on_submit():
        try:
            saved = commit_form(form, lambda: services.update_alumnus(
                alumnus, form_data(form, services.AlumnusData),
                expected_version=form.version.data or None, actor=current_user))
        except Conflict as exc:  # the fresh form says so above it (no flash: it was twice)
            db.session.rollback()
            return _fresh_edit_form(alumnus_id, exc.message)
        if saved is not None:
            flash(gettext("Saved."), "success")
            _warn_about_cohort(alumnus)
            return redirect(url_for("alumni.detail", alumnus_id=alumnus.id))
    return render_template("alumni/form.html", form=form, alumnus=alumnus,
                           institution=alumnus.institution)


def _warn_about_cohort(alumnus: Alumnus) -> None:
    warning = services.cohort_warning(alumnus)
    if warning:
        flash(warning, "warning")


def _fresh_edit_form(alumnus_id: int, message: str):
    db.session.expire_all()
    alumnus = get_scoped_or_404(Alumnus, alumnus_id)
    form = AlumnusForm(formdata=None, obj=alumnus, programmes=alumnus.institution.programmes)
    form.version.data = alumnus.version
    return render_template("alumni/form.html", form=form, alumnus=alumnus,
                           institution=alumnus.institution, conflict=message), 409


@bp.route("/alumni/<int:alumnus_id>/archive", methods=["POST"])
@roles_required(*STAFF_WRITE)
def archive(alumnus_id: int):
    alumnus = alumnus_or_404(alumnus_id)
    if ConfirmForm().validate_on_submit():
        restore = request.args.get("restore") == "1"
        services.archive_alumnus(alumnus, actor=current_user, archived=not restore)
        db.session.commit()
        flash(gettext("Restored to the register.") if restore else
              gettext("Archived: the record leaves the lists and keeps its history."), "success")
    return redirect(url_for("alumni.detail", alumnus_id=alumnus.id))


@bp.route("/alumni/corrections")
@roles_required(*STAFF_READ)
def corrections():
    show = request.args.get("show", "open")
    stmt = scope(select(CorrectionRequest), CorrectionRequest, current_user)
    if show != "all":
        stmt = stmt.where(CorrectionRequest.status == "open")
    page = db.paginate(stmt.order_by(CorrectionRequest.created_at.desc()),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("alumni/corrections.html", page=page, show=show,
                           labels_map=OFFICE_FIELD_LABELS, form=ResolveCorrectionForm(),
                           statuses=CORRECTION_STATUSES)


@bp.route("/alumni/corrections/<int:request_id>/resolve", methods=["POST"])
@roles_required(*STAFF_WRITE)
def resolve_correction(request_id: int):
    req = get_scoped_or_404(CorrectionRequest, request_id)
    form = ResolveCorrectionForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: privacy.resolve_correction(req, form.note.data, actor=current_user),
            category="warning") is not None:
        flash(gettext("Request closed."), "success")
    return redirect(url_for("alumni.corrections"))


# --- self-service -------------------------------------------------------------------------


@bp.route("/me")
@roles_required(ALUMNUS)
def me():
    alumnus = own_alumnus_or_404()
    return render_template(
        "alumni/me.html",
        alumnus=alumnus,
        consents=privacy.consent_summary(alumnus),
        purposes=CONSENT_PURPOSES,
        panels=panels_for(alumnus, current_user, "self"),
    )


@bp.route("/me/privacy", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def me_privacy():
    alumnus = own_alumnus_or_404()
    in_force = {p: alumnus.consent_in_force(p) for p in CONSENT_PURPOSES}
    form = privacy_form(in_force, obj=alumnus)
    if request.method == "GET":
        form.version.data = alumnus.version
    if form.validate_on_submit():
        choices = {p: bool(getattr(form, f"consent_{p}").data) for p in CONSENT_PURPOSES}
        try:
            privacy.set_privacy_choices(
                alumnus, choices, choices["directory"],
                expected_version=form.version.data or None,
                method="self_service", actor=current_user,
            )
            db.session.commit()
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            return redirect(url_for("alumni.me_privacy"))
        flash(gettext("Your choices are saved."), "success")
        return redirect(url_for("alumni.me"))
    return render_template("alumni/me_privacy.html", form=form, purposes=CONSENT_PURPOSES,
                           alumnus=alumnus, notice=notices.current_notice(),
                           review=notices.needs_review(alumnus))


@bp.app_template_global("privacy_review_needed")
def privacy_review_needed() -> bool:
    """Whether the signed-in alumnus is yet to confirm their choices under a new notice
    (base.html shows a banner until they do)."""
    if not current_user.is_authenticated or current_user.role != ALUMNUS:
        return False
    return notices.needs_review(db.session.scalar(
        select(Alumnus).where(Alumnus.user_id == current_user.id)))


@bp.route("/me/correction", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def me_correction():
    alumnus = own_alumnus_or_404()
    form = CorrectionForm()
    if form.validate_on_submit():
        saved = commit_form(form, lambda: privacy.request_correction(
            alumnus, form.field.data, form.message.data, actor=current_user))
        if saved is not None:
            flash(gettext("Your request is with the alumni office. They will correct the "
                          "record."), "success")
            return redirect(url_for("alumni.me"))
    return render_template("alumni/me_correction.html", form=form, alumnus=alumnus,
                           labels_map=OFFICE_FIELD_LABELS)
