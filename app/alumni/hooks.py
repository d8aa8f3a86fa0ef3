"""What the register adds to core: the institution's language settings for pages and e-mail."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Institution
from app.core.i18n import DEFAULT_LANGUAGE, register_institution_settings
from app.extensions import db


def institution_language_settings(institution_id: int | None) -> tuple[str, bool]:
    """(default language, Buddhist Era on) of an institution; None: the home institution."""
    stmt = select(Institution.default_language, Institution.buddhist_era)
    stmt = (stmt.where(Institution.id == institution_id) if institution_id is not None
            else stmt.where(Institution.is_home.is_(True)))
    # Messages are translated inside services too: never flush their pending work from here.
    with db.session.no_autoflush:
        row = db.session.execute(stmt.limit(1)).first()
    return (row.default_language or DEFAULT_LANGUAGE, bool(row.buddhist_era)) if row else (
        DEFAULT_LANGUAGE, True)


def register() -> None:
    register_institution_settings(institution_language_settings)
