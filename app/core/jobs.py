"""Background jobs: an in-process worker thread by default, RQ workers on Redis when
`REDIS_URL` is set. Status and progress live in the `job` table, so a progress bar works
with either; the in-process runner also keeps live progress in memory, because SQLite lets
only one writer in at a time and a long import holds that place for its whole transaction.

A job handler is a module-level function `handler(ctx: JobContext, **params) -> dict`,
named by its dotted path ("package.module:function") so that an RQ worker can import it.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.background import yield_to_requests
from app.core.db import Base, utcnow

QUEUE_NAME = "alumnet"  # the RQ queue; config RQ_QUEUE_NAME may name another (tests, tenants)
STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    handler: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # Which process runs it ("host:pid") and when it last said so: a job whose process is
    # gone is found and marked failed (app.core.job_recovery).
    runner: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column()

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        if not self.total:
            return 0
        return max(0, min(100, int(self.done * 100 / self.total)))


# Live progress of jobs running in this process: job id -> (done, total, message).
_live: dict[int, tuple[int, int | None, str | None]] = {}
_live_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@dataclass
class JobContext:
    """What a handler gets: its job id and a way to report progress."""

    job_id: int
    app: Flask
    # What the job has committed so far, for a job that commits in rounds (see `saved`).
    saved_note: tuple[str, str] | None = None
    saved_counts: dict[str, Any] | None = None

    def saved(self, saved: str, not_saved: str, **counts: Any) -> None:
        """Say, after each commit of a job that commits in rounds, what is saved so far and
        what is not yet: a failure later then reports both, instead of "nothing was saved"."""
        self.saved_note = (saved, not_saved)
        self.saved_counts = counts

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with _live_lock:
            prev = _live.get(self.job_id, (0, None, None))
            _live[self.job_id] = (done, total if total is not None else prev[1], message or prev[2])
        db = _db()
        if db.engine.dialect.name == "sqlite":
            return  # the running transaction holds SQLite's only write lock; memory serves
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message[:500]
        # A separate connection, so progress is visible while the job's own work is uncommitted.
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(**values))


def _db():
    from app.extensions import db

    return db


def _resolve(path: str):
    module_name, _, func_name = path.partition(":")
    return getattr(importlib.import_module(module_name), func_name)


def enqueue(
    kind: str,
    handler: str,
    *,
    actor: Any = None,
    institution_id: int | None = None,
    total: int | None = None,
    **params: Any,
) -> Job:
    """Record a job; it is handed to a worker once the caller's transaction commits."""
    _resolve(handler)  # fail now, not in the worker, on a wrong path
    db = _db()
    job = Job(
        kind=kind,
        handler=handler,
        params=params,
        total=total,
        institution_id=institution_id,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault("jobs_to_dispatch", []).append(
        (current_app._get_current_object(), job.id)
    )
    return job


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending = session.info.pop("jobs_to_dispatch", None)
    for app, job_id in pending or ():
        dispatch(app, job_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("jobs_to_dispatch", None)


def dispatch(app: Flask, job_id: int) -> None:
    """Send a committed job to RQ when Redis is configured, else to the worker thread."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url and not app.config.get("JOBS_IN_PROCESS"):
        from redis import Redis
        from rq import Queue

        Queue(queue_name(app), connection=Redis.from_url(redis_url)).enqueue(
            "app.core.jobs.run_from_queue", job_id, job_timeout=3600
        )
        return
    global _executor
    with _executor_lock:
        starting = _executor is None
        if starting:
            # At the lowest CPU priority: a job run beside the pages yields to them.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alumnet-job",
                                           initializer=yield_to_requests)
    # This process's worker starts: first, what earlier ones left behind; later, before a job,
    # the housekeeping again when an hour has passed (retention's daily run among it).
    _executor.submit(_housekeeping_in_app, app, starting)
    _executor.submit(_run_in_app, app, job_id)


def _housekeeping_in_app(app: Flask, starting: bool) -> None:
    from app.core.job_recovery import housekeeping_tick

    with app.app_context():
        housekeeping_tick(force=starting)


def queue_name(app: Flask) -> str:
    """The RQ queue jobs go to; parallel test runs sharing one Redis each use their own."""
    return app.config.get("RQ_QUEUE_NAME") or QUEUE_NAME


def runner_id() -> str:
    """This process, as a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)


def run_from_queue(job_id: int) -> None:
    """Entry point for RQ workers (started by `flask worker`, inside the app context)."""
    try:
        current_app._get_current_object()
    except RuntimeError:
        from app import create_app

        with create_app().app_context():
            run_job(job_id)
        return
    run_job(job_id)


def run_job(job_id: int) -> None:
    """Run one job: mark it running, call its handler, commit, record the outcome."""
    db = _db()
    job = db.session.get(Job, job_id)
    if job is None or job.status not in ("queued",):
        return
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    job.runner = runner_id()
    db.session.commit()
    ctx = JobContext(job_id=job_id, app=current_app._get_current_object())
    handler = _resolve(job.handler)
    params = dict(job.params or {})
    try:
        result = handler(ctx, **params)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the job records any failure
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status = "failed"
        job.error = f"{type(exc).__name__}: {exc}"
        job.message = failure_message(ctx)
        if ctx.saved_counts is not None:
            job.result = {"saved": ctx.saved_counts}
        job.finished_at = utcnow()
        current_app.logger.error("Job %s failed\n%s", job_id, traceback.format_exc())
        db.session.commit()
    else:
        job = db.session.get(Job, job_id)
        job.status = "done"
        job.result = result if isinstance(result, dict) else {"value": result}
        live = _live.get(job_id)
        if live:
            job.done, job.total = live[0], live[1] if live[1] is not None else job.total
            job.message = live[2] or job.message
        if job.total:
            job.done = job.total
        job.finished_at = utcnow()
        db.session.commit()
    finally:
        with _live_lock:
            _live.pop(job_id, None)
        db.session.remove()


def failure_message(ctx: JobContext) -> str:
    """What a failed job tells: nothing saved (the usual one commit rolled back), or, for a
    job that commits in rounds, what its committed rounds saved and what was not saved."""
    if ctx.saved_note is None:
        return "Failed: nothing from this job was saved."
    saved, not_saved = ctx.saved_note
    return f"Failed part-way. Saved: {saved}. Not saved: {not_saved}."[:500]


def job_state(job: Job) -> dict[str, Any]:
    """The job's status for a progress bar: stored state, overlaid with live progress."""
    done, total, message = job.done, job.total, job.message
    live = _live.get(job.id)
    if live and job.status == "running":
        done, total = live[0], live[1] if live[1] is not None else total
        message = live[2] or message
    percent = 100 if job.status == "done" else (int(done * 100 / total) if total else 0)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "done": done,
        "total": total,
        "percent": max(0, min(100, percent)),
        "message": message,
        "result": job.result,
        "error": job.error,
    }


def may_read_job(job: Job, user: Any) -> bool:
    """Who may read a job's progress: the person who started it, staff of its institution,
    and administrators; an alumnus of that institution may not read staff jobs."""
    from app.core.permissions import ADMIN, STAFF_READ

    if job.created_by_id is not None and job.created_by_id == user.id:
        return True
    if user.role == ADMIN:
        return True
    return (user.role in STAFF_READ and job.institution_id is not None
            and job.institution_id == user.institution_id)


def wait_for_idle(timeout: float | None = 30.0) -> None:
    """Tests, the CLI and a web worker leaving: block until the in-process worker has run what
    it was given (`timeout=None`: however long that takes)."""
    if _executor is None:
        return
    done = threading.Event()
    _executor.submit(done.set)
    if not done.wait(timeout):
        raise TimeoutError("background jobs did not finish in time")
