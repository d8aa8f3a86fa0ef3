"""Past tracer studies and the national layout: an imported answer is the web form's answer,
the national export's columns and codes, and an exported survey imports back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from app.employment import tracer
from app.employment.answers import ResponseData, submit_response
from app.employment.models import (
    Employer,
    Employment,
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
)
from app.employment.tracer_import.national import COLUMNS, national_csv, national_xlsx
from app.extensions import db
from app.imports import pipeline as P

from .test_tracer_import import plan_file


@pytest.fixture
def graduates(world, make_alumnus):
    world.home.country = "ID"
    db.session.commit()
    return [make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2024,
                         student_number=f"0{2400 + n}", graduation_date=date(2024, 6, 30))
            for n in range(6)]


def _web_answer(world, alumnus, data: ResponseData) -> SurveyResponse:
    survey = tracer.create_survey(tracer.SurveyData(
        title="Web survey", reference_months=12, opens_on=date.today() - timedelta(days=1),
        closes_on=date.today() + timedelta(days=10),
        cohorts=[(world.programme.id, alumnus.cohort_year)]),
        institution_id=world.home.id, actor=world.users["officer"])
    invitation = SurveyInvitation(survey_id=survey.id, institution_id=world.home.id,
                                  alumnus_id=alumnus.id, programme_id=alumnus.programme_id,
                                  cohort_year=alumnus.cohort_year, email=alumnus.email)
    db.session.add(invitation)
    db.session.flush()
    response = submit_response(invitation, data, channel="link")
    db.session.commit()
    return response


SKIP = {"id", "survey_id", "invitation_id", "alumnus_id", "employment_id", "submitted_at",
        "channel", "response_id", "employer_id", "created_at", "updated_at"}


def _columns(record) -> dict:
    return {c.key: getattr(record, c.key) for c in record.__table__.columns if c.key not in SKIP}


def test_an_imported_answer_is_stored_as_the_web_form_stores_it(world, graduates):
    """Column by column: the answer, its ratings, the employment record and the employer are
    what an answer from the web form writes (only ids, times, channel and survey differ)."""
    web_alumnus, imported = graduates[0], graduates[1]
    levels = {"ethics": (3, 5), "expertise": (4, 5), "foreign_language": (2, 4),
              "it": (3, 4), "communication": (4, 4), "teamwork": (5, 5),
              "self_development": (3, 4)}
    web = _web_answer(world, web_alumnus, ResponseData(
        status="wage_employed", months_to_first_job="4", employer_name="PT Astra Honda Motor",
        employer_type="private", job_title="Technician", hours="full_time",
        contract="temporary", income_amount="7250000", income_currency="IDR", relevance="4",
        education_level="same", workplace_level="multinational", further_study="no",
        competencies=levels))
    header = ("Student number,Response,Status,Months to first job,Employer,Employer type,"
              "Job title,Hours,Contract,Monthly income,Currency,Relevance,"
              "Education level needed,Workplace level,"
              + ",".join(f"{k} at graduation,{k} required now" for k in (
                  "Ethics", "Expertise", "English", "IT", "Communication", "Teamwork",
                  "Self-development")) + "\n")
    row = (f"{imported.student_number},responded,wage employed,4,PT Astra Honda Motor,private,"
           "Technician,full-time,temporary,7250000,IDR,4,same,multinational,"
           + ",".join(f"{g},{n}" for g, n in levels.values()) + "\n")
    plan = plan_file(world, header + row, commit=True)
    assert plan.create == 1 and plan.reject == 0
    mine = db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.alumnus_id == imported.id))
    web = db.session.get(SurveyResponse, web.id)
    assert _columns(mine) == _columns(web) | {"further_study": None}
    assert web.further_study is False  # the form asks it; the file had no such column
    assert mine.ratings == web.ratings and len(web.ratings) == 7
    my_job, web_job = (db.session.get(Employment, r.employment_id) for r in (mine, web))
    assert _columns(my_job) == _columns(web_job)
    assert (my_job.source, my_job.verified, my_job.employer_id) == ("tracer", False,
                                                                     web_job.employer_id)
    assert db.session.scalar(select(func.count(Employer.id))) == 1
    invitation = db.session.get(SurveyInvitation, mine.invitation_id)
    assert (invitation.programme_id, invitation.cohort_year, invitation.email) == (
        imported.programme_id, 2024, imported.email)
    assert mine.channel == "import" and mine.submitted_at == invitation.responded_at


def _export_rows(survey) -> list[dict[str, str]]:
    text = national_csv(survey).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_national_export_writes_the_columns_and_codes(world, graduates):
    a, b, c, d, e, f = graduates
    text = ("Student number,Response,Status,Months to first job,Employer,Employer type,"
            "Relevance,Education level needed,Workplace level,Monthly income,Currency,"
            "Ethics at graduation,Ethics required now,English at graduation,"
            "English required now,Further study institution\n"
            f"{a.student_number},responded,employed,2,Bank Mandiri,state owned enterprise,5,"
            "higher,national,8000000,IDR,3,5,2,4,\n"
            f"{b.student_number},responded,self-employed,0,,own business,3,none,local,,,,,,,\n"
            f"{c.student_number},responded,further study,,,,,,,,,,,,,ITB\n"
            f"{d.student_number},responded,military service,,,,,,,,,,,,,\n"
            f"{e.student_number},responded,employed,1,Grab,private,4,same,multinational,900,"
            "USD,,,,,\n"
            f"{f.student_number},no response,,,,,,,,,,,,,,\n")
    plan_file(world, text, commit=True)
    survey = db.session.scalar(select(TracerSurvey))
    assert len(COLUMNS) == 86
    text_out = national_csv(survey).decode("utf-8-sig")
    assert text_out.splitlines()[0] == ",".join(COLUMNS)
    rows = {r["Nomor Mhs"]: r for r in _export_rows(survey)}
    assert set(rows) == {x.student_number for x in (a, b, c, d, e)}  # respondents only
    ra = rows[a.student_number]
    assert {k: ra[k] for k in ("Kode Pt", "Kode Prodi", "Tahun Lulus", "f8", "f502", "f505",
                               "f1101", "f5b", "f5d", "f14", "f15", "f1761", "f1762",
                               "f1765", "f1766", "NIK", "NPWP")} == {
        "Kode Pt": "HOME", "Kode Prodi": "DIT", "Tahun Lulus": "2024", "f8": "1",
        "f502": "2", "f505": "8000000", "f1101": "6", "f5b": "Bank Mandiri", "f5d": "2",
        "f14": "1", "f15": "1", "f1761": "3", "f1762": "5", "f1765": "2", "f1766": "4",
        "NIK": "", "NPWP": ""}
    assert (rows[b.student_number]["f8"], rows[b.student_number]["f14"],
            rows[b.student_number]["f15"], rows[b.student_number]["f5d"]) == ("3", "3", "4", "1")
    assert (rows[c.student_number]["f8"], rows[c.student_number]["f18b"]) == ("4", "ITB")
    assert rows[d.student_number]["f8"] == "2"  # not in the labour force nationally
    assert rows[e.student_number]["f505"] == ""  # not rupiah: the portal asks rupiah
    book = openpyxl.load_workbook(io.BytesIO(national_xlsx(survey)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 6
    numbers = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert a.student_number in numbers  # the leading zero kept (text cell)


def test_an_exported_survey_imports_back_unchanged(world, graduates, tmp_path):
    """Into the same survey: nothing changes. Into a fresh survey (another title): the same
    answers on every value the national layout carries."""
    a, b, c, d, e, f = graduates
    text = ("Student number,Response,Status,Months to first job,Employer,Employer type,"
            "Relevance,Education level needed,Workplace level,Monthly income,Currency,"
            + ",".join(f"{k} at graduation,{k} required now" for k in (
                "Ethics", "Expertise", "English", "IT", "Communication", "Teamwork",
                "Self-development"))
            + ",Further study institution,Job title,Hours\n"
            f"{a.student_number},responded,employed,2,Bank Mandiri,state owned enterprise,5,"
            "higher,national,8000000,IDR," + ",".join(["3", "4"] * 7) + ",,Teller,full-time\n"
            f"{b.student_number},responded,self-employed,0,,,3,none,local,,,"
            + ",".join(["2", "5"] * 7) + ",,,\n"
            f"{c.student_number},responded,further study,,,,,,,,," + "," * 13 + ",ITB,,\n"
            f"{d.student_number},responded,unemployed,,,,,,,,," + "," * 13 + ",,,\n"
            f"{e.student_number},responded,not in labour force,,,,,,,,," + "," * 13 + ",,,\n"
            f"{f.student_number},no response,,,,,,,,,," + "," * 13 + ",,,\n")
    plan_file(world, text, commit=True, title="Tracer 2024")
    survey = db.session.scalar(select(TracerSurvey))
    path = tmp_path / "national.xlsx"
    path.write_bytes(national_xlsx(survey))
    before = _snapshot(survey.id)

    again = _import_file(world, path, title="Tracer 2024")
    assert (again.create, again.update, again.unchanged, again.reject) == (0, 0, 5, 0)
    assert _snapshot(survey.id) == before

    fresh = _import_file(world, path, title="Tracer 2024, uploaded copy", commit=True)
    assert (fresh.create, fresh.reject) == (5, 0)
    copy = db.session.scalar(select(TracerSurvey).where(
        TracerSurvey.title == "Tracer 2024, uploaded copy"))
    # The national file lists respondents: the cohort's others (f and the world's two DIT
    # 2024 graduates) count as not responded.
    not_responded = set(db.session.scalars(select(SurveyInvitation.alumnus_id).where(
        SurveyInvitation.survey_id == copy.id, SurveyInvitation.responded_at.is_(None))))
    assert not_responded == {f.id, world.alumnus.id, world.second_alumnus.id}
    national = ("status", "months_to_first_job", "job_within_6_months", "employer_name",
                "employer_type", "relevance", "education_level", "workplace_level",
                "income_amount", "income_currency", "further_study", "further_study_field")
    assert _snapshot(copy.id, national) == _snapshot(survey.id, national)
    assert _export_rows(copy) == _export_rows(survey)


def _import_file(world, path, *, title, commit=False):
    data = path.read_bytes()
    raw, _ = P.read_table(data, path.name)
    kind = P.get_kind("tracer")
    ctx = P.ImportContext(world.home, world.users["officer"], options=P.clean_options(
        kind, {"reference_months": "12", "survey_title": title}))
    headers = [c for c in raw.columns if c != "_row"]
    plan = P.plan_frame(raw, P.suggest_mapping(headers, kind, world.home.id), kind, ctx)
    if commit:
        P.commit_plan(plan, kind, ctx)
        db.session.commit()
    return plan


def _snapshot(survey_id: int, names=None):
    out = {}
    for r in db.session.scalars(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id)):
        keys = names or [c.key for c in SurveyResponse.__table__.columns]
        out[r.alumnus_id] = ({k: getattr(r, k) for k in keys if k not in ("id", "survey_id",
                                                                          "invitation_id",
                                                                          "employment_id")},
                             sorted(r.ratings.items()))
    if names is None:
        out["invitations"] = db.session.scalar(select(func.count(SurveyInvitation.id)).where(
            SurveyInvitation.survey_id == survey_id))
        out["ratings"] = sum(len(r.ratings) for r in db.session.scalars(select(SurveyResponse)))
    return out
