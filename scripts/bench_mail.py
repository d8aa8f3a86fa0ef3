"""Benchmark: a tracer survey campaign of N invitations through the real campaign code path
(start_sending -> background job -> deliver -> send_bulk over one SMTP connection per round),
against a bare smtplib loop sending the same number of ready-made messages over one
connection, both to the same local SMTP sink (aiosmtpd on loopback, in its own process).

    .venv/bin/python scripts/bench_mail.py [--invitations 10000] [--database-url URL]

Prints the figures and ends with one line of JSON: messages_per_s, bare_per_s,
ratio_to_bare (goal >= 0.6) and the details.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import smtplib
import sys
import tempfile
import time
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _sink(port_queue, counter) -> None:
    """An SMTP server that accepts and counts messages (runs in its own process)."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with counter.get_lock():
                counter.value += 1
            return "250 Message accepted"

    import socket

    with socket.socket() as probe:  # aiosmtpd's readiness check needs a real port number
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    port_queue.put(port)
    try:
        asyncio.run(asyncio.sleep(10**6))
    finally:
        controller.stop()


def _seed(n: int):
    """A home institution, one programme, n alumni of cohort 2024 and a tracer survey."""
    from sqlalchemy import insert

    from app.alumni.models import Alumnus, Institution, Programme
    from app.auth.models import User
    from app.employment import tracer
    from app.extensions import db

    institution = Institution(code="BENCH", name="Bench Polytechnic", country="TH",
                              is_home=True)
    db.session.add(institution)
    db.session.flush()
    programme = Programme(institution_id=institution.id, code="DME", name="Mechatronics",
                          level="diploma", study_area="mechatronics")
    officer = User(email="officer@bench.example", role="officer", full_name="Bench officer",
                   institution_id=institution.id)
    db.session.add_all([programme, officer])
    db.session.flush()
    db.session.execute(insert(Alumnus), [
        {"institution_id": institution.id, "student_number": f"B{i:07d}",
         "given_name": f"Given{i}", "family_name": f"Family{i}", "search_text": "",
         "email": f"graduate{i}@example.org", "programme_id": programme.id,
         "cohort_year": 2024, "graduation_date": date(2024, 6, 30), "status": "active",
         "directory_visible": False, "version": 1}
        for i in range(n)
    ])
    survey = tracer.create_survey(
        tracer.SurveyData(title="Graduates 2024", reference_months=12,
                          opens_on=date.today(), closes_on=date.today() + timedelta(days=30),
                          cohorts=[(programme.id, 2024)]),
        institution_id=institution.id, actor=officer)
    db.session.commit()
    return survey.id, officer.id


def _bare(port: int, messages: list[tuple[str, bytes]]) -> float:
    """Seconds for a plain smtplib loop over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("alumni-office@alumnet.local", [to], data)
    return time.perf_counter() - started


def _bare_messages(n: int) -> list[tuple[str, bytes]]:
    """Ready-made messages of the same size and shape as the invitations."""
    out = []
    body = ("Dear Graduate,\n\n" + "Bench Polytechnic would like to know how you are doing. "
            * 8 + "\n\nhttp://127.0.0.1:5000/survey/" + "x" * 43 + "\n")
    for i in range(n):
        msg = EmailMessage()
        msg["From"] = "alumni-office@alumnet.local"
        msg["To"] = f"graduate{i}@example.org"
        msg["Subject"] = "Bench Polytechnic: where are you now? A short survey for graduates"
        msg.set_content(body)
        out.append((msg["To"], msg.as_bytes()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    n = args.invitations

    port_queue = multiprocessing.Queue()
    counter = multiprocessing.Value("i", 0)
    sink = multiprocessing.Process(target=_sink, args=(port_queue, counter), daemon=True)
    sink.start()
    port = port_queue.get(timeout=20)

    tmp = tempfile.mkdtemp(prefix="alumnet-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    from app import create_app
    from app.core.jobs import Job, wait_for_idle
    from app.employment import tracer
    from app.employment.models import TracerSurvey
    from app.extensions import db, mail

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1",
                     MAIL_PORT=port, MAIL_SUPPRESS_SEND=False,
                     BASE_URL="http://127.0.0.1:5000")
    try:
        with app.app_context():
            mail.init_app(app)
            db.drop_all()
            db.create_all()
            t0 = time.perf_counter()
            survey_id, officer_id = _seed(n)
            seed_s = time.perf_counter() - t0

            messages = _bare_messages(n)
            bare_1 = _bare(port, messages)

            from app.auth.models import User

            officer = db.session.get(User, officer_id)
            before = counter.value
            started = time.perf_counter()
            job = tracer.start_sending(db.session.get(TracerSurvey, survey_id), mode="invite",
                                       actor=officer)
            db.session.commit()  # hands the job to the in-process worker
            job_id = job.id
            wait_for_idle(timeout=3600)
            campaign_s = time.perf_counter() - started
            db.session.rollback()
            job = db.session.get(Job, job_id)
            received = counter.value - before
            bare_2 = _bare(port, messages)
            if job.status != "done":
                raise SystemExit(f"campaign job failed: {job.error}")
            sent = job.result["sent"]
            if db.engine.dialect.name != "sqlite":
                db.drop_all()
    finally:
        sink.terminate()

    bare_s = (bare_1 + bare_2) / 2
    result = {
        "invitations": n,
        "sent": sent,
        "received_by_sink": received,
        "campaign_s": round(campaign_s, 3),
        "messages_per_s": round(sent / campaign_s, 1),
        "bare_s": round(bare_s, 3),
        "bare_per_s": round(n / bare_s, 1),
        "ratio_to_bare": round((sent / campaign_s) / (n / bare_s), 3),
        "bare_runs_per_s": [round(n / bare_1, 1), round(n / bare_2, 1)],
        "seed_s": round(seed_s, 2),
        "database": url.split(":", 1)[0],
        "cpus": os.cpu_count(),
    }
    print(f"Campaign: {sent} invitations in {campaign_s:.2f} s "
          f"({result['messages_per_s']} messages/s; tokens, rendering, job, state included)")
    print(f"Bare smtplib loop: {n} ready-made messages in {bare_s:.2f} s "
          f"({result['bare_per_s']} messages/s; two runs, before and after)")
    print(f"Ratio to bare: {result['ratio_to_bare']} (goal >= 0.6)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
