"""A tracer campaign's invitation figures kept by the database as the invitations change
(`campaign_tally`, one row a survey, programme and cohort; app/employment/tally.py): the
campaign page and its live figures read these rows instead of counting every invitation of
the survey on every view. The triggers are created and the rows counted once here.

The statements are this migration's own copy of the module's (as they were when it was
written); tests/core/test_migrations.py checks that a migrated database's triggers are those
of a new one.

Revision ID: 0030_campaign_tally
Revises: 0029_campaign_figures_index
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_campaign_tally'
down_revision = '0029_campaign_figures_index'
branch_labels = None
depends_on = None

TABLE = 'campaign_tally'
FIGURES = ('listed', 'invited', 'delivered', 'undeliverable', 'responded', 'reminded')
COLUMNS = ('survey_id', 'programme_key', 'cohort_key', *FIGURES)
COUNTED = ('survey_id', 'programme_id', 'cohort_year', 'sent_at', 'undeliverable_at',
           'responded_at', 'reminded_at')
SQLITE_TRUE = '({})'
PG_TRUE = '(CASE WHEN {} THEN 1 ELSE 0 END)'


def row_values(row, sign, true):
    conditions = (
        f'{row}.sent_at IS NOT NULL OR {row}.undeliverable_at IS NOT NULL',
        f'{row}.sent_at IS NOT NULL AND {row}.undeliverable_at IS NULL',
        f'{row}.undeliverable_at IS NOT NULL',
        f'{row}.responded_at IS NOT NULL',
        f'{row}.reminded_at IS NOT NULL',
    )
    return [f'{row}.survey_id', f'coalesce({row}.programme_id, 0)',
            f'coalesce({row}.cohort_year, 0)', f'{sign}1',
            *(f'{sign}{true.format(c)}' for c in conditions)]


def upsert(row, sign, true):
    added = ', '.join(f'{f} = {f} + excluded.{f}' for f in FIGURES)
    return (f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join(row_values(row, sign, true))}) "
            f'ON CONFLICT (survey_id, programme_key, cohort_key) DO UPDATE SET {added}')


CHANGED = ' OR '.join(f'old.{c} IS NOT new.{c}' for c in COUNTED)
SQLITE_DDL = (
    f'CREATE TRIGGER {TABLE}_insert AFTER INSERT ON survey_invitation BEGIN '
    f"{upsert('new', '', SQLITE_TRUE)}; END",
    f'CREATE TRIGGER {TABLE}_delete AFTER DELETE ON survey_invitation BEGIN '
    f"{upsert('old', '-', SQLITE_TRUE)}; END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {', '.join(COUNTED)} "
    f'ON survey_invitation WHEN {CHANGED} BEGIN '
    f"{upsert('old', '-', SQLITE_TRUE)}; {upsert('new', '', SQLITE_TRUE)}; END",
)


def pg_added(rows):
    added = ', '.join(f'{f} = t.{f} + excluded.{f}' for f in FIGURES)
    return (f"INSERT INTO {TABLE} AS t ({', '.join(COLUMNS)}) "
            f'SELECT survey_id, programme_key, cohort_key, '
            f"{', '.join(f'sum({f})' for f in FIGURES)} FROM ({rows}) AS d "
            'GROUP BY survey_id, programme_key, cohort_key '
            f"HAVING {' OR '.join(f'sum({f}) <> 0' for f in FIGURES)} "
            f'ON CONFLICT (survey_id, programme_key, cohort_key) DO UPDATE SET {added}')


def pg_rows(table, sign, where=''):
    values = row_values('r', sign, PG_TRUE)
    named = ', '.join(f'{v} AS {c}' for v, c in zip(values, COLUMNS, strict=True))
    return f'SELECT {named} FROM {table} AS r{where}'


PG_CHANGED = (' WHERE r.id IN (SELECT o.id FROM old_rows AS o JOIN new_rows AS n '
              f"ON n.id = o.id WHERE ({', '.join('o.' + c for c in COUNTED)}) "
              f"IS DISTINCT FROM ({', '.join('n.' + c for c in COUNTED)}))")
PG_MOVED = (pg_rows('old_rows', '-', PG_CHANGED) + ' UNION ALL '
            + pg_rows('new_rows', '', PG_CHANGED))
POSTGRESQL_DDL = (
    f'CREATE OR REPLACE FUNCTION {TABLE}_count() RETURNS trigger LANGUAGE plpgsql AS $$ '
    'BEGIN '
    f"IF TG_OP = 'INSERT' THEN {pg_added(pg_rows('new_rows', ''))}; "
    f"ELSIF TG_OP = 'DELETE' THEN {pg_added(pg_rows('old_rows', '-'))}; "
    f'ELSE {pg_added(PG_MOVED)}; '
    'END IF; RETURN NULL; END $$',
    f'CREATE TRIGGER {TABLE}_insert AFTER INSERT ON survey_invitation '
    f'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()',
    f'CREATE TRIGGER {TABLE}_update AFTER UPDATE ON survey_invitation '
    'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
    f'FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()',
    f'CREATE TRIGGER {TABLE}_delete AFTER DELETE ON survey_invitation '
    f'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_count()',
)
DROP_DDL = {
    'sqlite': tuple(f'DROP TRIGGER IF EXISTS {TABLE}_{kind}'
                    for kind in ('insert', 'delete', 'update')),
    'postgresql': tuple(f'DROP TRIGGER IF EXISTS {TABLE}_{kind} ON survey_invitation'
                        for kind in ('insert', 'delete', 'update'))
    + (f'DROP FUNCTION IF EXISTS {TABLE}_count()',),
}


def upgrade():
    op.create_table(
        TABLE,
        sa.Column('survey_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('programme_key', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('cohort_key', sa.Integer(), autoincrement=False, nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in FIGURES),
        sa.PrimaryKeyConstraint('survey_id', 'programme_key', 'cohort_key',
                                name=op.f('pk_campaign_tally')),
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DDL if dialect == 'sqlite' else POSTGRESQL_DDL:
        op.execute(statement)
    # Every survey's invitations counted once; from now on only the triggers write the rows.
    each = ', '.join(f'{v} AS {c}' for v, c in zip(
        row_values('survey_invitation', '', PG_TRUE), COLUMNS, strict=True))
    op.execute(
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "
        f"SELECT survey_id, programme_key, cohort_key, {', '.join(f'sum({f})' for f in FIGURES)} "
        f'FROM (SELECT {each} FROM survey_invitation) AS figures '
        'GROUP BY survey_id, programme_key, cohort_key')


def downgrade():
    for statement in DROP_DDL[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table(TABLE)
