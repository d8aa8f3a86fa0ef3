"""A long import through RQ on a real Redis: the preview and the commit run in a worker."""

from __future__ import annotations

from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.core.jobs import Job
from app.extensions import db
from app.imports.models import ImportBatch
from tests.imports.test_pages import _upload


def test_long_import_runs_in_an_rq_worker(app, world, as_role, import_folder, redis_queue):
    from rq import SimpleWorker

    app.config["IMPORT_JOB_THRESHOLD"] = 2
    client = as_role("officer")
    client.institution_id = world.home.id
    before = db.session.scalar(select(func.count(Alumnus.id)))
    _upload(client)
    batch_id = db.session.scalar(select(ImportBatch.id))
    response = client.post(f"/imports/{batch_id}/mapping", data={
        "map-0": "student_number", "map-1": "given_name", "map-5": "graduation_date"})
    assert response.headers["Location"].endswith(f"/imports/{batch_id}/progress")
    assert redis_queue.count == 1  # dispatched to Redis, not to the in-process thread
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    worker.work(burst=True)
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch_id).status == "previewed"

    response = client.post(f"/imports/{batch_id}/commit")
    assert response.headers["Location"].endswith(f"/imports/{batch_id}/progress")
    assert redis_queue.count == 1
    assert db.session.scalar(select(func.count(Alumnus.id))) == before  # not yet
    worker.work(burst=True)
    db.session.expire_all()
    job = db.session.scalar(select(Job).where(Job.kind == "import"))
    assert job.status == "done", job.error
    assert job.result["create"] == 3
    assert db.session.scalar(select(func.count(Alumnus.id))) == before + 3
    assert db.session.get(ImportBatch, batch_id).status == "committed"
