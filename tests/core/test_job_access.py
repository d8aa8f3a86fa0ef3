"""Who may read a background job's progress (issue 10, item 16)."""

from __future__ import annotations

import pytest

from app.core.jobs import Job
from app.extensions import db


def _job(world, *, started_by: str, institution=None, no_institution=False) -> Job:
    job = Job(kind="import", handler="app.imports.services:run_import_job", status="running",
              done=10, total=100, message="Writing rows",
              institution_id=None if no_institution else (institution or world.home).id,
              created_by_id=world.users[started_by].id)
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize(("role", "status"), [
    ("officer", 200), ("quality", 200), ("admin", 200), ("alumnus", 403),
    ("other_officer", 404),
])
def test_only_staff_of_the_institution_read_a_staff_job(world, as_role, role, status):
    """An alumnus of the institution read the progress of the staff's imports before."""
    job = _job(world, started_by="officer")
    client = as_role(role)
    answer = client.get(f"/jobs/{job.id}.json")
    assert answer.status_code == status
    assert client.get(f"/jobs/{job.id}").status_code == status
    if status == 200:
        assert answer.get_json()["message"] == "Writing rows"


def test_the_person_who_started_a_job_reads_it_when_no_institution_owns_it(world, as_role):
    job = _job(world, started_by="officer", no_institution=True)
    assert as_role("officer").get(f"/jobs/{job.id}.json").status_code == 200
    assert as_role("quality").get(f"/jobs/{job.id}.json").status_code == 404
    assert as_role("admin").get(f"/jobs/{job.id}.json").status_code == 200
