"""The import wizard end to end through the pages, the background job, duplicates pages."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.core.jobs import Job, wait_for_idle
from app.extensions import db
from app.imports.models import DuplicateCandidate, ImportBatch

CSV = ("Matric No,Given,Family,E-mail,Programme,Graduated\n"
       "P1,Ann,Lee,ann@example.org,DIT,30/06/2021\n"
       "P2,Bob,Tan,bob@,DIT,2021-06-30\n"
       "P3,Chai,Ng,chai@example.org,DIT,30-Jun-2021\n")


def _upload(client, text=CSV, name="registrar.csv"):
    return client.post("/imports/new", data={
        "kind": "alumni", "institution": str(client.institution_id),
        "file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data")


def _count():
    return db.session.scalar(select(func.count(Alumnus.id)))


def test_upload_map_preview_commit(world, as_role, import_folder):
    client = as_role("officer")
    client.institution_id = world.home.id
    before = _count()
    response = _upload(client)
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    assert response.headers["Location"].endswith(f"/imports/{batch.id}/mapping")
    page = client.get(f"/imports/{batch.id}/mapping")
    assert page.status_code == 200
    assert b'<option value="student_number" selected>' in page.data  # "Matric No" recognised
    # "Given"/"Family"/"Graduated" are mapped by hand; the preview writes nothing.
    form = {"map-0": "student_number", "map-1": "given_name", "map-2": "family_name",
            "map-3": "email", "map-4": "programme_code", "map-5": "graduation_date"}
    response = client.post(f"/imports/{batch.id}/mapping", data=form)
    assert response.status_code == 302
    assert _count() == before
    page = client.get(f"/imports/{batch.id}")
    text = page.data.decode()
    assert "Preview: nothing has been written yet." in text
    assert 'id="count-create">2<' in text and 'id="count-reject">1<' in text
    assert "That e-mail address is not valid" in text
    rejected = client.get(f"/imports/{batch.id}/rejected.csv")
    assert rejected.status_code == 200 and "bob@" in rejected.data.decode("utf-8-sig")
    assert "error" in rejected.data.decode("utf-8-sig").splitlines()[0]
    # Quality staff read the log but cannot commit.
    assert as_role("quality").post(f"/imports/{batch.id}/commit").status_code == 403
    response = client.post(f"/imports/{batch.id}/commit")
    assert response.status_code == 302
    db.session.expire_all()
    assert _count() == before + 2
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "Created 2, updated 0, left 0 unchanged, rejected 1." in page
    # The mapping is remembered for the next file of this institution.
    _upload(client, name="again.csv")
    second = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    assert second.mapping["Given"] == "given_name"
    client.post(f"/imports/{second.id}/mapping", data=form)
    page = client.get(f"/imports/{second.id}").data.decode()
    assert 'id="count-unchanged">2<' in page and 'id="count-create">0<' in page
    assert b"registrar.csv" in client.get("/imports/").data


def test_upload_refusals_show_a_message_and_write_nothing(world, as_role, import_folder):
    client = as_role("officer")
    client.institution_id = world.home.id
    response = _upload(client, text="Given,Family\nAnn,Lee\n")
    assert response.status_code == 302  # readable; the mapping step refuses it
    batch = db.session.scalar(select(ImportBatch))
    page = client.post(f"/imports/{batch.id}/mapping", data={"map-0": "given_name"})
    assert page.status_code == 200
    assert "no student number column" in page.data.decode()
    response = _upload(client, text="")
    assert response.status_code == 200 and "The file is empty." in response.data.decode()
    # An officer cannot import into another institution.
    client.institution_id = world.other.id
    assert _upload(client).status_code == 200
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 1


def test_long_import_runs_as_a_job_with_progress(app, world, as_role, import_folder):
    app.config["IMPORT_JOB_THRESHOLD"] = 2
    client = as_role("officer")
    client.institution_id = world.home.id
    before = _count()
    _upload(client)
    batch = db.session.scalar(select(ImportBatch))
    response = client.post(f"/imports/{batch.id}/mapping", data={
        "map-0": "student_number", "map-1": "given_name", "map-5": "graduation_date"})
    assert response.headers["Location"].endswith(f"/imports/{batch.id}/progress")
    wait_for_idle()  # the preview of a long file runs as a job too
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).status == "previewed"
    assert _count() == before
    page = client.get(f"/imports/{batch.id}/progress").data.decode()
    assert "Open the preview" in page
    response = client.post(f"/imports/{batch.id}/commit")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/imports/{batch.id}/progress")
    wait_for_idle()
    db.session.expire_all()
    job = db.session.scalar(select(Job).where(Job.kind == "import"))
    assert job.status == "done", job.error
    assert job.result["create"] == 3
    assert _count() == before + 3
    page = client.get(f"/imports/{batch.id}/progress")
    assert page.status_code == 200 and b"progress-bar" in page.data
    assert b"Created 3" in page.data
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert state["percent"] == 100


def test_duplicate_pages_dismiss_and_merge(world, as_role, make_alumnus):
    client = as_role("officer")
    a = make_alumnus(world.home, student_number="D1", email="dup@example.org", given_name="Ann")
    b = make_alumnus(world.home, student_number="D2", email="dup@example.org", given_name="Anne")
    c = make_alumnus(world.home, student_number="D3", phone="+60123456789")
    d = make_alumnus(world.home, student_number="D4", phone="+60123456789")
    a_id, b_id, d_id = a.id, b.id, d.id
    response = client.post("/duplicates/scan")
    assert response.status_code == 302
    page = client.get("/duplicates/").data.decode()
    assert "same e-mail" in page and "same phone" in page
    pair_ab = db.session.scalar(select(DuplicateCandidate).where(
        DuplicateCandidate.first_id == a.id))
    pair_cd = db.session.scalar(select(DuplicateCandidate).where(
        DuplicateCandidate.first_id == c.id))
    client.post(f"/duplicates/{pair_cd.id}/dismiss")
    db.session.refresh(pair_cd)
    assert pair_cd.status == "dismissed"
    page = client.get(f"/duplicates/{pair_ab.id}/merge")
    assert page.status_code == 200 and b"D1" in page.data and b"D2" in page.data
    response = client.post(f"/duplicates/{pair_ab.id}/merge", data={
        "survivor": "second", "field-given_name": "first",
        "first_version": a.version, "second_version": b.version})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/alumni/{b_id}")
    db.session.expunge_all()
    assert db.session.get(Alumnus, a_id) is None
    survivor = db.session.get(Alumnus, b_id)
    assert survivor.given_name == "Ann"
    # The old number finds the survivor on the register page.
    assert b"D2" in client.get("/alumni/?q=D1").data
    assert db.session.get(Alumnus, d_id) is not None
