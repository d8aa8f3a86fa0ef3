"""What the import pages share: the institutions the signed-in staff member may choose."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

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


def institutions() -> list[Institution]:
    """Every institution for an administrator; the staff member's own otherwise."""
    stmt = select(Institution).order_by(Institution.is_home.desc(), Institution.code)
    if current_user.role != ADMIN:
        stmt = stmt.where(Institution.id == current_user.institution_id)
    return list(db.session.scalars(stmt))
