"""Two-factor pages: the code asked for at sign-in, and a staff member's own set-up page."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from app.auth import bp, two_factor
from app.auth.forms import SecondFactorForm, TwoFactorEnrolForm, TwoFactorOffForm
from app.auth.routes import PENDING_SECOND_FACTOR
from app.auth.services import load_user
from app.auth.sessions import start_session
from app.core.forms import commit_form
from app.core.permissions import STAFF_READ, public, roles_required
from app.extensions import db, limiter

PENDING_SECRET = "_totp_enrolment"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


def _pending_user():
    pending = session.get(PENDING_SECOND_FACTOR)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = load_user(str(pending.get("user", "")))
    return (user, pending) if user is not None and user.active else (None, None)


def _pending_key() -> str:
    pending = session.get(PENDING_SECOND_FACTOR)
    user = pending.get("user", "") if isinstance(pending, dict) else ""
    return f"second-factor|{str(user).partition('.')[0]}"


@bp.route("/auth/second-factor", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    key_func=_pending_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,
    error_message=lambda: gettext("Too many wrong codes."),
)
def second_factor():
    """After the password: the code from the authenticator app, or a recovery code."""
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING_SECOND_FACTOR, None)
        flash(gettext("Sign in again: the code must follow the password within five minutes."),
              "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        used = two_factor.check_second_factor(user, form.code.data)
        if used is not None:
            db.session.commit()
            session.pop(PENDING_SECOND_FACTOR, None)
            start_session(user, remember=pending.get("remember", False))
            left = two_factor.recovery_codes_left(user)
            if used == "recovery code":
                flash(ngettext("Signed in with a recovery code; %(num)s left. Make new ones on "
                               "your two-factor page if you are running low.",
                               "Signed in with a recovery code; %(num)s left. Make new ones on "
                               "your two-factor page if you are running low.", left),
                      "warning")
            else:
                flash(gettext("Welcome, %(name)s.", name=user.label), "success")
            return redirect(pending.get("next") or url_for("main.index"))
        db.session.commit()
        form.code.errors.append(gettext(
            "That code is not right, or was used already. Enter the code your app shows now, "
            "or one of your recovery codes."))
        status = 401
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/auth/two-factor", methods=["GET", "POST"])
@roles_required(*STAFF_READ)
def two_factor_setup():
    """Switch two-factor sign-in on (scan the QR code or type the key, enter a code), make new
    recovery codes, or switch it off."""
    user = current_user._get_current_object()
    required = two_factor.two_factor_required(user)
    if user.two_factor_enabled:
        off_form = TwoFactorOffForm(prefix="off")
        if request.method == "POST" and request.form.get("action") == "codes":
            codes = two_factor.new_recovery_codes(user)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, new=False)
        if off_form.validate_on_submit() and commit_form(off_form, lambda: (
                two_factor.disable_two_factor(user, off_form.password.data, actor=user))):
            start_session(user)  # the switch ended every session, this one included
            flash(gettext("Two-factor sign-in is off."), "info")
            return redirect(url_for("auth.two_factor_setup"))
        return render_template("auth/two_factor.html", enabled=True, off_form=off_form,
                               required=required, left=two_factor.recovery_codes_left(user))
    secret = session.get(PENDING_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[PENDING_SECRET] = two_factor.new_secret()
    form = TwoFactorEnrolForm()
    if form.validate_on_submit():
        codes = commit_form(form, lambda: two_factor.enable_two_factor(user, secret,
                                                                        form.code.data))
        if codes:
            session.pop(PENDING_SECRET, None)
            return render_template("auth/recovery_codes.html", codes=codes, new=True)
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("auth/two_factor.html", enabled=False, form=form, required=required,
                           qr=two_factor.qr_data_uri(uri), key=two_factor.grouped(secret))

