"""What the audit log keeps of exchange records: the whole record when added, what changed
when edited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import inspect, select

from app.core.audit import AuditEntry
from app.exchange import services
from app.exchange.services import AgreementData, BatchData, CreditRuleData, ParticipationData


def _entries(db, record) -> dict[str, AuditEntry]:
    db.session.commit()
    found = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == type(record).__name__,
        AuditEntry.entity_id == str(record.id)).order_by(AuditEntry.id))
    return {e.action: e for e in found}


def _columns(record) -> set[str]:
    return {c.key for c in inspect(record).mapper.column_attrs}


def _without_updated_at(values: dict) -> dict:
    return {k: v for k, v in values.items() if k != "updated_at"}


def test_batch_entries(xw, db):
    batch = xw.batch
    services.update_batch(batch, BatchData(name="Virtual Exchange 2022", year=2022,
                                           batch_number=2, mode="virtual",
                                           window_start=date(2022, 5, 16),
                                           window_end=date(2022, 6, 24),
                                           coordinator="Dr. Somchai"), actor=xw.officer)
    entries = _entries(db, batch)
    created, updated = entries["exchange_batch.create"], entries["exchange_batch.update"]
    assert created.before is None and set(created.after) == _columns(batch)
    assert (created.after["name"], created.after["batch_number"], created.after["window_end"],
            created.after["institution_id"]) == ("SEAMEO TVET Virtual Exchange", 1,
                                                 "2022-06-24", xw.world.home.id)
    assert _without_updated_at(updated.before) == {"name": "SEAMEO TVET Virtual Exchange",
                                                   "batch_number": 1}
    assert _without_updated_at(updated.after) == {"name": "Virtual Exchange 2022",
                                                  "batch_number": 2}
    assert "updated_at" in updated.after  # the whole record is compared, not chosen fields
    assert (updated.actor_id, updated.institution_id) == (xw.officer.id, xw.world.home.id)


def test_agreement_entries(xw, db):
    home, vn = xw.world.home, xw.partner_vn
    agreement = services.create_agreement(xw.batch, AgreementData(
        first_institution_id=home.id, second_institution_id=vn.id, duration_days=21,
        hours_per_day="3.5"), actor=xw.officer)
    services.update_agreement(agreement, AgreementData(
        first_institution_id=home.id, second_institution_id=vn.id, duration_days=21,
        hours_per_day="3.5", status="signed", signed_date=date(2022, 4, 1)), actor=xw.officer)
    entries = _entries(db, agreement)
    created, updated = (entries["exchange_agreement.create"],
                        entries["exchange_agreement.update"])
    assert created.before is None and set(created.after) == _columns(agreement)
    assert (created.after["hours_per_day"], created.after["status"],
            created.after["batch_id"]) == ("3.5", "draft", xw.batch.id)
    assert _without_updated_at(updated.before) == {"status": "draft", "signed_date": None}
    assert _without_updated_at(updated.after) == {"status": "signed",
                                                  "signed_date": "2022-04-01"}
    assert "updated_at" in updated.after


def test_participation_entries(xw, make_alumnus, db):
    home, th = xw.world.home, xw.partner_th
    alumnus = make_alumnus(home, student_number="S-77")
    data = ParticipationData(student_number="S-1", given_name="Ann",
                             sending_institution_id=home.id,
                             receiving_institution_id=th.id, study_area="it",
                             hours=Decimal(90))
    participation = services.create_participation(xw.batch, data, actor=xw.officer)
    data.student_number = "S-77"  # now the number of an alumnus: linked on the edit
    services.update_participation(participation, data, actor=xw.officer)
    entries = _entries(db, participation)
    created, updated = (entries["exchange_participation.create"],
                        entries["exchange_participation.update"])
    assert created.before is None and set(created.after) == _columns(participation)
    assert (created.after["student_number"], created.after["status"],
            created.after["alumnus_id"]) == ("S-1", "nominated", None)
    assert _without_updated_at(updated.before) == {"student_number": "S-1", "alumnus_id": None}
    assert _without_updated_at(updated.after) == {"student_number": "S-77",
                                                  "alumnus_id": alumnus.id}


def test_credit_rule_entries(world, db):
    officer = world.users["officer"]
    rule = services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="30"),
                                    actor=officer)
    services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="45",
                                                           rounding="up"), actor=officer)
    db.session.commit()
    first, second = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "exchange_credit_rule.set",
        AuditEntry.entity_id == str(rule.id)).order_by(AuditEntry.id))
    assert first.before is None and set(first.after) == _columns(rule)
    assert (first.after["hours_per_credit"], first.after["institution_id"]) == ("30",
                                                                               world.home.id)
    assert _without_updated_at(second.before) == {"hours_per_credit": "30",
                                                  "rounding": first.after["rounding"]}
    assert _without_updated_at(second.after) == {"hours_per_credit": "45", "rounding": "up"}
