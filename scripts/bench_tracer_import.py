"""Benchmark the tracer import: a 100,000-row past tracer study, preview, commit, re-import.

    .venv/bin/python scripts/bench_tracer_import.py [--rows 100000] [--seed 7]
        [--database-url postgresql://postgres@127.0.0.1:5432/test] [--national]

Seeds a fresh database (SQLite, or with --database-url a database made on that PostgreSQL
server and dropped afterwards) with one institution, 10 programmes and as many graduates as
rows, writes a seeded tracer study file (English headers, or with --national the Indonesian
national layout: respondents only, f-codes), and times the preview, the commit and the
re-import of the same file through the import pipeline. Then, as the raw baseline in the same
run, writes the same rows again (invitations, employment records, answers with their
ratings, into a second survey) with the database driver alone: ready-made tuples in one
transaction, an executemany on SQLite and a binary COPY on PostgreSQL, commit included,
against the same tables, indexes and constraints. Prints the figures and the commit's ratio
to the raw baseline, then one line of JSON.

Other benchmarks reuse the parts: `write_tracer_file(path, student_numbers, seed=...)` writes
a file for graduates already in a register, and `time_tracer_import(path, institution,
reference_months=12)` previews and commits it (in an app context) and returns the seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

STATUSES = ["wage employed"] * 55 + ["self-employed"] * 12 + ["further study"] * 10 + [
    "unemployed seeking"] * 12 + ["not in labour force"] * 6 + ["military service"] * 3 + [
    "ordination"] * 2
F8 = {"wage employed": "1", "self-employed": "3", "further study": "4",
      "unemployed seeking": "5", "not in labour force": "2"}
EMPLOYERS = ["PT Astra International Tbk", "Bank Mandiri", "Siam Cement Group",
             "Petronas Dagangan Bhd", "Jollibee Foods Corp", "Vinamilk", "Toyota Motor",
             "Grab", "Telkom Indonesia", "CP Foods", "Maybank", "SM Prime"]
JOBS = ["Technician", "Mechanic", "Accounting clerk", "Cook", "Sales assistant",
        "IT support", "Machine operator", "Nurse aide", "Welder", "Designer"]
COMPETENCY_HEADERS = [(f"{label} at graduation", f"{label} required now") for label in (
    "Ethics", "Expertise", "English", "IT", "Communication", "Teamwork", "Self-development")]
ENGLISH_HEADER = ["Student number", "Response", "Status", "Months to first job", "Employer",
                  "Job title", "Hours", "Contract", "Relevance", "Education level needed",
                  "Workplace level", "Monthly income", "Currency",
                  *(h for pair in COMPETENCY_HEADERS for h in pair),
                  "Further study institution"]
NATIONAL_HEADER = ["Kode Pt", "Kode Prodi", "Nomor Mhs", "Nama", "Tahun Lulus", "f8", "f502",
                   "f505", "f5b", "f5d", "f14", "f15",
                   *(f"f{c}" for c in range(1761, 1775)), "f18b"]


def _answers(rng: random.Random) -> dict[str, str]:
    status = rng.choice(STATUSES)
    out = {"status": status}
    if status in ("wage employed", "self-employed"):
        out.update(months=str(rng.choice([0, 0, 1, 2, 3, 4, 6, 8, 12, 18])),
                   employer=rng.choice(EMPLOYERS) if status == "wage employed" else "",
                   job=rng.choice(JOBS), hours=rng.choice(["full-time"] * 4 + ["part-time"]),
                   contract=rng.choice(["permanent", "temporary", "freelance"]),
                   relevance=str(rng.randint(1, 5)),
                   level=rng.choice(["higher", "same", "same", "lower", "none"]),
                   workplace=rng.choice(["local", "national", "multinational"]),
                   income=str(rng.randrange(3_000_000, 15_000_000, 50_000)))
    if status == "further study":
        out["study"] = rng.choice(["Universitas Indonesia", "ITB", "UGM"])
    out["levels"] = [str(rng.randint(1, 5)) for _ in range(14)]
    return out


def write_tracer_file(path: str, student_numbers: list[str], *, seed: int = 7,
                      national: bool = False, response_rate: float = 0.7) -> int:
    """Write a tracer study file for these graduates; returns the rows written."""
    rng = random.Random(seed)
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(NATIONAL_HEADER if national else ENGLISH_HEADER)
        for number in student_numbers:
            roll = rng.random()
            responded = roll < response_rate
            if national and not responded:
                continue
            a = _answers(rng) if responded else None
            if national:
                levels = {"higher": "1", "same": "2", "lower": "3", "none": "4"}
                out.writerow(["001001", "57401", number, "", "", F8.get(a["status"], "2"),
                              a.get("months", ""), a.get("income", ""), a.get("employer", ""),
                              {"local": "1", "national": "2", "multinational": "3"}.get(
                                  a.get("workplace", ""), ""),
                              str(6 - int(a["relevance"])) if a.get("relevance") else "",
                              levels.get(a.get("level", ""), ""), *a["levels"],
                              a.get("study", "")])
            elif a is None:
                out.writerow([number, "undeliverable" if roll > 0.95 else "no response"]
                             + [""] * (len(ENGLISH_HEADER) - 2))
            else:
                out.writerow([number, "responded", a["status"], a.get("months", ""),
                              a.get("employer", ""), a.get("job", ""), a.get("hours", ""),
                              a.get("contract", ""), a.get("relevance", ""),
                              a.get("level", ""), a.get("workplace", ""),
                              a.get("income", ""), "IDR" if a.get("income") else "",
                              *a["levels"], a.get("study", "")])
            written += 1
    return written


def time_tracer_import(path: str, institution, *, reference_months: int = 12,
                       actor=None) -> dict[str, float]:
    """Preview and commit a tracer file through the pipeline (as the command line does, in
    the current app context); returns {"preview_s", "commit_s", "rows"}."""
    from app.extensions import db
    from app.imports import pipeline as P

    kind = P.get_kind("tracer")
    options = P.clean_options(kind, {"reference_months": str(reference_months)})
    with open(path, "rb") as fh:
        data = fh.read()
    started = time.perf_counter()
    ctx = P.ImportContext(institution, actor, options=options)
    batch = P.start_batch(data, path, kind, ctx)
    batch.options = options
    ctx.batch = batch
    plan = P.preview_batch(batch, dict(batch.mapping or {}), ctx)
    db.session.commit()
    previewed = time.perf_counter()
    P.commit_batch(batch, ctx)
    db.session.commit()
    committed = time.perf_counter()
    return {"preview_s": round(previewed - started, 2), "commit_s": round(committed - previewed, 2),
            "rows": plan.rows_read, "created": plan.create, "rejected": plan.reject}


def seed_register(institution_code: str, n: int, seed: int) -> list[str]:
    """One institution, 10 programmes, n graduates (cohorts 2022-2024); their numbers."""
    from sqlalchemy import insert

    from app.alumni.models import Alumnus, Institution, Programme
    from app.extensions import db

    rng = random.Random(seed)
    institution = Institution(code=institution_code, name="Politeknik Bench", country="ID",
                              kind="polytechnic", is_home=True)
    db.session.add(institution)
    db.session.flush()
    programmes = [Programme(institution_id=institution.id, code=f"P{i}", name=f"Programme {i}",
                            level="diploma", study_area="it") for i in range(10)]
    db.session.add_all(programmes)
    db.session.flush()
    numbers = [f"{2000000 + i}" for i in range(n)]
    rows = []
    for number in numbers:
        year = rng.choice([2022, 2023, 2024])
        rows.append({"institution_id": institution.id, "student_number": number,
                     "given_name": "Graduate", "family_name": number, "search_text": number,
                     "email": f"g{number}@example.org", "cohort_year": year,
                     "graduation_date": date(year, rng.choice([6, 9, 12]), 30),
                     "programme_id": rng.choice(programmes).id, "status": "active",
                     "directory_visible": False, "version": 1})
    for start in range(0, n, 10_000):
        db.session.execute(insert(Alumnus.__table__), rows[start:start + 10_000])
    db.session.commit()
    return numbers


RAW_TABLES = {  # table: {column: the table whose id it holds (its offset is added)}
    "survey_invitation": {"id": "survey_invitation"},
    "employment": {"id": "employment"},
    "survey_response": {"id": "survey_response", "invitation_id": "survey_invitation",
                        "employment_id": "employment"},
}


def raw_write_seconds(survey_id: int) -> float:
    """Write the rows the import wrote for this survey again, into a new survey, with the
    driver alone (no planning, no ORM); returns the seconds of the writes and the commit."""
    from app.employment.models import TracerSurvey
    from app.extensions import db

    old = db.session.get(TracerSurvey, survey_id)
    copy = TracerSurvey(institution_id=old.institution_id, title="Raw baseline",
                        reference_months=old.reference_months, opens_on=old.opens_on,
                        closes_on=old.closes_on)
    db.session.add(copy)
    db.session.commit()
    new_id = copy.id
    engine = db.engine
    tables = {}
    with engine.connect() as conn:
        offsets = {t: conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {t}").scalar()
                   for t in RAW_TABLES}
        for table, shifts in RAW_TABLES.items():
            cursor = conn.exec_driver_sql(
                f"SELECT * FROM {table} WHERE survey_id = {survey_id} ORDER BY id")
            names = list(cursor.keys())
            rows = [list(r) for r in cursor.all()]
            for i, name in enumerate(names):
                if name == "survey_id":
                    for r in rows:
                        r[i] = new_id
                elif name in shifts:
                    off = offsets[shifts[name]]
                    for r in rows:
                        r[i] = None if r[i] is None else r[i] + off
            tables[table] = (names, [tuple(r) for r in rows])
    raw = engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        for table, (names, rows) in tables.items():
            if engine.dialect.name == "postgresql":
                cursor.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t "
                               "ON t.oid = a.atttypid WHERE a.attrelid = %s::regclass",
                               (table,))
                types = dict(cursor.fetchall())
                with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN "
                                 "(FORMAT BINARY)") as out:
                    out.set_types([types[n] for n in names])
                    for row in rows:
                        out.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                                   f"({', '.join('?' * len(names))})", rows)
        raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


@contextlib.contextmanager
def _database(url: str | None, folder: str) -> Iterator[str]:
    if not url:
        yield f"sqlite:///{os.path.join(folder, 'bench.db')}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url).set(drivername="postgresql+psycopg")
    name = f"tracer_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    from app import create_app
    from app.alumni.models import Institution
    from app.extensions import db

    with tempfile.TemporaryDirectory() as folder, _database(args.database_url, folder) as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, IMPORT_FOLDER=folder,
                         IMPORT_MAX_ROWS=max(args.rows, 200_000))
        with app.app_context():
            db.create_all()
            numbers = seed_register("BENCH", args.rows, args.seed)
            path = os.path.join(folder, "tracer.csv")
            write_tracer_file(path, numbers, seed=args.seed, national=args.national)
            institution = db.session.query(Institution).filter_by(code="BENCH").one()
            first = time_tracer_import(path, institution)
            again = time_tracer_import(path, institution)
            from app.employment.models import TracerSurvey
            survey_id = db.session.query(TracerSurvey.id).filter_by(
                institution_id=institution.id).scalar()
            raw_s = round(raw_write_seconds(survey_id), 2)
            db.session.remove()
            db.engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{first['rows']:,} rows ({'national layout' if args.national else 'English'}) on "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}: preview {first['preview_s']} s, "
          f"commit {first['commit_s']} s; re-import preview {again['preview_s']} s, "
          f"commit {again['commit_s']} s; peak {peak_mb:.0f} MB")
    print(f"raw baseline (the same rows by the driver alone, commit included): {raw_s} s; "
          f"import commit / raw = {first['commit_s'] / raw_s:.2f}")
    print(json.dumps({"raw_s": raw_s, "ratio_to_raw": round(first["commit_s"] / raw_s, 2),
                      "rows": first["rows"], "preview_s": first["preview_s"],
                      "commit_s": first["commit_s"], "reimport_preview_s": again["preview_s"],
                      "reimport_commit_s": again["commit_s"], "created": first["created"],
                      "reimport_created": again["created"], "peak_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
