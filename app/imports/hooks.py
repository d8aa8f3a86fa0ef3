"""What the imports feature adds to the others: the registrar alumni import kind, the
merged-away student numbers in the register search, the merge panel on a record's page, and
its own merge handler (duplicate pairs of a merged record are forgotten)."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.lookup import NUMBER_ALIASES
from app.alumni.models import Alumnus, StudentNumberAlias
from app.alumni.services import add_search_matcher
from app.core.panels import add_panel
from app.core.permissions import can_write, in_scope
from app.extensions import db
from app.imports.alumni_kind import ALUMNI_KIND
from app.imports.duplicates import forget_candidates
from app.imports.merge import open_pairs_of, register_merge_handler
from app.imports.models import DuplicateCandidate
from app.imports.pipeline import register_kind


def _alias_matcher(pattern: str):
    """Merged-away student numbers find the survivor in the register search (its ids)."""
    return select(StudentNumberAlias.alumnus_id).where(
        StudentNumberAlias.number_key.like(pattern, escape="\\"))


def _forget_pairs(table, column, survivor_id: int, merged_id: int) -> int:
    forget_candidates(merged_id)
    return 0


def _merge_panel(alumnus: Alumnus, viewer) -> dict | None:
    """On a record's page, for officers: its open duplicate pairs and a way to merge."""
    if not can_write(viewer) or not in_scope(alumnus, viewer):
        return None
    return {"alumnus": alumnus, "pairs": open_pairs_of(alumnus)}


def _aliases(institution_id: int, keys: list[str]) -> dict[str, int]:
    """Merged-away student numbers lead every form that takes a number to the survivor."""
    return dict(db.session.execute(
        select(StudentNumberAlias.number_key, StudentNumberAlias.alumnus_id).where(
            StudentNumberAlias.institution_id == institution_id,
            StudentNumberAlias.number_key.in_(keys))).all())


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    register_kind(ALUMNI_KIND)
    add_search_matcher(_alias_matcher)
    if _aliases not in NUMBER_ALIASES:
        NUMBER_ALIASES.append(_aliases)
    register_merge_handler(DuplicateCandidate.__tablename__, _forget_pairs)
    add_panel("merge", "imports/_merge_panel.html", _merge_panel, where="staff", order=90)
