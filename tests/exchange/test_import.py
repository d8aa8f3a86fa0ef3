"""The participants spreadsheet through the shared preview → commit import pipeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict
from app.exchange.models import ExchangeParticipation
from app.imports import services as imports
from app.imports.pipeline import ImportContext, get_kind, preview_batch, start_batch

HEADER = ("Student ID,First name,Surname,Programme,Level,Study area,Sending institution,"
          "Receiving institution,Start date,End date,Hours,Batch\n")
GOOD = [
    "S-100,Nguyễn Văn,An,DIT,diploma,IT,HOME,TH-POLY,16/05/2022,10/06/2022,90,",
    "S-101,Siti,binti Hassan,DHT,Diploma,Hospitality and Tourism,HOME,VN-COLL,2022-05-20,"
    "2022-06-20,120,2022-1",
    "P-900,สมชาย,ใจดี,ME,bachelor,Mechatronics,TH-POLY,HOME,2022-05-16,2022-06-24,75.5,",
]
BAD = [
    "S-102,,Lee,DIT,diploma,IT,HOME,TH-POLY,2022-05-16,2022-06-10,90,",           # row 4
    "S-103,Ana,Reyes,DIT,diploma,Space,HOME,NOWHERE,2022-05-16,2022-06-10,-4,",   # row 5
    "S-104,Budi,Santoso,DIT,diploma,IT,TH-POLY,VN-COLL,2022-05-16,2022-05-01,9,",  # row 6
    "S-100,Nguyễn Văn,An,DIT,diploma,IT,HOME,TH-POLY,2022-05-16,2022-06-10,90,",  # row 7 repeat
    "S-105,Rina,Dewi,DIT,diploma,IT,HOME,TH-POLY,2020-05-16,2020-06-10,90,",       # row 8 batch?
]


def _write(tmp_path, rows, name="participants.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def _count(db):
    return db.session.scalar(select(func.count(ExchangeParticipation.id)))


def test_preview_reports_row_errors_and_writes_nothing(xw, tmp_path, db):
    path = _write(tmp_path, GOOD[:2] + BAD)
    result = imports.import_file(path, "exchange", institution=xw.world.home, actor=xw.officer,
                                 dry_run=True)
    plan = result.plan
    db.session.rollback()
    assert _count(db) == 0
    assert plan.rows_read == 7
    assert (plan.create, plan.update, plan.reject) == (1, 0, 6)  # row 2 repeats row 7
    by_row = {}
    for e in plan.errors:
        by_row.setdefault(e.row, set()).add(e.field)
    assert by_row[4] == {"given_name"}
    assert by_row[5] >= {"study_area", "receiving_institution", "hours"}
    assert by_row[6] >= {"sending_institution", "end_date"}
    assert "student_number" in by_row[2] and "student_number" in by_row[7]
    assert by_row[8] == {"batch"}
    assert 3 not in by_row
    with open(result.rejected_path, encoding="utf-8-sig") as fh:
        assert "Given name: Fill in the given name." in fh.read()


def test_commit_creates_then_updates_and_links(xw, add_participation, tmp_path, db,
                                               make_alumnus):
    alumnus = make_alumnus(xw.world.home, student_number="S-101")
    path = _write(tmp_path, GOOD)
    first = imports.import_file(path, "exchange", institution=xw.world.home, actor=xw.officer,
                                dry_run=False)
    db.session.commit()
    assert first.plan.create == 3
    rows = {p.student_number: p for p in db.session.scalars(select(ExchangeParticipation))}
    assert rows["S-100"].direction == "outgoing" and rows["P-900"].direction == "incoming"
    assert rows["S-100"].given_name == "Nguyễn Văn" and rows["P-900"].given_name == "สมชาย"
    assert rows["S-101"].study_area == "hospitality" and rows["P-900"].hours == Decimal("75.5")
    assert rows["S-101"].alumnus_id == alumnus.id
    assert {p.batch_id for p in rows.values()} == {xw.batch.id}
    assert {p.status for p in rows.values()} == {"nominated"}
    again = imports.import_file(path, "exchange", institution=xw.world.home, actor=xw.officer,
                                dry_run=False)
    db.session.commit()
    assert (again.plan.create, again.plan.update, again.plan.unchanged) == (0, 0, 3)
    changed = _write(tmp_path, [GOOD[0].replace(",90,", ",100,")], "changed.csv")
    third = imports.import_file(changed, "exchange", institution=xw.world.home,
                                actor=xw.officer, dry_run=False)
    db.session.commit()
    assert (third.plan.create, third.plan.update) == (0, 1)
    db.session.expire_all()
    s100 = db.session.scalar(select(ExchangeParticipation).where(
        ExchangeParticipation.student_number == "S-100"))
    assert s100.hours == Decimal(100) and s100.given_name == "Nguyễn Văn"


def test_commit_is_atomic_when_the_data_changed_since_the_preview(xw, add_participation,
                                                                  tmp_path, db):
    path = _write(tmp_path, GOOD)
    with open(path, "rb") as fh:
        data = fh.read()
    ctx = ImportContext(xw.world.home, xw.officer)
    batch = start_batch(data, path, get_kind("exchange"), ctx)
    plan = preview_batch(batch, batch.mapping, ctx)
    assert plan.create == 3
    db.session.commit()
    add_participation("S-101", partner=xw.partner_vn)  # someone adds one of them meanwhile
    with pytest.raises(Conflict):
        imports.commit_import(batch, actor=xw.officer)
    db.session.rollback()
    assert _count(db) == 1  # only the one added by hand


def test_cli_import_exchange(xw, tmp_path, runner, db):
    path = _write(tmp_path, GOOD + BAD[:1])
    dry = runner.invoke(args=["import", "exchange", path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was written." in dry.output
    assert _count(db) == 0
    real = runner.invoke(args=["import", "exchange", path])
    assert real.exit_code == 0, real.output
    assert "Created 3" in real.output
    assert _count(db) == 3


def test_linked_after_a_later_registrar_import(xw, add_participation, tmp_path, db):
    p = add_participation("GRAD-77")
    assert p.alumnus_id is None
    registrar = tmp_path / "graduates.csv"
    registrar.write_text("Student number,Given name,Family name,Graduation date\n"
                         "GRAD-77,Mai,Trần,2025-06-30\nGRAD-78,Linh,Phạm,2025-06-30\n",
                         encoding="utf-8")
    imports.import_file(str(registrar), "alumni", institution=xw.world.home, actor=xw.officer,
                        dry_run=False)
    db.session.commit()
    db.session.expire_all()
    linked = db.session.get(ExchangeParticipation, p.id)
    assert linked.alumnus is not None and linked.alumnus.student_number == "GRAD-77"
