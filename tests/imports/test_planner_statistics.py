"""A big import refreshes PostgreSQL's planner statistics of the tables it filled."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from app.imports.services import import_file

CSV = ("Student No,First name,Surname,Email,Programme\n"
       "S1,Ann,Lee,ann@example.org,DIT\n"
       "S2,Bao,Tran,bao@example.org,DIT\n"
       "S3,Chai,Wong,chai@example.org,DIT\n")


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def keep(conn, cursor, statement, *args):  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    yield seen
    event.remove(db.engine, "before_cursor_execute", keep)


@pytest.mark.parametrize("threshold, analysed", [(3, True), (4, False)])
def test_a_commit_of_enough_rows_analyses_what_it_filled(app, world, tmp_path, import_folder,
                                                         statements, threshold, analysed):
    app.config["IMPORT_ANALYZE_ROWS"] = threshold
    try:
        path = tmp_path / "registrar.csv"
        path.write_text(CSV, encoding="utf-8")
        result = import_file(str(path), "alumni", institution=world.home,
                             actor=world.users["officer"], dry_run=False)
        db.session.commit()
    finally:
        app.config.pop("IMPORT_ANALYZE_ROWS")
    assert result.plan.create == 3
    analyses = [s for s in statements if s.startswith("ANALYZE")]
    if db.engine.dialect.name == "postgresql" and analysed:
        assert analyses == ['ANALYZE "alumnus"']
    else:  # SQLite plans without statistics; a small commit leaves them to autovacuum
        assert analyses == []


def test_every_kind_names_tables_of_the_schema(app):
    from app.imports.pipeline.kinds import _KINDS

    assert {"alumni", "tracer", "exchange"} <= set(_KINDS)
    for kind in _KINDS.values():
        assert kind.tables, kind.name
        assert set(kind.tables) <= set(db.metadata.tables), kind.name
