"""the register's sort indexes, the dashboard's count index and the text search index
(SQLite FTS5 trigram table kept by triggers; PostgreSQL pg_trgm GIN index)

Revision ID: 0016_register_indexes
Revises: 0015_dashboard_panels
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_register_indexes'
down_revision = '0015_dashboard_panels'
branch_labels = None
depends_on = None

IN_REGISTER = sa.text("archived_at IS NULL")
FTS = "alumnus_search"
SORT_KEYS = (("sort_name", sa.String(length=120), "coalesce(family_name, given_name)"),
             ("cohort_sort", sa.Integer(), "coalesce(cohort_year, 0)"),
             ("programme_sort", sa.Integer(), "coalesce(programme_id, 0)"))


def upgrade():
    # Computed by the database (SQLite: virtual; PostgreSQL: stored), never NULL.
    for name, type_, expression in SORT_KEYS:
        op.add_column("alumnus", sa.Column(name, type_, sa.Computed(expression),
                                           nullable=True))
    where = {"sqlite_where": IN_REGISTER, "postgresql_where": IN_REGISTER}
    op.create_index("ix_alumnus_register_name", "alumnus",
                    ["institution_id", "sort_name", "given_name", "id"], **where)
    op.create_index("ix_alumnus_register_cohort", "alumnus",
                    ["institution_id", "cohort_sort", "sort_name", "id"], **where)
    op.create_index("ix_alumnus_register_programme", "alumnus",
                    ["institution_id", "programme_sort", "sort_name", "id"], **where)
    op.create_index("ix_alumnus_register_counts", "alumnus",
                    ["institution_id", "archived_at", "user_id", "email"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='alumnus', "
                   "content_rowid='id', tokenize='trigram')")
        op.execute(f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON alumnus BEGIN "
                   f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); "
                   "END")
        op.execute(f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON alumnus BEGIN "
                   f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); END")
        op.execute(f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON alumnus BEGIN "
                   f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); "
                   f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); "
                   "END")
        op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_alumnus_search_text_trgm ON alumnus "
                   "USING gin (search_text gin_trgm_ops)")
    op.execute("ANALYZE" if bind.dialect.name == "postgresql" else "ANALYZE alumnus")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_alumnus_search_text_trgm")
    for name in ("ix_alumnus_register_counts", "ix_alumnus_register_programme",
                 "ix_alumnus_register_cohort", "ix_alumnus_register_name"):
        op.drop_index(name, table_name="alumnus")
    with op.batch_alter_table("alumnus") as batch_op:
        for name, _type, _expression in SORT_KEYS:
            batch_op.drop_column(name)
