"""A record's page reads what it shows about the record itself once: the programme and the
institution come with the record, and the institution's language settings share that read.
Its view's entry in the audit log is committed without waiting for the disk."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event

from app.extensions import db

ALONE = re.compile(r"^SELECT .*\bFROM (institution|programme)\b(?! JOIN)", re.S)


def test_the_record_page_reads_its_programme_and_institution_with_the_record(
        as_role, world, make_alumnus):
    alumnus = make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2022)
    code, label = world.home.code, world.programme.label
    client = as_role("officer")
    client.get(f"/alumni/{alumnus.id}").close()  # warm: first-use look-ups
    db.session.expunge_all()  # the request reads everything itself, as in a server
    statements: list[str] = []
    here = threading.get_ident()

    def count(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == here:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/alumni/{alumnus.id}")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert code in html and label in html
    alone = [s.split("FROM", 1)[1].split()[0] for s in statements if ALONE.match(s)]
    assert alone == [], f"read on their own: {alone}"
    record = [s for s in statements if re.search(r"\bFROM alumnus\b", s)
              and "JOIN programme" in s and "JOIN institution" in s]
    assert len(record) == 1, statements


def test_a_views_entry_alone_does_not_wait_for_the_disk_on_postgresql(
        as_role, world, make_alumnus):
    """PostgreSQL: the view's entry is committed with synchronous_commit off for its own
    transaction only; the next transaction on the connection waits for the disk again."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (SQLite: the connection's setting, tests/core)")
    alumnus = make_alumnus(world.home)
    client = as_role("officer")
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def committed(conn):
        statements.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", count)
    event.listen(db.engine, "commit", committed)
    try:
        assert client.get(f"/alumni/{alumnus.id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        event.remove(db.engine, "commit", committed)
    setting = next(i for i, s in enumerate(statements) if "synchronous_commit" in s)
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entry"))
    assert statements[setting] == "SET LOCAL synchronous_commit = off"
    first, last = sorted((setting, insert))
    assert "COMMIT" not in statements[first:last], statements  # one transaction
    assert "COMMIT" in statements[last:], statements
    with db.engine.connect() as conn:  # the pool's connections are back to waiting
        for _ in range(3):
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
