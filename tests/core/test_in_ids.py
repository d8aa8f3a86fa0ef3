"""`in_ids`: a condition that names a list of ids bound as one parameter, however long."""

from __future__ import annotations

from sqlalchemy import event, func, select

from app.alumni.models import Alumnus
from app.core.db import in_ids


def test_the_ids_named_are_found_and_the_others_not(db, world, make_alumnus):
    extra = [make_alumnus(world.home) for _ in range(3)]
    chosen = [world.alumnus.id, extra[1].id]
    found = db.session.scalars(select(Alumnus.id).where(in_ids(Alumnus.id, chosen))
                               .order_by(Alumnus.id)).all()
    assert found == sorted(chosen)
    others = set(db.session.scalars(select(Alumnus.id).where(~in_ids(Alumnus.id, chosen))))
    assert others == {world.second_alumnus.id, world.other_alumnus.id, extra[0].id, extra[2].id}
    assert db.session.scalars(select(Alumnus.id).where(in_ids(Alumnus.id, []))).all() == []


def test_a_statement_run_again_with_other_ids_counts_the_new_ones(db, world, make_alumnus):
    """The statement's compiled form is cached by its shape; the ids are its parameter."""
    extra = [make_alumnus(world.home) for _ in range(4)]

    def count(ids):
        return db.session.scalar(select(func.count(Alumnus.id))
                                 .where(in_ids(Alumnus.id, ids)))

    assert count([extra[0].id]) == 1
    assert count([e.id for e in extra]) == 4
    assert count([extra[3].id, world.alumnus.id]) == 2


def test_seventy_thousand_ids_are_one_parameter(db, world):
    """Over PostgreSQL's 65,535 parameters a statement and over SQLite's 32,766."""
    ids = list(range(10_000_000, 10_070_000)) + [world.alumnus.id]
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append(parameters)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        found = db.session.scalars(select(Alumnus.id).where(in_ids(Alumnus.id, ids))).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert found == [world.alumnus.id]
    assert len(statements[-1]) == 1
