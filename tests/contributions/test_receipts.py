"""Receipt numbers: one gap-free sequence per institution and year, under concurrent saves."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from app.alumni.models import Institution
from app.auth.models import User
from app.contributions.models import Contribution, ReceiptCounter
from app.contributions.services import ContributionData, record_contribution


def _gift(alumnus_id: int, received_on: date | None = None) -> ContributionData:
    return ContributionData(donor_kind="alumnus", alumnus_id=alumnus_id, kind="monetary",
                            category="donation", received_on=received_on or date(2026, 3, 1),
                            amount="50.00", currency="MYR")


def _save_in_thread(app, institution_id, officer_id, alumnus_id, *, before_commit=None,
                    rollback=False, out=None):
    """Record one contribution in its own app context (own session, own connection)."""
    from app.extensions import db

    with app.app_context():
        try:
            officer = db.session.get(User, officer_id)
            institution = db.session.get(Institution, institution_id)
            c = record_contribution(_gift(alumnus_id), institution=institution, actor=officer)
            number = c.receipt_number
            if before_commit:
                before_commit()
            if rollback:
                db.session.rollback()
            else:
                db.session.commit()
                out.append(number)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            out.append(exc)
            db.session.rollback()
        finally:
            db.session.remove()


def test_numbers_run_per_institution_and_year(world, db):
    officer = world.users["officer"]
    a = record_contribution(_gift(world.alumnus.id), institution=world.home, actor=officer)
    b = record_contribution(_gift(world.alumnus.id), institution=world.home, actor=officer)
    c = record_contribution(_gift(world.alumnus.id, date(2025, 12, 31)), institution=world.home,
                            actor=officer)
    other = record_contribution(_gift(world.other_alumnus.id), institution=world.other,
                                actor=world.users["other_officer"])
    db.session.commit()
    assert [a.receipt_number, b.receipt_number] == ["HOME-2026-000001", "HOME-2026-000002"]
    assert c.receipt_number == "HOME-2025-000001"
    assert other.receipt_number == "OTHER-2026-000001"


def test_concurrent_saves_neither_repeat_nor_skip(app, world, db):
    """Eight threads save at once (each its own connection); the numbers are 1..8 exactly."""
    n = 8
    barrier = threading.Barrier(n)
    out: list = []
    ids = (world.home.id, world.users["officer"].id, world.alumnus.id)

    def save():
        barrier.wait()  # all start together
        _save_in_thread(app, *ids, out=out)

    runners = [threading.Thread(target=save) for _ in range(n)]
    for r in runners:
        r.start()
    for r in runners:
        r.join(timeout=60)
    errors = [o for o in out if isinstance(o, Exception)]
    assert not errors, errors
    assert sorted(out) == [f"HOME-2026-{i:06d}" for i in range(1, n + 1)]
    db.session.expire_all()
    stored = db.session.scalars(select(Contribution.receipt_number)).all()
    assert sorted(stored) == sorted(out)
    counter = db.session.scalar(select(ReceiptCounter))
    assert counter.last_number == n


@pytest.mark.parametrize("first_rolls_back", [False, True])
def test_second_save_waits_for_the_first(app, world, db, first_rolls_back):
    """While one save holds the counter, another waits; a rolled-back save burns no number."""
    ids = (world.home.id, world.users["officer"].id, world.alumnus.id)
    # The year's counter row exists already (the usual case): the row lock is what serialises.
    record_contribution(_gift(world.alumnus.id), institution=world.home,
                        actor=world.users["officer"])
    db.session.commit()
    first_holds = threading.Event()
    release = threading.Event()
    first_out: list = []
    second_out: list = []

    def hold():
        first_holds.set()
        assert release.wait(30)

    first = threading.Thread(target=_save_in_thread, args=(app, *ids),
                             kwargs={"out": first_out, "before_commit": hold,
                                     "rollback": first_rolls_back})
    first.start()
    assert first_holds.wait(30)
    second = threading.Thread(target=_save_in_thread, args=(app, *ids),
                              kwargs={"out": second_out})
    second.start()
    second.join(timeout=0.7)
    assert second.is_alive(), "the second save must wait for the first one's lock"
    release.set()
    first.join(30)
    second.join(30)
    assert not [o for o in first_out + second_out if isinstance(o, Exception)]
    if first_rolls_back:
        assert first_out == []
        assert second_out == ["HOME-2026-000002"]  # the rolled-back number is given back
    else:
        assert first_out == ["HOME-2026-000002"]
        assert second_out == ["HOME-2026-000003"]


def test_a_failed_save_does_not_burn_a_number(world, db):
    from app.core.errors import ValidationFailed

    officer = world.users["officer"]
    record_contribution(_gift(world.alumnus.id), institution=world.home, actor=officer)
    db.session.commit()
    record_contribution(_gift(world.alumnus.id), institution=world.home, actor=officer)
    db.session.rollback()  # e.g. the request failed after the number was taken
    with pytest.raises(ValidationFailed):
        record_contribution(ContributionData(donor_kind="alumnus", alumnus_id=world.alumnus.id,
                                             kind="monetary", category="donation",
                                             received_on=date(2026, 3, 1), amount="0",
                                             currency="MYR"),
                            institution=world.home, actor=officer)
    db.session.rollback()
    c = record_contribution(_gift(world.alumnus.id), institution=world.home, actor=officer)
    db.session.commit()
    assert c.receipt_number == "HOME-2026-000002"
