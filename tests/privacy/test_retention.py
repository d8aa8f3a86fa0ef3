"""Retention: `flask privacy apply-retention --dry-run` counts and changes nothing; the run
anonymises or deletes what has passed its period and reports the counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.alumni.models import Alumnus, CorrectionRequest
from app.auth.models import AccountToken
from app.core.audit import AuditEntry, record_audit
from app.core.db import as_utc, utcnow
from app.extensions import db as _db
from app.privacy.retention import RUN_ACTION, apply_retention_daily


def _old_things(db, world, make_alumnus):
    now = utcnow()
    long_ago = now - timedelta(days=4000)
    old_archived = make_alumnus(world.home, programme_id=world.programme.id,
                                archived_at=long_ago, given_name="Longgone")
    make_alumnus(world.home, programme_id=world.programme.id, archived_at=now,
                 given_name="Recentlygone")
    db.session.add_all([
        AccountToken(purpose="reset", token_hash="a" * 64, email="x@example.org",
                     expires_at=now - timedelta(days=200)),
        AccountToken(purpose="reset", token_hash="b" * 64, email="y@example.org",
                     expires_at=now + timedelta(days=1)),
        CorrectionRequest(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                          field="given_name", message="Spell it Siti", status="closed",
                          resolved_at=now - timedelta(days=800)),
        CorrectionRequest(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                          field="family_name", message="Recent one", status="closed",
                          resolved_at=now - timedelta(days=10)),
    ])
    old = record_audit(world.users["officer"], "alumnus.update", world.alumnus)
    old.created_at = now - timedelta(days=400)
    old.origin = "203.0.113.9"
    new = record_audit(world.users["officer"], "alumnus.update", world.alumnus)
    new.origin = "203.0.113.10"
    db.session.commit()
    return old_archived


EXPECTED = {"account_links": "1 were deleted", "audit_addresses": "1 were anonymised",
            "closed_corrections": "1 were anonymised", "archived_alumni": "1 were anonymised",
            "data_downloads": "0 were deleted", "closed_rights_requests": "0 were deleted"}


def test_dry_run_counts_and_changes_nothing(db, world, make_alumnus, runner):
    old_archived = _old_things(db, world, make_alumnus)
    result = runner.invoke(args=["privacy", "apply-retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    for rule, said in EXPECTED.items():
        assert f"{rule}: {said.replace('were', 'would be')}" in result.output
    assert "nothing was changed" in result.output
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count(AccountToken.id))) == 2
    assert _db.session.get(Alumnus, old_archived.id).given_name == "Longgone"
    assert _db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.origin.like("203.%"))) == 2
    assert not _db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == RUN_ACTION))


def test_run_anonymises_and_deletes_what_has_passed(db, world, make_alumnus, runner):
    old_archived = _old_things(db, world, make_alumnus)
    result = runner.invoke(args=["privacy", "apply-retention"])
    assert result.exit_code == 0, result.output
    for rule, said in EXPECTED.items():
        assert f"{rule}: {said}" in result.output
    _db.session.expire_all()
    assert _db.session.scalars(select(AccountToken.token_hash)).all() == ["b" * 64]
    gone = _db.session.get(Alumnus, old_archived.id)
    assert gone.given_name == "Erased" and gone.email is None and gone.erased_at
    assert gone.programme_id == world.programme.id  # still counted in its cohort
    kept = _db.session.scalar(select(Alumnus).where(Alumnus.given_name == "Recentlygone"))
    assert kept.email
    assert sorted(_db.session.scalars(select(CorrectionRequest.message))) == ["", "Recent one"]
    assert _db.session.scalars(select(AuditEntry.origin).where(
        AuditEntry.origin.like("203.%"))).all() == ["203.0.113.10"]
    run = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == RUN_ACTION))
    assert run.after["archived_alumni"] == 1
    # a second run finds nothing more
    again = runner.invoke(args=["privacy", "apply-retention"])
    assert "archived_alumni: 0 were anonymised" in again.output


def test_a_period_is_set_in_the_configuration(db, world, make_alumnus, runner, app):
    _old_things(db, world, make_alumnus)
    app.config["PRIVACY_RETENTION_DAYS"] = {"closed_corrections": 5, "archived_alumni": 0}
    try:
        result = runner.invoke(args=["privacy", "apply-retention", "--dry-run"])
    finally:
        app.config["PRIVACY_RETENTION_DAYS"] = {}
    assert "closed_corrections: 2 would be anonymised" in result.output
    assert "archived_alumni: switched off" in result.output


def test_the_worker_applies_it_once_a_day(db, world, make_alumnus):
    _old_things(db, world, make_alumnus)
    apply_retention_daily()
    apply_retention_daily()  # the same day: not again
    runs = _db.session.scalars(select(AuditEntry).where(AuditEntry.action == RUN_ACTION)).all()
    assert len(runs) == 1 and runs[0].after["account_links"] == 1
    from app.core.job_recovery import _HOUSEKEEPING

    assert apply_retention_daily in _HOUSEKEEPING


class FakeClock:
    """The time the code under test reads, moved by the test."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _runs():
    return _db.session.scalars(select(AuditEntry.created_at).where(
        AuditEntry.action == RUN_ACTION).order_by(AuditEntry.id)).all()


def test_a_long_running_worker_applies_it_daily(db, world, make_alumnus, monkeypatch):
    """The RQ worker's maintenance loop (every ten minutes) runs the housekeeping about
    hourly; retention in it runs when its last run, kept in the audit, is a day old."""
    from app.core import job_recovery
    from app.main.cli import housekeeping_worker
    from app.privacy import retention

    class RQWorker:  # stands in for rq.Worker's own maintenance (registries; needs Redis)
        def run_maintenance_tasks(self):
            self.maintained = getattr(self, "maintained", 0) + 1

    clock = FakeClock(utcnow())
    monkeypatch.setattr(job_recovery, "utcnow", clock)
    monkeypatch.setattr(retention, "utcnow", clock)
    monkeypatch.setattr(job_recovery, "_last_tick", [])
    worker = housekeeping_worker(RQWorker)()
    start = clock.now

    worker.run_maintenance_tasks()  # the first tick: retention has never run
    assert worker.maintained == 1 and len(_runs()) == 1
    for minutes in (10, 70, 600, 23 * 60 + 50):  # the same day: housekeeping, no retention
        clock.now = start + timedelta(minutes=minutes)
        worker.run_maintenance_tasks()
    assert len(_runs()) == 1
    # a day and more after the last run: the next due tick applies it, dated by the clock
    old = make_alumnus(world.home, programme_id=world.programme.id,
                       archived_at=start - timedelta(days=4000), given_name="Longgone")
    _db.session.commit()
    clock.now = start + timedelta(hours=25)
    worker.run_maintenance_tasks()
    runs = _runs()
    assert len(runs) == 2 and as_utc(runs[1]) == clock.now
    _db.session.expire_all()
    assert _db.session.get(Alumnus, old.id).given_name == "Erased"
    # within the hour the worker does not even look
    clock.now += timedelta(minutes=30)
    assert job_recovery.housekeeping_tick() is False
    assert worker.maintained == 6


def test_the_last_run_is_read_from_the_audit_not_the_process(db, world, monkeypatch):
    """A worker started afresh (no memory of earlier runs) still waits for the day."""
    from app.privacy import retention

    now = utcnow()
    assert retention.apply_retention_daily(now=now - timedelta(hours=20)) is True
    _db.session.expire_all()
    assert retention.apply_retention_daily(now=now) is False
    assert retention.apply_retention_daily(now=now + timedelta(hours=5)) is True
    assert len(_runs()) == 2


def test_the_real_rq_worker_runs_it_in_its_loop(db, world, app, redis_queue, monkeypatch):
    """`flask worker --burst` on a real Redis: the worker's maintenance applies retention."""
    from app.core import job_recovery

    monkeypatch.setattr(job_recovery, "_last_tick", [])
    calls = []
    monkeypatch.setattr(job_recovery, "housekeeping_tick",
                        lambda now=None, force=False: calls.append(force)
                        or job_recovery.run_housekeeping())
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert calls[0] is True and False in calls  # at start, then in the maintenance loop
    assert len(_runs()) == 1
