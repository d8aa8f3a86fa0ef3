"""What the register adds to core: the institution's language settings for pages and e-mail."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Institution
from app.core.i18n import DEFAULT_LANGUAGE, register_institution_settings
from app.extensions import db


def institution_language_settings(institution_id: int | None) -> tuple[str, bool]:
    """(default language, Buddhist Era on) of an institution; None: the home institution.
    An institution by id is read through the session's identity map: a page that shows the
    institution too (a record's code, a report's name) reads it once, whichever asks first."""
    # Messages are translated inside services too: never flush their pending work from here.
    with db.session.no_autoflush:
        if institution_id is not None:
            row = db.session.get(Institution, institution_id)
        else:
            row = db.session.execute(
                select(Institution.default_language, Institution.buddhist_era)
                .where(Institution.is_home.is_(True)).limit(1)).first()
    return (row.default_language or DEFAULT_LANGUAGE, bool(row.buddhist_era)) if row else (
        DEFAULT_LANGUAGE, True)


def register() -> None:
    register_institution_settings(institution_language_settings)
