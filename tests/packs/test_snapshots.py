"""Snapshots are kept as built: checksums, no change or delete, verification, the command."""

from __future__ import annotations

import hashlib

import pytest

from app.packs.models import ReportSnapshot, SnapshotFile
from app.packs.services import file_path, verify_snapshot
from tests.packs.conftest import build


def test_a_pack_is_kept_with_each_files_checksum(pack_cohort, report_folder):
    snapshot = build(pack_cohort, formats=("html", "xlsx", "csv"))
    assert sorted(f.fmt for f in snapshot.files) == ["csv", "html", "xlsx"]
    for stored in snapshot.files:
        body = file_path(snapshot, stored).read_bytes()
        assert hashlib.sha256(body).hexdigest() == stored.sha256
        assert len(body) == stored.size
        assert str(report_folder) in str(file_path(snapshot, stored))
    assert snapshot.parameters["years"] == [2022, 2023, 2024]
    assert snapshot.parameters["programme_codes"] == ["DIT"]
    assert snapshot.framework == "ban-pt" and len(snapshot.framework_sha256) == 64
    assert snapshot.built_by_name == "Quality Officer" and snapshot.as_of is not None
    assert all(check.ok for check in verify_snapshot(snapshot))


def test_a_snapshot_cannot_be_changed_or_deleted(pack_cohort, db):
    snapshot = build(pack_cohort, formats=("csv",))
    snapshot.framework_title = "Something else"
    with pytest.raises(RuntimeError, match="kept as built"):
        db.session.flush()
    db.session.rollback()
    stored = db.session.get(SnapshotFile, snapshot.files[0].id)
    stored.sha256 = "0" * 64
    with pytest.raises(RuntimeError, match="kept as built"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ReportSnapshot, snapshot.id))
    with pytest.raises(RuntimeError, match="kept as built"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(ReportSnapshot, snapshot.id).framework_title != "Something else"


def test_no_route_changes_a_snapshot(app, pack_cohort, as_role):
    """Every snapshot address answers GET only; a POST, PUT or DELETE is refused."""
    snapshot = build(pack_cohort, formats=("csv",))
    rules = [r for r in app.url_map.iter_rules() if "snapshot_id" in r.arguments]
    assert rules
    for rule in rules:
        assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule.rule
    client = as_role("admin")
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)(f"/reports/snapshots/{snapshot.id}")
        assert response.status_code == 405
    assert all(c.ok for c in verify_snapshot(snapshot))


def test_a_tampered_or_missing_file_fails_verification(pack_cohort, runner):
    snapshot = build(pack_cohort, formats=("html", "csv"))
    ok = runner.invoke(args=["report", "verify", str(snapshot.id)])
    assert ok.exit_code == 0, ok.output
    assert "verifies: 2 file(s)" in ok.output
    html = next(f for f in snapshot.files if f.fmt == "html")
    path = file_path(snapshot, html)
    path.write_bytes(path.read_bytes().replace(b"Home Polytechnic", b"Home Polytechnik", 1))
    checks = {c.name: c for c in verify_snapshot(snapshot)}
    assert not checks[html.name].ok and checks[html.name].found is not None
    bad = runner.invoke(args=["report", "verify", str(snapshot.id)])
    assert bad.exit_code != 0
    assert "CHANGED" in bad.output and "does not verify" in bad.output
    path.unlink()
    missing = runner.invoke(args=["report", "verify", str(snapshot.id)])
    assert missing.exit_code != 0 and "MISSING" in missing.output


def test_the_command_builds_the_pack_and_keeps_it(pack_cohort, runner, tmp_path, db):
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(args=[
        "report", "accreditation", "--institution", "home", "--framework", "ban-pt",
        "--programme", "DIT", "--cohorts", "2022-2024", "--reference-months", "12",
        "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    snapshot = db.session.scalars(db.select(ReportSnapshot)).one()
    assert f"Snapshot {snapshot.id}:" in result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == snapshot.files[0].sha256
    assert snapshot.first_year == 2022 and snapshot.last_year == 2024
    verified = runner.invoke(args=["report", "verify", str(snapshot.id)])
    assert verified.exit_code == 0


def test_the_command_names_a_wrong_choice(pack_cohort, runner, tmp_path):
    out = str(tmp_path / "x.pdf")
    for args, message in (
            (["--framework", "nowhere"], "framework"),
            (["--framework", "ban-pt", "--programme", "NOPE"], "No programme NOPE"),
    ):
        result = runner.invoke(args=["report", "accreditation", "--institution", "HOME",
                                     "--cohorts", "2022-2024", "--format", "pdf",
                                     "--out", out, *args])
        assert result.exit_code != 0 and message in result.output
    bad_years = runner.invoke(args=["report", "accreditation", "--institution", "HOME",
                                    "--framework", "apacc", "--cohorts", "2024-2022",
                                    "--format", "csv", "--out", out])
    assert bad_years.exit_code != 0 and "cohorts" in bad_years.output
