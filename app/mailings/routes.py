"""Mailing pages (write, preview, send, the kept mailings) and the unsubscribe link."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import CONSENT_PURPOSES, Alumnus, Programme
from app.alumni.pages import working_institution_or_404
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.i18n import use_institution
from app.core.pagination import seek_args
from app.core.permissions import (
    ADMIN,
    STAFF_READ,
    STAFF_WRITE,
    can_write,
    get_scoped_or_404,
    public,
    roles_required,
    scope,
    sees_contacts,
)
from app.core.throttle import token_link_limit
from app.core.tokens import LinkUnusable
from app.core.urls import request_base_url
from app.engagement.services import event_choices
from app.extensions import csrf, db
from app.mailings import bp, services
from app.mailings.forms import MailingForm
from app.mailings.gate import mail_purposes
from app.mailings.models import MAILING_STATUSES, Mailing
from app.mailings.segments import ENGAGED_CHOICES, Segment
from app.mailings.unsubscribe import find_unsubscribe_link, withdraw_by_link


@bp.route("/mailings/")
@roles_required(*STAFF_READ)
def index():
    page = db.paginate(scope(select(Mailing), Mailing, current_user)
                       .order_by(Mailing.created_at.desc(), Mailing.id.desc()),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("mailings/index.html", page=page, statuses=MAILING_STATUSES,
                           purposes=CONSENT_PURPOSES, can_write=can_write(current_user))


@bp.route("/mailings/held")
@roles_required(*STAFF_READ)
def held():
    """The messages the mail gate held back (any feature's), newest first, by reason."""
    reason = request.args.get("reason", "")
    reason = reason if reason in services.EXCLUSION_REASONS else ""
    found, rows = services.held_messages(current_user, reason=reason, **seek_args())
    return render_template("mailings/held.html", page=found, rows=rows, reason=reason,
                           reasons=services.EXCLUSION_REASONS, purposes=mail_purposes(),
                           contacts=sees_contacts(current_user),
                           all_institutions=current_user.role == ADMIN)


def _form(institution_id: int, mailing: Mailing | None = None) -> MailingForm:
    programmes = db.session.scalars(select(Programme).where(
        Programme.institution_id == institution_id).order_by(Programme.code))
    form = MailingForm(programmes=list(programmes), events=event_choices(institution_id),
                       obj=mailing)
    if mailing is not None and not form.is_submitted():
        for name, value in mailing.segment.items():
            if hasattr(form, name):
                getattr(form, name).data = value if value is not None else None
    return form


def _data(form: MailingForm) -> services.MailingData:
    return services.MailingData(
        purpose=form.purpose.data, subject=form.subject.data or "", body=form.body.data or "",
        segment=Segment(programme_ids=list(form.programme_ids.data or []),
                        cohort_from=form.cohort_from.data, cohort_to=form.cohort_to.data,
                        country=form.country.data or "", engaged=form.engaged.data or "",
                        event_id=form.event_id.data or None,
                        exchange_only=bool(form.exchange_only.data)))


@bp.route("/mailings/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def new():
    institution = working_institution_or_404()
    form = _form(institution.id)
    if form.validate_on_submit():
        mailing = commit_form(form, lambda: services.create_mailing(
            _data(form), institution_id=institution.id, actor=current_user))
        if mailing is not None:
            return redirect(url_for(".show", mailing_id=mailing.id))
    return render_template("mailings/form.html", form=form, mailing=None,
                           institution=institution)


@bp.route("/mailings/<int:mailing_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def edit(mailing_id: int):
    mailing = get_scoped_or_404(Mailing, mailing_id)
    if mailing.status != "draft":
        flash(gettext("This mailing has been sent; it cannot be changed."), "warning")
        return redirect(url_for(".show", mailing_id=mailing.id))
    form = _form(mailing.institution_id, mailing)
    if form.validate_on_submit() and commit_form(form, lambda: services.update_mailing(
            mailing, _data(form), actor=current_user)) is not None:
        return redirect(url_for(".show", mailing_id=mailing.id))
    return render_template("mailings/form.html", form=form, mailing=mailing,
                           institution=None)


@bp.route("/mailings/<int:mailing_id>")
@roles_required(*STAFF_READ)
def show(mailing_id: int):
    mailing = get_scoped_or_404(Mailing, mailing_id)
    count = services.mailing_count(mailing) if mailing.status == "draft" else None
    segment = Segment.from_dict(mailing.segment)
    programmes = {p.id: p.label for p in db.session.scalars(select(Programme).where(
        Programme.id.in_(segment.programme_ids or [0])))}
    events = dict(event_choices(mailing.institution_id)) if segment.event_id else {}
    return render_template(
        "mailings/show.html", mailing=mailing, count=count, segment=segment,
        programmes=programmes, events=events, engaged=ENGAGED_CHOICES,
        body_html=services.body_html(mailing.body), purposes=CONSENT_PURPOSES,
        reasons=services.EXCLUSION_REASONS, statuses=MAILING_STATUSES,
        can_write=can_write(current_user), form=ConfirmForm())


@bp.route("/mailings/<int:mailing_id>/send", methods=["POST"])
@roles_required(*STAFF_WRITE)
def send(mailing_id: int):
    mailing = get_scoped_or_404(Mailing, mailing_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = commit_or_flash(lambda: services.send_mailing(mailing, actor=current_user,
                                                        base_url=request_base_url()))
    if job is None:
        return redirect(url_for(".show", mailing_id=mailing_id))
    flash(gettext("The mailing is being sent; its counts are kept on the mailing's page."),
          "info")
    return redirect(url_for("main.job_page", job_id=job.id))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: a mail program posts "List-Unsubscribe=One-Click" with no form token
@token_link_limit
def unsubscribe(token: str):
    """GET shows what the link will change and a button; POST (the button, or a mail
    program's one-click request) withdraws the consent, once."""
    try:
        link = find_unsubscribe_link(token)
        # Without `lang` on the link (sent before links carried it): the alumnus's institution's
        # default language, unless the reader's own choice or browser says otherwise.
        use_institution(db.session.scalar(select(Alumnus.institution_id).where(
            Alumnus.id == link.alumnus_id)))
        if request.method == "GET":
            return render_template("mailings/unsubscribe.html", link=link, done=None,
                                   label=CONSENT_PURPOSES.get(link.purpose, link.purpose))
        done = withdraw_by_link(token)
        db.session.commit()  # one transaction: the consent, the spent link, the audit entry
    except LinkUnusable as exc:
        db.session.rollback()
        return render_template("mailings/unsubscribe.html", link=None, done=None,
                               problem=exc.reason), (410 if exc.reason == "used" else 404)
    return render_template("mailings/unsubscribe.html", link=None, done=done)
