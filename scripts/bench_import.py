"""Benchmark the registrar import: 100,000 rows, preview, commit, re-import, duplicate scan.

    .venv/bin/python scripts/bench_import.py [--rows 100000] [--seed 7] [--keep DIR]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

Generates a seeded, realistic registrar file (names from the region in several scripts,
dates in mixed formats, about 1% rows with errors and 0.5% people entered twice under a
second student number), imports it into a fresh SQLite database, and compares the commit with
a plain `sqlite3` executemany insert of the same rows measured in the same run. With
--database-url (PostgreSQL) the import goes into a fresh database made on that server (and
dropped afterwards), and the baseline is a plain psycopg executemany of the same rows there.
Prints the figures, then one line of JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

GIVEN = ["Somchai", "Siriporn", "Nguyễn Thị", "Trần Văn", "Ahmad", "Nur Aisyah", "Maria",
         "Juan", "Dewi", "Budi", "Sokha", "Dara", "Aung", "Thandar", "Wei Ling", "Kumar",
         "สมชาย", "สุดา", "Phạm Minh", "Lê Thu", "Rizal", "Siti", "Jose", "Ana", "Vanna",
         "Chanthy", "Khin", "Zaw", "Mei", "Arjun"]
FAMILY = ["Jaidee", "Srisuk", "Hoa", "Nam", "bin Ismail", "binti Hassan", "Santos",
          "dela Cruz", "Lestari", "Santoso", "Chan", "Kim", "Kyaw", "Win", "Tan", "Raj",
          "ใจดี", "มีสุข", "Long", "Hà", "Pratama", "Rahayu", "Reyes", "Garcia", "Sok",
          "Meas", "Myint", "Oo", "Lim", "Nair"]
MIDDLE = ["Anh", "Binh", "Chau", "Dung", "Hanh", "Khanh", "Linh", "Minh", "Ngoc", "Phuong",
          "Quang", "Thanh", "Tuan", "Xuan", "Rosa", "Luz", "Cristina", "Ramon", "Ahmad",
          "Hakim", "Farah", "Putri", "Eka", "Wati", "Sari", "Chai", "Porn", "Nida", "Kyi",
          "Htun", "Sophea", "Rith", "Mei", "Hui", "Jun", "Devi", "Kumar", "Lakshmi", "Arif",
          "Yusof"]
CITIES = ["Chiang Mai", "Hà Nội", "Kuala Lumpur", "Manila", "Jakarta", "Phnom Penh",
          "Yangon", "Bangkok", "Cebu", "Surabaya", "Penang", "Đà Nẵng"]
COUNTRIES = ["TH", "VN", "MY", "PH", "ID", "KH", "MM"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DIAL = {"TH": 66, "VN": 84, "MY": 60, "PH": 63, "ID": 62, "KH": 855, "MM": 95}
PROGRAMMES = ["DIT", "DME", "DHT", "DBA", "DAG", "DHS", "DMM", "CEL", "CWE", "HDA"]
HEADER = ["Student No", "First Name", "Surname", "Email", "Mobile", "Country", "City", "Sex",
          "Date of Birth", "Programme", "Graduation Date", "Cohort"]


def _date(rng: random.Random, year: int, month: int, day: int) -> str:
    style = rng.random()
    if style < 0.5:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if style < 0.8:
        return f"{day:02d}/{month:02d}/{year:04d}"
    return f"{day:02d}-{MONTHS[month - 1]}-{year:04d}"


def generate(path: str, rows: int, seed: int) -> dict[str, int]:
    """Write the registrar file; returns how many error and duplicate rows it planted."""
    rng = random.Random(seed)
    planted = {"errors": 0, "duplicates": 0}
    people = []
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            if people and rng.random() < 0.005:  # the same person again, new student number
                row = list(rng.choice(people))
                row[0] = f"R{2_000_000 + i}"
                planted["duplicates"] += 1
            else:
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                if rng.random() < 0.8:  # most people have a second given name
                    given = f"{given} {rng.choice(MIDDLE)}"
                cohort = rng.randint(2012, 2025)
                country = rng.choice(COUNTRIES)
                row = [
                    f"S{cohort % 100:02d}{i:07d}", given, family,
                    f"student{i}.{cohort}@mail{rng.randint(1, 40)}.example.org",
                    f"+{DIAL[country]}{rng.randint(810_000_000, 899_999_999)}",
                    country, rng.choice(CITIES), rng.choice(["F", "M", "female", "male", ""]),
                    _date(rng, cohort - rng.randint(19, 24), rng.randint(1, 12),
                          rng.randint(1, 28)),
                    rng.choice(PROGRAMMES),
                    _date(rng, cohort, rng.choice([3, 6, 7, 11]), rng.randint(1, 28)),
                    str(cohort),
                ]
                if rng.random() < 0.01:  # one planted error of a kind
                    kind = rng.randrange(5)
                    if kind == 0:
                        row[3] = row[3].replace("@", " at ")
                    elif kind == 1:
                        row[10] = "31/02/" + row[11]
                    elif kind == 2:
                        row[9] = "XXX"
                    elif kind == 3:
                        row[1] = ""
                    else:
                        row[0] = people[-1][0] if people else row[0]
                    planted["errors"] += 1
                else:
                    people.append(row)
            writer.writerow(row)
    return planted


def raw_insert_seconds(records: list[dict], ddl: str, folder: str) -> tuple[float, float]:
    """A plain sqlite3 executemany of the same rows into a table of the same shape."""
    path = os.path.join(folder, "raw.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(ddl)
    columns = list(records[0])
    sql = (f"INSERT INTO alumnus ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    values = [tuple(r[c] for c in columns) for r in records]
    start, cpu = time.perf_counter(), time.process_time()
    conn.executemany(sql, values)
    conn.commit()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return seconds, cpu


def raw_insert_seconds_pg(records: list[dict], ddl: str, url: str) -> tuple[float, float]:
    """A plain psycopg executemany of the same rows into a table of the same shape."""
    import psycopg

    columns = list(records[0])
    sql = (f"INSERT INTO alumnus ({', '.join(columns)}) "
           f"VALUES ({', '.join('%s' for _ in columns)})")
    values = [tuple(r[c] for c in columns) for r in records]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        # Its own schema, so its constraint names are free; the foreign keys still find the
        # institution and programme tables, as the import's do.
        conn.execute("CREATE SCHEMA raw")
        conn.execute("SET search_path TO raw, public")
        conn.execute(ddl)
        conn.commit()
        start, cpu = time.perf_counter(), time.process_time()
        with conn.cursor() as cursor:
            cursor.executemany(sql, values)
        conn.commit()
        return time.perf_counter() - start, time.process_time() - cpu


@contextlib.contextmanager
def scratch_postgres(url: str):
    """A fresh database on the server of `url`, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(url).set(drivername="postgresql+psycopg")
    name = f"alumnet_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", default=None, help="keep the files in this folder")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to measure on instead of SQLite")
    args = parser.parse_args()
    if args.database_url:
        with scratch_postgres(args.database_url) as url:
            run(args, url)
    else:
        run(args, None)


def run(args: argparse.Namespace, database_url: str | None) -> None:

    folder = args.keep or tempfile.mkdtemp(prefix="alumnet-bench-")
    os.makedirs(folder, exist_ok=True)
    csv_path = os.path.join(folder, "registrar.csv")
    db_path = os.path.join(folder, "bench.db")
    for p in (db_path, os.path.join(folder, "raw.db")):
        if os.path.exists(p):
            os.remove(p)

    t = time.perf_counter()
    planted = generate(csv_path, args.rows, args.seed)
    gen_s = time.perf_counter() - t
    size_mb = os.path.getsize(csv_path) / 1e6

    from sqlalchemy import func, select
    from sqlalchemy.schema import CreateTable

    from app import create_app
    from app.alumni.models import Alumnus, Institution, Programme
    from app.extensions import db
    from app.imports import pipeline as P
    from app.imports.duplicates import scan_duplicates

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url or f"sqlite:///{db_path}",
                     IMPORT_FOLDER=os.path.join(folder, "imports"))
    with app.app_context():
        db.create_all()
        home = Institution(code="BENCH", name="Bench Polytechnic", country="TH", is_home=True)
        db.session.add(home)
        db.session.flush()
        for code in PROGRAMMES:
            db.session.add(Programme(institution_id=home.id, code=code, name=code,
                                     level="diploma", study_area="it"))
        db.session.commit()
        kind = P.get_kind("alumni")

        def preview():
            with open(csv_path, "rb") as fh:
                data = fh.read()
            raw, _ = P.read_table(data, csv_path)
            headers = [c for c in raw.columns if c != "_row"]
            ctx = P.ImportContext(home, None)
            return P.plan_frame(raw, P.suggest_mapping(headers, kind, home.id), kind, ctx)

        t, c = time.perf_counter(), time.process_time()
        plan = preview()
        preview_s, preview_cpu = time.perf_counter() - t, time.process_time() - c
        peaks = {"after_preview": peak_mb()}

        create = plan.payload["create"]
        records = create.astype(object).where(create.notna(), None).to_dict("records")
        now = datetime(2026, 1, 1) if database_url else "2026-01-01 00:00:00"
        for r in records:
            for k, v in r.items():
                if hasattr(v, "isoformat"):  # plain dates: ISO text for sqlite3, date for psycopg
                    r[k] = (v.date() if hasattr(v, "date") else v) if database_url \
                        else v.isoformat()
            r.update(institution_id=home.id, directory_visible=False, version=1,
                     created_at=now, updated_at=now)
        ddl = str(CreateTable(Alumnus.__table__).compile(db.engine)).strip()
        if database_url:
            raw_s, raw_cpu = raw_insert_seconds_pg(records, ddl, database_url)
        else:
            raw_s, raw_cpu = raw_insert_seconds(records, ddl, folder)
        del records

        t, c = time.perf_counter(), time.process_time()
        P.commit_plan(plan, kind, P.ImportContext(home, None))
        db.session.commit()
        commit_s, commit_cpu = time.perf_counter() - t, time.process_time() - c
        peaks["after_commit"] = peak_mb()
        created, rejected = plan.create, plan.reject
        del plan, create
        stored = db.session.scalar(select(func.count(Alumnus.id)))

        t, c = time.perf_counter(), time.process_time()
        again = preview()
        P.commit_plan(again, kind, P.ImportContext(home, None))
        db.session.commit()
        reimport_s, reimport_cpu = time.perf_counter() - t, time.process_time() - c

        t = time.perf_counter()
        duplicates = scan_duplicates(home, actor=None)
        db.session.commit()
        duplicates_s = time.perf_counter() - t

    figures = {
        "database": "postgresql" if database_url else "sqlite",
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "planted_errors": planted["errors"],
        "planted_duplicates": planted["duplicates"],
        "created": created,
        "rejected": rejected,
        "generate_s": round(gen_s, 2),
        "preview_s": round(preview_s, 2),
        "commit_s": round(commit_s, 2),
        "rows_per_s": int(created / commit_s),
        "preview_cpu_s": round(preview_cpu, 2),
        "commit_cpu_s": round(commit_cpu, 2),
        "reimport_cpu_s": round(reimport_cpu, 2),
        "raw_insert_s": round(raw_s, 3),
        "ratio_to_raw": round(commit_s / raw_s, 1),
        "raw_insert_cpu_s": round(raw_cpu, 3),
        "ratio_to_raw_cpu": round(commit_cpu / raw_cpu, 1),
        "reimport_s": round(reimport_s, 2),
        "reimport_unchanged": again.unchanged,
        "reimport_created": again.create,
        "reimport_updated": again.update,
        "duplicates_found": duplicates,
        "duplicate_scan_s": round(duplicates_s, 2),
        "peak_mb": round(peak_mb(), 0),
        "peak_after_preview_mb": round(peaks["after_preview"], 0),
        "peak_after_commit_mb": round(peaks["after_commit"], 0),
        "stored": stored,
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    for key, value in figures.items():
        print(f"{key:>20}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
