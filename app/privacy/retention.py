"""Retention: how long each kind of record is kept for its purpose, and what happens after.

Each rule has a name, the kind of record and the purpose it is kept for, a default period in
days and what is done when it has passed (anonymised or deleted). An administrator changes a
period in the configuration: `PRIVACY_RETENTION_DAYS = {"audit_addresses": 180}` in
`instance/config.py`, or `RETENTION_AUDIT_ADDRESSES_DAYS=180` in the environment; 0 switches
a rule off. `flask privacy apply-retention [--dry-run]` applies them and reports counts; the
worker's housekeeping applies them once a day (`apply_retention_daily`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from app.alumni.models import Alumnus, CorrectionRequest
from app.core.audit import AuditEntry, record_audit
from app.core.db import as_utc, utcnow
from app.extensions import db
from app.privacy.models import RightsRequest

RUN_ACTION = "privacy.retention"


@dataclass(frozen=True)
class Rule:
    name: str
    records: str  # the kind of record, in words
    purpose: str  # what it is kept for
    default_days: int
    outcome: str  # "anonymised" or "deleted"
    apply: Callable[[datetime, bool], int]  # (cutoff, dry_run) -> how many


def _count(stmt: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _data_downloads(cutoff: datetime, dry_run: bool) -> int:
    from app.privacy.export import download_path

    done = list(db.session.scalars(select(RightsRequest).where(
        RightsRequest.kind == "download", RightsRequest.file_name.is_not(None),
        RightsRequest.closed_at < cutoff)))
    if not dry_run:
        for req in done:
            path = download_path(req)
            if path:
                os.remove(path)
            req.file_name = None
        db.session.flush()
    return len(done)


def _account_links(cutoff: datetime, dry_run: bool) -> int:
    from app.auth.models import AccountToken

    spent = or_(AccountToken.expires_at < cutoff, AccountToken.used_at < cutoff)
    if dry_run:
        return _count(select(AccountToken.id).where(spent))
    return db.session.execute(delete(AccountToken).where(spent)).rowcount


def _audit_addresses(cutoff: datetime, dry_run: bool) -> int:
    entry = AuditEntry.__table__.c
    old = and_(entry.created_at < cutoff, entry.origin.is_not(None), entry.origin != "cli")
    if dry_run:
        return _count(select(entry.id).where(old))
    # Core: the ORM refuses changes to the append-only log; the address is the one field
    # retention takes from it.
    return db.session.execute(update(AuditEntry.__table__).where(old)
                              .values(origin=None)).rowcount


def _closed_corrections(cutoff: datetime, dry_run: bool) -> int:
    old = and_(CorrectionRequest.status == "closed", CorrectionRequest.resolved_at < cutoff,
               CorrectionRequest.message != "")
    if dry_run:
        return _count(select(CorrectionRequest.id).where(old))
    return db.session.execute(update(CorrectionRequest).where(old).values(
        message="", resolution_note=None).execution_options(synchronize_session=False)).rowcount


def _closed_requests(cutoff: datetime, dry_run: bool) -> int:
    old = and_(RightsRequest.status != "open", RightsRequest.closed_at < cutoff,
               RightsRequest.file_name.is_(None))
    if dry_run:
        return _count(select(RightsRequest.id).where(old))
    return db.session.execute(delete(RightsRequest).where(old)
                              .execution_options(synchronize_session=False)).rowcount


def _archived_alumni(cutoff: datetime, dry_run: bool) -> int:
    from app.privacy.erasure import anonymise

    old = select(Alumnus).where(Alumnus.archived_at < cutoff, Alumnus.erased_at.is_(None))
    if dry_run:
        return _count(old.with_only_columns(Alumnus.id))
    alumni = list(db.session.scalars(old))
    for alumnus in alumni:
        anonymise(alumnus, actor=None, reason="retention")
    return len(alumni)


RULES = (
    Rule("data_downloads", "an alumnus's copy of their data (the zip file)",
         "letting them download it", 7, "deleted", _data_downloads),
    Rule("account_links", "sign-in, invitation and reset links, once used or expired",
         "checking a link that was sent", 90, "deleted", _account_links),
    Rule("audit_addresses", "the network address on audit entries",
         "investigating misuse", 365, "anonymised", _audit_addresses),
    Rule("closed_corrections", "the text of closed correction requests",
         "answering the request", 730, "anonymised", _closed_corrections),
    Rule("closed_rights_requests", "closed requests to see or erase one's data",
         "showing the request was answered", 1095, "deleted", _closed_requests),
    Rule("archived_alumni", "archived alumni records (names, contacts, free text)",
         "the register's history; the cohort's figures keep counting them", 3650,
         "anonymised", _archived_alumni),
)


def retention_days(rule: Rule) -> int:
    """The rule's period: the environment, then the configuration, then the default."""
    from_env = os.environ.get(f"RETENTION_{rule.name.upper()}_DAYS")
    if from_env and from_env.strip().isdigit():
        return int(from_env)
    configured = (current_app.config.get("PRIVACY_RETENTION_DAYS") or {}).get(rule.name)
    return int(configured) if configured is not None else rule.default_days


@dataclass
class RuleResult:
    rule: Rule
    days: int
    count: int


def apply_retention(*, dry_run: bool = False, actor: Any = None,
                    now: datetime | None = None) -> list[RuleResult]:
    """Apply every rule (or count what it would do) as of `now`; the caller commits. A run
    leaves an audit entry dated `now`: the durable record of the last run."""
    now = now or utcnow()
    results = []
    for rule in RULES:
        days = retention_days(rule)
        count = 0 if days <= 0 else rule.apply(now - timedelta(days=days), dry_run)
        results.append(RuleResult(rule, days, count))
    if not dry_run:
        entry = record_audit(actor, RUN_ACTION, entity_type="Retention",
                             after={r.rule.name: r.count for r in results})
        entry.created_at = now
    return results


def last_run() -> datetime | None:
    """When retention last ran (its latest audit entry), or None."""
    return as_utc(db.session.scalar(select(func.max(AuditEntry.created_at)).where(
        AuditEntry.action == RUN_ACTION)))


def apply_retention_daily(now: datetime | None = None) -> bool:
    """Housekeeping: apply retention when its last run is a day old or more; commits.
    Returns whether it ran."""
    now = now or utcnow()
    last = last_run()
    if last is not None and now - last < timedelta(days=1):
        return False
    results = apply_retention(now=now)
    db.session.commit()
    current_app.logger.info("Retention applied: %s",
                            ", ".join(f"{r.rule.name} {r.count}" for r in results))
    return True
