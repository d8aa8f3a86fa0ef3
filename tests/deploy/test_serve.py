"""scripts/serve.sh starts production under gunicorn in a fresh process, as on a server: the
`flask` commands of the README prepare the database, then a person signs in over HTTP."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import free_port
from tests.deploy.test_start import ROOT, SETTINGS, STRONG

ADMIN = "head.office@poly1.ac.th"
ADMIN_PASSWORD = "Tr4cer-Survey-Otter-91"


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the kind under test (the schema comes from `flask db upgrade`)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'alumnet.db'}"
        return
    server = make_url(base).set(drivername="postgresql+psycopg")
    name = f"alumnet_serve_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _request(port: int, method: str, path: str, cookie: str = "", form: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response, response.read().decode()


def _session_cookie(response) -> tuple[str, str]:
    """`session=…` to send back (we send it over plain HTTP to loopback, as a proxy would),
    and the Set-Cookie header as written."""
    header = next(v for k, v in response.getheaders()
                  if k.lower() == "set-cookie" and v.startswith("session="))
    morsel = SimpleCookie(header)["session"]
    return f"session={morsel.value}", header


def test_serve_sh_starts_production_and_a_person_signs_in(fresh_database, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(SECRET_KEY=STRONG, BASE_URL=f"http://127.0.0.1:{port}", DATABASE_URL=fresh_database,
               BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", FLASK_APP="wsgi",
               GUNICORN_MAX_REQUESTS="4")  # workers replaced during the test
    flask = [str(ROOT / ".venv" / "bin" / "flask")]
    for args, stdin in ((["db", "upgrade"], None),
                        (["create-user", ADMIN, "--role", "admin"], ADMIN_PASSWORD + "\n")):
        done = subprocess.run(flask + args, cwd=ROOT, env=env, input=stdin, text=True,
                              capture_output=True, timeout=180)
        assert done.returncode == 0, done.stderr

    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, Path(log.name).read_text()[-3000:]
            try:
                page, html = _request(port, "GET", "/auth/login")
                break
            except OSError:
                assert time.monotonic() < deadline, Path(log.name).read_text()[-3000:]
                time.sleep(0.5)
        assert page.status == 200
        assert "gunicorn" in (page.getheader("Server") or "")
        assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")
        cookie, _ = _session_cookie(page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

        signed_in, _ = _request(port, "POST", "/auth/login", cookie, {
            "csrf_token": token, "email": ADMIN, "password": ADMIN_PASSWORD})
        assert signed_in.status == 302, Path(log.name).read_text()[-3000:]
        cookie, header = _session_cookie(signed_in)
        assert "Secure" in header and "HttpOnly" in header  # production cookies
        home, html = _request(port, "GET", signed_in.getheader("Location"), cookie)
        while home.status == 302:
            home, html = _request(port, "GET", home.getheader("Location"), cookie)
        assert home.status == 200 and "Sign out" in html
        assert home.getheader("Cache-Control") == "no-store"
        # The preloaded app was warmed before the workers were forked (app/core/warm.py).
        started = Path(log.name).read_text()
        assert "Warmed up before forking the workers" in started
        assert "objects kept out of the garbage collector's passes" in started

        # Workers replaced after GUNICORN_MAX_REQUESTS leave cleanly (gunicorn.conf.py
        # `worker_exit`) and the pages go on answering.
        for _ in range(12):
            page, _ = _request(port, "GET", "/auth/login")
            assert page.status == 200
        served = Path(log.name).read_text()
        assert served.count("Booting worker") >= 4, served[-3000:]
        assert "Exception during worker exit" not in served and "Traceback" not in served
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers: our own group
        server.wait(timeout=30)
        log.close()
