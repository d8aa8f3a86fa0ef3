"""An administrator sees every institution's imports, duplicates and register: each says whose."""

from __future__ import annotations

import csv
import io
import re

from app.extensions import db
from app.imports.duplicates import scan_duplicates
from app.imports.models import ImportBatch


def _batch(institution, name):
    db.session.add(ImportBatch(institution_id=institution.id, kind="alumni", file_name=name,
                               checksum="0" * 64, status="committed", rows_read=1, created=1))


def test_the_import_log_and_the_queue_name_the_institution_for_an_administrator(
        world, as_role, make_alumnus):
    _batch(world.home, "home-list.csv")
    _batch(world.other, "other-list.csv")
    for institution in (world.home, world.other):
        make_alumnus(institution, email=f"twin@{institution.code.lower()}.example.org")
        make_alumnus(institution, email=f"twin@{institution.code.lower()}.example.org")
        scan_duplicates(institution, actor=None)
    db.session.commit()
    log = as_role("admin").get("/imports/").data.decode()
    assert re.search(r"home-list\.csv.*?>HOME<", log, re.S)
    assert re.search(r"other-list\.csv.*?>OTHER<", log, re.S)
    queue = as_role("admin").get("/duplicates/").data.decode()
    assert len(re.findall(r"<small[^>]*>HOME</small>", queue)) == 1
    assert len(re.findall(r"<small[^>]*>OTHER</small>", queue)) == 1
    # An officer sees only their own institution's, and no institution column.
    log = as_role("officer").get("/imports/").data.decode()
    assert "other-list.csv" not in log and ">HOME<" not in log


def test_the_export_names_each_records_institution(world, as_role):
    text = as_role("admin").get("/imports/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Institution"
    institution_of = {r[0]: r[-1] for r in rows[1:]}
    assert institution_of[world.alumnus.student_number] == "HOME"
    assert institution_of[world.other_alumnus.student_number] == "OTHER"


def test_the_import_button_counts_one_record_as_one(world, as_role, import_folder):
    client = as_role("officer")
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(b"Student number,Given name\nN1,Ann\n"), "one.csv")},
        content_type="multipart/form-data")
    batch = db.session.scalar(db.select(ImportBatch))
    client.post(f"/imports/{batch.id}/mapping", data={"map-0": "student_number",
                                                       "map-1": "given_name"})
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "Import 1 record<" in page
