"""The tracer import: past tracer studies through the import pipeline (kind "tracer")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.employment.models import (
    Employer,
    Employment,
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
)
from app.extensions import db
from app.imports import pipeline as P


@pytest.fixture
def import_folder(app, tmp_path):
    folder = tmp_path / "imports"
    app.config["IMPORT_FOLDER"] = str(folder)
    yield folder
    app.config.pop("IMPORT_FOLDER", None)


@pytest.fixture
def cohort(world, make_alumnus):
    """Programme DIT, cohort 2024: the world's two alumni and four more, graduated 30 Jun."""
    people = [world.alumnus, world.second_alumnus]
    for n in range(4):
        people.append(make_alumnus(world.home, programme_id=world.programme.id,
                                   student_number=f"D24{n:03d}", cohort_year=2024,
                                   graduation_date=date(2024, 6, 30)))
    return people


def plan_file(world, text: str, *, months: str = "12", title: str | None = None,
              commit: bool = False, actor=None, name: str = "tracer.csv"):
    data = text.encode("utf-8")
    raw, _ = P.read_table(data, name)
    kind = P.get_kind("tracer")
    headers = [c for c in raw.columns if c != "_row"]
    options = P.clean_options(kind, {"reference_months": months, "survey_title": title})
    ctx = P.ImportContext(world.home, actor or world.users["officer"], options=options)
    plan = P.plan_frame(raw, P.suggest_mapping(headers, kind, world.home.id), kind, ctx)
    if commit:
        P.commit_plan(plan, kind, ctx)
        db.session.commit()
    return plan


def errors_of(plan, level="error"):
    return [(e.row, e.field, e.message) for e in plan.errors if e.level == level]


def test_english_file_creates_survey_invitations_answers_and_jobs(world, cohort):
    a, b, c, d, e, f = cohort
    text = (
        "Student number,Response,Status,Months to first job,Employer,Job title,Hours,Contract,"
        "Relevance,Education level needed,Workplace level,Monthly income,Currency,"
        "Ethics at graduation,Ethics required now,Further study institution\n"
        f"{a.student_number},responded,wage employed,3,PT Astra International Tbk,Technician,"
        "full-time,permanent,4,same,multinational,6500000,IDR,3,5,\n"
        f"{b.student_number},responded,further study,,,,,,,,,,,,,Universitas Indonesia\n"
        f"{c.student_number},no response,,,,,,,,,,,,,,\n"
        f"{d.student_number},undeliverable,,,,,,,,,,,,,,\n"
        f"{e.student_number},responded,self-employed,0,,Own workshop,part-time,freelance,5,"
        "lower,local,,,,,\n"
    )
    plan = plan_file(world, text, commit=True)
    assert errors_of(plan) == []
    assert plan.counts == {"read": 5, "create": 5, "update": 0, "unchanged": 0, "reject": 0}
    survey = db.session.scalar(select(TracerSurvey))
    assert survey.reference_months == 12
    assert [(c.programme_id, c.cohort_year) for c in survey.cohorts] == [
        (world.programme.id, 2024)]
    invitations = {i.alumnus_id: i for i in db.session.scalars(select(SurveyInvitation))}
    assert set(invitations) == {a.id, b.id, c.id, d.id, e.id}
    assert invitations[c.id].responded_at is None and invitations[c.id].sent_at is not None
    assert invitations[d.id].undeliverable_at is not None
    assert invitations[a.id].responded_at is not None
    responses = {r.alumnus_id: r for r in db.session.scalars(select(SurveyResponse))}
    assert set(responses) == {a.id, b.id, e.id}
    ra = responses[a.id]
    assert (ra.status, ra.months_to_first_job, ra.job_within_6_months, ra.relevance,
            ra.education_level, ra.workplace_level, ra.hours, ra.contract,
            ra.income_amount, ra.income_currency, ra.channel) == (
        "wage_employed", 3, True, 4, "same", "multinational", "full_time", "permanent",
        Decimal("6500000.00"), "IDR", "import")
    assert ra.ratings == {"ethics": (3, 5)}
    assert responses[b.id].further_study is True
    assert responses[b.id].further_study_field == "Universitas Indonesia"
    job = db.session.get(Employment, ra.employment_id)
    assert (job.source, job.survey_id, job.status, job.employer.name) == (
        "tracer", survey.id, "wage_employed", "PT Astra International Tbk")
    assert db.session.scalar(select(func.count(Employment.id))) == 3


NATIONAL_HEADER = ("Kode Pt,Kode Prodi,Nomor Mhs,Nama,Hp,Email,Tahun Lulus,NIK,NPWP,f8,f502,"
                   "f505,f5b,f5d,f1101,f14,f15,f1761,f1762,f1763,f1764,f18b\n")


def test_national_layout_reads_f_codes_with_their_meaning(world, cohort):
    """No Response column: the rows are the respondents; national codes, not ours, for the
    institution and programme; f14 1 (very close) is relevance 5; f8 3 self-employed; f8 2 not
    in the labour force; the cohort's other graduates count as not responded."""
    world.home.country = "ID"
    db.session.commit()
    a, b, c, d, e, f = cohort
    text = NATIONAL_HEADER + (
        f"001023,57401,{a.student_number},Budi,0812,x@y.id,2024,3201,,1,2,"
        "\"5.500.000\",PT Telkom Indonesia,2,3,1,2,4,5,3,4,\n"
        f"001023,57401,{b.student_number},Dewi,,,2023,,,3,0,,,1,4,2,1,,,,,\n"
        f"001023,57401,{c.student_number},Sari,,,2024,,,2,,,,,,,,,,,,\n"
        f"001023,57401,{d.student_number},Eka,,,2024,,,4,,,,,,,,,,,,UGM\n"
    )
    plan = plan_file(world, text, commit=True)
    assert errors_of(plan) == []
    warnings = errors_of(plan, "warning")
    assert (3, "cohort_year", "The register says 2024; the register's year is used.") in warnings
    assert any(row == 1 and "other 2 graduates" in message for row, _, message in warnings)
    assert not any(field == "programme" for _, field, _ in warnings)  # national codes
    responses = {r.alumnus_id: r for r in db.session.scalars(select(SurveyResponse))}
    ra, rb, rc, rd = (responses[x.id] for x in (a, b, c, d))
    assert (ra.status, ra.months_to_first_job, ra.income_amount, ra.income_currency,
            ra.workplace_level, ra.employer_type, ra.relevance, ra.education_level) == (
        "wage_employed", 2, Decimal("5500000.00"), "IDR", "national", "private", 5, "same")
    assert ra.ratings == {"ethics": (4, 5), "expertise": (3, 4)}
    assert (rb.status, rb.months_to_first_job, rb.workplace_level, rb.employer_type,
            rb.relevance, rb.education_level) == (
        "self_employed", 0, "local", "own_business", 4, "higher")
    assert rc.status == "not_in_labour_force"
    assert (rd.status, rd.further_study, rd.further_study_field) == ("further_study", True, "UGM")
    invitations = {i.alumnus_id: i for i in db.session.scalars(select(SurveyInvitation))}
    assert set(invitations) == {x.id for x in cohort}
    assert invitations[e.id].responded_at is None and invitations[f.id].responded_at is None
    assert invitations[e.id].sent_at is not None


def test_reimport_changes_nothing_and_a_corrected_file_updates(world, cohort):
    a, b, *_ = cohort
    text = ("Student number,Response,Status,Months to first job,Employer,Relevance\n"
            f"{a.student_number},responded,employed,3,Acme Ltd,4\n"
            f"{b.student_number},no response,,,,\n")
    first = plan_file(world, text, commit=True)
    assert (first.create, first.update, first.unchanged) == (2, 0, 0)
    counts = _table_counts()
    again = plan_file(world, text, commit=True)
    assert (again.create, again.update, again.unchanged, again.reject) == (0, 0, 2, 0)
    assert _table_counts() == counts
    corrected = text.replace(",3,Acme Ltd,4", ",8,Acme Ltd,2").replace(
        "no response,,,,", "responded,unemployed,,,")
    fixed = plan_file(world, corrected, commit=True)
    assert (fixed.create, fixed.update, fixed.unchanged) == (0, 2, 0)
    responses = {r.alumnus_id: r for r in db.session.scalars(select(SurveyResponse))}
    assert (responses[a.id].months_to_first_job, responses[a.id].job_within_6_months,
            responses[a.id].relevance) == (8, False, 2)
    assert responses[b.id].status == "unemployed_seeking"
    job = db.session.get(Employment, responses[a.id].employment_id)
    assert (job.months_to_find, job.relevance) == (8, 2)
    assert db.session.scalar(select(func.count(TracerSurvey.id))) == 1
    assert db.session.scalar(select(func.count(Employment.id))) == 2


def _table_counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (TracerSurvey, SurveyInvitation, SurveyResponse, Employment,
                      Employer)}


def test_every_row_error(world, cohort, make_alumnus, make_programme):
    a, b, c, d, e, f = cohort
    archived = make_alumnus(world.home, programme_id=world.programme.id,
                            archived_at=datetime(2025, 1, 1, tzinfo=UTC))
    no_cohort = make_alumnus(world.home, programme_id=None)
    other = world.other_alumnus  # another institution's graduate
    text = (
        "Student number,Response,Status,Months to first job,First job start date,Employer,"
        "Hours,Contract,Relevance,Education level needed,Workplace level,Monthly income,"
        "Currency,Ethics at graduation,Ethics required now\n"
        "NOPE-1,responded,employed,1,,X,,,,,,,,,\n"                          # 2 not in register
        f"{other.student_number},responded,employed,1,,X,,,,,,,,,\n"         # 3 other institution
        f"{archived.student_number},responded,employed,1,,X,,,,,,,,,\n"      # 4 archived
        f"{no_cohort.student_number},responded,employed,1,,X,,,,,,,,,\n"     # 5 no cohort
        f"{a.student_number},maybe,,,,,,,,,,,,,\n"                           # 6 response word
        f"{b.student_number},responded,sleeping,,,,,,,,,,,,\n"              # 7 status word
        f"{c.student_number},responded,not available,,,,,,,,,,,,\n"         # 8 which one
        f"{d.student_number},responded,employed,,,,,,,,,,,,\n"              # 9 employer needed
        f"{e.student_number},responded,employed,300,32/13/2024,X,some,forever,9,tall,galactic,"
        "lots,RUPIAH,7,\n"                                                   # 10 many
        f"{f.student_number},responded,,,,,,,,,,,,,\n"                       # 11 no status
        f"{f.student_number},no response,,,,,,,,,,,,,\n"                     # 12 twice
        ",responded,employed,1,,X,,,,,,,,,\n"                                # 13 no number
    )
    plan = plan_file(world, text)
    by_row: dict[int, set[str]] = {}
    for row, field, _ in errors_of(plan):
        by_row.setdefault(row, set()).add(field)
    assert by_row == {
        2: {"student_number"}, 3: {"student_number"}, 4: {"student_number"},
        5: {"student_number"}, 6: {"response"}, 7: {"status"}, 8: {"status"},
        9: {"employer"},
        10: {"months_to_first_job", "first_job_start", "hours", "contract", "relevance",
             "education_level", "workplace_level", "income", "currency", "ethics_at_graduation"},
        11: {"student_number"}, 12: {"student_number"}, 13: {"student_number"},
    }
    messages = {(row, field): m for row, field, m in errors_of(plan)}
    assert "not in the register" in messages[(2, "student_number")]
    assert "archived" in messages[(4, "student_number")]
    assert "no programme or graduation year" in messages[(5, "student_number")]
    assert messages[(8, "status")] == "Say which: military service, ordination or family care."
    assert messages[(9, "employer")] == "Name the employer."
    assert plan.create == 0 and plan.reject == 12


def test_currency_and_ratings_check_in_the_shared_rules(world, cohort):
    a, b, *_ = cohort
    text = ("Student number,Status,Employer,Monthly income,Ethics at graduation,"
            "Ethics required now\n"
            f"{a.student_number},employed,X,5000,3,\n"
            f"{b.student_number},employed,X,5000,,\n")
    plan = plan_file(world, text)
    # the home institution is Malaysian in the test world: an income in ringgit by default
    assert errors_of(plan) == [(2, "ethics_required_now", "Choose a level from 1 to 5.")]


def test_first_job_start_date_gives_the_months(world, cohort):
    a, b, c, *_ = cohort  # a and b graduated 30 Jun 2024 (the factory default)
    text = ("Student number,Status,Employer,First job start date\n"
            f"{a.student_number},employed,X,15/10/2024\n"
            f"{b.student_number},employed,X,01/05/2024\n"
            f"{c.student_number},employed,X,2024-07-30\n")
    plan_file(world, text, commit=True)
    got = {r.alumnus_id: (r.months_to_first_job, r.start_date, r.job_within_6_months)
           for r in db.session.scalars(select(SurveyResponse))}
    assert got == {a.id: (3, date(2024, 10, 15), True), b.id: (0, date(2024, 5, 1), True),
                   c.id: (1, date(2024, 7, 30), True)}


def test_a_failure_in_the_commit_leaves_nothing(world, cohort):
    """The survey, invitations, employers and answers are one transaction: when the commit
    fails half-way (here: someone added one of these graduates to the survey since the
    preview), nothing of it stays."""
    from app.core.errors import Conflict

    a, b, *_ = cohort
    text = ("Student number,Response,Status,Employer\n"
            f"{a.student_number},responded,employed,Brand New Employer\n"
            f"{b.student_number},responded,employed,Another New One\n")
    kind = P.get_kind("tracer")
    plan = plan_file(world, "Student number,Response\n" + f"{b.student_number},no response\n",
                     commit=True)
    assert plan.create == 1
    before = _table_counts()
    raw, _ = P.read_table(text.encode(), "t.csv")
    ctx = P.ImportContext(world.home, world.users["officer"],
                          options={"reference_months": "12", "survey_title": None})
    mapping = P.suggest_mapping([c for c in raw.columns if c != "_row"], kind, world.home.id)
    plan = P.plan_frame(raw, mapping, kind, ctx)
    assert (plan.create, plan.update) == (1, 1)
    db.session.execute(SurveyInvitation.__table__.insert().values(
        survey_id=plan.payload["survey_id"], institution_id=world.home.id, alumnus_id=a.id,
        reminder_count=0, created_at=datetime(2025, 1, 1, tzinfo=UTC)))
    db.session.commit()
    before = _table_counts()
    with pytest.raises(Conflict):
        P.commit_plan(plan, kind, ctx)
    db.session.rollback()
    assert _table_counts() == before
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0
