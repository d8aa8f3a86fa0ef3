"""The register's text search index over `Alumnus.search_text` (folded names, number, e-mail).

A search word must be found anywhere inside the text, in any script: Thai, Khmer and Burmese
have no spaces between words, and Vietnamese is typed without accents. Both databases index
every three-character run of the folded text, so a word of three characters or more is
looked up in the index instead of read from every row:

- SQLite: an FTS5 table with the trigram tokenizer (`alumnus_search`), kept by triggers on
  `alumnus` (the text is stored once, in `alumnus`: an external-content table);
- PostgreSQL: a GIN index with `pg_trgm`'s operator class on `search_text`, which serves
  `LIKE '%word%'` directly.

Shorter words (one or two characters) fall back to `LIKE` over the rows the other conditions
leave. The index is created with the table (tests) and by migration 0016 (databases in use);
`is_search_index()` tells schema comparisons that these objects are not models.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, Select, Table, bindparam, event, literal_column, select, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from app.core.db import contains_pattern


def _sqlite_table_hint(_compiler: Any, _table: Any, hint: str) -> str:
    return hint


# SQLAlchemy writes a `with_hint()` table hint only for the dialects that say how; SQLite's
# (NOT INDEXED, INDEXED BY) follow the table's name, as MySQL's do.
SQLiteCompiler.get_from_hint_text = _sqlite_table_hint


def by_key_only(stmt: Select, entity: Any) -> Select:
    """On SQLite: read `entity`'s rows by their key alone (`NOT INDEXED`: no other index).

    A search hands the planner a few candidate ids (`id IN (…)`). With the planner's
    statistics SQLite would rather join them and first build a Bloom filter by reading the
    whole register; without them it walks the institution's index. Either costs a pass over
    the register (about 20 ms at 100,000) where looking up the candidates takes under one.
    """
    return stmt.with_hint(entity, "NOT INDEXED", dialect_name="sqlite")

FTS_TABLE = "alumnus_search"
TRGM_INDEX = "ix_alumnus_search_text_trgm"
MIN_INDEXED = 3  # a trigram index finds runs of three characters or more

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
    "content='alumnus', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON alumnus BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON alumnus BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text ON alumnus "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)
POSTGRESQL_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON alumnus USING gin (search_text gin_trgm_ops)",
)


def attach_search_index(table: Table) -> None:
    """Create the index whenever the `alumnus` table is created (metadata.create_all)."""
    for statement in SQLITE_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in POSTGRESQL_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


def is_search_index(name: str | None) -> bool:
    """The FTS5 table (and its shadow tables) and the trigram index are not models."""
    return bool(name) and (name.startswith(FTS_TABLE) or name == TRGM_INDEX)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic's filter: leave the search index out of model/schema comparisons."""
    return not is_search_index(name)


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def own_text_ids(alumnus: Table, words: list[str], dialect: str) -> Select:
    """The ids of the records whose search text holds every folded word. On SQLite the words
    of three characters or more are one FTS5 query ("a" AND "b"), shorter ones LIKE; on
    PostgreSQL every word is a LIKE, which the trigram index serves."""
    indexed = [w for w in words if len(w) >= MIN_INDEXED] if dialect == "sqlite" else []
    rest = [alumnus.c.search_text.like(contains_pattern(w), escape="\\")
            for w in words if w not in indexed]
    if not indexed:
        return select(alumnus.c.id).where(*rest)
    found = (select(literal_column("rowid").label("id")).select_from(text(FTS_TABLE))
             .where(text(f"{FTS_TABLE} MATCH :phrase").bindparams(bindparam(
                 "phrase", " AND ".join(_fts_phrase(w) for w in indexed), unique=True))))
    return found  # the short words are checked on these rows by the caller's LIKE


def rebuild_sqlite_index(connection: Any) -> None:
    """Fill the FTS5 table from `alumnus` (after a migration creates it)."""
    connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
