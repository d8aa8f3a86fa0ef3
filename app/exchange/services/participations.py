"""Participations: who went where, their status workflow, credit recognition, and the link
to the alumnus record once the person graduates."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import (
    Select,
    and_,
    bindparam,
    event,
    exists,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session, joinedload

from app.alumni.models import QUALIFICATION_LEVELS, STUDY_AREAS, Alumnus, Institution
from app.alumni.text import fold
from app.core.audit import AuditEntry, record_audit, snapshot
from app.core.db import utcnow
from app.core.errors import NotFound, ValidationFailed
from app.core.permissions import in_scope, require_writer, scope
from app.exchange.models import (
    PARTICIPATION_STATUSES,
    PERFORMANCE_RESULTS,
    TRANSITIONS,
    ExchangeBatch,
    ExchangeParticipation,
)
from app.exchange.services.credits import credits_for_hours, rule_for
from app.extensions import db

STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
MAX_HOURS = Decimal(2000)
TEXT_FIELDS = ("project", "mentor_teacher", "e_buddy", "industry_partner", "programme_code",
               "family_name")


@dataclass
class ParticipationData:
    """Plain values for a participation, as a form or an import row gives them."""

    student_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    programme_code: str | None = None
    sending_institution_id: int | None = None
    receiving_institution_id: int | None = None
    study_area: str | None = None
    level: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    hours: Decimal | float | str | None = None
    project: str | None = None
    mentor_teacher: str | None = None
    e_buddy: str | None = None
    industry_partner: str | None = None
    performance_result: str | None = None
    evaluation_submitted: bool = False
    certificate_number: str | None = None


@dataclass
class ParticipationFilters:
    batch_id: int | None = None
    status: str | None = None
    direction: str | None = None
    study_area: str | None = None
    q: str = ""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def direction_for(owner_id: int, sending_id: int | None, receiving_id: int | None) -> str | None:
    """Outgoing when the owner sends, incoming when it receives; None when neither."""
    if sending_id == owner_id:
        return "outgoing"
    if receiving_id == owner_id:
        return "incoming"
    return None


def clean_participation(data: ParticipationData, batch: ExchangeBatch) -> dict[str, Any]:
    """Check and normalise a participation's values; raise ValidationFailed on any problem."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    number = _text(data.student_number)
    if number is None:
        errors["student_number"] = "The student number is required."
    elif not STUDENT_NUMBER_RE.match(number):
        errors["student_number"] = "Use letters and digits (dots, dashes, slashes inside), ≤ 40."
    out["student_number"] = number
    out["given_name"] = _text(data.given_name)
    if out["given_name"] is None:
        errors["given_name"] = "The given name is required."
    for name in TEXT_FIELDS:
        out[name] = _text(getattr(data, name))
    email = _text(data.email)
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = f"That e-mail address is not valid: {exc}"
    out["email"] = email
    sending = db.session.get(Institution, data.sending_institution_id or 0)
    receiving = db.session.get(Institution, data.receiving_institution_id or 0)
    if sending is None:
        errors["sending_institution_id"] = "Choose the sending institution."
    if receiving is None:
        errors["receiving_institution_id"] = "Choose the receiving institution."
    direction = None
    if sending is not None and receiving is not None:
        if sending.id == receiving.id:
            errors["receiving_institution_id"] = "Sending and receiving institutions differ."
        else:
            direction = direction_for(batch.institution_id, sending.id, receiving.id)
            if direction is None:
                errors["sending_institution_id"] = (
                    "Your institution is either the sending or the receiving one."
                )
    out["sending_institution_id"] = sending.id if sending else None
    out["receiving_institution_id"] = receiving.id if receiving else None
    out["direction"] = direction
    if data.study_area not in STUDY_AREAS:
        errors["study_area"] = "Choose one of: " + ", ".join(STUDY_AREAS) + "."
    out["study_area"] = data.study_area
    level = _text(data.level)
    if level is not None and level not in QUALIFICATION_LEVELS:
        errors["level"] = "Choose one of: " + ", ".join(QUALIFICATION_LEVELS) + "."
    out["level"] = level
    out["start_date"], out["end_date"] = data.start_date, data.end_date
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors["end_date"] = "The exchange ends before it starts."
    hours = None
    if data.hours is not None and str(data.hours).strip():
        try:
            hours = Decimal(str(data.hours).strip())
        except InvalidOperation:
            errors["hours"] = "Give the hours as a number."
        else:
            if not Decimal(0) <= hours <= MAX_HOURS:
                errors["hours"] = f"Hours are 0 to {MAX_HOURS}."
    out["hours"] = hours
    result = _text(data.performance_result)
    if result is not None and result not in PERFORMANCE_RESULTS:
        errors["performance_result"] = "Choose one of: " + ", ".join(PERFORMANCE_RESULTS) + "."
    out["performance_result"] = result
    out["evaluation_submitted"] = bool(data.evaluation_submitted)
    out["certificate_number"] = _text(data.certificate_number)
    if errors:
        raise ValidationFailed(errors)
    return out


def _check_unique(values: dict[str, Any], batch_id: int, exclude_id: int | None) -> None:
    errors = {}
    stmt = select(ExchangeParticipation.id).where(
        ExchangeParticipation.batch_id == batch_id,
        ExchangeParticipation.sending_institution_id == values["sending_institution_id"],
        func.lower(ExchangeParticipation.student_number) == values["student_number"].lower(),
    )
    if exclude_id is not None:
        stmt = stmt.where(ExchangeParticipation.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        errors["student_number"] = "This student is already in this batch."
    if values.get("certificate_number"):
        stmt = select(ExchangeParticipation.id).where(
            ExchangeParticipation.certificate_number == values["certificate_number"])
        if exclude_id is not None:
            stmt = stmt.where(ExchangeParticipation.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            errors["certificate_number"] = "Another participation has this certificate number."
    if errors:
        raise ValidationFailed(errors)


def _alumnus_for(institution_id: int, student_number: str) -> int | None:
    return db.session.scalar(select(Alumnus.id).where(
        Alumnus.institution_id == institution_id,
        func.lower(Alumnus.student_number) == student_number.lower()))


def create_participation(batch: ExchangeBatch, data: ParticipationData, *, actor: Any
                         ) -> ExchangeParticipation:
    """Nominate a participant for a batch (our student going out, or a partner's coming in)."""
    require_writer(actor)
    if not in_scope(batch, actor):
        raise NotFound("No such exchange batch.")
    values = clean_participation(data, batch)
    _check_unique(values, batch.id, None)
    participation = ExchangeParticipation(
        institution_id=batch.institution_id, batch_id=batch.id, status="nominated",
        status_changed_at=utcnow(),
        alumnus_id=_alumnus_for(values["sending_institution_id"], values["student_number"]),
        **values)
    db.session.add(participation)
    db.session.flush()
    record_audit(actor, "exchange_participation.create", participation,
                 after=snapshot(participation))
    return participation


def update_participation(participation: ExchangeParticipation, data: ParticipationData, *,
                         actor: Any) -> ExchangeParticipation:
    """Change a participation's details (the status moves through `change_status`)."""
    require_writer(actor)
    if not in_scope(participation, actor):
        raise NotFound("No such participation.")
    values = clean_participation(data, participation.batch)
    _check_unique(values, participation.batch_id, participation.id)
    before = snapshot(participation)
    for key, value in values.items():
        setattr(participation, key, value)
    if (before["student_number"] != values["student_number"]
            or before["sending_institution_id"] != values["sending_institution_id"]):
        participation.alumnus_id = _alumnus_for(values["sending_institution_id"],
                                                values["student_number"])
    db.session.flush()
    record_audit(actor, "exchange_participation.update", participation, before=before,
                 after=snapshot(participation))
    return participation


def allowed_moves(status: str) -> tuple[str, ...]:
    """The statuses a participation may move to from `status`."""
    return TRANSITIONS.get(status, ())


def _next_certificate_number(participation: ExchangeParticipation) -> str:
    batch = participation.batch
    owner = db.session.get(Institution, participation.institution_id)
    return f"{owner.code}-{batch.year}-B{batch.batch_number}-{participation.id:05d}"


def change_status(participation: ExchangeParticipation, new_status: str, *, actor: Any
                  ) -> ExchangeParticipation:
    """Move a participation along nominated → accepted → in progress → completed; withdrawn
    from any state that is not final. A completed participation gets a certificate number."""
    require_writer(actor)
    if not in_scope(participation, actor):
        raise NotFound("No such participation.")
    if new_status not in PARTICIPATION_STATUSES:
        raise ValidationFailed({"status": "Unknown status."})
    current = participation.status
    if new_status not in allowed_moves(current):
        label = PARTICIPATION_STATUSES[current].lower()
        raise ValidationFailed({"status": f"A participation that is {label} cannot become "
                                          f"{PARTICIPATION_STATUSES[new_status].lower()}."})
    before = snapshot(participation, ["status", "withdrawn_from", "certificate_number"])
    if new_status == "completed" and participation.hours is None:
        raise ValidationFailed({"hours": "Record the hours before completing the exchange."})
    participation.status = new_status
    participation.status_changed_at = utcnow()
    if new_status == "withdrawn":
        participation.withdrawn_from = current
    if new_status == "completed" and not participation.certificate_number:
        participation.certificate_number = _next_certificate_number(participation)
    db.session.flush()
    record_audit(actor, "exchange_participation.status", participation, before=before,
                 after=snapshot(participation, ["status", "withdrawn_from",
                                                "certificate_number"]))
    return participation


def suggested_credits(participation: ExchangeParticipation) -> Decimal | None:
    """Credits the sending institution's rule gives for the hours (None without a rule)."""
    rule = rule_for(participation.sending_institution_id)
    if rule is None:
        return None
    return credits_for_hours(participation.hours, rule)


def record_recognition(participation: ExchangeParticipation, recognised: bool,
                       credits: Decimal | float | str | None, decision_date: date | None, *,
                       actor: Any) -> ExchangeParticipation:
    """Record the sending institution's decision on credits for a completed exchange.

    Without credits given, a recognised exchange gets what the institution's rule gives.
    """
    require_writer(actor)
    if not in_scope(participation, actor):
        raise NotFound("No such participation.")
    errors: dict[str, str] = {}
    if participation.status != "completed":
        errors["recognised"] = "Credits are recognised for completed exchanges only."
    if participation.sending_institution_id != participation.institution_id:
        errors["recognised"] = "The sending institution recognises credits; it is not yours."
    if decision_date is None:
        errors["decision_date"] = "Give the date of the decision."
    elif decision_date > date.today():
        errors["decision_date"] = "The decision date is in the future."
    amount: Decimal | None = None
    if credits is not None and str(credits).strip():
        try:
            amount = Decimal(str(credits).strip())
        except InvalidOperation:
            errors["credits"] = "Give the credits as a number."
        else:
            if not Decimal(0) <= amount <= Decimal(1000):
                errors["credits"] = "Credits are 0 to 1000."
    if recognised and amount is None and "credits" not in errors:
        amount = suggested_credits(participation)
        if amount is None:
            errors["credits"] = "Give the credits: your institution has no credit rule yet."
    if errors:
        raise ValidationFailed(errors)
    fields_ = ["credits_recognised", "credits", "recognition_date"]
    before = snapshot(participation, fields_)
    participation.credits_recognised = bool(recognised)
    participation.credits = amount if recognised else Decimal(0)
    participation.recognition_date = decision_date
    db.session.flush()
    record_audit(actor, "exchange_participation.recognition", participation, before=before,
                 after=snapshot(participation, fields_))
    return participation


# --- linking to alumni ----------------------------------------------------------------------


def _link_pairs(institution_id: int, numbers: list[str] | None = None) -> list[tuple[int, int]]:
    """(participation id, alumnus id) for unlinked participations sent by the institution
    whose student number is an alumnus of it."""
    stmt = (
        select(ExchangeParticipation.id, Alumnus.id)
        .join(Alumnus, and_(
            Alumnus.institution_id == ExchangeParticipation.sending_institution_id,
            func.lower(Alumnus.student_number) == func.lower(ExchangeParticipation.student_number),
        ))
        .where(ExchangeParticipation.sending_institution_id == institution_id,
               ExchangeParticipation.alumnus_id.is_(None))
    )
    if numbers is not None:
        stmt = stmt.where(func.lower(ExchangeParticipation.student_number).in_(
            [n.lower() for n in numbers]))
    return [(p, a) for p, a in db.session.execute(stmt)]


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
    pairs = _link_pairs(institution_id)
    pairs += [pair for pair in _alias_pairs(institution_id)
              if pair[0] not in {p for p, _ in pairs}]
    _apply_links(db.session.connection(), pairs, actor)
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
    table = ExchangeParticipation.__table__
    alumni = Alumnus.__table__
    for institution_id, numbers in keys.items():
        stmt = (
            select(table.c.id, alumni.c.id)
            .join(alumni, and_(alumni.c.institution_id == table.c.sending_institution_id,
                               func.lower(alumni.c.student_number)
                               == func.lower(table.c.student_number)))
            .where(table.c.sending_institution_id == institution_id,
                   table.c.alumnus_id.is_(None))
        )
        if numbers is not None:
            stmt = stmt.where(func.lower(table.c.student_number).in_(
                [n.lower() for n in numbers]))
        rows = connection.execute(stmt).all()
        pairs = [(p, a) for p, a in rows]
        _apply_links(connection, pairs, None)
        linked = {p for p, _ in pairs}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, ExchangeParticipation) and obj.id in linked:
                session.expire(obj, ["alumnus_id", "alumnus"])


# --- queries --------------------------------------------------------------------------------


def search_participations(filters: ParticipationFilters, *, actor: Any) -> Select:
    """The participations list for the actor's institution with filters applied."""
    stmt = scope(select(ExchangeParticipation), ExchangeParticipation, actor).options(
        joinedload(ExchangeParticipation.batch),
        joinedload(ExchangeParticipation.sending_institution),
        joinedload(ExchangeParticipation.receiving_institution),
    )
    if filters.batch_id:
        stmt = stmt.where(ExchangeParticipation.batch_id == filters.batch_id)
    if filters.status:
        stmt = stmt.where(ExchangeParticipation.status == filters.status)
    if filters.direction:
        stmt = stmt.where(ExchangeParticipation.direction == filters.direction)
    if filters.study_area:
        stmt = stmt.where(ExchangeParticipation.study_area == filters.study_area)
    for token in filters.q.lower().split():
        like = f"%{token}%"
        stmt = stmt.where(
            func.lower(ExchangeParticipation.given_name).like(like)
            | func.lower(func.coalesce(ExchangeParticipation.family_name, "")).like(like)
            | func.lower(ExchangeParticipation.student_number).like(like)
        )
    return stmt.order_by(ExchangeParticipation.family_name, ExchangeParticipation.given_name,
                         ExchangeParticipation.id)


def participations_of(alumnus: Alumnus) -> list[ExchangeParticipation]:
    """An alumnus's exchanges, newest first."""
    return list(db.session.scalars(
        select(ExchangeParticipation)
        .where(ExchangeParticipation.alumnus_id == alumnus.id)
        .options(joinedload(ExchangeParticipation.batch))
        .order_by(ExchangeParticipation.start_date.desc(), ExchangeParticipation.id.desc())
    ))


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """Engagement source: (alumnus id, latest exchange start) of the institution's alumni whose
    exchange began in the window, dated like their timeline items (start, else core window)."""
    when = func.coalesce(ExchangeParticipation.start_date, ExchangeBatch.window_start)
    rows = db.session.execute(
        select(ExchangeParticipation.alumnus_id, func.max(when))
        .join(ExchangeBatch, ExchangeBatch.id == ExchangeParticipation.batch_id)
        .join(Alumnus, Alumnus.id == ExchangeParticipation.alumnus_id)
        .where(Alumnus.institution_id == institution_id, when >= since, when <= until)
        .group_by(ExchangeParticipation.alumnus_id))
    return [(a, d) for a, d in rows]


def exchange_alumni(*, actor: Any, q: str = "") -> Select:
    """Alumni of the actor's institution with at least one exchange participation."""
    has_exchange = exists().where(ExchangeParticipation.alumnus_id == Alumnus.id)
    stmt = scope(select(Alumnus), Alumnus, actor).where(has_exchange, Alumnus.archived_at.is_(None))
    for token in fold(q).split():
        stmt = stmt.where(Alumnus.search_text.like(f"%{token}%"))
    return stmt.options(joinedload(Alumnus.programme)).order_by(
        Alumnus.family_name, Alumnus.given_name, Alumnus.id)


def participation_data_from(p: ExchangeParticipation) -> ParticipationData:
    return ParticipationData(**{f.name: getattr(p, f.name) for f in fields(ParticipationData)})
