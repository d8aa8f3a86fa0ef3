"""Who may read a background job's progress (issue 10, item 16)."""

from __future__ import annotations

import pytest

from app.core.jobs import Job
from app.extensions import db


def _job(world, *, started_by: str, institution=None) -> Job:
    job = Job(kind="import", handler="app.imports.services:run_import_job", status="running",
              done=10, total=100, message="Writing rows",
              institution_id=(institution or world.home).id,
              created_by_id=world.users[started_by].id)
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize(("role", "status"), [
    ("officer", 200), ("quality", 200), ("admin", 200), ("alumnus", 404), ("other_officer", 404),
])
def test_only_staff_of_the_institution_read_a_staff_job(world, as_role, role, status):
    job = _job(world, started_by="officer")
    client = as_role(role)
    assert client.get(f"/jobs/{job.id}.json").status_code == status
    if role != "alumnus":  # the page itself is for staff only
        assert client.get(f"/jobs/{job.id}").status_code == status


def test_the_person_who_started_a_job_reads_it(world, as_role):
    job = _job(world, started_by="alumnus")
    answer = as_role("alumnus").get(f"/jobs/{job.id}.json")
    assert answer.status_code == 200
    assert answer.get_json()["message"] == "Writing rows"
    # ...and another alumnus of the same institution does not.
    from tests.conftest import sign_in

    other = world.second_alumnus
    from app.auth.models import User

    user = User(email="second@example.org", role="alumnus", institution_id=world.home.id,
                full_name="Second")
    user.set_password("correct-horse-battery")
    db.session.add(user)
    db.session.flush()
    other.user_id = user.id
    db.session.commit()
    client = as_role("anonymous")
    sign_in(client, user)
    assert client.get(f"/jobs/{job.id}.json").status_code == 404
