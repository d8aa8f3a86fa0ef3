"""Pages that act on an alumnus's account from the register's addresses: an officer's
invitation to claim a profile (/alumni/<id>/invite), the alumnus's own contact details with the
verified change of the sign-in address (/me/contact), and the link that confirms the change
(/email/confirm/<token>). They live in auth because accounts sit above the register: alumni
imports nothing of auth."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app.alumni import services as register
from app.alumni.forms import ContactForm
from app.alumni.pages import alumnus_or_404, own_alumnus_or_404
from app.auth import bp, email_change
from app.auth.services import invite_alumnus
from app.core.errors import Conflict
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.permissions import ALUMNUS, STAFF_WRITE, public, roles_required
from app.core.tokens import LinkUnusable
from app.extensions import db


@bp.app_template_global("pending_email_change")
def pending_email_change(alumnus):
    """The e-mail change waiting on an alumnus (shown on the register's record and on the
    alumnus's own page), or None."""
    return email_change.pending_email_change(alumnus) if alumnus is not None else None


@bp.route("/alumni/<int:alumnus_id>/invite", methods=["POST"])
@roles_required(*STAFF_WRITE)
def invite(alumnus_id: int):
    alumnus = alumnus_or_404(alumnus_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: invite_alumnus(alumnus, actor=current_user)) is not None:
        flash(f"Invitation sent to {alumnus.email}.", "success")
    return redirect(url_for("alumni.detail", alumnus_id=alumnus.id))


@bp.route("/me/contact", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def me_contact():
    alumnus = own_alumnus_or_404()
    form = ContactForm(obj=alumnus)
    if request.method == "GET":
        form.version.data = alumnus.version
    if form.validate_on_submit():
        # The e-mail is not saved with the rest: a change goes through a confirmation link.
        data = register.AlumnusData(
            preferred_name=form.preferred_name.data, email=alumnus.email,
            phone=form.phone.data, country=form.country.data, city=form.city.data,
        )
        new_email = (form.email.data or "").strip()
        change = []

        def save():
            register.update_own_contact(alumnus, data, expected_version=form.version.data or None,
                                        actor=current_user)
            # An empty field keeps the address: it is how the alumnus signs in.
            if new_email and new_email.lower() != (alumnus.email or "").lower():
                change.append(email_change.request_email_change(alumnus, new_email,
                                                                actor=current_user))
            return alumnus

        try:
            saved = commit_form(form, save)
        except Conflict as exc:
            db.session.rollback()
            db.session.expire_all()
            alumnus = own_alumnus_or_404()
            form = ContactForm(formdata=None, obj=alumnus)
            form.version.data = alumnus.version
            return render_template("alumni/me_contact.html", form=form, alumnus=alumnus,
                                   conflict=exc.message), 409
        if saved is not None:
            flash(gettext("Your details are saved."), "success")
            if change and change[0] is not None:
                flash(gettext("We sent a link to %(new)s: your e-mail changes when you open it. "
                              "Until then you sign in with %(current)s.",
                              new=change[0].email, current=current_user.email), "info")
            return redirect(url_for("alumni.me"))
    return render_template("alumni/me_contact.html", form=form, alumnus=alumnus,
                           pending=email_change.pending_email_change(alumnus))


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@public
def confirm_email(token: str):
    """The link e-mailed to a new address: opening it (and pressing the button, so a mail
    scanner fetching the link changes nothing) moves the sign-in and contact address."""
    try:
        change = email_change.find_email_change(token)
    except LinkUnusable as problem:
        return render_template("alumni/confirm_email.html", problem=problem.reason), 410
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            alumnus = email_change.confirm_email_change(token)
            db.session.commit()
        except (Conflict, LinkUnusable) as exc:
            db.session.rollback()
            return render_template("alumni/confirm_email.html", problem="conflict",
                                   message=str(getattr(exc, "message", exc))), 409
        flash(gettext("Your e-mail is now %(email)s. Sign in with it from now on.",
                      email=alumnus.email), "success")
        if current_user.is_authenticated and current_user.id == alumnus.user_id:
            return redirect(url_for("alumni.me"))
        return redirect(url_for("auth.login"))
    return render_template("alumni/confirm_email.html", change=change, form=form)
