"""The Reports page as each role sees it, the build job and its progress, downloads."""

from __future__ import annotations

from app.core.jobs import Job, JobContext, wait_for_idle
from app.packs.models import ReportSnapshot
from app.packs.services import JOB_KIND, build_pack_job, check_request, request_pack
from tests.packs.conftest import build


def _form(cohort, **extra):
    data = {"framework": "ban-pt", "programme_ids": [str(cohort.programme.id)],
            "cohorts": "2022-2024", "reference_months": "", "formats": ["html", "xlsx"]}
    data.update(extra)
    return data


def test_quality_staff_build_a_pack_in_the_background(pack_cohort, as_role, db):
    client = as_role("quality")
    page = client.get("/reports")
    assert page.status_code == 200
    assert "Build an evidence pack" in page.get_data(as_text=True)
    assert 'value="2022-2024"' in page.get_data(as_text=True)  # three years to the newest
    response = client.post("/reports", data=_form(pack_cohort))
    assert response.status_code == 302 and "/reports/builds/" in response.location
    wait_for_idle(120)
    job = db.session.scalars(db.select(Job).where(Job.kind == JOB_KIND)).one()
    db.session.refresh(job)
    assert job.status == "done", job.error
    assert job.done == job.total and job.total == 3 + 3 + 2 + 1
    snapshot = db.session.get(ReportSnapshot, job.result["snapshot_id"])
    assert sorted(f.fmt for f in snapshot.files) == ["html", "xlsx"]
    built = client.get(f"/reports/builds/{job.id}").get_data(as_text=True)
    assert f"Open snapshot {snapshot.id}" in built
    listed = client.get("/reports").get_data(as_text=True)
    assert f"Snapshot {snapshot.id}" in listed and "Quality" in listed
    download = client.get(f"/reports/snapshots/{snapshot.id}/files/xlsx")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.data[:2] == b"PK"


def test_the_build_reports_its_progress_step_by_step(pack_cohort, world, app, db):
    request = check_request(pack_cohort.institution, "apacc", [], [2023, 2024], None,
                            ["csv"])
    job = request_pack(request, ["csv"], actor=world.users["officer"])
    db.session.commit()
    wait_for_idle(120)  # the queued run; below, the same handler again, watched

    class Watched(JobContext):
        seen: list = []

        def progress(self, done, total=None, message=None):
            self.seen.append((done, message))
            super().progress(done, total, message)

    from app.core import jobs

    ctx = Watched(job_id=job.id, app=app)
    params = dict(db.session.get(Job, job.id).params)
    try:
        result = build_pack_job(ctx, **params)
    finally:  # run_job forgets a job's live progress when it ends; this run is not run_job's
        with jobs._live_lock:
            jobs._live.pop(job.id, None)
    steps = [d for d, _ in ctx.seen]
    assert steps == list(range(1, job.total + 1))
    messages = [m for _, m in ctx.seen]
    assert messages[:2] == ["Figures of 2023 counted", "Figures of 2024 counted"]
    assert "CSV written" in messages and messages[-1] == "Snapshot kept"
    assert "Charts drawn" not in messages  # a CSV pack shows no chart: none is drawn
    assert db.session.get(ReportSnapshot, result["snapshot_id"]) is not None


def test_a_wrong_choice_is_named_on_the_form(pack_cohort, world, as_role):
    client = as_role("officer")
    page = client.post("/reports", data=_form(pack_cohort, cohorts="twenty"))
    assert page.status_code == 200
    assert "Give years as 2022-2024" in page.get_data(as_text=True)
    theirs = client.post("/reports", data=_form(
        pack_cohort, programme_ids=[str(world.other_programme.id)]))
    assert "Choose programmes of this institution." in theirs.get_data(as_text=True)


def test_alumni_get_nothing(pack_cohort, as_role):
    snapshot = build(pack_cohort, formats=("html", "csv"))
    client = as_role("alumnus")
    for url in ("/reports", f"/reports/snapshots/{snapshot.id}",
                f"/reports/snapshots/{snapshot.id}/files/csv",
                f"/reports/snapshots/{snapshot.id}/view"):
        assert client.get(url).status_code == 403, url
    assert client.post("/reports", data=_form(pack_cohort)).status_code == 403


def test_an_officer_of_another_institution_gets_nothing(pack_cohort, as_role, db):
    snapshot = build(pack_cohort, formats=("html", "csv"))
    client = as_role("other_officer")
    for url in (f"/reports/snapshots/{snapshot.id}",
                f"/reports/snapshots/{snapshot.id}/files/csv",
                f"/reports/snapshots/{snapshot.id}/files/html",
                f"/reports/snapshots/{snapshot.id}/view"):
        assert client.get(url).status_code == 404, url
    listed = client.get("/reports").get_data(as_text=True)
    assert f"Snapshot {snapshot.id}" not in listed and "No packs built yet." in listed
    before = db.session.scalar(db.select(db.func.count(Job.id)))
    # building for our programme from their side is refused and queues nothing
    response = client.post("/reports", data=_form(pack_cohort))
    assert "Choose programmes of this institution." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Job.id))) == before


def test_the_stored_html_opens_under_a_policy_that_allows_only_its_own_style(pack_cohort,
                                                                            as_role):
    snapshot = build(pack_cohort, formats=("html",))
    page = as_role("officer").get(f"/reports/snapshots/{snapshot.id}/view")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert "Summary of every indicator" in page.get_data(as_text=True)


def test_the_snapshot_page_verifies_and_shows_a_changed_file(pack_cohort, as_role):
    from app.packs.services import file_path

    snapshot = build(pack_cohort, formats=("csv",))
    client = as_role("quality")
    page = client.get(f"/reports/snapshots/{snapshot.id}?verify=1").get_data(as_text=True)
    assert "Every file is as built" in page and snapshot.files[0].sha256 in page
    path = file_path(snapshot, snapshot.files[0])
    path.write_bytes(path.read_bytes() + b"x")
    page = client.get(f"/reports/snapshots/{snapshot.id}?verify=1").get_data(as_text=True)
    assert "This snapshot does not verify" in page and "changed" in page


def test_every_download_of_a_stored_file_is_in_the_audit_log(pack_cohort, world, as_role, db):
    """Each download (any format) and each opening of the HTML writes an export entry: who,
    which snapshot, which file; a refused download writes none."""
    from app.core.audit import EXPORT_ACTION, AuditEntry

    snapshot = build(pack_cohort, formats=("html", "pdf", "xlsx", "csv"))

    def entries():
        return list(db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.action == EXPORT_ACTION).order_by(AuditEntry.id)))

    quality = as_role("quality")
    for fmt in ("html", "pdf", "xlsx", "csv"):
        assert quality.get(f"/reports/snapshots/{snapshot.id}/files/{fmt}").status_code == 200
    assert as_role("officer").get(f"/reports/snapshots/{snapshot.id}/view").status_code == 200
    found = entries()
    assert len(found) == 5
    by_name = {f.fmt: f for f in snapshot.files}
    for entry, fmt in zip(found, ("html", "pdf", "xlsx", "csv", "html"), strict=True):
        assert entry.after["snapshot_id"] == snapshot.id
        assert entry.after["file"] == by_name[fmt].name == entry.entity_id
        assert entry.after["format"] == fmt and entry.after["sha256"] == by_name[fmt].sha256
        assert entry.after["contact_details"] is False
        assert entry.after["rows"] == snapshot.parameters["register_rows"] > 0  # graduates named
        assert entry.institution_id == pack_cohort.institution.id
    assert {e.actor_id for e in found[:4]} == {world.users["quality"].id}
    assert found[4].actor_id == world.users["officer"].id
    other = as_role("other_officer")
    assert other.get(f"/reports/snapshots/{snapshot.id}/files/csv").status_code == 404
    assert as_role("alumnus").get(f"/reports/snapshots/{snapshot.id}/files/csv"
                                  ).status_code == 403
    assert len(entries()) == 5
