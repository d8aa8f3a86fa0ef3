"""What the import pages share: the institutions the signed-in staff member may choose."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from app.alumni.lookup import NUMBER_ALIASES
from app.alumni.models import Alumnus, Institution
from app.alumni.services import SEARCH_MATCHERS
from app.core.permissions import ADMIN
from app.extensions import db
from app.imports.models import StudentNumberAlias


def _alias_matcher(pattern: str):
    """Merged-away student numbers find the survivor in the register search."""
    return Alumnus.id.in_(select(StudentNumberAlias.alumnus_id).where(
        StudentNumberAlias.number_key.like(pattern, escape="\\")))


if _alias_matcher not in SEARCH_MATCHERS:
    SEARCH_MATCHERS.append(_alias_matcher)


def _aliases(institution_id: int, keys: list[str]) -> dict[str, int]:
    """Merged-away student numbers lead every form that takes a number to the survivor."""
    return dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id).where(
            StudentNumberAlias.institution_id == institution_id,
            StudentNumberAlias.number_key.in_(keys))).all())


if _aliases not in NUMBER_ALIASES:
    NUMBER_ALIASES.append(_aliases)


def institutions() -> list[Institution]:
    """Every institution for an administrator; the staff member's own otherwise."""
    stmt = select(Institution).order_by(Institution.is_home.desc(), Institution.code)
    if current_user.role != ADMIN:
        stmt = stmt.where(Institution.id == current_user.institution_id)
    return list(db.session.scalars(stmt))
