"""Sign-in, sign-out, password reset, password change and claiming a profile."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp, services
from app.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from app.core.errors import Conflict, NotFound
from app.core.forms import commit_form
from app.core.permissions import ROLES, public, roles_required
from app.extensions import db, limiter


def _login_key() -> str:
    # Throttle per address and per account, so one attacker cannot lock everyone out.
    email = services.normalise_email(request.form.get("email", ""))
    return f"{request.remote_addr}|{email}"


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,
    error_message="Too many failed sign-in attempts.",
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
            login_user(user, remember=form.remember.data)
            flash(f"Welcome, {user.label}.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))
        form.password.errors.append("The e-mail or password is not right.")
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@roles_required(*ROLES)
def logout() -> Response:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "If an account uses that address, a reset link is on its way. "
            "The link works once and expires in "
            f"{current_app.config['PASSWORD_RESET_TTL_HOURS']} hours.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _token_page(reason: str, purpose: str):
    return render_template("auth/token_problem.html", reason=reason, purpose=purpose), 410


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        services.find_token(token, "reset")
    except services.TokenProblem as problem:
        return _token_page(problem.reason, "reset")
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = commit_form(form, lambda: services.reset_password(token, form.password.data))
        if user is not None:
            flash("Your password is changed. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/new_password.html", form=form, title="Choose a new password")


@bp.route("/claim/<token>", methods=["GET", "POST"])
@public
def claim(token: str):
    try:
        invitation = services.find_token(token, "invite")
    except services.TokenProblem as problem:
        return _token_page(problem.reason, "invite")
    if current_user.is_authenticated:
        logout_user()  # a shared computer: the link speaks for its own person
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = commit_form(form, lambda: services.claim_profile(token, form.password.data))
        except (Conflict, NotFound) as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("auth.login"))
        if user is not None:
            login_user(user)
            flash("Your profile is yours. Check your details and your consent choices.", "success")
            return redirect(url_for("alumni.me"))
    return render_template(
        "auth/claim.html", form=form, alumnus=invitation.alumnus, email=invitation.email
    )


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = commit_form(form, lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data))
        if user is not None:
            # the session carries the new password version
            login_user(current_user._get_current_object())
            flash("Your password is changed.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)
