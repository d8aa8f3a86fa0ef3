"""A tracer campaign's invitation figures kept as they change: one row a survey, programme and
cohort with how many invitations are listed, invited, delivered, undeliverable, responded and
reminded (`campaign_tally`).

The campaign page and its live figures (polled every few seconds by every open page) read
these few rows instead of counting every invitation of the survey: the count read 17,645
index entries in 8 ms at 100,000 alumni and grew with the cohorts. The database keeps the rows
itself, with triggers on `survey_invitation`, so every way an invitation is written (sending
in bulk, a bounce, an answer, a reminder, the import of a paper survey, an erasure) counts,
in the same transaction as the write:

- SQLite: three triggers (insert, update of a counted column, delete) that add the row's
  figures to its group, or take them away, with an upsert;
- PostgreSQL: one trigger function for three statement-level triggers (insert, update,
  delete) that read the statement's rows from its transition tables and add each group's
  sum in one upsert (rows of an update whose counted columns did not change are left out).

A group is keyed by programme and cohort with 0 for none (a primary key holds no NULL).
`tally_differences()` compares the rows with a count of the invitations (the tests run it
after every way of writing). The table and its triggers are created with the other tables
(metadata.create_all: the tests) and by migration 0030.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, Integer, and_, case, event, func, literal_column, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.extensions import db

TABLE = "campaign_tally"
FIGURES = ("listed", "invited", "delivered", "undeliverable", "responded", "reminded")
COUNTED = ("survey_id", "programme_id", "cohort_year", "sent_at", "undeliverable_at",
           "responded_at", "reminded_at")


class CampaignTally(Base):
    """One survey's invitations of one programme and cohort, counted (written by the
    database's triggers only)."""

    __tablename__ = TABLE

    survey_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    programme_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cohort_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    listed: Mapped[int] = mapped_column(Integer, default=0)
    invited: Mapped[int] = mapped_column(Integer, default=0)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    undeliverable: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    reminded: Mapped[int] = mapped_column(Integer, default=0)


def _row_values(row: str, sign: str, true: str) -> list[str]:
    """The group key and the six figures of one invitation row (`new`, `old` or the table),
    the figures signed. `true` turns a condition into 1 or 0."""
    conditions = (
        f"{row}.sent_at IS NOT NULL OR {row}.undeliverable_at IS NOT NULL",
        f"{row}.sent_at IS NOT NULL AND {row}.undeliverable_at IS NULL",
        f"{row}.undeliverable_at IS NOT NULL",
        f"{row}.responded_at IS NOT NULL",
        f"{row}.reminded_at IS NOT NULL",
    )
    return [f"{row}.survey_id", f"coalesce({row}.programme_id, 0)",
            f"coalesce({row}.cohort_year, 0)", f"{sign}1",
            *(f"{sign}{true.format(c)}" for c in conditions)]


def _upsert(row: str, sign: str, true: str) -> str:
    """SQLite: the upsert of one row's figures into its group."""
    added = ", ".join(f"{f} = {f} + excluded.{f}" for f in FIGURES)
    return (f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join(_row_values(row, sign, true))}) "
            f"ON CONFLICT (survey_id, programme_key, cohort_key) DO UPDATE SET {added}")


_SQLITE_TRUE = "({})"  # a comparison is 1 or 0
_PG_TRUE = "(CASE WHEN {} THEN 1 ELSE 0 END)"
COLUMNS = ("survey_id", "programme_key", "cohort_key", *FIGURES)
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in COUNTED)

SQLITE_DDL = (
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON survey_invitation BEGIN "
    f"{_upsert('new', '', _SQLITE_TRUE)}; END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON survey_invitation BEGIN "
    f"{_upsert('old', '-', _SQLITE_TRUE)}; END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {', '.join(COUNTED)} "
    f"ON survey_invitation WHEN {_CHANGED} BEGIN "
    f"{_upsert('old', '-', _SQLITE_TRUE)}; {_upsert('new', '', _SQLITE_TRUE)}; END",
)


def _pg_added(rows: str) -> str:
    """PostgreSQL: one upsert of the figures of `rows` (signed rows of the statement's
    transition tables) summed per group: one row per group, however many rows were written."""
    added = ", ".join(f"{f} = t.{f} + excluded.{f}" for f in FIGURES)
    return (f"INSERT INTO {TABLE} AS t ({', '.join(COLUMNS)}) "
            f"SELECT survey_id, programme_key, cohort_key, "
            f"{', '.join(f'sum({f})' for f in FIGURES)} FROM ({rows}) AS d "
            "GROUP BY survey_id, programme_key, cohort_key "
            f"HAVING {' OR '.join(f'sum({f}) <> 0' for f in FIGURES)} "
            f"ON CONFLICT (survey_id, programme_key, cohort_key) DO UPDATE SET {added}")


def _pg_rows(table: str, sign: str, where: str = "") -> str:
    values = _row_values("r", sign, _PG_TRUE)
    named = ", ".join(f"{v} AS {c}" for v, c in zip(values, COLUMNS, strict=True))
    return f"SELECT {named} FROM {table} AS r{where}"


# Rows of an UPDATE whose counted columns changed (a sending round also rewrites links).
_PG_CHANGED = (" WHERE r.id IN (SELECT o.id FROM old_rows AS o JOIN new_rows AS n "
               f"ON n.id = o.id WHERE ({', '.join('o.' + c for c in COUNTED)}) "
               f"IS DISTINCT FROM ({', '.join('n.' + c for c in COUNTED)}))")
_PG_MOVED = (_pg_rows("old_rows", "-", _PG_CHANGED) + " UNION ALL "
             + _pg_rows("new_rows", "", _PG_CHANGED))
# Statement-level triggers with transition tables: a bulk write (COPY of an import, a sending
# round's executemany) costs one grouped upsert, not one per row. (Such a trigger takes one
# event each, and an UPDATE trigger with transition tables no column list.)
POSTGRESQL_DDL = (
    f"CREATE OR REPLACE FUNCTION {TABLE}_count() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    f"IF TG_OP = 'INSERT' THEN {_pg_added(_pg_rows('new_rows', ''))}; "
    f"ELSIF TG_OP = 'DELETE' THEN {_pg_added(_pg_rows('old_rows', '-'))}; "
    f"ELSE {_pg_added(_PG_MOVED)}; "
    "END IF; RETURN NULL; END $$",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON survey_invitation "
    f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE ON survey_invitation "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON survey_invitation "
    f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()",
)


def attach_tally_triggers(metadata: Any) -> None:
    """Create the triggers once every table is (metadata.create_all: the tests)."""
    for statement in SQLITE_DDL:
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_DDL:
        event.listen(metadata, "after_create", DDL(statement).execute_if(dialect="postgresql"))


attach_tally_triggers(Base.metadata)


def counted_groups(survey_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    """{(survey id, programme id or 0, cohort or 0): the six figures} counted from the
    invitations themselves: what the tally must hold."""
    from app.employment.models import SurveyInvitation as inv

    sent = or_(inv.sent_at.is_not(None), inv.undeliverable_at.is_not(None))
    none = literal_column("0")  # written into the statement: the same in GROUP BY
    key = (inv.survey_id, func.coalesce(inv.programme_id, none),
           func.coalesce(inv.cohort_year, none))
    stmt = select(
        *key, func.count(), func.count(case((sent, 1))),
        func.count(case((and_(inv.sent_at.is_not(None), inv.undeliverable_at.is_(None)), 1))),
        func.count(inv.undeliverable_at), func.count(inv.responded_at),
        func.count(inv.reminded_at),
    ).group_by(*key)
    if survey_id is not None:
        stmt = stmt.where(inv.survey_id == survey_id)
    return {tuple(r[:3]): tuple(r[3:]) for r in db.session.execute(stmt)}


def kept_groups(survey_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    """The same, as the tally holds it (groups left with no invitation are not shown)."""
    t = CampaignTally
    stmt = select(t.survey_id, t.programme_key, t.cohort_key,
                  *(getattr(t, f) for f in FIGURES)).where(t.listed != 0)
    if survey_id is not None:
        stmt = stmt.where(t.survey_id == survey_id)
    return {tuple(r[:3]): tuple(r[3:]) for r in db.session.execute(stmt)}


def tally_differences(survey_id: int | None = None) -> dict[tuple, tuple]:
    """{group: (kept, counted)} wherever the tally and the invitations disagree; empty when
    they agree."""
    kept, counted = kept_groups(survey_id), counted_groups(survey_id)
    return {key: (kept.get(key), counted.get(key)) for key in kept.keys() | counted.keys()
            if kept.get(key) != counted.get(key)}
