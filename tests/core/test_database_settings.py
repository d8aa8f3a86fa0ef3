"""Settings every database connection gets when it opens (app/__init__.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text


def test_postgresql_connections_never_compile_queries(app, db):
    """JIT off on every PostgreSQL connection, and still off after a rolled-back transaction
    returned the connection to the pool (a paged list's query cost a second of JIT)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    assert db.session.execute(text("SHOW jit")).scalar() == "off"
    db.session.rollback()
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
    db.engine.dispose()  # a new connection gets it too
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"


def test_sqlite_connections_enforce_foreign_keys_and_wait_on_locks(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_sqlite_connections_sync_the_log_at_checkpoints(app, db):
    """WAL with synchronous NORMAL (1) unless SQLITE_SYNCHRONOUS says FULL (2); a new
    connection gets it too."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert app.config["SQLITE_SYNCHRONOUS"] == "NORMAL"
    db.engine.dispose()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
