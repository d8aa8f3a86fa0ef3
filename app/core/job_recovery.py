"""Jobs whose worker died, and the worker's housekeeping.

A worker killed mid-job (out of memory, a deploy, `kill -9`) leaves its job "running" for
ever. A job records its runner ("host:pid") and a heartbeat; `fail_dead_jobs` finds running
jobs whose process on this host is gone, or whose heartbeat on another host is older than
`JOB_STALE_MINUTES`, and marks them failed. What was saved is said by the handler the job's
feature registered for its kind (an import: nothing, it writes in one transaction, and the
batch can be previewed again); others say what the job had reported done.

Housekeeping (dead jobs, then any task a feature registers, such as deleting old uploaded
files or applying retention) runs when a worker starts: `flask worker`, an RQ work horse that
was killed, and the in-process runner's first job in a process; `flask jobs housekeeping` runs
it by hand. A worker that keeps running runs it again through `housekeeping_tick` at most every
`HOUSEKEEPING_EVERY` (the RQ worker in its maintenance loop, every ten minutes; the in-process
runner before a job). A task meant to run daily keeps its own durable record of its last run
and returns at once when that is less than a day old (retention: its audit entry).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.core.db import utcnow
from app.core.jobs import Job
from app.extensions import db

DEFAULT_STALE_MINUTES = 30
HOUSEKEEPING_EVERY = timedelta(hours=1)  # a running worker's housekeeping, at most this often

_DEAD_JOB_HANDLERS: dict[str, Callable[[Job], str]] = {}
_HOUSEKEEPING: list[Callable[[], None]] = []


def register_dead_job_handler(kind: str, handler: Callable[[Job], str]) -> None:
    """`handler(job)` sets its feature's records right for a dead job of `kind` (in the
    caller's transaction) and returns what was saved, in words."""
    _DEAD_JOB_HANDLERS[kind] = handler


def register_housekeeping(task: Callable[[], None]) -> None:
    """A task the worker runs when it starts and, while it keeps running, about hourly
    (`housekeeping_tick`); it commits its own work, and a daily task checks its own last run."""
    if task not in _HOUSEKEEPING:
        _HOUSEKEEPING.append(task)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_dead(job: Job) -> bool:
    """A running job whose process is gone (this host) or silent too long (another host)."""
    if job.status != "running":
        return False
    host, _, pid = (job.runner or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    minutes = current_app.config.get("JOB_STALE_MINUTES", DEFAULT_STALE_MINUTES)
    last = job.heartbeat_at or job.started_at or job.created_at
    return last is None or utcnow() - last > timedelta(minutes=int(minutes))


def _generic_saved(job: Job) -> str:
    done = f"{job.done:,} of {job.total:,}" if job.total else f"{job.done:,}"
    return (f"It had reported {done} done; what it committed before it stopped is saved, "
            "the rest is not.")


def fail_dead_jobs() -> list[Job]:
    """Mark every dead job failed, saying what was saved; commits. Returns those jobs."""
    running = db.session.scalars(select(Job).where(Job.status == "running")).all()
    dead = [job for job in running if is_dead(job)]
    for job in dead:
        handler = _DEAD_JOB_HANDLERS.get(job.kind, _generic_saved)
        saved = handler(job)
        job.status = "failed"
        job.finished_at = utcnow()
        job.error = ("The worker running this job stopped (killed or restarted) before it "
                     f"finished. {saved}")
        job.message = f"Stopped before it finished. {saved}"[:500]
        current_app.logger.warning("Job %s (%s) found dead: its worker %s is gone", job.id,
                                   job.kind, job.runner)
    db.session.commit()
    return dead


def run_housekeeping() -> None:
    """Dead jobs first, then the features' tasks; one failing task does not stop the rest."""
    for task in (fail_dead_jobs, *_HOUSEKEEPING):
        try:
            task()
        except Exception:  # noqa: BLE001 - housekeeping must not stop the worker
            db.session.rollback()
            current_app.logger.exception("Housekeeping task %s failed", task.__name__)


_last_tick: list[datetime] = []  # this process's last housekeeping (in memory: a restart runs it)
_tick_lock = threading.Lock()


def housekeeping_tick(now: datetime | None = None, *, force: bool = False) -> bool:
    """Run the housekeeping when this process has not run it for `HOUSEKEEPING_EVERY` (or
    `force`: a worker starting); returns whether it ran. Called by a long-running worker."""
    now = now or utcnow()
    with _tick_lock:
        if not force and _last_tick and now - _last_tick[0] < HOUSEKEEPING_EVERY:
            return False
        _last_tick[:] = [now]
    run_housekeeping()
    return True
