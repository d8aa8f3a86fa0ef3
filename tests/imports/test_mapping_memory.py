"""The remembered mapping is the one last confirmed, and a change to a key field the register
holds is written only when accepted (issue 11, item 5)."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.core.audit import AuditEntry
from app.extensions import db
from app.imports.models import ImportBatch

FILE = "Student number,Given name,Year\nK1,Siti,2019\nK2,Ravi,2019\nN1,Ann,2024\n"


def _upload(client, world, text: str) -> ImportBatch:
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(text.encode()), "registrar.csv")}, content_type="multipart/form-data")
    return db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()


def _confirm(client, batch: ImportBatch, mapping: dict[str, str]) -> str:
    form = {f"map-{i}": mapping.get(h, "") for i, h in enumerate(batch.headers)}
    assert client.post(f"/imports/{batch.id}/mapping", data=form).status_code == 302
    return client.get(f"/imports/{batch.id}").data.decode()


def test_a_column_confirmed_as_ignored_stays_ignored_next_time(world, as_role, import_folder):
    client = as_role("officer")
    first = _upload(client, world, FILE)
    assert first.mapping["Year"] == "cohort_year"  # a known header name
    _confirm(client, first, {"Student number": "student_number", "Given name": "given_name"})
    client.post(f"/imports/{first.id}/commit")
    second = _upload(client, world, FILE)
    assert second.mapping == {"Student number": "student_number", "Given name": "given_name",
                              "Year": ""}


def test_a_column_mapped_anew_replaces_the_remembered_one(world, as_role, import_folder):
    client = as_role("officer")
    first = _upload(client, world, "Student number,Given name,Year\nN1,Ann,2024\n")
    _confirm(client, first, {"Student number": "student_number", "Given name": "given_name",
                             "Year": "cohort_year"})
    second = _upload(client, world, "Student number,Given name,Year,Cohort\nN1,Ann,2020,2024\n")
    _confirm(client, second, {"Student number": "student_number", "Given name": "given_name",
                              "Cohort": "cohort_year"})
    third = _upload(client, world, "Student number,Given name,Year\nN1,Ann,2024\n")
    assert third.mapping["Year"] == ""


def test_changing_a_held_cohort_needs_explicit_acceptance(world, as_role, make_alumnus,
                                                          import_folder):
    make_alumnus(world.home, student_number="K1", given_name="Siti", cohort_year=2021)
    make_alumnus(world.home, student_number="K2", given_name="Ravi", cohort_year=None,
                 graduation_date=None)
    client = as_role("officer")
    batch = _upload(client, world, FILE)
    page = _confirm(client, batch, {"Student number": "student_number",
                                    "Given name": "given_name", "Year": "cohort_year"})
    assert "1 known record" in page and 'id="accept-key-changes"' in page
    assert 'class="table-warning key-change"' in page
    db.session.expire_all()
    assert db.session.get(ImportBatch, batch.id).key_changes == 1  # K2 held no cohort

    refused = client.post(f"/imports/{batch.id}/commit", follow_redirects=True)
    assert "changes the cohort, programme or graduation date of 1 known record" in \
        refused.data.decode()
    db.session.expire_all()
    assert db.session.scalar(select(Alumnus.cohort_year).where(
        Alumnus.student_number == "K1")) == 2021
    assert db.session.scalar(select(Alumnus).where(Alumnus.student_number == "N1")) is None
    assert db.session.get(ImportBatch, batch.id).status == "previewed"

    client.post(f"/imports/{batch.id}/commit", data={"accept_key_changes": "y"})
    db.session.expire_all()
    assert db.session.scalar(select(Alumnus.cohort_year).where(
        Alumnus.student_number == "K1")) == 2019
    assert db.session.get(ImportBatch, batch.id).status == "committed"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "import.alumni")).one()
    assert entry.after["key_changes_accepted"] == 1


def test_the_command_refuses_key_changes_unless_accepted(world, runner, make_alumnus,
                                                         make_programme, import_folder,
                                                         tmp_path):
    make_alumnus(world.home, student_number="K1", given_name="Siti",
                 programme_id=world.programme.id)
    make_programme(world.home, code="DME")
    path = tmp_path / "list.csv"
    path.write_text("Student number,Programme\nK1,DME\n", encoding="utf-8")
    refused = runner.invoke(args=["import", "alumni", str(path)])
    assert refused.exit_code != 0
    assert "row 2, K1, Programme code: DIT → DME" in refused.output
    assert "--accept-key-changes" in refused.output
    db.session.expire_all()
    assert db.session.scalar(select(ImportBatch)) is None
    done = runner.invoke(args=["import", "alumni", str(path), "--accept-key-changes"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    k1 = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "K1"))
    assert k1.programme.code == "DME"
