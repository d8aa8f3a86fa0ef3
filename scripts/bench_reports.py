"""Time the accreditation evidence pack on a large register.

    .venv/bin/python scripts/bench_reports.py                       # SQLite in a temp file
    .venv/bin/python scripts/bench_reports.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Seeds the register of scripts/bench_indicators.py (100,000 alumni, about 10,000 graduates a
year, 300,000 employment records, 60,000 tracer responses with competency ratings, employer
answers), then, for one programme and for the whole institution over the cohorts 2022-2024
(framework ban-pt), times gathering the pack's figures once and writing each format from
them. A format's seconds (`html_s`, `xlsx_s`, `pdf_s`, `csv_s`) are the gathering plus its
own writing, and the charts for HTML and PDF: what building that one format alone costs.
Then it counts the landing page's figures (`dashboard_refresh_s`, the background job's
work), serves the app with gunicorn on 127.0.0.1 (the repository's gunicorn.conf.py: 2
workers x 4 threads; the production configuration with a generated SECRET_KEY, as a
deployment runs it) and asks for the landing page /dashboard as a signed-in officer from 8
threads, 400 times after 20 to warm up; only loopback is used, and the load stops by itself.
The last line is one JSON object; `html_s`, `xlsx_s` and `pdf_s` are the whole
institution's, `dashboard_p50_ms` and `dashboard_p99_ms` the page's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_indicators import database, peak_mb, seed, settle  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

YEARS = (2022, 2023, 2024)


def time_pack(content_args: dict, label: str, figures: dict) -> None:
    """Gather once, then write every format; record seconds per format under `label`. The
    charts are drawn only for the formats that show them (HTML, PDF), as a build does."""
    from app.packs.charts import draw_charts
    from app.packs.content import CHART_FORMATS, PackRequest, gather
    from app.packs.render import write_formats

    request = PackRequest(**content_args)
    t = time.perf_counter()
    content = gather(request, built_by="bench", charts=False)
    gathered = time.perf_counter() - t
    figures[f"{label}_gather_s"] = round(gathered, 2)
    t = time.perf_counter()
    content.charts = draw_charts(content)
    drawn = time.perf_counter() - t
    figures[f"{label}_charts_s"] = round(drawn, 2)
    for fmt in ("html", "xlsx", "csv", "pdf"):
        t = time.perf_counter()
        body = write_formats(content, (fmt,))[fmt]
        written = time.perf_counter() - t
        figures[f"{label}_{fmt}_write_s"] = round(written, 2)
        figures[f"{label}_{fmt}_s"] = round(
            gathered + (drawn if fmt in CHART_FORMATS else 0) + written, 2)
        figures[f"{label}_{fmt}_bytes"] = len(body)


def time_dashboard(url: str, email: str, password: str, figures: dict,
                   requests: int = 400, threads: int = 8) -> None:
    """The landing page's response times under a small concurrent load, served by gunicorn
    with the production settings (as a deployment runs it: figures kept, not recounted)."""
    from bench_pages import ROOT, Client, start

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(48),
           "BASE_URL": f"http://127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning",
           "WEB_CONCURRENCY": "2"}
    env.pop("ALUMNET_CONFIG", None)  # unset: production
    env.pop("REDIS_URL", None)
    server = start("wsgi:app", port, env, ROOT)
    try:
        client = Client(port)
        _, _, page = client.request("GET", "/auth/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        form = {"email": email, "password": password, "csrf_token": token.group(1).decode()}
        status, _, _ = client.request("POST", "/auth/login", urllib.parse.urlencode(
            form).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise SystemExit(f"sign-in failed ({status})")
        local = threading.local()

        def one(_n: int) -> float:
            if not hasattr(local, "client"):  # one keep-alive connection per thread
                local.client = Client(port, client.cookies)
            started = time.perf_counter()
            status, _, body = local.client.request("GET", "/dashboard")
            if status != 200 or b"Response rate" not in body:
                raise RuntimeError(f"the landing page did not show the figures ({status})")
            return (time.perf_counter() - started) * 1000

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one, range(20)))
            times = sorted(pool.map(one, range(requests)))
        figures["dashboard_p50_ms"] = round(times[len(times) // 2], 1)
        figures["dashboard_p99_ms"] = round(times[int(len(times) * 0.99) - 1], 1)
        figures["dashboard_requests"] = requests
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers: our own group
        server.wait(30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
            settle(db)
            figures["seed_s"] = round(time.perf_counter() - t, 2)
            inst, programmes = seeded["institution"], seeded["programmes"]
            base = {"institution_id": inst.id, "framework": "ban-pt", "years": YEARS}
            time_pack({**base, "programme_ids": (programmes[0].id,)}, "programme", figures)
            time_pack({**base, "programme_ids": ()}, "institution", figures)
            from app.auth.models import User
            from app.packs.dashboard import refresh_dashboard

            officer = User(email="officer@bench.example.org", role="officer",
                           institution_id=inst.id, full_name="Bench Officer")
            officer.set_password("bench-lantern-orbit")
            db.session.add(officer)
            t = time.perf_counter()
            refresh_dashboard(inst.id)
            db.session.commit()
            figures["dashboard_refresh_s"] = round(time.perf_counter() - t, 2)
            db.session.remove()
            if figures["database"] == "sqlite" or args.database_url:
                time_dashboard(url, "officer@bench.example.org", "bench-lantern-orbit",
                               figures)
            figures.update({"alumni": seeded["alumni"], "employment": seeded["employment"],
                            "responses": seeded["responses"]})
    finally:
        with app.app_context():
            cleanup()
    figures["peak_mb"] = peak_mb()
    figures.update({"html_s": figures["institution_html_s"],
                    "xlsx_s": figures["institution_xlsx_s"],
                    "pdf_s": figures["institution_pdf_s"]})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
