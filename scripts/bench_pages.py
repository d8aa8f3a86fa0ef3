"""Measure the staff pages at a large register under a small concurrent load, beside a bare page.

    .venv/bin/python scripts/bench_pages.py                       # 100,000 alumni, SQLite
    .venv/bin/python scripts/bench_pages.py --alumni 1000
    .venv/bin/python scripts/bench_pages.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python scripts/bench_pages.py --sqlite-file /tmp/b100k.db   # build once, reuse
    .venv/bin/python scripts/bench_pages.py --existing-database-url postgresql://…/built_db
    .venv/bin/python scripts/bench_pages.py --redis-url redis://127.0.0.1:6379/5  # + flask worker

Builds the database with `flask db upgrade` and `flask seed-demo --alumni N` (employment
records, a tracer survey, events, exchanges, mentoring, contributions), then `flask
find-duplicates`; on PostgreSQL in a database of its own on the server named by --database-url,
dropped at the end. Starts the app with gunicorn and its production settings (gunicorn.conf.py:
2 workers x 4 threads, or as WEB_CONCURRENCY and GUNICORN_THREADS say; a generated SECRET_KEY,
BASE_URL on 127.0.0.1), and beside it, with the same settings, a bare Flask app whose one page
runs one indexed query and renders 50 rows. Signs in as the demo officer, visits each page
once and waits for the background jobs those visits queued (the landing page's figures,
counted once an hour; `settled:` says how long), then for each page keeps --connections
connections busy for --seconds (each a keep-alive HTTP client thread) and reports requests a
second, median and 99th percentile. Then the register export: the CSV of the
whole register (seconds, and the workers' peak memory), and the workbook job (seconds until its
file is ready). `uptime` is printed before and after: the machine may be shared.

The last line is one JSON object: register_p99_ms, search_p99_ms, dashboard_p99_ms,
engagement_p99_ms, worst_page_p99_ms (and which), ratio_to_bare (the slowest page's requests
a second / the bare page's), export_csv_s, export_csv_worker_peak_mb, export_xlsx_s, load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
OFFICER = ("officer@demo.alumnet.example", "demo-officer-pass")

BARE_APP = '''
import os
from flask import Flask
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["BARE_DATABASE_URL"], pool_size=8)
app = Flask(__name__)
PAGE = """<!doctype html><title>Alumni</title><table>
{% for r in rows %}<tr>
<td><a href="/alumni/{{ r.id }}">{{ r.given_name }} {{ r.family_name or "" }}</a></td>
<td>{{ r.student_number }}</td><td>{{ r.cohort_year }}</td><td>{{ r.email or "" }}</td>
</tr>{% endfor %}
</table>"""


# Compiled once, as Flask keeps a template file compiled: render_template_string compiled it
# again on every request, 1.2 of the page's 1.8 ms in one process (README, eighth session).
TEMPLATE = app.jinja_env.from_string(PAGE)


@app.get("/")
def page():
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, given_name, family_name, student_number, cohort_year, email "
            "FROM alumnus WHERE institution_id = :inst AND id > :after ORDER BY id LIMIT 50"),
            {"inst": 1, "after": 5000}).all()
    return TEMPLATE.render(rows=rows)
'''


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def flask(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([os.path.join(VENV_BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def make_database(args) -> tuple[str, callable]:
    """(SQLAlchemy URL, clean-up) of the database to measure."""
    if args.existing_database_url:  # built before (seeded if empty); kept
        from sqlalchemy.engine import make_url

        url = make_url(args.existing_database_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False), lambda: None
    if not args.database_url:
        path = args.sqlite_file or os.path.join(tempfile.mkdtemp(prefix="bench-pages-"),
                                                "bench.db")
        keep = bool(args.sqlite_file)
        return f"sqlite:///{path}", (lambda: None) if keep else (
            lambda: shutil.rmtree(os.path.dirname(path), ignore_errors=True))
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(args.database_url).set(drivername="postgresql+psycopg")
    name = f"alumnet_bench_pages_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False), drop


def build(url: str, alumni: int) -> dict:
    """Seed the register unless the database already holds one."""
    from sqlalchemy import create_engine, inspect, text

    env = {**os.environ, "ALUMNET_CONFIG": "development", "DATABASE_URL": url}
    engine = create_engine(url)
    has = "alumnus" in inspect(engine).get_table_names()
    if has:
        with engine.connect() as conn:
            has = bool(conn.execute(text("SELECT count(*) FROM alumnus")).scalar())
    times = {}
    times["upgrade_s"] = flask(env, "db", "upgrade")
    if not has:
        times["seed_s"] = flask(env, "seed-demo", "--alumni", str(alumni))
        times["duplicates_s"] = flask(env, "find-duplicates")
        with engine.begin() as conn:  # planner statistics, as autovacuum keeps them live
            conn.execute(text("ANALYZE"))
    with engine.connect() as conn:
        times["alumni"] = conn.execute(text("SELECT count(*) FROM alumnus")).scalar()
    times.update(page_ids(engine))
    engine.dispose()
    return times


def page_ids(engine) -> dict:
    """The survey and the record whose pages are measured."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return {"survey_id": conn.execute(text("SELECT min(id) FROM tracer_survey")).scalar(),
                "record_id": conn.execute(text(
                    "SELECT max(id) FROM alumnus WHERE archived_at IS NULL")).scalar()}


def wait_for_jobs(engine, tries: int = 600) -> int:
    """Wait (half a second at a time) until no job is queued or running; how many still are."""
    from sqlalchemy import text

    waiting = 0
    for _ in range(tries):
        with engine.connect() as conn:
            waiting = conn.execute(text(
                "SELECT count(*) FROM job WHERE status IN ('queued', 'running')")).scalar()
        if not waiting:
            break
        time.sleep(0.5)
    return waiting


def start(app_module: str, port: int, env: dict, cwd: str) -> subprocess.Popen:
    command = [os.path.join(VENV_BIN, "gunicorn"), "--config",
               os.path.join(ROOT, "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
               "--chdir", cwd, app_module]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn for {app_module} did not start on port {port}")


def workers(process: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def peak_mb(pids: list[int]) -> float:
    best = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        best = max(best, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return round(best, 1)


class Client:
    """A keep-alive HTTP client that carries the session cookie (secure or not: loopback)."""

    def __init__(self, port: int, cookies: dict | None = None) -> None:
        self.port, self.cookies, self.conn = port, dict(cookies or {}), None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";")[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, dict(response.getheaders()), data
        raise RuntimeError("unreachable")


def sign_in(port: int) -> dict:
    client = Client(port)
    _, _, page = client.request("GET", "/auth/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": OFFICER[0], "password": OFFICER[1]}
    if token:
        form["csrf_token"] = token.group(1).decode()
    status, headers, _ = client.request(
        "POST", "/auth/login", urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"sign-in failed ({status})")
    return client.cookies


def load(port: int, path: str, cookies: dict, connections: int, seconds: float) -> dict:
    """Keep `connections` clients busy on one page; latencies of the answered requests."""
    warm = Client(port, cookies)
    for _ in range(3):
        status, _, body = warm.request("GET", path)
    if status != 200:
        return {"status": status, "error": body[:200].decode(errors="replace")}
    size = len(body)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run() -> None:
        client, mine, bad = Client(port, cookies), [], 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            try:
                status, _, _ = client.request("GET", path)
            except OSError:
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - began)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    began = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    return {"requests": len(latencies), "failed": failures[0],
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": round(p99 * 1000, 1), "kb": round(size / 1024, 1)}


def pages(fetch: Callable[[str], bytes], info: dict, only: str | None = None) -> dict[str, str]:
    """The measured pages by name: their paths (`fetch(path)` reads a page as the officer,
    to find the register's page before the last); `only`: names separated by commas."""
    last = fetch("/alumni/?last=1")
    previous = re.search(rb'rel="prev" href="([^"]+)"', last)
    deep = previous.group(1).decode().replace("&amp;", "&") if previous else "/alumni/?page=2"
    every = {
        "register": "/alumni/",
        "register_deep": deep,
        "register_last": "/alumni/?last=1",
        "register_cohort_sort": "/alumni/?sort=cohort&dir=desc",
        "search_vietnamese": "/alumni/?q=nguyen+van+hung",
        "search_thai": "/alumni/?" + urlencode({"q": "สมชาย"}),
        "search_khmer": "/alumni/?" + urlencode({"q": "សុភា"}),
        "dashboard": "/dashboard",
        "tracer_campaign": f"/tracer/{info['survey_id']}",
        "tracer_stats_json": f"/tracer/{info['survey_id']}/stats.json",
        "engagement": "/engagement/rate",
        "exchange_figures": "/exchange/figures",
        "duplicates": "/duplicates/",
        "contribution_totals": "/contributions/totals",
        "alumnus_record": f"/alumni/{info['record_id']}",
        "outcomes": "/outcomes",
        "evidence_pack": "/reports",
    }
    chosen = set(only.split(",")) if only else set(every)
    return {name: path for name, path in every.items() if name in chosen}


def settle(url: str, port: int, cookies: dict, chosen: dict[str, str]) -> dict:
    """Visit each page once, then wait until the background jobs those first visits queued
    have finished (the landing page's figures, counted once an hour: seconds of CPU at
    100,000 alumni), so that the pages are measured as a server that has been running serves
    them; how long the jobs took is reported."""
    from sqlalchemy import create_engine

    client = Client(port, cookies)
    for path in chosen.values():
        client.request("GET", path)
    engine = create_engine(url)
    began = time.perf_counter()
    try:
        waiting = wait_for_jobs(engine)
    finally:
        engine.dispose()
    return {"jobs_waited_s": round(time.perf_counter() - began, 1),
            "jobs_still_running": waiting}


def export_csv(port: int, cookies: dict) -> tuple[float, int]:
    client = Client(port, cookies)
    began = time.perf_counter()
    status, _, body = client.request("GET", "/imports/export.csv")
    if status != 200:
        raise SystemExit(f"export failed ({status})")
    return round(time.perf_counter() - began, 2), body.count(b"\n") - 1


def export_xlsx(port: int, cookies: dict) -> float | None:
    client = Client(port, cookies)
    began = time.perf_counter()
    status, headers, _ = client.request("GET", "/imports/export.xlsx")
    job = re.search(r"/imports/export/jobs/(\d+)", headers.get("Location", ""))
    if status != 302 or not job:
        return None
    for _ in range(1200):
        _, _, state = client.request("GET", f"/jobs/{job.group(1)}.json")
        status_now = json.loads(state)["status"]
        if status_now in ("done", "failed"):
            return round(time.perf_counter() - began, 1) if status_now == "done" else None
        time.sleep(0.25)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alumni", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL server (a database is made on it)")
    parser.add_argument("--sqlite-file", help="build here and keep it (reused when it exists)")
    parser.add_argument("--existing-database-url",
                        help="measure this database (seeded first if empty), keep it")
    parser.add_argument("--connections", type=int, default=8, choices=range(8, 17),
                        metavar="8-16")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--redis-url", help="run the background jobs as the README's deployment "
                        "does: REDIS_URL set and a `flask worker` beside gunicorn (without it "
                        "they run in a thread of a web worker, beside the pages)")
    parser.add_argument("--pages", help="only these pages, by name, separated by commas "
                        "(the summary then names only what was measured)")
    args = parser.parse_args()

    url, clean_up = make_database(args)
    app_process = bare_process = job_worker = None
    bare_dir = tempfile.mkdtemp(prefix="bench-bare-")
    try:
        load_before = uptime()
        print(f"load before: {load_before}", flush=True)
        info = build(url, args.alumni)
        print(f"database: {json.dumps(info)}", flush=True)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(48),
               "BASE_URL": f"http://127.0.0.1:{args.port}", "GUNICORN_LOG_LEVEL": "warning",
               "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2")}
        env.pop("ALUMNET_CONFIG", None)  # unset: production
        env.pop("REDIS_URL", None)
        if args.redis_url:
            env["REDIS_URL"] = args.redis_url
            job_worker = subprocess.Popen(
                [os.path.join(VENV_BIN, "flask"), "worker"], cwd=ROOT,
                env={**env, "FLASK_APP": "wsgi"}, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        app_process = start("wsgi:app", args.port, env, ROOT)
        with open(os.path.join(bare_dir, "bench_bare_app.py"), "w") as out:
            out.write(BARE_APP)
        bare_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        bare_process = start("bench_bare_app:app", args.port + 1,
                             {**env, "BARE_DATABASE_URL": bare_url}, bare_dir)
        cookies = sign_in(args.port)
        officer = Client(args.port, cookies)
        measured_pages = pages(lambda path: officer.request("GET", path)[2], info, args.pages)
        settled = settle(url, args.port, cookies, measured_pages)
        print(f"settled: {json.dumps(settled)}", flush=True)
        results = {"bare": load(args.port + 1, "/", {}, args.connections, args.seconds)}
        print(f"{'bare':24} {json.dumps(results['bare'])}", flush=True)
        for name, path in measured_pages.items():
            results[name] = load(args.port, path, cookies, args.connections, args.seconds)
            print(f"{name:24} {json.dumps(results[name])}", flush=True)
        csv_s = csv_peak = xlsx_s = None
        if not args.pages:  # the exports only in a whole run
            csv_s, csv_rows = export_csv(args.port, cookies)
            csv_peak = peak_mb(workers(app_process))
            print(f"export csv: {csv_rows:,} rows in {csv_s} s; workers' peak {csv_peak} MB",
                  flush=True)
            xlsx_s = export_xlsx(args.port, cookies)
            print(f"export xlsx job: {xlsx_s} s", flush=True)
        load_after = uptime()
        print(f"load after: {load_after}", flush=True)
        measured = {k: v for k, v in results.items() if k != "bare" and "p99_ms" in v}
        worst = max(measured, key=lambda k: measured[k]["p99_ms"])
        slowest = min(measured, key=lambda k: measured[k]["rps"])
        searches = [measured[k]["p99_ms"] for k in measured if k.startswith("search")]
        summary = {
            "database": url.split(":")[0].split("+")[0],
            "server": f"{env['WEB_CONCURRENCY']} workers x "
                      f"{env.get('GUNICORN_THREADS', '4')} threads",
            "alumni": info["alumni"], "connections": args.connections,
            "register_p99_ms": measured.get("register", {}).get("p99_ms"),
            "register_deep_p99_ms": measured.get("register_deep", {}).get("p99_ms"),
            "search_p99_ms": max(searches) if searches else None,
            "dashboard_p99_ms": measured.get("dashboard", {}).get("p99_ms"),
            "engagement_p99_ms": measured.get("engagement", {}).get("p99_ms"),
            "worst_page_p99_ms": measured[worst]["p99_ms"], "worst_page": worst,
            "bare_rps": results["bare"]["rps"], "bare_p99_ms": results["bare"]["p99_ms"],
            "ratio_to_bare": round(measured[slowest]["rps"] / results["bare"]["rps"], 3),
            "slowest_page": slowest,
            "export_csv_s": csv_s, "export_csv_worker_peak_mb": csv_peak,
            "export_xlsx_s": xlsx_s,
            "jobs": "flask worker (Redis)" if args.redis_url else "in the web process",
            "failed_requests": sum(v.get("failed", 0) for v in results.values()),
            "load_before": load_before.split("load average: ")[-1],
            "load_after": load_after.split("load average: ")[-1],
        }
        print(json.dumps(summary), flush=True)
    finally:
        for process in (app_process, bare_process, job_worker):
            if process is not None:
                # the job worker at once: RQ's warm shutdown would wait for a job to finish
                os.killpg(process.pid, signal.SIGKILL if process is job_worker
                          else signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(bare_dir, ignore_errors=True)
        clean_up()


if __name__ == "__main__":
    sys.exit(main())
