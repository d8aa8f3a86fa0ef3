"""Exchange pages: batches, partners, agreements, participations, credits, exchange alumni,
figures and certificates."""

from __future__ import annotations

import contextlib
from io import BytesIO

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS, Institution
from app.alumni.services import own_alumnus
from app.core.countries import country_name
from app.core.errors import DomainError, ValidationFailed, apply_to_form
from app.core.panels import add_panel
from app.core.permissions import (
    ADMIN,
    ALUMNUS,
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
    scope,
)
from app.core.timeline import add_timeline_source
from app.engagement.services import add_engagement_source
from app.exchange import bp, figures, services
from app.exchange.certificate import certificate_pdf, certificates_pdf
from app.exchange.forms import (
    AgreementForm,
    BatchForm,
    CreditRuleForm,
    DocumentForm,
    ParticipationForm,
    PartnerForm,
    RecognitionForm,
    StatusForm,
)
from app.exchange.models import (
    AGREEMENT_STATUSES,
    DIRECTIONS,
    MODES,
    PARTICIPATION_STATUSES,
    PERFORMANCE_RESULTS,
    ROUNDING_MODES,
    AgreementDocument,
    ExchangeAgreement,
    ExchangeBatch,
    ExchangeParticipation,
)
from app.exchange.panels import exchange_panel_context, exchange_timeline
from app.exchange.services.participations import (
    engaged_alumni,
    participation_data_from,
    suggested_credits,
)
from app.extensions import db

LABELS = {"modes": MODES, "agreement_statuses": AGREEMENT_STATUSES, "directions": DIRECTIONS,
          "statuses": PARTICIPATION_STATUSES, "results": PERFORMANCE_RESULTS,
          "areas": STUDY_AREAS, "levels": QUALIFICATION_LEVELS, "kinds": INSTITUTION_KINDS,
          "rounding": ROUNDING_MODES}

add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="staff", order=60)
add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="self", order=60)
add_timeline_source("exchange", exchange_timeline)
add_engagement_source("exchange", "Exchange participations", engaged_alumni)

# The participants spreadsheet goes through the shared import pipeline (when it is there).
with contextlib.suppress(ImportError):
    import app.exchange.importer  # noqa: F401


def _render(template: str, **context):
    return render_template(template, L=LABELS, country_name=country_name, **context)


def _flash_error(exc: DomainError) -> None:
    message = exc.message
    if isinstance(exc, ValidationFailed):
        message = " ".join(m for ms in exc.field_errors.values() for m in ms)
    flash(message, "danger")


def _batches():
    return list(db.session.scalars(scope(select(ExchangeBatch), ExchangeBatch, current_user)
                                   .order_by(ExchangeBatch.year.desc(),
                                             ExchangeBatch.batch_number.desc())))


# --- batches --------------------------------------------------------------------------------


@bp.route("/exchange/")
@roles_required(*STAFF_READ)
def index():
    import_endpoints = set(current_app.view_functions)
    return _render("exchange/index.html", batches=_batches(), import_endpoints=import_endpoints)


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
    return _render("exchange/form.html", form=form, title="Add an exchange batch",
                   cancel=url_for("exchange.index"))


@bp.route("/exchange/batches/<int:batch_id>")
@roles_required(*STAFF_READ)
def batch(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    return _render("exchange/batch.html", batch=record)


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
    return _render("exchange/form.html", form=form, title=f"Edit {record.label}",
                   cancel=url_for("exchange.batch", batch_id=record.id))


# --- partners -------------------------------------------------------------------------------


@bp.route("/exchange/partners")
@roles_required(*STAFF_READ)
def partners():
    return _render("exchange/partners.html",
                   institutions=services.partner_institutions(current_user))


@bp.route("/exchange/partners/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def partner_new():
    form = PartnerForm()
    if form.validate_on_submit():
        data = services.PartnerData(code=form.code.data, name=form.name.data,
                                    country=form.country.data, kind=form.kind.data)
        try:
            institution = services.add_partner_institution(data, actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash(f"{institution.name} is recorded as a partner institution.", "success")
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):  # stay on this site
                target = url_for("exchange.partners")
            return redirect(target)
    return _render("exchange/form.html", form=form, title="Add a partner institution",
                   cancel=url_for("exchange.partners"))


# --- agreements -----------------------------------------------------------------------------


def _agreement_data(form: AgreementForm) -> services.AgreementData:
    return services.AgreementData(
        **{n: getattr(form, n).data for n in services.AgreementData.__annotations__})


def _all_institutions() -> list[Institution]:
    return list(db.session.scalars(select(Institution).order_by(Institution.code)))


@bp.route("/exchange/batches/<int:batch_id>/agreements/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def agreement_new(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    form = AgreementForm(institutions=_all_institutions())
    if request.method == "GET":
        form.first_institution_id.data = record.institution_id
    if form.validate_on_submit():
        try:
            services.create_agreement(record, _agreement_data(form), actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash("The agreement is recorded.", "success")
            return redirect(url_for("exchange.batch", batch_id=record.id))
    return _render("exchange/form.html", form=form, title=f"Add an agreement to {record.label}",
                   cancel=url_for("exchange.batch", batch_id=record.id),
                   aside=url_for("exchange.partner_new", next=request.path))


@bp.route("/exchange/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def agreement_edit(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    form = AgreementForm(obj=agreement, institutions=_all_institutions())
    if form.validate_on_submit():
        try:
            services.update_agreement(agreement, _agreement_data(form), actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash("Saved.", "success")
            return redirect(url_for("exchange.batch", batch_id=agreement.batch_id))
    return _render("exchange/agreement_form.html", form=form, agreement=agreement,
                   document_form=DocumentForm())


@bp.route("/exchange/agreements/<int:agreement_id>/document", methods=["POST"])
@roles_required(*STAFF_WRITE)
def agreement_document_upload(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        content = upload.read(services.MAX_DOCUMENT_BYTES + 1)
        try:
            services.attach_agreement_document(agreement, upload.filename, upload.mimetype,
                                               content, actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            _flash_error(exc)
        else:
            flash("The document is attached.", "success")
    else:
        flash("Choose a file to upload.", "warning")
    return redirect(url_for("exchange.agreement_edit", agreement_id=agreement.id))


@bp.route("/exchange/agreements/<int:agreement_id>/document")
@roles_required(*STAFF_READ)
def agreement_document(agreement_id: int):
    agreement = get_scoped_or_404(ExchangeAgreement, agreement_id)
    document = db.session.scalar(select(AgreementDocument).options(undefer(AgreementDocument.data))
                                 .where(AgreementDocument.agreement_id == agreement.id))
    if document is None:
        flash("No document is attached to this agreement.", "info")
        return redirect(url_for("exchange.batch", batch_id=agreement.batch_id))
    return send_file(BytesIO(document.data), mimetype=document.content_type,
                     as_attachment=True, download_name=document.filename)


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
    return _render("exchange/participations.html", page=page, filters=filters, args=args,
                   batches=_batches())


def _participation_data(form: ParticipationForm) -> services.ParticipationData:
    return services.ParticipationData(
        **{n: getattr(form, n).data for n in services.ParticipationData.__annotations__})


@bp.route("/exchange/batches/<int:batch_id>/participations/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def participation_new(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    form = ParticipationForm(institutions=_all_institutions())
    if request.method == "GET":
        form.sending_institution_id.data = record.institution_id
    if form.validate_on_submit():
        try:
            p = services.create_participation(record, _participation_data(form),
                                              actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash(f"{p.full_name} is nominated.", "success")
            return redirect(url_for("exchange.participation", participation_id=p.id))
    return _render("exchange/form.html", form=form, title=f"Add a participant to {record.label}",
                   cancel=url_for("exchange.batch", batch_id=record.id),
                   aside=url_for("exchange.partner_new", next=request.path))


@bp.route("/exchange/participations/<int:participation_id>")
@roles_required(*STAFF_READ)
def participation(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    status_form = StatusForm()
    status_form.status.choices = [(s, PARTICIPATION_STATUSES[s])
                                  for s in services.allowed_moves(p.status)]
    recognition_form = RecognitionForm()
    return _render("exchange/participation.html", p=p, status_form=status_form,
                   recognition_form=recognition_form, suggested=suggested_credits(p),
                   rule=services.rule_for(p.sending_institution_id))


@bp.route("/exchange/participations/<int:participation_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def participation_edit(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    form = ParticipationForm(obj=participation_data_from(p), institutions=_all_institutions())
    if form.validate_on_submit():
        try:
            services.update_participation(p, _participation_data(form), actor=current_user)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            flash("Saved.", "success")
            return redirect(url_for("exchange.participation", participation_id=p.id))
    return _render("exchange/form.html", form=form, title=f"Edit {p.full_name}",
                   cancel=url_for("exchange.participation", participation_id=p.id))


@bp.route("/exchange/participations/<int:participation_id>/status", methods=["POST"])
@roles_required(*STAFF_WRITE)
def participation_status(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    new_status = request.form.get("status", "")
    try:
        services.change_status(p, new_status, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        _flash_error(exc)
    else:
        flash(f"Status: {PARTICIPATION_STATUSES[new_status]}.", "success")
    return redirect(url_for("exchange.participation", participation_id=p.id))


@bp.route("/exchange/participations/<int:participation_id>/recognition", methods=["POST"])
@roles_required(*STAFF_WRITE)
def participation_recognition(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    form = RecognitionForm()
    if not form.validate_on_submit():
        flash("Give the decision and its date.", "warning")
        return redirect(url_for("exchange.participation", participation_id=p.id))
    try:
        services.record_recognition(p, form.recognised.data == "yes", form.credits.data,
                                    form.decision_date.data, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        _flash_error(exc)
    else:
        flash("The recognition decision is recorded.", "success")
    return redirect(url_for("exchange.participation", participation_id=p.id))


def _certificate_response(p: ExchangeParticipation, fallback: str):
    if p.status != "completed":
        flash("A certificate is issued for a completed exchange only.", "info")
        return redirect(fallback)
    pdf = certificate_pdf(p)
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"certificate-{p.certificate_number}.pdf")


@bp.route("/exchange/batches/<int:batch_id>/certificates.pdf")
@roles_required(*STAFF_READ)
def batch_certificates(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    done = [p for p in record.participations if p.status == "completed"]
    if not done:
        flash("No participant of this batch has completed the exchange yet.", "info")
        return redirect(url_for("exchange.batch", batch_id=record.id))
    return send_file(BytesIO(certificates_pdf(done)), mimetype="application/pdf",
                     download_name=f"certificates-{record.year}-{record.batch_number}.pdf")


@bp.route("/exchange/participations/<int:participation_id>/certificate.pdf")
@roles_required(*STAFF_READ)
def certificate(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    return _certificate_response(
        p, url_for("exchange.participation", participation_id=p.id))


@bp.route("/me/exchanges/<int:participation_id>/certificate.pdf")
@roles_required(ALUMNUS)
def my_certificate(participation_id: int):
    try:
        alumnus = own_alumnus(current_user)
    except DomainError:
        abort(404)
    p = db.session.get(ExchangeParticipation, participation_id)
    if p is None or p.alumnus_id != alumnus.id:  # only the alumnus's own exchanges
        abort(404)
    return _certificate_response(p, url_for("alumni.me"))


# --- credit rule ----------------------------------------------------------------------------


def _rule_institution() -> Institution:
    if current_user.role == ADMIN:
        chosen = request.args.get("institution", type=int)
        if chosen:
            institution = db.session.get(Institution, chosen)
        else:
            institution = db.session.scalar(select(Institution).where(Institution.is_home))
    else:
        institution = db.session.get(Institution, current_user.institution_id)
    if institution is None:
        abort(404)
    return institution


@bp.route("/exchange/credit-rule", methods=["GET"])
@roles_required(*STAFF_READ)
def credit_rule():
    institution = _rule_institution()
    rule = services.rule_for(institution.id)
    form = CreditRuleForm(obj=rule)
    return _render("exchange/credit_rule.html", form=form, rule=rule, institution=institution)


@bp.route("/exchange/credit-rule", methods=["POST"])
@roles_required(*STAFF_WRITE)
def credit_rule_save():
    institution = _rule_institution()
    form = CreditRuleForm()
    if form.validate_on_submit():
        data = services.CreditRuleData(
            hours_per_credit=form.hours_per_credit.data, rounding=form.rounding.data,
            max_credits=form.max_credits.data, min_hours=form.min_hours.data)
        try:
            services.set_credit_rule(institution.id, data, actor=current_user)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            if isinstance(exc, ValidationFailed):
                apply_to_form(form, exc)
            else:
                _flash_error(exc)
        else:
            flash("The credit rule is saved.", "success")
            return redirect(url_for("exchange.credit_rule", institution=institution.id))
    return _render("exchange/credit_rule.html", form=form, institution=institution,
                   rule=services.rule_for(institution.id))


# --- exchange alumni and figures ------------------------------------------------------------


@bp.route("/exchange/alumni")
@roles_required(*STAFF_READ)
def alumni():
    q = request.args.get("q", "").strip()
    page = db.paginate(services.exchange_alumni(actor=current_user, q=q),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    exchanges = {}
    ids = [a.id for a in page.items]
    if ids:
        for p in db.session.scalars(select(ExchangeParticipation)
                                    .where(ExchangeParticipation.alumnus_id.in_(ids))):
            exchanges.setdefault(p.alumnus_id, []).append(p)
    return _render("exchange/alumni.html", page=page, q=q, exchanges=exchanges)


@bp.route("/exchange/figures")
@roles_required(*STAFF_READ)
def figures_page():
    batch_id = request.args.get("batch", type=int)
    show = request.args.get("show")
    report = figures.exchange_figures(actor=current_user, batch_id=batch_id)
    return _render("exchange/figures.html", report=report, batches=_batches(),
                   batch_id=batch_id, show=show)
