"""What the import pages share: the institutions the signed-in staff member may choose."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import Institution
from app.core.permissions import ADMIN
from app.extensions import db


def institutions() -> list[Institution]:
    """Every institution for an administrator; the staff member's own otherwise."""
    stmt = select(Institution).order_by(Institution.is_home.desc(), Institution.code)
    if current_user.role != ADMIN:
        stmt = stmt.where(Institution.id == current_user.institution_id)
    return list(db.session.scalars(stmt))
