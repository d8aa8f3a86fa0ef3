"""Linking participations to the alumnus record once the participant graduates: by (sending
institution, student number), by hand, or at once through the "alumni records written" hook."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, func, select, update

from app.alumni.models import Alumnus
from app.alumni.models import StudentNumberAlias as Alias
from app.core.audit import record_audit_bulk
from app.exchange.models import ExchangeParticipation
from app.extensions import db


def _link_pairs(connection: Any, institution_id: int, numbers: list[str] | None = None
                ) -> list[tuple[int, int]]:
    """(participation id, alumnus id) for unlinked participations sent by the institution
    whose student number is an alumnus of it; only those `numbers` when given.

    Core tables, on the caller's connection."""
    table = ExchangeParticipation.__table__
    alumni = Alumnus.__table__
    stmt = (
        select(table.c.id, alumni.c.id)
        .join(alumni, and_(alumni.c.institution_id == table.c.sending_institution_id,
                           func.lower(alumni.c.student_number)
                           == func.lower(table.c.student_number)))
        .where(table.c.sending_institution_id == institution_id, table.c.alumnus_id.is_(None))
    )
    if numbers is not None:
        stmt = stmt.where(func.lower(table.c.student_number).in_([n.lower() for n in numbers]))
    return [(p, a) for p, a in connection.execute(stmt)]


def _alias_pairs(institution_id: int) -> list[tuple[int, int]]:
    """Pairs found through student numbers merged into another record."""
    stmt = (
        select(ExchangeParticipation.id, Alias.alumnus_id)
        .join(Alias, and_(Alias.institution_id == ExchangeParticipation.sending_institution_id,
                          Alias.number_key == func.lower(ExchangeParticipation.student_number)))
        .where(ExchangeParticipation.sending_institution_id == institution_id,
               ExchangeParticipation.alumnus_id.is_(None))
    )
    return [(p, a) for p, a in db.session.execute(stmt)]


def _apply_links(connection: Any, pairs: list[tuple[int, int]], actor: Any) -> None:
    if not pairs:
        return
    table = ExchangeParticipation.__table__
    connection.execute(
        update(table).where(table.c.id == bindparam("pid")).values(alumnus_id=bindparam("aid")),
        [{"pid": p, "aid": a} for p, a in pairs],
    )
    owners = dict(connection.execute(
        select(table.c.id, table.c.institution_id).where(table.c.id.in_([p for p, _ in pairs]))
    ).all())
    record_audit_bulk(actor, [
        {"institution_id": owners.get(p), "action": "exchange_participation.link_alumnus",
         "entity_type": "ExchangeParticipation", "entity_id": p,
         "before": {"alumnus_id": None}, "after": {"alumnus_id": a}} for p, a in pairs],
        origin="link", connection=connection)


def link_exchange_alumni(institution_id: int, *, actor: Any = None) -> int:
    """Link every unlinked participation sent by `institution_id` to the alumnus of that
    institution with the same student number; returns how many were linked.

    The registrar import calls this after it commits new alumni; `flask exchange link-alumni`
    runs it by hand. It flushes; the caller commits.
    """
    db.session.flush()
    connection = db.session.connection()
    pairs = _link_pairs(connection, institution_id)
    pairs += [pair for pair in _alias_pairs(institution_id)
              if pair[0] not in {p for p, _ in pairs}]
    _apply_links(connection, pairs, actor)
    db.session.expire_all()
    return len(pairs)


def link_written_alumni(institution_id: int, numbers: list[str] | None, actor: Any) -> None:
    """The "alumni records written" hook: participations of those student numbers (any of the
    institution when None) link to the alumni just added or renumbered, in the same
    transaction."""
    connection = db.session.connection()
    pairs = _link_pairs(connection, institution_id, numbers)
    _apply_links(connection, pairs, actor)
    linked = {p for p, _ in pairs}
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ExchangeParticipation) and obj.id in linked:
            db.session.expire(obj, ["alumnus_id", "alumnus"])
