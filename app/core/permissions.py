"""Who may open a page, and the few helpers every permission and scope check goes through.

Every view is wrapped by `roles_required(...)` or `public`; both leave the allowed roles
on the view (`view.allowed_roles`) so the page-access test can check every route.

Pages fetch by id with `get_scoped_or_404(Model, id)`; queries go through `scope(...)`.
Services check the acting user with one call each, never by hand:

- `require_writer(actor)`: staff who may change records (administrators, officers).
- `require_writer_in_scope(actor, *records, message=...)`: a writer, and every record of the
  actor's institution; another institution's record is answered as missing (NotFound).
- `require_in_scope(actor, *records, message=...)`: the same scope rule for reading.
- `require_own_institution(actor, institution_id, message)`: a new record goes to the
  writer's own institution (administrators: any); PermissionDenied otherwise.
- `require_self(alumnus, actor, message)`: only the alumnus signed in as this record.
- `require_self_or_writer(alumnus, actor, self_message=...)`: the alumnus on their own record,
  or a writer of the record's institution.
- `sees_contacts(user)`: may the staff member see alumni's e-mail, phone and birth date
  (`CONTACT_FIELDS`): officers and administrators, quality staff only with a grant.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select

from app.core.errors import NotFound, PermissionDenied
from app.core.i18n import N_
from app.extensions import db, login_manager

ADMIN = "admin"
OFFICER = "officer"
QUALITY = "quality"
ALUMNUS = "alumnus"
ROLES = (ADMIN, OFFICER, QUALITY, ALUMNUS)
ROLE_LABELS = {  # translated where shown (base.html, the staff invitation e-mail)
    ADMIN: N_("Administrator"),
    OFFICER: N_("Alumni officer"),
    QUALITY: N_("Quality staff"),
    ALUMNUS: N_("Alumnus / alumna"),
}
STAFF_READ = (ADMIN, OFFICER, QUALITY)  # quality staff read everything
STAFF_WRITE = (ADMIN, OFFICER)  # ...and change nothing
PUBLIC = frozenset({"public"})

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def roles_required(*roles: str) -> Callable[[F], F]:
    """Let only signed-in users with one of `roles` in; others get the login page or 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a page as open to everyone (sign-in, password reset, one-time links)."""
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return view


# Least data: what quality staff build evidence without. Officers and administrators see
# these; quality staff only when an administrator grants it on the user's row
# (`User.contact_details_granted`); every page, export and download asks `sees_contacts`.
CONTACT_FIELDS = ("email", "phone", "birth_date")


def sees_contacts(user: Any) -> bool:
    """May this staff member see alumni's e-mail, phone and birth date?"""
    role = getattr(user, "role", None)
    return role in STAFF_WRITE or (
        role == QUALITY and bool(getattr(user, "contact_details_granted", False)))


def can_write(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in STAFF_WRITE


def require_writer(actor: Any) -> None:
    """Services call this: quality staff and alumni may not change staff-owned records."""
    if actor is None or actor.role not in STAFF_WRITE:
        raise PermissionDenied("Your role can read these records but not change them.")


def scope(stmt: Select, model: type, actor: Any) -> Select:
    """Limit a query on an institution-owned model to the actor's institution.

    Administrators serve the whole deployment and see every institution.
    """
    if actor.role == ADMIN:
        return stmt
    return stmt.where(model.institution_id == actor.institution_id)


def in_scope(record: Any, actor: Any) -> bool:
    """Whether the actor may see an institution-owned record (administrators: every one)."""
    return actor.role == ADMIN or record.institution_id == actor.institution_id


def writes_to(actor: Any, institution_id: int | None) -> bool:
    """Whether a new record of this institution may be written by the actor: officers write
    to their own institution only, administrators to any."""
    return actor.role == ADMIN or institution_id == actor.institution_id


def require_in_scope(actor: Any, *records: Any, message: str = "Not found.") -> None:
    """Raise NotFound unless the actor may see every record: a record of another institution
    is answered as missing, so its existence is not revealed."""
    for record in records:
        if not in_scope(record, actor):
            raise NotFound(message)


def require_writer_in_scope(actor: Any, *records: Any, message: str = "Not found.") -> None:
    """Services that change records call this: the actor may write (`require_writer`), and
    every record is of their institution (`require_in_scope`)."""
    require_writer(actor)
    require_in_scope(actor, *records, message=message)


def require_own_institution(actor: Any, institution_id: int | None, message: str) -> None:
    """Services that add a record to an institution call this: the actor may write, to their
    own institution unless an administrator; PermissionDenied(message) otherwise."""
    require_writer(actor)
    if not writes_to(actor, institution_id):
        raise PermissionDenied(message)


def is_self(alumnus: Any, actor: Any) -> bool:
    """Whether the actor is the alumnus signed in as this record."""
    return (actor is not None and getattr(actor, "role", None) == ALUMNUS
            and alumnus.user_id is not None and alumnus.user_id == actor.id)


def require_self(alumnus: Any, actor: Any, message: str) -> None:
    """Self-service: only the alumnus whose record this is; PermissionDenied(message) for
    anyone else, staff included."""
    if not is_self(alumnus, actor):
        raise PermissionDenied(message)


def require_self_or_writer(alumnus: Any, actor: Any, *, self_message: str,
                           message: str = "No such alumnus.") -> None:
    """An alumnus acts on their own record only (PermissionDenied(self_message) for another's);
    staff must be writers of the record's institution (NotFound(message) for another's)."""
    if actor is not None and actor.role == ALUMNUS:
        if alumnus.user_id != actor.id:
            raise PermissionDenied(self_message)
        return
    require_writer_in_scope(actor, alumnus, message=message)


def get_scoped(model: type, ident: Any, actor: Any) -> Any:
    """Fetch one institution-owned record the actor may see, or raise NotFound."""
    record = db.session.get(model, ident)
    if record is None or not in_scope(record, actor):
        raise NotFound(f"{model.__name__} {ident} not found")
    return record


def get_scoped_or_404(model: type, ident: Any) -> Any:
    """Route helper: like `get_scoped` for the signed-in user, answering 404 otherwise."""
    try:
        return get_scoped(model, ident, current_user)
    except NotFound:
        abort(404)


def found_or_404(lookup: Callable[..., T], *args: Any) -> T:
    """Route helper: what `lookup(*args)` finds (a service look-up), answering 404 where it
    raises NotFound."""
    try:
        return lookup(*args)
    except NotFound:
        abort(404)
