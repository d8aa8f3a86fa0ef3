"""Employment history: officers edit any record of their institution; alumni keep their own
under /me/jobs."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from app.alumni.models import Alumnus
from app.alumni.pages import alumnus_or_404, own_alumnus_or_404
from app.core.errors import PermissionDenied
from app.core.forms import ConfirmForm, commit_form, commit_or_flash, form_data
from app.core.permissions import (
    ALUMNUS,
    STAFF_WRITE,
    found_or_404,
    get_scoped_or_404,
    roles_required,
)
from app.employment import bp, codes, services
from app.employment.forms import EmploymentForm
from app.employment.models import Employment
from app.extensions import db


def _fill(form: EmploymentForm, employment: Employment) -> None:
    data = services.data_from(employment)
    for name in services.EmploymentData.__dataclass_fields__:
        field = getattr(form, name, None)
        if field is not None:
            value = getattr(data, name)
            field.data = str(value) if isinstance(value, int | float) and not isinstance(
                value, bool) and name != "months_to_find" else value


def _save(form, action, done_url, template: str, **context):
    if form.validate_on_submit():
        try:
            saved = commit_form(form, lambda: action(form_data(form, services.EmploymentData)))
        except PermissionDenied as exc:  # e.g. an alumnus editing a record the office verified
            db.session.rollback()
            flash(exc.message, "warning")
            return redirect(done_url)
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(done_url)
    return render_template(template, form=form, codes=codes, **context)


# --- officers ------------------------------------------------------------------------------


@bp.route("/alumni/<int:alumnus_id>/jobs/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def add_job(alumnus_id: int):
    alumnus = alumnus_or_404(alumnus_id)
    form = EmploymentForm()
    return _save(
        form,
        lambda data: services.record_employment(alumnus, data, actor=current_user),
        url_for("alumni.detail", alumnus_id=alumnus.id),
        "employment/job_form.html", alumnus=alumnus, employment=None,
        cancel=url_for("alumni.detail", alumnus_id=alumnus.id),
    )


@bp.route("/jobs/<int:employment_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def edit_job(employment_id: int):
    employment = get_scoped_or_404(Employment, employment_id)
    form = EmploymentForm()
    if not form.is_submitted():
        _fill(form, employment)
    done = url_for("alumni.detail", alumnus_id=employment.alumnus_id)
    return _save(
        form,
        lambda data: services.update_employment(employment, data, actor=current_user),
        done, "employment/job_form.html", alumnus=employment.alumnus,
        employment=employment, cancel=done, delete_form=ConfirmForm(),
        delete_url=url_for("employment.delete_job", employment_id=employment.id),
    )


@bp.route("/jobs/<int:employment_id>/delete", methods=["POST"])
@roles_required(*STAFF_WRITE)
def delete_job(employment_id: int):
    employment = get_scoped_or_404(Employment, employment_id)
    alumnus_id = employment.alumnus_id
    if ConfirmForm().validate_on_submit():
        services.delete_employment(employment, actor=current_user)
        db.session.commit()
        flash("The record is removed.", "success")
    return redirect(url_for("alumni.detail", alumnus_id=alumnus_id))


# --- self-service ----------------------------------------------------------------------------


def _my_employment(employment_id: int) -> tuple[Alumnus, Employment]:
    """The signed-in alumnus and one record of their own history; 404 for anyone else's."""
    alumnus = own_alumnus_or_404()
    return alumnus, found_or_404(services.own_employment, alumnus, employment_id)


@bp.route("/me/jobs")
@roles_required(ALUMNUS)
def my_jobs():
    alumnus = own_alumnus_or_404()
    return render_template("employment/my_jobs.html", alumnus=alumnus,
                           jobs=services.employment_history(alumnus), codes=codes,
                           confirm=ConfirmForm())


@bp.route("/me/jobs/new", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def my_job_new():
    alumnus = own_alumnus_or_404()
    form = EmploymentForm(self_service=True)
    return _save(
        form, lambda data: services.record_employment(alumnus, data, actor=current_user),
        url_for("employment.my_jobs"), "employment/job_form.html", alumnus=alumnus,
        employment=None, cancel=url_for("employment.my_jobs"), self_service=True,
    )


@bp.route("/me/jobs/<int:employment_id>/edit", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def my_job_edit(employment_id: int):
    alumnus, employment = _my_employment(employment_id)
    form = EmploymentForm(self_service=True)
    if not form.is_submitted():
        try:  # the save's rule and message: a verified record is not offered for editing
            services.refuse_if_verified(employment)
        except PermissionDenied as exc:
            flash(exc.message, "warning")
            return redirect(url_for("employment.my_jobs"))
        _fill(form, employment)
    return _save(
        form, lambda data: services.update_employment(employment, data, actor=current_user),
        url_for("employment.my_jobs"), "employment/job_form.html", alumnus=alumnus,
        employment=employment, cancel=url_for("employment.my_jobs"), self_service=True,
    )


@bp.route("/me/jobs/<int:employment_id>/delete", methods=["POST"])
@roles_required(ALUMNUS)
def my_job_delete(employment_id: int):
    _, employment = _my_employment(employment_id)
    # delete_employment returns nothing: hand commit_or_flash the record as the success value
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: services.delete_employment(employment, actor=current_user) or employment,
            category="warning") is not None:
        flash(gettext("The record is removed from your job history."), "success")
    return redirect(url_for("employment.my_jobs"))
