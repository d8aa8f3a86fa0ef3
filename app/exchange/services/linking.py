"""Linking participations to the alumnus record once the participant graduates: by (sending
institution, student number), by hand or at once when alumni are added."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, event, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.alumni.models import Alumnus
from app.core.audit import AuditEntry
from app.core.db import utcnow
from app.exchange.models import ExchangeParticipation
from app.extensions import db


def _link_pairs(connection: Any, institution_id: int, numbers: list[str] | None = None
                ) -> list[tuple[int, int]]:
    """(participation id, alumnus id) for unlinked participations sent by the institution
    whose student number is an alumnus of it; only those `numbers` when given.

    Core tables, so the after_flush listener can run it on the flushing connection too."""
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
    """Pairs found through student numbers merged into another record (when the register
    keeps such aliases)."""
    try:
        from app.imports.models import StudentNumberAlias as Alias
    except ImportError:  # pragma: no cover - a deployment without the imports feature
        return []
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
    now = utcnow()
    connection.execute(insert(AuditEntry.__table__), [
        {"created_at": now, "actor_id": getattr(actor, "id", None),
         "actor_label": getattr(actor, "email", None) or "system",
         "institution_id": owners.get(p), "action": "exchange_participation.link_alumnus",
         "entity_type": "ExchangeParticipation", "entity_id": str(p),
         "before": {"alumnus_id": None}, "after": {"alumnus_id": a}, "origin": "link"}
        for p, a in pairs
    ])


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


def _registrar_import_committed(obj: Any) -> bool:
    """A registrar (alumni) import batch that became committed in this flush."""
    if getattr(obj, "__tablename__", None) != "import_batch":
        return False
    if getattr(obj, "kind", None) != "alumni" or getattr(obj, "status", None) != "committed":
        return False
    return inspect(obj).attrs.status.history.has_changes()


@event.listens_for(Session, "after_flush")
def _link_new_alumni(session: Session, flush_context: Any) -> None:
    """Alumni added (or renumbered) through the ORM link their exchanges at once; so does a
    registrar import, which writes alumni in bulk and then marks its batch committed in the
    same transaction."""
    keys: dict[int, list[str] | None] = {}
    new = set(session.new)
    for obj in list(new) + list(session.dirty):
        if (isinstance(obj, Alumnus) and obj.institution_id and obj.student_number
                and (obj in new or inspect(obj).attrs.student_number.history.has_changes())):
            if keys.get(obj.institution_id, []) is not None:
                keys.setdefault(obj.institution_id, []).append(obj.student_number)
        elif _registrar_import_committed(obj):
            keys[obj.institution_id] = None  # every student number of the institution
    if not keys:
        return
    connection = session.connection()
    for institution_id, numbers in keys.items():
        pairs = _link_pairs(connection, institution_id, numbers)
        _apply_links(connection, pairs, None)
        linked = {p for p, _ in pairs}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, ExchangeParticipation) and obj.id in linked:
                session.expire(obj, ["alumnus_id", "alumnus"])

