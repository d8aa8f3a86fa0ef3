"""Account services: users, sign-in, password reset, invitations and claiming a profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from app.alumni.models import Alumnus, Institution
from app.auth.models import AccountToken, User, spend_password_check
from app.auth.passwords import MIN_PASSWORD_LENGTH, check_password_rules  # noqa: F401 (callers)
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.core.i18n import in_language
from app.core.jobs import enqueue
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import ADMIN, ALUMNUS, QUALITY, ROLES, STAFF_WRITE, in_scope
from app.core.tokens import find_by_token, new_token
from app.core.urls import external_url, request_base_url
from app.extensions import db

# Alumni get their account by claiming an invitation (claim_profile), which ties it to their
# record; an account made apart from a record would belong to no alumnus.
STAFF_ROLES = tuple(role for role in ROLES if role != ALUMNUS)


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


def personal_words(user: User | None = None, *values: str | None) -> list[str | None]:
    """What a person's password may not be built from: their names and e-mail address."""
    words: list[str | None] = list(values)
    if user is not None:
        words += [user.email, user.full_name]
        alumnus = user.alumnus
        if alumnus is not None:
            words += [alumnus.given_name, alumnus.family_name, alumnus.preferred_name,
                      alumnus.email]
    return words


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, or None.

    An unknown, inactive or password-less account costs the same hashing work as a wrong
    password, so the time of the answer does not tell which addresses have accounts."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.password_hash:
        spend_password_check(password)
        return None
    if not user.check_password(password):
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
        errors["role"] = gettext("Alumni get their account by claiming their profile from an "
                                 "invitation: invite them from their record in the register.")
    elif role not in ROLES:
        errors["role"] = gettext("Choose one of: %(choices)s.", choices=", ".join(STAFF_ROLES))
    if role != ADMIN and institution is None:
        errors["institution"] = gettext("Choose their institution: officers and quality staff "
                                        "belong to an institution.")
    if "@" not in email:
        errors["email"] = gettext("Enter an e-mail address.")
    elif find_user_by_email(email) is not None:
        errors["email"] = gettext("An account with this e-mail already exists.")
    if errors:
        raise ValidationFailed(errors)
    if password is not None:
        check_password_rules(password, personal=[email, full_name])
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
        raise ValidationFailed({"active": gettext("You cannot deactivate your own account.")})
    before = {"active": user.active}
    user.active = active
    user.auth_version += 1  # end the user's sessions
    if not active:
        expire_account_links(user)
    record_audit(actor, "user.active" if active else "user.deactivate", user,
                 before=before, after={"active": active})
    return user


def set_contact_details_granted(user: User, granted: bool, *, actor: Any) -> User:
    """An administrator lets a quality staff member see alumni's e-mail, phone and birth date
    on the register, record pages and exports, or takes it back; audited."""
    if actor is None or actor.role != ADMIN:
        raise PermissionDenied("Only administrators grant access to contact details.")
    if user.role != QUALITY:
        raise ValidationFailed({"contact_details_granted": gettext(
            "Only quality staff need a grant: officers and administrators see contact details, "
            "alumni see their own.")})
    before = {"contact_details_granted": user.contact_details_granted}
    user.contact_details_granted = granted
    record_audit(actor, "user.contact_details_grant" if granted
                 else "user.contact_details_withdraw", user, institution_id=user.institution_id,
                 before=before, after={"contact_details_granted": granted})
    return user


def end_user_sessions(user: User, *, actor: Any) -> User:
    """End every session of the account, on every device: signing out, or an administrator's
    "Sign out everywhere" (a raised session generation voids every cookie issued before)."""
    if actor is None or (actor.id != user.id and actor.role != ADMIN):
        raise PermissionDenied("Only administrators sign other people out.")
    user.auth_version = (user.auth_version or 0) + 1
    if actor.id != user.id:
        record_audit(actor, "user.sign_out_everywhere", user, institution_id=user.institution_id)
    return user


def expire_account_links(user: User, *, keep: AccountToken | None = None) -> int:
    """Spend every unused password link of the account (resets, staff invitations) but `keep`:
    a password set by any way makes the older links useless. Returns how many it spent."""
    now = utcnow()
    spent = 0
    for token in db.session.scalars(select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose.in_(("reset", "staff")),
            AccountToken.used_at.is_(None))):
        if keep is not None and token.id == keep.id:
            continue
        token.used_at = now
        spent += 1
    return spent


def set_new_password(user: User, password: str, field: str = "password") -> User:
    """Check and set a password; every session and every older password link of the account
    end with the old password."""
    check_password_rules(password, field, personal=personal_words(user))
    user.set_password(password)
    expire_account_links(user)
    return user


def issue_account_token(purpose: str, email: str, hours: int,
                        **links: Any) -> tuple[AccountToken, str]:
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
    """The usable token behind a link, or LinkUnusable(unknown | used | expired)."""
    return find_by_token(AccountToken, raw, where=[AccountToken.purpose == purpose],
                         spent=lambda t: t.used_at is not None, expired=lambda t: t.expired)


def request_password_reset(email: str) -> None:
    """Hand the request to a background job, the same for every address: the answer then takes
    the same time whether or not the address has an account (the job looks it up)."""
    enqueue("password_reset", "app.auth.services:password_reset_job",
            email=normalise_email(email)[:254], base_url=request_base_url())


def password_reset_job(ctx: Any, email: str, base_url: str | None = None) -> dict:
    """The job: e-mail a reset link if an active account uses the address; else nothing."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        current_app.logger.info("Password reset asked for an address with no active account")
        return {"sent": 0}
    hours = current_app.config["PASSWORD_RESET_TTL_HOURS"]
    token, raw = issue_account_token("reset", user.email, hours, user_id=user.id)
    with in_language(user.language, user.institution_id):  # the account's language
        mail = render_email(
            "password_reset",
            to=user.email,
            purpose=TRANSACTIONAL,
            alumnus_id=user.alumnus.id if user.alumnus is not None else None,
            subject=gettext("Reset your Alumnet password"),
            user=user,
            link=external_url("auth.reset_password", token=raw, base_url=base_url),
            hours=hours,
        )
    queue_email(
        mail,
        tell=False,  # the page says nothing about whether the account exists
    )
    record_audit(user, "user.reset_requested", user)
    return {"sent": 1}


def reset_password(raw: str, password: str) -> User:
    """Set a new password from a reset link; the link is then spent."""
    token = find_token(raw, "reset")
    user = token.user
    set_new_password(user, password)
    token.used_at = utcnow()
    record_audit(user, "user.password_reset", user)
    return user


def change_password(user: User, current: str, new: str) -> User:
    """A signed-in user changes their password."""
    if not user.check_password(current):
        raise ValidationFailed({"current_password": gettext("That is not your current password.")})
    set_new_password(user, new, "new_password")
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
    token, raw = issue_account_token("invite", alumnus.email, hours, alumnus_id=alumnus.id)
    token.created_by_id = actor.id
    # No account yet, so no language of its own: the institution's default, carried by the
    # link so the claim page opens in it.
    with in_language(None, alumnus.institution_id) as language:
        mail = render_email(
            "invitation",
            to=alumnus.email,
            purpose=TRANSACTIONAL,  # the way into the person's own profile, not a campaign
            alumnus_id=alumnus.id,
            subject=gettext("Claim your alumni profile at %(institution)s",
                            institution=alumnus.institution.name),
            alumnus=alumnus,
            link=external_url("auth.claim", token=raw, lang=language),
            days=max(1, hours // 24),
        )
    queue_email(mail)
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
    alumnus = token.alumnus
    if alumnus is None:
        raise NotFound(gettext("The record behind this invitation no longer exists."))
    check_password_rules(password, personal=[token.email, alumnus.given_name,
                                             alumnus.family_name, alumnus.preferred_name,
                                             alumnus.email])
    if alumnus.user_id is not None:
        raise Conflict(gettext("This profile has already been claimed. Sign in instead."))
    if find_user_by_email(token.email) is not None:
        raise Conflict(gettext(
            "An account with this e-mail already exists. Sign in, or ask the alumni office."
        ))
    user = _alumnus_account(alumnus, token.email, password)
    token.used_at = utcnow()
    token.user_id = user.id
    record_audit(user, "alumnus.claim", alumnus, after={"user_id": user.id})
    return user
