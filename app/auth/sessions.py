"""How long a sign-in lasts.

A session cookie names the account and its session generation (`User.auth_version`, in
`User.get_id`). Signing out, changing the password, an administrator's "Sign out everywhere"
and deactivation raise the generation, so every cookie issued before (session or remember-me)
stops working on every server at once: the check is against the database, not the cookie.

On top of that each session carries when it began and when it was last used: it ends after
SESSION_IDLE_MINUTES_STAFF (staff) or SESSION_IDLE_MINUTES (alumni) without use, and after
SESSION_MAX_HOURS in any case. "Keep me signed in" is for alumni only; staff sign in again.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie

from app.core.permissions import ALUMNUS

# Pages an administrator who must set up two-factor sign-in can still open.
_OPEN_WHILE_ENROLLING = {"auth.two_factor_setup", "auth.logout", "static", "bootstrap.static"}
SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"
_SEEN_EVERY = 60  # seconds: the cookie is rewritten at most once a minute for the idle clock


def _stamp(now: int | None = None) -> None:
    now = int(now if now is not None else time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session.permanent = True  # the cookie carries an expiry (PERMANENT_SESSION_LIFETIME)


def start_session(user, *, remember: bool = False) -> None:
    """Sign the user in on this browser: a fresh session with its clocks started."""
    login_user(user, remember=bool(remember) and user.role == ALUMNUS)
    _stamp()


def idle_limit_seconds(user) -> int:
    config = current_app.config
    minutes = (config["SESSION_IDLE_MINUTES"] if user.role == ALUMNUS
               else config["SESSION_IDLE_MINUTES_STAFF"])
    return int(minutes) * 60


def session_expired(user, now: float | None = None) -> bool:
    """True when this session has gone unused too long, or has lasted its longest."""
    now = time.time() if now is None else now
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(started, int) or not isinstance(seen, int):
        return True  # a cookie from before sessions carried their clocks
    longest = int(current_app.config["SESSION_MAX_HOURS"]) * 3600
    return now - seen > idle_limit_seconds(user) or now - started > longest


def end_session() -> None:
    """Sign out on this browser only (the generation is raised by the service)."""
    logout_user()
    session.pop(SIGNED_IN_AT, None)
    session.pop(SEEN_AT, None)


def _check_session() -> None:
    if request.endpoint in ("static", "bootstrap.static") or not current_user.is_authenticated:
        return
    if session_expired(current_user):
        end_session()
        flash("Your session has ended. Please sign in again.", "info")
        return
    now = int(time.time())
    if now - session[SEEN_AT] >= _SEEN_EVERY:
        session[SEEN_AT] = now


def _require_two_factor_enrolment():
    """An administrator whose institution requires two-factor sign-in and who has not set it
    up yet goes to the set-up page before any other."""
    from app.auth.two_factor import two_factor_required

    if (request.endpoint in _OPEN_WHILE_ENROLLING or not current_user.is_authenticated
            or current_user.two_factor_enabled or not two_factor_required(current_user)):
        return None
    flash(gettext("Your institution requires two-factor sign-in for administrators. Set it up "
                  "to go on."), "warning")
    return redirect(url_for("auth.two_factor_setup"))


def _from_remember_cookie(sender, user=None, **extra) -> None:
    _stamp()  # an alumnus's "keep me signed in" cookie starts a new session


def register(app: Flask) -> None:
    """Check every request's session clocks and the two-factor rule; stamp sessions restored
    from a remember cookie."""
    app.before_request(_check_session)
    app.before_request(_require_two_factor_enrolment)
    user_loaded_from_cookie.connect(_from_remember_cookie, app)
