"""Sign-in, sign-out, password reset, password change, claiming a profile and a staff
member's first password. Two-factor pages are in `two_factor_routes`."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import bp, invitations, services
from app.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from app.auth.sessions import end_session, start_session
from app.core.errors import Conflict, NotFound
from app.core.forms import commit_form
from app.core.permissions import ROLES, public, roles_required
from app.core.throttle import token_link_limit
from app.core.tokens import LinkUnusable
from app.core.urls import safe_next
from app.extensions import db, limiter

PENDING_SECOND_FACTOR = "_second_factor"  # the session key of a sign-in waiting for its code


def _login_key() -> str:
    # Throttle per address and per account, so one attacker cannot lock everyone out.
    email = services.normalise_email(request.form.get("email", ""))
    return f"{request.remote_addr}|{email}"


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/auth/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=_failed,
    error_message=lambda: gettext("Too many failed sign-in attempts."),
)
@limiter.limit(  # one address trying many accounts (password spraying)
    lambda: current_app.config["LOGIN_ADDRESS_FAILURE_LIMIT"],
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_failed,
    error_message=lambda: gettext("Too many failed sign-in attempts from your address."),
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            target = safe_next(request.args.get("next"))
            if user.two_factor_enabled:
                session[PENDING_SECOND_FACTOR] = {
                    "user": user.get_id(), "at": int(time.time()),
                    "remember": bool(form.remember.data), "next": target}
                return redirect(url_for("auth.second_factor"))
            start_session(user, remember=form.remember.data)
            flash(gettext("Welcome, %(name)s.", name=user.label), "success")
            return redirect(target or url_for("main.index"))
        form.password.errors.append(gettext("The e-mail or password is not right."))
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.route("/auth/logout", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    services.end_user_sessions(current_user, actor=current_user)
    db.session.commit()
    end_session()
    flash(gettext("You are signed out, on this device and every other."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/auth/reset", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"],
               error_message=lambda: gettext("Too many reset links were asked for from your "
                                             "address."))
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        hours = current_app.config["PASSWORD_RESET_TTL_HOURS"]
        flash(ngettext("If an account uses that address, a reset link is on its way. The link "
                       "works once and expires in %(num)d hour.",
                       "If an account uses that address, a reset link is on its way. The link "
                       "works once and expires in %(num)d hours.", hours), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _token_page(reason: str, purpose: str):
    return render_template("auth/token_problem.html", reason=reason, purpose=purpose), 410


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def reset_password(token: str):
    try:
        services.find_token(token, "reset")
    except LinkUnusable as problem:
        return _token_page(problem.reason, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = commit_form(form, lambda: services.reset_password(token, form.password.data))
        if user is not None:
            flash(gettext("Your password is changed. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/new_password.html", form=form,
                           title=gettext("Choose a new password"))


@bp.route("/auth/welcome/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def welcome(token: str):
    """A new staff member chooses their first password from the invitation link."""
    try:
        invitation = services.find_token(token, "staff")
    except LinkUnusable as problem:
        return _token_page(problem.reason, "staff")
    if current_user.is_authenticated:
        end_session()  # a shared computer: the link speaks for its own person
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = commit_form(form, lambda: invitations.accept_staff_invitation(
                token, form.password.data))
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("auth.login"))
        if user is not None:
            flash(gettext("Your password is set. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/welcome.html", form=form, user=invitation.user)


@bp.route("/auth/claim/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def claim(token: str):
    try:
        invitation = services.find_token(token, "invite")
    except LinkUnusable as problem:
        return _token_page(problem.reason, "invite")
    if current_user.is_authenticated:
        end_session()  # a shared computer: the link speaks for its own person
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = commit_form(form, lambda: services.claim_profile(token, form.password.data))
        except (Conflict, NotFound) as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("auth.login"))
        if user is not None:
            start_session(user)
            flash(gettext("Your profile is yours. Check your details and your consent choices."),
                  "success")
            return redirect(url_for("alumni.me"))
    return render_template(
        "auth/claim.html", form=form, alumnus=invitation.alumnus, email=invitation.email
    )


@bp.route("/auth/password", methods=["GET", "POST"])
@roles_required(*ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = commit_form(form, lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data))
        if user is not None:
            # the session carries the new generation; every other session has ended
            start_session(current_user._get_current_object())
            flash(gettext("Your password is changed. Your other sessions are signed out."),
                  "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


# Their pages attach to this blueprint.
from app.auth import alumnus_routes, language, two_factor_routes  # noqa: E402,F401
