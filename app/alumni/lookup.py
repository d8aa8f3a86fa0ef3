"""Finding an alumnus by what people type or follow: a student number or a record id.

Both follow records merged into another to the survivor, so a number on an old attendance
sheet or a bookmarked record page still reaches the person. Merged-away record ids are in
`MergedRecord`; student numbers that no record holds any more are looked up through
`NUMBER_ALIASES`, where a feature that keeps such aliases registers its look-up
(app.imports: the student numbers of merged records).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import func, select

from app.alumni.models import Alumnus, MergedRecord
from app.extensions import db

# (institution id, lower-cased student numbers) -> {number: survivor's alumnus id}
NUMBER_ALIASES: list[Callable[[int, list[str]], dict[str, int]]] = []


def number_key(number: str | None) -> str:
    return (number or "").strip().lower()


def find_by_student_numbers(institution_id: int, numbers: Iterable[str]) -> dict[str, Alumnus]:
    """The institution's records for these student numbers, keyed by the lower-cased number;
    a merged-away number gives the survivor. Numbers that find nobody are left out."""
    keys = sorted({number_key(n) for n in numbers} - {""})
    if not keys:
        return {}
    found = {a.student_number.lower(): a for a in db.session.scalars(select(Alumnus).where(
        Alumnus.institution_id == institution_id,
        func.lower(Alumnus.student_number).in_(keys)))}
    missing = [k for k in keys if k not in found]
    if missing:
        survivor_ids: dict[str, int] = {}
        for aliases in NUMBER_ALIASES:
            survivor_ids.update(aliases(institution_id, missing))
        if survivor_ids:
            survivors = {a.id: a for a in db.session.scalars(select(Alumnus).where(
                Alumnus.institution_id == institution_id,
                Alumnus.id.in_(set(survivor_ids.values()))))}
            found.update({k: survivors[i] for k, i in survivor_ids.items() if i in survivors})
    return found


def find_by_student_number(institution_id: int, number: str) -> Alumnus | None:
    """The institution's record with this student number (any case), or the record it was
    merged into."""
    return find_by_student_numbers(institution_id, [number]).get(number_key(number))


def merged_record(alumnus_id: int) -> MergedRecord | None:
    """Where a merged-away record id went (None for a record that exists or never did)."""
    return db.session.scalar(select(MergedRecord).where(MergedRecord.merged_id == alumnus_id))


def follow_merges(alumnus_ids: Iterable[int]) -> dict[int, int]:
    """{merged-away id: survivor id} for those of `alumnus_ids` that were merged away."""
    ids = set(alumnus_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(MergedRecord.merged_id, MergedRecord.survivor_id)
                                   .where(MergedRecord.merged_id.in_(ids))).all())
