"""Exchange batches: the list, adding and editing a batch, and its page."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user

from app.alumni.pages import working_institution_or_404
from app.core.forms import commit_form, form_data
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.exchange import bp, services
from app.exchange.forms import BatchForm
from app.exchange.models import ExchangeBatch
from app.exchange.routes._common import batch_label, batches, render


@bp.route("/exchange/")
@roles_required(*STAFF_READ)
def index():
    import_endpoints = set(current_app.view_functions)
    return render("exchange/index.html", batches=batches(), import_endpoints=import_endpoints)


@bp.route("/exchange/batches/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def batch_new():
    institution = working_institution_or_404()
    form = BatchForm()
    if form.validate_on_submit():
        batch = commit_form(form, lambda: services.create_batch(
            form_data(form, services.BatchData), actor=current_user,
            institution_id=institution.id))
        if batch is not None:
            flash(gettext("%(batch)s is recorded.", batch=batch_label(batch)), "success")
            return redirect(url_for("exchange.batch", batch_id=batch.id))
    return render("exchange/form.html", form=form, title=gettext("Add an exchange batch"),
                  cancel=url_for("exchange.index"))


@bp.route("/exchange/batches/<int:batch_id>")
@roles_required(*STAFF_READ)
def batch(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    return render("exchange/batch.html", batch=record)


@bp.route("/exchange/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def batch_edit(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    form = BatchForm(obj=record)
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_batch(
            record, form_data(form, services.BatchData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("exchange.batch", batch_id=record.id))
    return render("exchange/form.html", form=form,
                  title=gettext("Edit %(batch)s", batch=batch_label(record)),
                  cancel=url_for("exchange.batch", batch_id=record.id))
