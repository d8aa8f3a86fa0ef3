"""Exchange batches: the list, adding and editing a batch, and its page."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_login import current_user

from app.core.errors import ValidationFailed, apply_to_form
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.exchange import bp, services
from app.exchange.forms import BatchForm
from app.exchange.models import ExchangeBatch
from app.exchange.routes._common import batches, render
from app.extensions import db


@bp.route("/exchange/")
@roles_required(*STAFF_READ)
def index():
    import_endpoints = set(current_app.view_functions)
    return render("exchange/index.html", batches=batches(), import_endpoints=import_endpoints)


def _batch_data(form: BatchForm) -> services.BatchData:
    names = services.BatchData.__annotations__
    return services.BatchData(**{n: getattr(form, n).data for n in names})


@bp.route("/exchange/batches/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def batch_new():
    form = BatchForm()
    if form.validate_on_submit():
        try:
            batch = services.create_batch(_batch_data(form), actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash(f"{batch.label} is recorded.", "success")
            return redirect(url_for("exchange.batch", batch_id=batch.id))
    return render("exchange/form.html", form=form, title="Add an exchange batch",
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
        try:
            services.update_batch(record, _batch_data(form), actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash("Saved.", "success")
            return redirect(url_for("exchange.batch", batch_id=record.id))
    return render("exchange/form.html", form=form, title=f"Edit {record.label}",
                  cancel=url_for("exchange.batch", batch_id=record.id))
