"""Who the directory lists, what it shows of each, and each listed person's choices.

Listed = of the viewer's institution, chose to be listed (`Alumnus.directory_visible`) with
directory consent in force now (the latest directory consent record grants it, so a consent
withdrawn by any path, such as an unsubscribe link, hides the person at once), not deceased or
opted out, not archived, and with a directory profile (made when they opt in). A merged-away
record no longer exists; its profile is dropped or moved to the survivor with a new token.
A filter on a field matches only people who show that field, so a search cannot reveal a
hidden value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from app.alumni.models import Alumnus, Consent, Programme
from app.alumni.services import own_alumnus
from app.alumni.text import fold
from app.core.audit import record_audit
from app.core.db import contains_pattern
from app.core.errors import NotFound, PermissionDenied
from app.core.i18n import collated
from app.core.permissions import ALUMNUS, require_self
from app.directory.models import DIRECTORY_FIELDS, DirectoryProfile
from app.employment.services import ISIC_SECTIONS, current_employers
from app.extensions import db

HIDDEN_STATUSES = ("deceased", "opted_out")
PAGE_SIZE = 30


@dataclass
class DirectoryFilters:
    name: str = ""
    programme_id: int | None = None
    cohort_year: int | None = None
    city: str = ""
    industry: str = ""


@dataclass
class DirectoryEntry:
    token: str
    name: str
    shown: dict[str, str] = field(default_factory=dict)  # field -> value as people read it


@cache
def _later_consent():
    """An alias made once, at first use (one made per call costs milliseconds)."""
    return aliased(Consent, name="directory_consent_later")


def _directory_consent_in_force():
    """SQL: the alumnus's latest directory consent record grants it (as consent_in_force)."""
    later = _later_consent()
    return exists().where(
        Consent.alumnus_id == Alumnus.id, Consent.purpose == "directory",
        Consent.granted.is_(True),
        ~exists().where(later.alumnus_id == Consent.alumnus_id, later.purpose == "directory",
                        or_(later.recorded_at > Consent.recorded_at,
                            and_(later.recorded_at == Consent.recorded_at,
                                 later.id > Consent.id))))


def listed_conditions(institution_id: int) -> list[Any]:
    """The one definition of who is listed (see the module's docstring)."""
    return [Alumnus.institution_id == institution_id,
            Alumnus.directory_visible.is_(True),
            Alumnus.status.not_in(HIDDEN_STATUSES),
            Alumnus.archived_at.is_(None),
            DirectoryProfile.alumnus_id == Alumnus.id,
            _directory_consent_in_force()]


def _viewer(actor: Any) -> Alumnus:
    """The signed-in alumnus looking; staff have the register and do not use the directory."""
    if getattr(actor, "role", None) != ALUMNUS:
        raise PermissionDenied(gettext("The directory is for alumni."))
    return own_alumnus(actor)


def _filtered(stmt, filters: DirectoryFilters):
    for word in fold(filters.name).split():
        stmt = stmt.where(DirectoryProfile.name_text.like(contains_pattern(word), escape="\\"))
    if filters.programme_id:
        stmt = stmt.where(DirectoryProfile.show_programme.is_(True),
                          Alumnus.programme_id == filters.programme_id)
    if filters.cohort_year:
        stmt = stmt.where(DirectoryProfile.show_cohort.is_(True),
                          Alumnus.cohort_year == filters.cohort_year)
    if filters.city.strip():
        stmt = stmt.where(DirectoryProfile.show_city.is_(True),
                          func.lower(Alumnus.city).like(
                              contains_pattern(filters.city.strip().lower()), escape="\\"))
    if filters.industry:
        jobs = current_employers().subquery()
        stmt = stmt.where(DirectoryProfile.show_industry.is_(True),
                          exists().where(jobs.c.alumnus_id == Alumnus.id,
                                         jobs.c.industry == filters.industry))
    return stmt


def _entries(rows: list[tuple[Alumnus, DirectoryProfile]]) -> list[DirectoryEntry]:
    """What each person shows: their chosen fields only, read in two queries for the page."""
    ids = [a.id for a, p in rows if p.show_employer or p.show_industry]
    jobs: dict[int, list[tuple[str, str | None]]] = {}
    if ids:
        q = current_employers()
        q = q.where(q.selected_columns.alumnus_id.in_(ids))
        for alumnus_id, employer, industry in db.session.execute(q):
            jobs.setdefault(alumnus_id, []).append((employer, industry))
    programmes = {p.id: p for p in db.session.scalars(select(Programme).where(
        Programme.id.in_({a.programme_id for a, p in rows if a.programme_id})))}
    out = []
    for alumnus, profile in rows:
        shown: dict[str, str] = {}
        programme = programmes.get(alumnus.programme_id)
        held = jobs.get(alumnus.id, [])
        values = {
            "programme": programme.name if programme else None,
            "cohort": str(alumnus.cohort_year) if alumnus.cohort_year else None,
            "employer": ", ".join(sorted({e for e, _ in held})) or None,
            "industry": ", ".join(sorted({gettext(ISIC_SECTIONS.get(i, i)) for _, i in held
                                          if i}))
            or None,
            "city": alumnus.city,
            "email": alumnus.email,
        }
        for name in DIRECTORY_FIELDS:
            if profile.shows(name) and values[name]:
                shown[name] = values[name]
        out.append(DirectoryEntry(profile.token, alumnus.display_name, shown))
    return out


def search_directory(filters: DirectoryFilters, page: int = 1, *, actor: Any
                     ) -> tuple[list[DirectoryEntry], int]:
    """One page of the listed alumni the filters match (never the viewer), and how many."""
    viewer = _viewer(actor)
    base = _filtered(select(Alumnus, DirectoryProfile)
                     .where(*listed_conditions(viewer.institution_id), Alumnus.id != viewer.id),
                     filters)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        base.order_by(collated(func.coalesce(Alumnus.preferred_name, Alumnus.given_name)),
                      collated(Alumnus.family_name), DirectoryProfile.id)
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).all()
    return _entries(rows), total


def directory_entry(token: str, *, actor: Any) -> DirectoryEntry:
    """A listed person's page by its token; anyone not listed now is not found."""
    viewer = _viewer(actor)
    row = db.session.execute(
        select(Alumnus, DirectoryProfile)
        .where(*listed_conditions(viewer.institution_id), DirectoryProfile.token == token)
    ).first()
    if row is None:
        raise NotFound(gettext("No one in the directory has this address."))
    return _entries([row])[0]


def filter_choices(*, actor: Any) -> dict[str, list[tuple[Any, str]]]:
    """The programmes, cohorts and industries a search may pick: those listed people show."""
    viewer = _viewer(actor)
    listed = select(Alumnus.id).where(*listed_conditions(viewer.institution_id))
    programmes = db.session.execute(
        select(Programme.id, Programme.name).where(Programme.id.in_(
            listed.where(DirectoryProfile.show_programme.is_(True))
            .with_only_columns(Alumnus.programme_id))).order_by(Programme.name)).all()
    cohorts = db.session.scalars(
        listed.where(DirectoryProfile.show_cohort.is_(True), Alumnus.cohort_year.is_not(None))
        .with_only_columns(Alumnus.cohort_year).distinct()
        .order_by(Alumnus.cohort_year.desc())).all()
    jobs = current_employers().subquery()
    industries = db.session.scalars(
        select(jobs.c.industry).distinct().where(
            jobs.c.industry.is_not(None),
            jobs.c.alumnus_id.in_(listed.where(DirectoryProfile.show_industry.is_(True))))
        .order_by(jobs.c.industry)).all()
    return {"programmes": [(p.id, p.name) for p in programmes],
            "cohorts": [(c, str(c)) for c in cohorts],
            "industries": [(i, gettext(ISIC_SECTIONS.get(i, i))) for i in industries]}


def profile_of(alumnus: Alumnus) -> DirectoryProfile | None:
    return db.session.scalar(select(DirectoryProfile).where(
        DirectoryProfile.alumnus_id == alumnus.id))


def _name_text(alumnus: Alumnus) -> str:
    return " ".join(fold(p) for p in (alumnus.given_name, alumnus.family_name,
                                       alumnus.preferred_name) if p)


def _new_profile(alumnus: Alumnus) -> DirectoryProfile:
    profile = DirectoryProfile(alumnus_id=alumnus.id, institution_id=alumnus.institution_id,
                               token=secrets.token_urlsafe(16), name_text=_name_text(alumnus),
                               **{f"show_{f}": d for f, (_, d) in DIRECTORY_FIELDS.items()})
    db.session.add(profile)
    return profile


def is_listed(alumnus: Alumnus) -> bool:
    """Whether other alumni find this person now."""
    return db.session.scalar(select(func.count()).select_from(Alumnus).where(
        *listed_conditions(alumnus.institution_id), Alumnus.id == alumnus.id)) == 1


def save_directory_choices(alumnus: Alumnus, choices: dict[str, bool], *, actor: Any
                           ) -> DirectoryProfile:
    """The alumnus chooses which of their fields listed alumni see."""
    require_self(alumnus, actor, gettext("You can choose what others see of you only."))
    profile = profile_of(alumnus) or _new_profile(alumnus)
    db.session.flush()
    before = {f: profile.shows(f) for f in DIRECTORY_FIELDS}
    for name in DIRECTORY_FIELDS:
        setattr(profile, f"show_{name}", bool(choices.get(name)))
    profile.name_text = _name_text(alumnus)
    db.session.flush()
    record_audit(actor, "directory.choices", alumnus, entity_type="Alumnus",
                 institution_id=alumnus.institution_id, before=before,
                 after={f: profile.shows(f) for f in DIRECTORY_FIELDS})
    return profile


def keep_profiles(institution_id: int, student_numbers: list[str] | None, actor: Any) -> None:
    """On alumni records written: whoever chose to be listed gets a profile (with the default
    fields), and every profile of the written records takes their names as they are now."""
    stmt = select(Alumnus).where(Alumnus.institution_id == institution_id)
    if student_numbers is not None:
        stmt = stmt.where(Alumnus.student_number.in_(student_numbers))
    else:
        stmt = stmt.where(Alumnus.directory_visible.is_(True))
    written = db.session.scalars(stmt).all()
    if not written:
        return
    profiles = {p.alumnus_id: p for p in db.session.scalars(select(DirectoryProfile).where(
        DirectoryProfile.alumnus_id.in_([a.id for a in written])))}
    for alumnus in written:
        profile = profiles.get(alumnus.id)
        if profile is None and alumnus.directory_visible:
            _new_profile(alumnus)
        elif profile is not None and profile.name_text != _name_text(alumnus):
            profile.name_text = _name_text(alumnus)
    db.session.flush()


def merge_profiles(table, column, survivor_id: int, merged_id: int) -> int:  # noqa: ANN001
    """Two records merged: the survivor keeps its own profile (the merged-away one is
    dropped), or takes the merged-away one under a new token, so no old address leads on."""
    has_own = db.session.scalar(select(func.count()).select_from(table).where(
        column == survivor_id))
    if has_own:
        return db.session.execute(delete(table).where(column == merged_id)).rowcount
    return db.session.execute(update(table).where(column == merged_id).values(
        {column.name: survivor_id, "token": secrets.token_urlsafe(16)})).rowcount
