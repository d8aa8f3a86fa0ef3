"""Time the accreditation evidence pack on a large register.

    .venv/bin/python scripts/bench_reports.py                       # SQLite in a temp file
    .venv/bin/python scripts/bench_reports.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Seeds the register of scripts/bench_indicators.py (100,000 alumni, about 10,000 graduates a
year, 300,000 employment records, 60,000 tracer responses with competency ratings, employer
answers), then, for one programme and for the whole institution over the cohorts 2022-2024
(framework ban-pt), times gathering the pack's figures once and writing each format from
them. A format's seconds (`html_s`, `xlsx_s`, `pdf_s`, `csv_s`) are the gathering plus its
own writing: what building that one format alone costs. The last line is one JSON object;
`html_s`, `xlsx_s` and `pdf_s` are the whole institution's. The dashboard is not built yet:
`dashboard_p50_ms` and `dashboard_p99_ms` are null.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_indicators import database, peak_mb, seed  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

YEARS = (2022, 2023, 2024)


def time_pack(content_args: dict, label: str, figures: dict) -> None:
    """Gather once, then write every format; record seconds per format under `label`."""
    from app.packs.content import PackRequest, gather
    from app.packs.render import write_formats

    request = PackRequest(**content_args)
    t = time.perf_counter()
    content = gather(request, built_by="bench")
    gathered = time.perf_counter() - t
    figures[f"{label}_gather_s"] = round(gathered, 2)
    for fmt in ("html", "xlsx", "csv", "pdf"):
        t = time.perf_counter()
        body = write_formats(content, (fmt,))[fmt]
        figures[f"{label}_{fmt}_write_s"] = round(time.perf_counter() - t, 2)
        figures[f"{label}_{fmt}_s"] = round(gathered + time.perf_counter() - t, 2)
        figures[f"{label}_{fmt}_bytes"] = len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    url, cleanup = database(args.database_url)
    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    figures: dict = {"database": make_url(url).get_backend_name()}
    try:
        with app.app_context():
            db.create_all()
            t = time.perf_counter()
            seeded = seed(db, random.Random(args.seed))
            figures["seed_s"] = round(time.perf_counter() - t, 2)
            inst, programmes = seeded["institution"], seeded["programmes"]
            base = {"institution_id": inst.id, "framework": "ban-pt", "years": YEARS}
            time_pack({**base, "programme_ids": (programmes[0].id,)}, "programme", figures)
            time_pack({**base, "programme_ids": ()}, "institution", figures)
            figures.update({"alumni": seeded["alumni"], "employment": seeded["employment"],
                            "responses": seeded["responses"]})
    finally:
        with app.app_context():
            cleanup()
    figures["peak_mb"] = peak_mb()
    figures.update({"html_s": figures["institution_html_s"],
                    "xlsx_s": figures["institution_xlsx_s"],
                    "pdf_s": figures["institution_pdf_s"],
                    "dashboard_p50_ms": None, "dashboard_p99_ms": None})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
