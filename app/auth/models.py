"""User accounts and one-time account tokens (invitations, password resets)."""

from __future__ import annotations

import contextlib
from datetime import datetime

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, as_utc, utcnow

_HASHERS = {
    "default": PasswordHasher(),  # RFC 9106 low-memory profile
    # Tests only (ARGON2_PROFILE="cheapest"): hashing at full cost would dominate the suite.
    "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST),
}


def _hasher() -> PasswordHasher:
    return _HASHERS[_profile()]


def _profile() -> str:
    return current_app.config.get("ARGON2_PROFILE", "default") if has_app_context() else "default"


_STAND_IN_HASHES: dict[str, str] = {}


def spend_password_check(password: str) -> None:
    """Do the hashing work of checking a password, for a sign-in that found no usable account,
    so that the answer takes as long for an unknown address as for a known one."""
    hasher = _hasher()
    stand_in = _STAND_IN_HASHES.get(_profile())
    if stand_in is None:
        stand_in = _STAND_IN_HASHES.setdefault(_profile(), hasher.hash("no account has this"))
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(stand_in, password or "")


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes, so sessions signed with the old one end.
    auth_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()
    # Two-factor sign-in (staff): the TOTP key once enrolled, and the last time step used, so a
    # code cannot be played twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Quality staff see alumni's e-mail, phone and birth date only when an administrator
    # grants it (officers and administrators always do: `sees_contacts`).
    contact_details_granted: Mapped[bool] = mapped_column(Boolean, default=False,
                                                          server_default=sa_false())
    # The language the user chose from the menu (app.core.i18n.LANGUAGES); None: the browser's
    # or the institution's. E-mail to an alumnus goes out in their account's language.
    language: Mapped[str | None] = mapped_column(String(8))

    institution = relationship("Institution")
    alumnus = relationship("Alumnus", back_populates="user", uselist=False,
                           foreign_keys="Alumnus.user_id")

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher().hash(password)
        self.auth_version = (self.auth_version or 0) + 1

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        try:
            return _hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def password_needs_rehash(self) -> bool:
        return bool(self.password_hash) and _hasher().check_needs_rehash(self.password_hash)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        return f"{self.id}.{self.auth_version}"

    @property
    def label(self) -> str:
        return self.full_name or self.email

    @property
    def two_factor_enabled(self) -> bool:
        return bool(self.totp_secret)


class RecoveryCode(Base):
    """A one-time code to sign in when the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()


class AccountToken(Base):
    """A one-time link: an invitation to claim a profile (invite), a password reset (reset), or
    a staff member's invitation to set their first password (staff)."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), index=True)  # invite | reset | staff
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumnus.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()

    user = relationship("User", foreign_keys=[user_id])
    alumnus = relationship("Alumnus", foreign_keys=[alumnus_id])

    @property
    def expired(self) -> bool:
        return as_utc(self.expires_at) <= utcnow()
