"""Account services: users, sign-in, password reset, invitations and claiming a profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.alumni.models import Alumnus, Institution
from app.auth.models import AccountToken, User
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.core.mail import queue_email, render_email
from app.core.permissions import ADMIN, ALUMNUS, ROLES, STAFF_WRITE, in_scope
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.extensions import db

MIN_PASSWORD_LENGTH = 10
# Alumni get their account by claiming an invitation (claim_profile), which ties it to their
# record; an account made apart from a record would belong to no alumnus.
STAFF_ROLES = tuple(role for role in ROLES if role != ALUMNUS)


class TokenProblem(Exception):
    """A one-time link that cannot be used; `reason` is unknown, used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: the id carries the password version, so old sessions end."""
    ident, _, version = user_id.partition(".")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or str(user.auth_version) != version:
        return None
    return user


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {field: f"Use at least {MIN_PASSWORD_LENGTH} characters."}
        )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    if user.password_needs_rehash():
        version = user.auth_version
        user.set_password(password)
        user.auth_version = version  # a rehash is not a password change
    user.last_login_at = utcnow()
    return user


def create_user(
    email: str,
    role: str,
    password: str | None,
    *,
    institution: Institution | None,
    full_name: str = "",
    actor: Any = None,
) -> User:
    """Create a staff account (the CLI passes actor=None: the operator)."""
    if actor is not None and actor.role != ADMIN:
        raise PermissionDenied("Only administrators create accounts.")
    email = normalise_email(email)
    errors: dict[str, str] = {}
    if role == ALUMNUS:
        errors["role"] = ("Alumni get their account by claiming their profile from an "
                          "invitation: invite them from their record in the register.")
    elif role not in ROLES:
        errors["role"] = f"Choose one of: {', '.join(STAFF_ROLES)}."
    if role != ADMIN and institution is None:
        errors["institution"] = ("Choose their institution: officers and quality staff "
                                 "belong to an institution.")
    if "@" not in email:
        errors["email"] = "Enter an e-mail address."
    elif find_user_by_email(email) is not None:
        errors["email"] = "An account with this e-mail already exists."
    if errors:
        raise ValidationFailed(errors)
    if password is not None:
        check_password_rules(password)
    user = User(
        email=email,
        role=role,
        full_name=full_name,
        institution_id=institution.id if institution else None,
    )
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user.create", user, institution_id=user.institution_id,
                 after={"email": email, "role": role})
    return user


def set_user_active(user: User, active: bool, *, actor: Any) -> User:
    """Deactivate or reactivate an account (administrators)."""
    if actor.role != ADMIN:
        raise PermissionDenied("Only administrators change accounts.")
    if user.id == actor.id and not active:
        raise ValidationFailed({"active": "You cannot deactivate your own account."})
    before = {"active": user.active}
    user.active = active
    user.auth_version += 1  # end the user's sessions
    record_audit(actor, "user.active" if active else "user.deactivate", user,
                 before=before, after={"active": active})
    return user


def _issue_token(purpose: str, email: str, hours: int, **links: Any) -> tuple[AccountToken, str]:
    raw, digest = new_token()
    token = AccountToken(
        purpose=purpose,
        token_hash=digest,
        email=email,
        expires_at=utcnow() + timedelta(hours=hours),
        **links,
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def find_token(raw: str, purpose: str) -> AccountToken:
    """The usable token behind a link, or TokenProblem(unknown | used | expired)."""
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(raw or ""), AccountToken.purpose == purpose
        )
    )
    if token is None:
        raise TokenProblem("unknown")
    if token.used_at is not None:
        raise TokenProblem("used")
    if token.expired:
        raise TokenProblem("expired")
    return token


def request_password_reset(email: str) -> None:
    """E-mail a reset link if an active account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        current_app.logger.info("Password reset asked for unknown e-mail")
        return
    hours = current_app.config["PASSWORD_RESET_TTL_HOURS"]
    token, raw = _issue_token("reset", user.email, hours, user_id=user.id)
    queue_email(
        render_email(
            "password_reset",
            to=user.email,
            subject="Reset your Alumnet password",
            user=user,
            link=external_url("auth.reset_password", token=raw),
            hours=hours,
        ),
        tell=False,  # the page says nothing about whether the account exists
    )
    record_audit(user, "user.reset_requested", user)


def reset_password(raw: str, password: str) -> User:
    """Set a new password from a reset link; the link is then spent."""
    token = find_token(raw, "reset")
    check_password_rules(password)
    token.used_at = utcnow()
    user = token.user
    user.set_password(password)
    record_audit(user, "user.password_reset", user)
    return user


def change_password(user: User, current: str, new: str) -> User:
    """A signed-in user changes their password."""
    if not user.check_password(current):
        raise ValidationFailed({"current_password": "That is not your current password."})
    check_password_rules(new, "new_password")
    user.set_password(new)
    record_audit(user, "user.password_change", user)
    return user


def invite_alumnus(alumnus: Alumnus, *, actor: Any) -> AccountToken:
    """E-mail the alumnus a one-time, expiring link to claim their profile."""
    if actor is None or actor.role not in STAFF_WRITE or not in_scope(alumnus, actor):
        raise PermissionDenied("Only the alumni office of this institution can invite.")
    if alumnus.user_id is not None:
        raise Conflict("This alumnus has already claimed their profile.")
    if alumnus.archived_at is not None or alumnus.status in ("deceased", "opted_out"):
        raise ValidationFailed({"email": "Archived, deceased or opted-out alumni are not invited."})
    if not alumnus.email:
        raise ValidationFailed({"email": "Record an e-mail address before inviting."})
    now = utcnow()
    for old in db.session.scalars(
        select(AccountToken).where(
            AccountToken.alumnus_id == alumnus.id,
            AccountToken.purpose == "invite",
            AccountToken.used_at.is_(None),
        )
    ):
        old.expires_at = now  # a new invitation replaces the old link
    hours = current_app.config["INVITATION_TTL_HOURS"]
    token, raw = _issue_token("invite", alumnus.email, hours, alumnus_id=alumnus.id)
    token.created_by_id = actor.id
    queue_email(
        render_email(
            "invitation",
            to=alumnus.email,
            subject=f"Claim your alumni profile at {alumnus.institution.name}",
            alumnus=alumnus,
            link=external_url("auth.claim", token=raw),
            days=max(1, hours // 24),
        )
    )
    record_audit(actor, "alumnus.invite", alumnus, after={"email": alumnus.email})
    return token


def _alumnus_account(alumnus: Alumnus, email: str, password: str) -> User:
    user = User(
        email=normalise_email(email),
        role=ALUMNUS,
        full_name=alumnus.full_name,
        institution_id=alumnus.institution_id,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    alumnus.user_id = user.id
    return user


def create_demo_alumnus_account(alumnus: Alumnus, email: str, password: str) -> User:
    """The demo data's alumnus login, tied to a record as a claimed invitation would be."""
    return _alumnus_account(alumnus, email, password)


def claim_profile(raw: str, password: str) -> User:
    """Create the alumnus's account from an invitation link and spend the link."""
    token = find_token(raw, "invite")
    check_password_rules(password)
    alumnus = token.alumnus
    if alumnus is None:
        raise NotFound("The record behind this invitation no longer exists.")
    if alumnus.user_id is not None:
        raise Conflict("This profile has already been claimed. Sign in instead.")
    if find_user_by_email(token.email) is not None:
        raise Conflict(
            "An account with this e-mail already exists. Sign in, or ask the alumni office."
        )
    user = _alumnus_account(alumnus, token.email, password)
    token.used_at = utcnow()
    token.user_id = user.id
    record_audit(user, "alumnus.claim", alumnus, after={"user_id": user.id})
    return user
