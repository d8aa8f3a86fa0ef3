"""Participations: the list, nominating and editing a participant, the status workflow, credit
recognition, and the hours-to-credits rule it uses."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.alumni.pages import working_institution_or_404
from app.core.errors import DomainError
from app.core.forms import commit_form, commit_or_flash, error_message, form_data
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.exchange import bp, services
from app.exchange.forms import CreditRuleForm, ParticipationForm, RecognitionForm, StatusForm
from app.exchange.models import PARTICIPATION_STATUSES, ExchangeBatch, ExchangeParticipation
from app.exchange.routes._common import (
    all_institutions,
    batch_form,
    batch_label,
    batches,
    render,
    render_batch_form,
)
from app.exchange.services.participations import participation_data_from, suggested_credits
from app.extensions import db

# --- participations -------------------------------------------------------------------------


def _filters() -> services.ParticipationFilters:
    args = request.args
    return services.ParticipationFilters(
        batch_id=args.get("batch", type=int), status=args.get("status") or None,
        direction=args.get("direction") or None, study_area=args.get("area") or None,
        q=args.get("q", "").strip())


@bp.route("/exchange/participations/")
@roles_required(*STAFF_READ)
def participations():
    filters = _filters()
    page = db.paginate(services.search_participations(filters, actor=current_user),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render("exchange/participations.html", page=page, filters=filters, args=args,
                  batches=batches())


@bp.route("/exchange/batches/<int:batch_id>/participations/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def participation_new(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    form = batch_form(ParticipationForm, record, ours="sending_institution_id")
    if form.validate_on_submit():
        p = commit_form(form, lambda: services.create_participation(
            record, form_data(form, services.ParticipationData), actor=current_user))
        if p is not None:
            flash(gettext("%(name)s is nominated.", name=p.full_name), "success")
            return redirect(url_for("exchange.participation", participation_id=p.id))
    return render_batch_form(form, record, gettext("Add a participant to %(batch)s",
                                                  batch=batch_label(record)))


@bp.route("/exchange/participations/<int:participation_id>")
@roles_required(*STAFF_READ)
def participation(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    status_form = StatusForm()
    status_form.status.choices = [(s, gettext(PARTICIPATION_STATUSES[s]))
                                  for s in services.allowed_moves(p.status)]
    recognition_form = RecognitionForm()
    return render("exchange/participation.html", p=p, status_form=status_form,
                  recognition_form=recognition_form, suggested=suggested_credits(p),
                  rule=services.rule_for(p.sending_institution_id))


@bp.route("/exchange/participations/<int:participation_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def participation_edit(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    form = ParticipationForm(obj=participation_data_from(p), institutions=all_institutions())
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_participation(
            p, form_data(form, services.ParticipationData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("exchange.participation", participation_id=p.id))
    return render("exchange/form.html", form=form, title=gettext("Edit %(name)s", name=p.full_name),
                  cancel=url_for("exchange.participation", participation_id=p.id))


@bp.route("/exchange/participations/<int:participation_id>/status", methods=["POST"])
@roles_required(*STAFF_WRITE)
def participation_status(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    new_status = request.form.get("status", "")
    moved = commit_or_flash(lambda: services.change_status(p, new_status, actor=current_user))
    if moved is not None:
        flash(gettext("Status: %(status)s.", status=gettext(PARTICIPATION_STATUSES[new_status])),
              "success")
    return redirect(url_for("exchange.participation", participation_id=p.id))


@bp.route("/exchange/participations/<int:participation_id>/recognition", methods=["POST"])
@roles_required(*STAFF_WRITE)
def participation_recognition(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    form = RecognitionForm()
    if not form.validate_on_submit():
        flash(gettext("Give the decision and its date."), "warning")
        return redirect(url_for("exchange.participation", participation_id=p.id))
    decided = commit_or_flash(lambda: services.record_recognition(
        p, form.recognised.data == "yes", form.credits.data, form.decision_date.data,
        actor=current_user))
    if decided is not None:
        flash(gettext("The recognition decision is recorded."), "success")
    return redirect(url_for("exchange.participation", participation_id=p.id))


# --- credit rule ----------------------------------------------------------------------------


@bp.route("/exchange/credit-rule", methods=["GET"])
@roles_required(*STAFF_READ)
def credit_rule():
    institution = working_institution_or_404()
    rule = services.rule_for(institution.id)
    form = CreditRuleForm(obj=rule)
    return render("exchange/credit_rule.html", form=form, rule=rule, institution=institution)


@bp.route("/exchange/credit-rule", methods=["POST"])
@roles_required(*STAFF_WRITE)
def credit_rule_save():
    institution = working_institution_or_404()
    form = CreditRuleForm()
    if form.validate_on_submit():
        try:
            saved = commit_form(form, lambda: services.set_credit_rule(
                institution.id, form_data(form, services.CreditRuleData), actor=current_user))
        except DomainError as exc:  # not a field's fault (another institution's rule): say so
            db.session.rollback()
            flash(error_message(exc), "danger")
            saved = None
        if saved is not None:
            flash(gettext("The credit rule is saved."), "success")
            return redirect(url_for("exchange.credit_rule", institution=institution.id))
    return render("exchange/credit_rule.html", form=form, institution=institution,
                  rule=services.rule_for(institution.id))
