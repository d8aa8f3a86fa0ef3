"""The tracer import through the wizard pages, the background job and `flask import tracer`;
who may import and read; the national export's page and command."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.jobs import Job, wait_for_idle
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.extensions import db
from app.imports.models import ImportBatch

from .test_tracer_import import import_folder  # noqa: F401 - fixture


@pytest.fixture
def graduates(world, make_alumnus):
    return [make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2023,
                         student_number=f"T{n:03d}", graduation_date=date(2023, 7, 15))
            for n in range(3)]


def _file(graduates) -> str:
    a, b, c = graduates
    return ("Tracer Study 2023 — Politeknik\n"  # a title row above the header
            "Nomor Mhs,Respon,Status,Masa tunggu,Nama perusahaan,Gaji,Mata uang\n"
            f"{a.student_number},responded,bekerja,2,PT Maju Jaya,\"4.500.000\",IDR\n"
            f"{b.student_number},no response,,,,,\n"
            f"{c.student_number},responded,on holiday,,,,\n")


def _upload(client, institution_id, text, name="tracer 2023.csv"):
    return client.post("/imports/new", data={
        "kind": "tracer", "institution": str(institution_id),
        "file": (io.BytesIO(text.encode("utf-8")), name)}, content_type="multipart/form-data")


def test_wizard_asks_the_reference_point_previews_and_commits(world, as_role, graduates,
                                                              import_folder):  # noqa: F811
    client = as_role("officer")
    assert client.get("/imports/new?kind=tracer").status_code == 200
    response = _upload(client, world.home.id, _file(graduates))
    assert response.status_code == 302
    batch = db.session.scalar(select(ImportBatch))
    page = client.get(f"/imports/{batch.id}/mapping").data.decode()
    assert "Reference point" in page and 'name="option-reference_months"' in page
    assert '<option value="status" selected>' in page  # "Status" recognised
    form = {f"map-{i}": v for i, v in enumerate(
        ["student_number", "response", "status", "months_to_first_job", "employer", "income",
         "currency"])}
    response = client.post(f"/imports/{batch.id}/mapping", data=form)
    assert response.status_code == 200
    text = response.data.decode()
    assert "Choose the reference point" in text and "is-invalid" in text
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0
    response = client.post(f"/imports/{batch.id}/mapping",
                           data={**form, "option-reference_months": "12",
                                 "option-survey_title": "Tracer study 2023 (paper)"})
    assert response.status_code == 302
    page = client.get(f"/imports/{batch.id}").data.decode()
    assert "Preview: nothing has been written yet." in page
    assert 'id="count-create">2<' in page and 'id="count-reject">1<' in page
    assert "12 months after graduation" in page and "Tracer study 2023 (paper)" in page
    rejected = client.get(f"/imports/{batch.id}/rejected.csv").data.decode("utf-8-sig")
    assert "on holiday" in rejected and "Status: Use wage employed" in rejected
    assert as_role("quality").post(f"/imports/{batch.id}/commit").status_code == 403
    assert client.post(f"/imports/{batch.id}/commit").status_code == 302
    db.session.expire_all()
    survey = db.session.scalar(select(TracerSurvey))
    assert survey.title == "Tracer study 2023 (paper)" and survey.reference_months == 12
    response = db.session.scalar(select(SurveyResponse))
    assert (response.status, response.months_to_first_job, str(response.income_amount)) == (
        "wage_employed", 2, "4500000.00")
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 2
    # Quality staff read the log and the survey; alumni get nothing.
    quality = as_role("quality")
    assert quality.get(f"/imports/{batch.id}").status_code == 200
    assert quality.get(f"/tracer/{survey.id}/national.csv").status_code == 200
    alumnus = as_role("alumnus")
    for url in ("/imports/new?kind=tracer", f"/imports/{batch.id}",
                f"/tracer/{survey.id}/national.xlsx", f"/tracer/{survey.id}/national.csv"):
        assert alumnus.get(url).status_code == 403, url
    assert as_role("other_officer").get(f"/tracer/{survey.id}/national.csv").status_code == 404


def test_a_long_file_previews_and_commits_as_a_job(app, world, as_role, graduates,
                                                   import_folder):  # noqa: F811
    app.config["IMPORT_JOB_THRESHOLD"] = 2
    try:
        client = as_role("officer")
        _upload(client, world.home.id, _file(graduates))
        batch = db.session.scalar(select(ImportBatch))
        response = client.post(f"/imports/{batch.id}/mapping", data={
            "map-0": "student_number", "map-1": "response", "map-2": "status",
            "map-3": "months_to_first_job", "map-4": "employer",
            "option-reference_months": "6"})
        assert response.headers["Location"].endswith(f"/imports/{batch.id}/progress")
        wait_for_idle()
        db.session.expire_all()
        assert db.session.get(ImportBatch, batch.id).status == "previewed"
        response = client.post(f"/imports/{batch.id}/commit")
        assert response.headers["Location"].endswith(f"/imports/{batch.id}/progress")
        wait_for_idle()
        db.session.expire_all()
        job = db.session.scalar(select(Job).where(Job.kind == "import"))
        assert job.status == "done", job.error
        assert job.result["create"] == 2
        assert db.session.scalar(select(TracerSurvey.reference_months)) == 6
    finally:
        app.config.pop("IMPORT_JOB_THRESHOLD", None)


def test_command_dry_run_import_and_reimport(world, runner, graduates, tmp_path,
                                             import_folder):  # noqa: F811
    path = tmp_path / "tracer.csv"
    path.write_text(_file(graduates), encoding="utf-8")
    args = ["import", "tracer", str(path), "--institution", "HOME"]
    result = runner.invoke(args=args + ["--dry-run"])
    assert result.exit_code == 2 and "--reference-months" in result.output
    result = runner.invoke(args=args + ["--reference-months", "9"])
    assert result.exit_code == 2 and "'9' is not one of" in result.output
    result = runner.invoke(args=args + ["--reference-months", "12", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 to create" in result.output and "1 rejected" in result.output
    assert "row 5, Status: Use wage employed" in result.output
    assert "Dry run: nothing was written." in result.output
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 0
    result = runner.invoke(args=args + ["--reference-months", "12", "--survey-title",
                                        "Tracer 2023"])
    assert result.exit_code == 0, result.output
    assert "Created 2, updated 0, left 0 unchanged, rejected 1." in result.output
    result = runner.invoke(args=args + ["--reference-months", "12", "--survey-title",
                                        "Tracer 2023"])
    assert "2 unchanged" in result.output and "0 to create" in result.output
    survey = db.session.scalar(select(TracerSurvey))
    assert survey.title == "Tracer 2023"
    # The same title at another reference point is refused, naming the option.
    result = runner.invoke(args=args + ["--reference-months", "24", "--survey-title",
                                        "Tracer 2023"])
    assert result.exit_code == 2 and "is at 12 months after graduation" in result.output

    out = tmp_path / "national.csv"
    result = runner.invoke(args=["tracer", "export-national", str(survey.id), "--out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    assert "1 response of “Tracer 2023” written" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Kode Pt", "Kode Prodi", "Nomor Mhs"] and len(rows) == 2
    result = runner.invoke(args=["tracer", "export-national", "999", "--out", str(out)])
    assert result.exit_code != 0 and "no tracer survey 999" in result.output
