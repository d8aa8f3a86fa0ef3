"""The background job page: progress in words a person reads."""

from __future__ import annotations

from app.core.jobs import Job
from app.extensions import db


def test_job_progress_counts_have_thousands_separators(world, as_role):
    job = Job(kind="import", handler="x:y", status="running", done=4900, total=12500,
              message="Added 4,900 of 12,500 new records", institution_id=world.home.id,
              created_by_id=world.users["officer"].id)
    db.session.add(job)
    db.session.commit()
    client = as_role("officer")
    page = client.get(f"/jobs/{job.id}").data.decode()
    assert "4,900 of 12,500" in page
    assert "/static/job.js" in page
    # The live updates show the same words, from the page's JSON (numbers by Babel): the
    # script writes none of its own.
    assert client.get(f"/jobs/{job.id}.json").get_json()["progress_text"] == "4,900 of 12,500"
    script = client.get("/static/job.js").data.decode()
    assert "progress_text" in script and "' of '" not in script
