"""A worker killed mid-import: the job is found and marked failed, saying what was saved, and
the file can be previewed again (issue 10, item 15)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import select

from app.core.db import utcnow
from app.core.job_recovery import fail_dead_jobs
from app.core.jobs import Job, runner_id
from app.extensions import db
from app.imports.models import ImportBatch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def stuck_job(ctx, seconds: int) -> dict:
    """A job handler that works (in its own transaction) until it is killed."""
    ctx.progress(1, 10, "Writing rows")
    time.sleep(seconds)
    return {}


_RUN = """
import sys
sys.path.insert(0, {root!r})
from app import create_app
from app.core.jobs import run_job
app = create_app("testing", SQLALCHEMY_DATABASE_URI={url!r})
with app.app_context():
    run_job({job_id})
"""


def _previewed_batch(world, client) -> ImportBatch:
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(b"Student number,Given name\nN1,Ann\nN2,Bao\n"), "list.csv")},
        content_type="multipart/form-data")
    batch = db.session.scalars(select(ImportBatch)).one()
    client.post(f"/imports/{batch.id}/mapping", data={"map-0": "student_number",
                                                      "map-1": "given_name"})
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id)


def test_an_import_whose_worker_was_killed_is_failed_and_previewed_again(
        app, world, as_role, import_folder):
    client = as_role("officer")
    batch = _previewed_batch(world, client)
    job = Job(kind="import", handler="tests.imports.test_dead_jobs:stuck_job",
              params={"seconds": 120}, institution_id=world.home.id,
              created_by_id=world.users["officer"].id, total=2)
    db.session.add(job)
    db.session.flush()
    batch.status, batch.job_id = "running", job.id
    db.session.commit()

    code = _RUN.format(root=ROOT, url=app.config["SQLALCHEMY_DATABASE_URI"], job_id=job.id)
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Job, job.id).status == "running":
                break
            assert worker.poll() is None, "the worker ended before it was killed"
            time.sleep(0.2)
        assert db.session.get(Job, job.id).runner == f"{socket.gethostname()}:{worker.pid}"
        assert fail_dead_jobs() == []  # alive: left alone
    finally:
        worker.kill()  # as the out-of-memory killer or a deploy would
        worker.wait()

    (dead,) = fail_dead_jobs()
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == "failed" and job.finished_at is not None
    assert "Nothing from this import was saved" in job.message
    batch = db.session.get(ImportBatch, batch.id)
    assert batch.status == "failed"
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "nothing from it was saved" in page and "Preview again" in page
    assert client.get(f"/jobs/{job.id}.json").get_json()["status"] == "failed"

    # Previewed again, then imported.
    assert client.post(f"/imports/{batch.id}/mapping", data={
        "map-0": "student_number", "map-1": "given_name"}).status_code == 302
    client.post(f"/imports/{batch.id}/commit")
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status == "committed"


def test_a_job_silent_too_long_on_another_host_is_failed(app, world):
    quiet = Job(kind="tracer_send", handler="x:y", status="running", done=500, total=2000,
                runner="other-host:123", heartbeat_at=utcnow() - timedelta(hours=2),
                started_at=utcnow() - timedelta(hours=3))
    busy = Job(kind="tracer_send", handler="x:y", status="running",
               runner="other-host:124", heartbeat_at=utcnow())
    mine = Job(kind="import", handler="x:y", status="running", runner=runner_id(),
               heartbeat_at=utcnow() - timedelta(hours=5))
    db.session.add_all([quiet, busy, mine])
    db.session.commit()
    assert [j.id for j in fail_dead_jobs()] == [quiet.id]
    assert "reported 500 of 2,000 done" in quiet.message
    assert (busy.status, mine.status) == ("running", "running")


def test_the_housekeeping_command_marks_dead_jobs(app, world, runner):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    job = Job(kind="import", handler="x:y", status="running",
              runner=f"{socket.gethostname()}:{gone.stdout.strip()}")
    db.session.add(job)
    db.session.commit()
    result = runner.invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    assert "1 job whose worker died marked failed" in result.output
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "failed"
