"""Partner institutions and the bilateral agreements of a batch, with their documents."""

from __future__ import annotations

from io import BytesIO

from flask import flash, redirect, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.core.errors import ValidationFailed
from app.core.forms import commit_form, commit_or_flash, form_data
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.core.urls import safe_next
from app.exchange import bp, services
from app.exchange.forms import AgreementForm, DocumentForm, PartnerForm
from app.exchange.models import AgreementDocument, ExchangeAgreement, ExchangeBatch
from app.exchange.routes._common import (
    all_institutions,
    batch_form,
    batch_label,
    render,
    render_batch_form,
)
from app.extensions import db

# --- partners -------------------------------------------------------------------------------


@bp.route("/exchange/partners")
@roles_required(*STAFF_READ)
def partners():
    return render("exchange/partners.html",
                  institutions=services.partner_institutions(current_user))


@bp.route("/exchange/partners/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def partner_new():
    form = PartnerForm()
    if form.validate_on_submit():
        institution = commit_form(form, lambda: services.add_partner_institution(
            form_data(form, services.PartnerData), actor=current_user))
        if institution is not None:
            flash(gettext("%(name)s is recorded as a partner institution.", name=institution.name),
                  "success")
            return redirect(safe_next(request.args.get("next"), url_for("exchange.partners")))
    return render("exchange/form.html", form=form, title=gettext("Add a partner institution"),
                  cancel=url_for("exchange.partners"))


# --- agreements -----------------------------------------------------------------------------


@bp.route("/exchange/batches/<int:batch_id>/agreements/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def agreement_new(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    form = batch_form(AgreementForm, record, ours="first_institution_id")
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.create_agreement(
            record, form_data(form, services.AgreementData), actor=current_user))
        if saved is not None:
            flash(gettext("The agreement is recorded."), "success")
            return redirect(url_for("exchange.batch", batch_id=record.id))
    return render_batch_form(form, record, gettext("Add an agreement to %(batch)s",
                                                  batch=batch_label(record)))


@bp.route("/exchange/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def agreement_edit(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    form = AgreementForm(obj=agreement, institutions=all_institutions())
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_agreement(
            agreement, form_data(form, services.AgreementData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("exchange.batch", batch_id=agreement.batch_id))
    return render("exchange/agreement_form.html", form=form, agreement=agreement,
                  document_form=DocumentForm())


@bp.route("/exchange/agreements/<int:agreement_id>/document", methods=["POST"])
@roles_required(*STAFF_WRITE)
def agreement_document_upload(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        content = upload.read(services.MAX_DOCUMENT_BYTES + 1)
        # Only a refused file is flashed; any other error propagates, as for the other saves.
        saved = commit_or_flash(lambda: services.attach_agreement_document(
            agreement, upload.filename, upload.mimetype, content, actor=current_user),
            catch=ValidationFailed)
        if saved is not None:
            flash(gettext("The document is attached."), "success")
    else:
        flash(gettext("Choose a file to upload."), "warning")
    return redirect(url_for("exchange.agreement_edit", agreement_id=agreement.id))


@bp.route("/exchange/agreements/<int:agreement_id>/document")
@roles_required(*STAFF_READ)
def agreement_document(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    document = db.session.scalar(select(AgreementDocument).options(undefer(AgreementDocument.data))
                                 .where(AgreementDocument.agreement_id == agreement.id))
    if document is None:
        flash(gettext("No document is attached to this agreement."), "info")
        return redirect(url_for("exchange.batch", batch_id=agreement.batch_id))
    return send_file(BytesIO(document.data), mimetype=document.content_type,
                     as_attachment=True, download_name=document.filename)
