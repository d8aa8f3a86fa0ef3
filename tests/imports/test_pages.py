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
    assert "E-mail: That e-mail address is not valid" in rejected.data.decode("utf-8-sig")
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


def test_any_two_records_can_be_merged_from_a_record_page(world, as_role, make_alumnus):
    client = as_role("officer")
    a = make_alumnus(world.home, student_number="M1", given_name="Siti", city="Ipoh")
    b = make_alumnus(world.home, student_number="M2", given_name="Siti Nur", city=None)
    other = make_alumnus(world.other, student_number="M3")
    a_id, b_id = a.id, b.id
    detail = client.get(f"/alumni/{a_id}").data.decode()
    assert f"/alumni/{a_id}/merge" in detail  # the record page offers the merge

    # Finding the other record: a clear message next to the field when it cannot be used.
    for number, message in (("", "Enter the other record"), ("NOPE", "No record of this "),
                            ("m1", "own student number"),
                            (other.student_number, "No record of this ")):
        page = client.get(f"/alumni/{a_id}/merge?number={number}").data.decode()
        assert message in page and "is-invalid" in page, number
    found = client.get(f"/alumni/{a_id}/merge?number=m2")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"other={b_id}")

    screen = client.get(found.headers["Location"]).data.decode()
    assert "M1" in screen and "M2" in screen and "Back to the record" in screen
    response = client.post(f"/alumni/{a_id}/merge?other={b_id}", data={
        "survivor": "first", "field-given_name": "second",
        "first_version": a.version, "second_version": b.version})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/alumni/{a_id}")
    db.session.expunge_all()
    assert db.session.get(Alumnus, b_id) is None
    kept = db.session.get(Alumnus, a_id)
    assert (kept.given_name, kept.city) == ("Siti Nur", "Ipoh")
    # The merged-away number now names this record.
    page = client.get(f"/alumni/{a_id}/merge?number=M2").data.decode()
    assert "already merged into this record" in page


def test_merging_with_a_record_changed_meanwhile_is_refused(world, as_role, make_alumnus):
    client = as_role("officer")
    a = make_alumnus(world.home, student_number="V1")
    b = make_alumnus(world.home, student_number="V2")
    a_id, b_id, stale = a.id, b.id, b.version
    b.city = "Hà Nội"
    b.version += 1
    db.session.commit()
    response = client.post(f"/alumni/{a_id}/merge?other={b_id}", data={
        "survivor": "first", "first_version": a.version, "second_version": stale})
    assert response.status_code == 200
    assert "changed while you were comparing" in response.data.decode()
    db.session.expunge_all()
    assert db.session.get(Alumnus, b_id) is not None


def test_merge_is_offered_to_officers_only(world, as_role):
    page = as_role("quality").get(f"/alumni/{world.alumnus.id}").data.decode()
    assert f"/alumni/{world.alumnus.id}/merge" not in page
    assert as_role("quality").get(f"/alumni/{world.alumnus.id}/merge").status_code == 403
