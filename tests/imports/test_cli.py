"""`flask import alumni FILE`: the preview counts with their words, dry run, limits."""

from __future__ import annotations

from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.extensions import db
from app.imports.models import ImportBatch

CSV = ("Student No,First name,Surname,Email,Programme\n"
       "C1,Ann,Lee,ann@example.org,DIT\n"
       "C2,Bob,,bob@,DIT\n"
       "C3,Chai,,,NOPE\n")


def _count(world):
    return db.session.scalar(select(func.count(Alumnus.id))
                             .where(Alumnus.institution_id == world.home.id))


def test_dry_run_prints_counts_and_writes_nothing(world, runner, tmp_path, import_folder):
    path = tmp_path / "registrar.csv"
    path.write_text(CSV, encoding="utf-8")
    before = _count(world)
    result = runner.invoke(args=["import", "alumni", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 rows read" in out
    assert "1 to create" in out and "0 to update" in out and "0 unchanged" in out
    assert "2 rejected" in out
    rejected = tmp_path / "registrar-rejected.csv"
    assert f"Rejected rows written to {rejected}" in out
    assert "Dry run: nothing was written." in out
    assert rejected.exists() and "bob@" in rejected.read_text(encoding="utf-8-sig")
    assert _count(world) == before
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 0


def test_import_then_reimport(world, runner, tmp_path, import_folder):
    path = tmp_path / "registrar.csv"
    path.write_text(CSV, encoding="utf-8")
    before = _count(world)
    result = runner.invoke(args=["import", "alumni", str(path), "--institution", "HOME"])
    assert result.exit_code == 0, result.output
    assert "Created 1, updated 0, left 0 unchanged, rejected 2." in result.output
    assert _count(world) == before + 1
    batch = db.session.scalar(select(ImportBatch))
    assert (batch.status, batch.created, batch.rejected, batch.file_name) == (
        "committed", 1, 2, "registrar.csv")
    assert len(batch.checksum) == 64 and batch.errors
    again = runner.invoke(args=["import", "alumni", str(path)])
    assert again.exit_code == 0, again.output
    assert "1 unchanged" in again.output
    assert "Nothing to change" in again.output
    assert _count(world) == before + 1


def test_refusals_exit_non_zero(world, runner, tmp_path, import_folder):
    no_key = tmp_path / "names.csv"
    no_key.write_text("First name,Surname\nAnn,Lee\n", encoding="utf-8")
    result = runner.invoke(args=["import", "alumni", str(no_key)])
    assert result.exit_code == 2
    assert "no student number column" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(args=["import", "alumni", str(empty)])
    assert result.exit_code == 2 and "empty" in result.output
    result = runner.invoke(args=["import", "alumni", str(no_key), "--institution", "NOPE"])
    assert result.exit_code != 0 and "no institution with code NOPE" in result.output
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 0


def test_group_lists_every_registered_kind(runner):
    result = runner.invoke(args=["import", "--help"])
    assert result.exit_code == 0 and "alumni" in result.output


def test_find_duplicates_command(world, runner, make_alumnus):
    make_alumnus(world.home, email="twin@example.org")
    make_alumnus(world.home, email="twin@example.org")
    result = runner.invoke(args=["find-duplicates", "--institution", "HOME"])
    assert result.exit_code == 0, result.output
    assert "1 possible duplicate in the queue" in result.output


def test_an_import_refreshes_the_duplicates_queue(world, runner, tmp_path, import_folder):
    from app.imports.models import DuplicateCandidate

    path = tmp_path / "twins.csv"
    path.write_text("Student number,Given name,Email\nT1,Ann,twin@example.org\n"
                    "T2,Anne,twin@example.org\n", encoding="utf-8")
    result = runner.invoke(args=["import", "alumni", str(path)])
    assert result.exit_code == 0, result.output
    candidate = db.session.scalar(select(DuplicateCandidate))
    assert candidate is not None and "same e-mail" in candidate.reasons
