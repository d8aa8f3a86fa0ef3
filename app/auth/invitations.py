"""Staff accounts start with an invitation: an administrator creates the account with no
password, and the person chooses their own from a one-time e-mailed link."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from app.alumni.models import Institution
from app.auth.models import AccountToken, User
from app.auth.services import create_user, find_token, issue_account_token, set_new_password
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import Conflict, PermissionDenied
from app.core.i18n import in_language
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import ADMIN, ROLE_LABELS
from app.core.urls import external_url
from app.extensions import db


def _require_admin(actor: Any) -> None:
    if actor is None or actor.role != ADMIN:
        raise PermissionDenied("Only administrators invite staff.")


def send_staff_invitation(user: User, *, actor: Any) -> AccountToken:
    """E-mail the person a one-time link to choose their password; older links stop working."""
    _require_admin(actor)
    if user.password_hash:
        raise Conflict(gettext("%(email)s has already chosen a password; they can sign in, or "
                               "ask for a reset link from the sign-in page.", email=user.email))
    now = utcnow()
    for old in db.session.scalars(select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == "staff",
            AccountToken.used_at.is_(None))):
        old.used_at = now  # a new invitation replaces the old link
    hours = current_app.config["INVITATION_TTL_HOURS"]
    token, raw = issue_account_token("staff", user.email, hours, user_id=user.id)
    token.created_by_id = actor.id
    # The staff member's language when one is set, else their institution's default (the
    # home institution's for an administrator); the link opens the password page in it.
    with in_language(user.language, user.institution_id) as language:
        queue_email(render_email(
            "staff_invitation", to=user.email, purpose=TRANSACTIONAL,
            subject=gettext("Your Alumnet account: choose a password"),
            user=user, role=gettext(ROLE_LABELS.get(user.role, user.role)),
            inviter=actor.label, institution=user.institution,
            link=external_url("auth.welcome", token=raw, lang=language),
            days=max(1, hours // 24)))
    record_audit(actor, "user.invite", user, institution_id=user.institution_id,
                 after={"email": user.email})
    return token


def invite_staff(email: str, role: str, *, institution: Institution | None, full_name: str,
                 actor: Any) -> User:
    """Create a staff account without a password and e-mail the invitation to set one."""
    _require_admin(actor)
    user = create_user(email, role, None, institution=institution, full_name=full_name,
                       actor=actor)
    send_staff_invitation(user, actor=actor)
    return user


def accept_staff_invitation(raw: str, password: str) -> User:
    """Set the invited person's first password from their link, and spend the link."""
    token = find_token(raw, "staff")
    user = token.user
    if user is None or not user.active:
        raise Conflict(gettext("This account is no longer active. Ask your administrator."))
    set_new_password(user, password)
    token.used_at = utcnow()
    record_audit(user, "user.invitation_accepted", user, institution_id=user.institution_id)
    return user
