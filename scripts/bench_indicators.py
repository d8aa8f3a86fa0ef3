"""Time every indicator on a large register, beside one raw SQL aggregate, and a big tracer
import through the import pipeline.

    .venv/bin/python scripts/bench_indicators.py                      # SQLite in a temp file
    .venv/bin/python scripts/bench_indicators.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Seeds (Core inserts) 100,000 alumni (10,000 a year over 10 years, 10 programmes), 300,000
employment records, tracer surveys at 12 months with 60,000 responses (and their competency
ratings), then times:
- cohort_s: every indicator and variant of one programme-cohort (one programme, 2024);
- institution_s: every indicator of the whole institution's three cohorts (10 programmes,
  2022-2024, one selection);
- raw_aggregate_s: one raw SQL aggregate counting the same programme-cohort's respondents by
  status (what the figures cannot beat);
- tracer_import_s: a 100,000-row tracer study file (kind "tracer", 24 months) read, previewed
  and committed through the import pipeline.
On PostgreSQL it makes a database of its own on the server named by --database-url and drops
it at the end. The last line is one JSON object with the figures and peak_mb.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PROGRAMMES = 10
YEARS = list(range(2015, 2025))
SURVEYED = list(range(2019, 2025))  # 6 cohorts x 10,000 alumni = 60,000 responses
STATUSES = (["wage_employed"] * 50 + ["self_employed"] * 12 + ["further_study"] * 10
            + ["unemployed_seeking"] * 15 + ["not_in_labour_force"] * 8
            + ["military_service"] * 3 + ["ordination"] * 2)
COMPETENCIES = ("ethics", "expertise", "foreign_language", "it", "communication", "teamwork",
                "self_development")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def database(url: str | None) -> tuple[str, callable]:
    """(database URL, clean-up)."""
    if not url:
        path = os.path.join(tempfile.mkdtemp(prefix="bench-ind-"), "bench.db")
        return f"sqlite:///{path}", lambda: None
    server = make_url(url)
    if server.drivername in ("postgresql", "postgres"):
        server = server.set(drivername="postgresql+psycopg")
    name = f"alumnet_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        from app.extensions import db

        db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def chunks(rows: list[dict], size: int = 20_000):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def bulk(db, table, rows: list[dict]) -> None:
    for part in chunks(rows):
        db.session.execute(insert(table), part)


def seed(db, rng: random.Random) -> dict:
    from app.alumni.models import Alumnus, Institution, Programme
    from app.employment.models import (
        Employer,
        EmployerFeedback,
        EmployerRating,
        Employment,
        SurveyInvitation,
        SurveyResponse,
        TracerSurvey,
        TracerSurveyCohort,
        rating_values,
    )
    from app.reports.models import MinimumWage

    now = datetime.now(UTC)
    inst = Institution(code="BENCH", name="Bench Polytechnic", country="ID", is_home=True)
    db.session.add(inst)
    db.session.flush()
    programmes = [Programme(institution_id=inst.id, code=f"P{i:02d}", name=f"Programme {i}",
                            level="diploma", study_area="it") for i in range(PROGRAMMES)]
    db.session.add_all(programmes)
    db.session.flush()
    alumni, n = [], 0
    for year in YEARS:
        for p in programmes:
            for _ in range(10_000 // PROGRAMMES):
                n += 1
                alumni.append({
                    "id": n, "institution_id": inst.id, "student_number": f"S{n:07d}",
                    "given_name": f"Given{n}", "family_name": f"Family{n}",
                    "search_text": f"given{n} family{n}", "email": f"a{n}@example.org",
                    "programme_id": p.id, "graduation_date": date(year, 6, 30),
                    "cohort_year": year, "status": "active", "directory_visible": False,
                    "version": 1, "created_at": now, "updated_at": now})
    bulk(db, Alumnus, alumni)
    employer = Employer(institution_id=inst.id, name="PT Bench", normalised_name="bench")
    db.session.add(employer)
    db.session.flush()
    employment = []
    for a in alumni:
        for k in range(3):
            employment.append({
                "institution_id": inst.id, "alumnus_id": a["id"], "employer_id": employer.id,
                "status": rng.choice(STATUSES), "start_date": date(a["cohort_year"] + k, 9, 1),
                "source": "officer", "verified": False, "created_at": now, "updated_at": now})
    bulk(db, Employment, employment)
    invitations, responses, rid = [], [], 0
    for year in SURVEYED:
        survey = TracerSurvey(institution_id=inst.id, title=f"Tracer {year}",
                              reference_months=12, opens_on=date(year + 1, 6, 1),
                              closes_on=date(year + 1, 8, 1))
        survey.cohorts = [TracerSurveyCohort(programme_id=p.id, cohort_year=year)
                          for p in programmes]
        db.session.add(survey)
        db.session.flush()
        for a in (a for a in alumni if a["cohort_year"] == year):
            rid += 1
            invitations.append({
                "id": rid, "survey_id": survey.id, "institution_id": inst.id,
                "alumnus_id": a["id"], "programme_id": a["programme_id"], "cohort_year": year,
                "email": a["email"], "created_at": now, "sent_at": now, "reminder_count": 0,
                "responded_at": now})
            status = rng.choice(STATUSES)
            employed = status in ("wage_employed", "self_employed")
            responses.append({
                "id": rid, "institution_id": inst.id, "survey_id": survey.id,
                "invitation_id": rid, "alumnus_id": a["id"], "submitted_at": now,
                "channel": "link", "status": status,
                "months_to_first_job": rng.randint(0, 18) if employed else None,
                "hours": rng.choice(("full_time", "part_time")) if employed else None,
                "contract": rng.choice(("permanent", "temporary")) if employed else None,
                "income_amount": Decimal(rng.randrange(2_000_000, 9_000_000, 1000))
                if employed else None,
                "income_currency": "IDR" if employed else None,
                "work_country": "ID" if employed else None,
                "work_city": rng.choice(("Jakarta", "Bandung", "Surabaya")) if employed else None,
                "relevance": rng.randint(1, 5) if employed else None,
                "education_level": rng.choice(("higher", "same", "lower", "none"))
                if employed else None,
                "workplace_level": rng.choice(("local", "national", "multinational"))
                if employed else None})
            responses[-1].update(rating_values({c: (rng.randint(1, 5), rng.randint(1, 5))
                                                for c in COMPETENCIES}))
    bulk(db, SurveyInvitation, invitations)
    bulk(db, SurveyResponse, responses)
    for p in programmes:
        for year in SURVEYED:
            fb = EmployerFeedback(institution_id=inst.id, employer_id=employer.id,
                                  programme_id=p.id, year=year)
            fb.ratings = [EmployerRating(competency=c, level=rng.choice(
                ("very_good", "good", "fair", "poor"))) for c in COMPETENCIES]
            db.session.add(fb)
    for year in range(2016, 2027):
        db.session.add(MinimumWage(country="ID", region="", year=year, currency="IDR",
                                   monthly_amount=Decimal("3500000")))
        db.session.add(MinimumWage(country="ID", region="jakarta", year=year, currency="IDR",
                                   monthly_amount=Decimal("5000000")))
    db.session.commit()
    return {"institution": inst, "programmes": programmes, "alumni": len(alumni),
            "employment": len(employment), "responses": len(responses)}


def settle(db) -> None:
    """What a live PostgreSQL database has after a big load and the seed skipped.

    The seed gave ids itself, so the id sequences move past them; and a live database has
    planner statistics (autovacuum gathers them within a minute of a big load) where one
    filled a second ago has none, which leaves the planner guessing on every join.
    """
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("alumnus", "survey_invitation", "survey_response"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def tracer_file(path: str, rng: random.Random, rows: int) -> None:
    """A tracer study file of `rows` graduates (the English headers of the import)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Student number", "Response", "Status", "Months to first job",
                    "Employer", "Job title", "Hours", "Contract", "Relevance",
                    "Education level needed", "Workplace level", "Monthly income", "Currency"])
        for n in range(1, rows + 1):
            response = rng.choice(("responded",) * 7 + ("no response",) * 2 + ("undeliverable",))
            if response != "responded":
                w.writerow([f"S{n:07d}", response] + [""] * 11)
                continue
            status = rng.choice(("wage employed", "self-employed", "further study",
                                 "unemployed seeking"))
            job = status in ("wage employed", "self-employed")
            w.writerow([f"S{n:07d}", response, status, rng.randint(0, 12) if job else "",
                        "PT Maju" if job else "", "Technician" if job else "",
                        "full-time" if job else "", "permanent" if job else "",
                        rng.randint(1, 5) if job else "", "same" if job else "",
                        "national" if job else "",
                        rng.randrange(2_000_000, 9_000_000, 1000) if job else "",
                        "IDR" if job else ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--tracer-rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    url, cleanup = database(args.database_url)
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    figures: dict = {"database": make_url(url).get_backend_name()}
    try:
        with app.app_context():
            db.create_all()
            t = time.perf_counter()
            seeded = seed(db, rng)
            figures["seed_s"] = round(time.perf_counter() - t, 2)
            settle(db)
            from app.reports.indicators import all_indicators, make_selection

            inst, programmes = seeded["institution"], seeded["programmes"]
            one = make_selection(inst, programmes[0], 2024, 12)
            t = time.perf_counter()
            cohort = all_indicators(one)
            figures["cohort_s"] = round(time.perf_counter() - t, 3)
            whole = make_selection(inst, programmes, [2022, 2023, 2024], 12)
            t = time.perf_counter()
            institution = all_indicators(whole)
            figures["institution_s"] = round(time.perf_counter() - t, 3)
            t = time.perf_counter()
            raw = db.session.execute(text(
                "SELECT r.status, count(*) FROM survey_response r "
                "JOIN alumnus a ON a.id = r.alumnus_id "
                "WHERE a.institution_id = :i AND a.programme_id = :p AND a.cohort_year = 2024 "
                "AND a.archived_at IS NULL GROUP BY r.status"),
                {"i": inst.id, "p": programmes[0].id}).all()
            figures["raw_aggregate_s"] = round(time.perf_counter() - t, 3)
            m1 = next(r for r in cohort if r.key == "M1.gross")
            assert m1.numerator == sum(n for _, n in raw), "the figure and the raw count differ"
            figures["figures_cohort"] = len(cohort)
            figures["figures_institution"] = len(institution)
            db.session.rollback()
            figures["tracer_import_s"] = time_tracer_import(db, inst, rng, args.tracer_rows)
            figures.update({"alumni": seeded["alumni"], "employment": seeded["employment"],
                            "responses": seeded["responses"]})
    finally:
        with app.app_context():
            cleanup()
    figures["peak_mb"] = peak_mb()
    print(json.dumps(figures))


def time_tracer_import(db, inst, rng: random.Random, rows: int) -> float | None:
    """Read, preview and commit a tracer study file through the pipeline (kind "tracer")."""
    from app.imports import services
    from app.imports.pipeline import clean_options, get_kind

    try:
        kind = get_kind("tracer")
    except Exception:  # noqa: BLE001 - the kind is not in this build
        print("The tracer import kind is not available: tracer_import_s not measured.",
              file=sys.stderr)
        return None
    path = os.path.join(tempfile.mkdtemp(prefix="bench-tracer-"), "tracer.csv")
    tracer_file(path, rng, rows)
    options = clean_options(kind, {"reference_months": "24", "survey_title": "Bench import"})
    t = time.perf_counter()
    result = services.import_file(path, "tracer", institution=inst, actor=None, dry_run=False,
                                  options=options)
    db.session.commit()
    elapsed = round(time.perf_counter() - t, 2)
    plan = result.plan
    print(f"tracer import: {plan.rows_read} rows read, {len(plan.errors)} row errors",
          file=sys.stderr)
    return elapsed


if __name__ == "__main__":
    main()
