"""Shared fixtures: the app on SQLite or PostgreSQL, a clean database per test, factories,
and a signed-in client per role.

With TEST_DATABASE_URL set (a PostgreSQL server), the session creates a database of its own
on that server and drops it at the end, so parallel runs never meet.
"""

from __future__ import annotations

import contextvars
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.core.jobs import wait_for_idle
from app.extensions import db as _db
from app.extensions import limiter

PASSWORD = "correct-horse-battery"


def _postgres_url(base: str) -> str:
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    server = _postgres_url(base)
    name = f"alumnet_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in a real server: its own app context,
    database session and `g`, never the test's own (which would hide a missing commit and
    carry the signed-in user from one client to another)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _wipe(app) -> None:
    with app.app_context():
        # A job a test handed to the in-process worker (a reset mail, say) may still be
        # writing; emptying the tables under it deadlocks on PostgreSQL and leaves rows behind.
        wait_for_idle(timeout=120)
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        with _db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture(autouse=True)
def db(app):
    """An app context and an empty database for every test."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    try:
        yield _db
    finally:
        _db.session.rollback()
        ctx.pop()
        _wipe(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- factories ---------------------------------------------------------------------------

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def saved(record):
    """Add a record and commit it; the last step of every factory."""
    _db.session.add(record)
    _db.session.commit()
    return record


def _word(n: int) -> str:
    """A name-like word per number, unlike the next one: numbered names ("Given9", "Given10")
    look alike to duplicate detection, so default people would be flagged as duplicates."""
    import hashlib

    digest = hashlib.sha256(str(n).encode()).digest()
    return "".join(chr(97 + b % 26) for b in digest[:9]).capitalize()


@pytest.fixture
def make_institution(db):
    from app.alumni.models import Institution

    def make(**overrides) -> Institution:
        n = _next()
        values = {"code": f"INST{n}", "name": f"Institution {n}", "country": "TH",
                  "kind": "polytechnic", "is_home": False}
        values.update(overrides)
        return saved(Institution(**values))

    return make


@pytest.fixture
def make_programme(db):
    from app.alumni.models import Programme

    def make(institution, **overrides) -> Programme:
        n = _next()
        values = {"code": f"P{n}", "name": f"Programme {n}", "level": "diploma",
                  "study_area": "it", "isced_code": "0612", "duration_months": 30}
        values.update(overrides)
        return saved(Programme(institution_id=institution.id, **values))

    return make


@pytest.fixture
def make_alumnus(db):
    from app.alumni.models import Alumnus

    def make(institution, **overrides) -> Alumnus:
        n = _next()
        values = {"student_number": f"S{n:06d}", "given_name": _word(n),
                  "family_name": _word(n + 1_000_000), "email": f"alumnus{n}@example.org",
                  "cohort_year": 2024, "graduation_date": date(2024, 6, 30), "status": "active"}
        values.update(overrides)
        alumnus = Alumnus(institution_id=institution.id, **values)
        alumnus.refresh_search_text()
        return saved(alumnus)

    return make


@pytest.fixture
def make_user(db):
    from app.auth.models import User

    def make(role: str, institution=None, **overrides) -> User:
        n = _next()
        user = User(email=overrides.pop("email", f"{role}{n}@example.org"), role=role,
                    institution_id=institution.id if institution else None,
                    full_name=overrides.pop("full_name", f"{role.title()} {n}"), **overrides)
        user.set_password(PASSWORD)
        return saved(user)

    return make


@dataclass
class World:
    """Two institutions, a programme each, an alumnus each, and one user per role."""

    home: object
    other: object
    programme: object
    other_programme: object
    alumnus: object  # linked to users["alumnus"]
    second_alumnus: object  # same institution, not linked
    other_alumnus: object
    users: dict


@pytest.fixture
def world(make_institution, make_programme, make_alumnus, make_user) -> World:
    home = make_institution(code="HOME", name="Home Polytechnic", is_home=True, country="MY")
    other = make_institution(code="OTHER", name="Other College", country="VN")
    programme = make_programme(home, code="DIT")
    other_programme = make_programme(other, code="XIT")
    users = {
        "admin": make_user("admin"),
        "officer": make_user("officer", home),
        "quality": make_user("quality", home),
        "alumnus": make_user("alumnus", home),
        "other_officer": make_user("officer", other),
    }
    alumnus = make_alumnus(home, programme_id=programme.id, user_id=users["alumnus"].id,
                           email=users["alumnus"].email)
    second = make_alumnus(home, programme_id=programme.id)
    other_alumnus = make_alumnus(other, programme_id=other_programme.id)
    return World(home, other, programme, other_programme, alumnus, second, other_alumnus, users)


def fill_signed_in_session(session, user) -> None:
    """What a sign-in leaves in the session: Flask-Login's keys and the session's clocks."""
    import time

    from app.auth.sessions import SEEN_AT, SIGNED_IN_AT

    session["_user_id"] = user.get_id()
    session["_fresh"] = True
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    session.permanent = True


def sign_in(client, user) -> None:
    """Put a signed-in session in the client's cookie (what a sign-in stores)."""
    with client.session_transaction() as session:
        fill_signed_in_session(session, user)


def user_in(world, role: str, language: str):
    """The world's `role` user, with `language` chosen and kept on the account (the
    language tests open each page as them)."""
    user = world.users[role]
    user.language = language
    _db.session.commit()
    return user


@pytest.fixture
def as_role(app, world):
    """as_role("officer") -> a test client signed in with that role's user in `world`."""

    def make(role: str):
        c = app.test_client()
        if role != "anonymous":
            sign_in(c, world.users[role])
        return c

    return make


# --- real SMTP server on loopback --------------------------------------------------------


class MailSink:
    """An aiosmtpd handler that keeps what it receives; it refuses recipients whose address
    starts with 'undeliverable' (550), as a real server refuses an unknown mailbox."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower().startswith("undeliverable"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


def planner_statistics(conn, register_size: int | None) -> None:
    """On SQLite, give the planner the statistics of a register of `register_size` records
    (the test's few records analysed, the row counts scaled up), or none at all (a database
    nobody analysed); another test's ANALYZE otherwise decides the plan a test reads."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("ANALYZE")
    if register_size:
        conn.exec_driver_sql(
            f"UPDATE sqlite_stat1 SET stat = '{int(register_size)}' || CASE WHEN instr(stat, ' ')"
            " > 0 THEN substr(stat, instr(stat, ' ')) ELSE '' END WHERE tbl = 'alumnus'")
    else:
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    conn.exec_driver_sql("ANALYZE sqlite_schema")  # the planner reads them again


def statements_run(engine, call: Callable[[], Any]) -> tuple[Any, list[tuple[str, Any]]]:
    """What `call()` returns, and the (statement, parameters) it ran on `engine`, in order."""
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return result, statements


def query_plan(conn, statement: str, parameters: Any = None) -> list[str]:
    """SQLite's plan of a statement run with its parameters: each step's detail."""
    return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                   parameters)]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1; the app sends its mail there during the test."""
    from aiosmtpd.controller import Controller

    from app.extensions import mail

    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_SUPPRESS_SEND")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                      MAIL_SUPPRESS_SEND=False)
    mail.init_app(app)  # Flask-Mail reads its settings when initialised
    try:
        yield sink
    finally:
        controller.stop()
        app.config.update(saved)
        mail.init_app(app)


@pytest.fixture
def redis_queue(app):
    """A fresh RQ queue on the real Redis of TEST_REDIS_URL, which the app's jobs go to.

    Skipped without TEST_REDIS_URL, unless ALUMNET_REQUIRE_SERVICES=1 (CI) makes it a failure.
    """
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("ALUMNET_REQUIRE_SERVICES") == "1":
            pytest.fail("TEST_REDIS_URL is not set")
        pytest.skip("TEST_REDIS_URL is not set")
    from redis import Redis
    from rq import Queue

    name = f"alumnet-test-{uuid.uuid4().hex[:8]}"  # parallel runs share the server
    saved = {k: app.config.get(k) for k in ("REDIS_URL", "RQ_QUEUE_NAME")}
    app.config.update(REDIS_URL=url, RQ_QUEUE_NAME=name)
    queue = Queue(name, connection=Redis.from_url(url))
    try:
        yield queue
    finally:
        app.config.update(saved)
        queue.delete(delete_jobs=True)
