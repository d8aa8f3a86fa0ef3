"""The seven competency ratings of a tracer answer move from competency_rating (a row per
answer and competency: 490,000 rows for 70,000 answers) into fourteen columns of
survey_response, `<competency>_at_graduation` and `<competency>_required_now`, both or neither,
each 1-5; the downgrade moves them back.

Revision ID: 0026_ratings_on_answer
Revises: 0025_tracer_write_indexes
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_ratings_on_answer'
down_revision = '0025_tracer_write_indexes'
branch_labels = None
depends_on = None

# app.employment.codes.COMPETENCIES as it stands at this revision.
COMPETENCIES = ('ethics', 'expertise', 'foreign_language', 'it', 'communication', 'teamwork',
                'self_development')


def _check(key):
    grad, now = f'{key}_at_graduation', f'{key}_required_now'
    return (f'({grad} IS NULL AND {now} IS NULL) OR ({grad} IS NOT NULL AND {now} IS NOT NULL '
            f'AND {grad} BETWEEN 1 AND 5 AND {now} BETWEEN 1 AND 5)')


def upgrade():
    # Plain ADD COLUMN first (SQLite: no table copy while competency_rating refers to it).
    for key in COMPETENCIES:
        op.add_column('survey_response', sa.Column(f'{key}_at_graduation', sa.Integer(),
                                                   nullable=True))
        op.add_column('survey_response', sa.Column(f'{key}_required_now', sa.Integer(),
                                                   nullable=True))
    for key in COMPETENCIES:
        op.execute(
            f"UPDATE survey_response SET "
            f"{key}_at_graduation = (SELECT c.at_graduation FROM competency_rating c "
            f"WHERE c.response_id = survey_response.id AND c.competency = '{key}'), "
            f"{key}_required_now = (SELECT c.required_now FROM competency_rating c "
            f"WHERE c.response_id = survey_response.id AND c.competency = '{key}') "
            f"WHERE id IN (SELECT response_id FROM competency_rating "
            f"WHERE competency = '{key}')")
    op.drop_table('competency_rating')
    # SQLite copies the table here (nothing refers to it any more); PostgreSQL alters it.
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        for key in COMPETENCIES:
            batch_op.create_check_constraint(batch_op.f(f'ck_survey_response_{key}_rating'),
                                             _check(key))


def downgrade():
    # Held in a plain table while survey_response loses the columns (SQLite copies the table,
    # which it cannot do while competency_rating rows refer to it).
    op.create_table('competency_rating_moved',
                    sa.Column('response_id', sa.Integer(), nullable=False),
                    sa.Column('competency', sa.String(length=20), nullable=False),
                    sa.Column('at_graduation', sa.Integer(), nullable=False),
                    sa.Column('required_now', sa.Integer(), nullable=False))
    for key in COMPETENCIES:
        op.execute(
            f"INSERT INTO competency_rating_moved (response_id, competency, at_graduation, "
            f"required_now) SELECT id, '{key}', {key}_at_graduation, {key}_required_now "
            f"FROM survey_response WHERE {key}_at_graduation IS NOT NULL")
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        for key in COMPETENCIES:
            batch_op.drop_constraint(batch_op.f(f'ck_survey_response_{key}_rating'),
                                     type_='check')
        for key in reversed(COMPETENCIES):
            batch_op.drop_column(f'{key}_required_now')
            batch_op.drop_column(f'{key}_at_graduation')
    op.create_table('competency_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=20), nullable=False),
    sa.Column('at_graduation', sa.Integer(), nullable=False),
    sa.Column('required_now', sa.Integer(), nullable=False),
    sa.CheckConstraint('at_graduation BETWEEN 1 AND 5', name=op.f('ck_competency_rating_at_graduation_1_5')),
    sa.CheckConstraint('required_now BETWEEN 1 AND 5', name=op.f('ck_competency_rating_required_now_1_5')),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_competency_rating_response_id_survey_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_rating')),
    sa.UniqueConstraint('response_id', 'competency', name=op.f('uq_competency_rating_response_id_competency'))
    )
    op.execute(
        "INSERT INTO competency_rating (response_id, competency, at_graduation, required_now) "
        "SELECT response_id, competency, at_graduation, required_now "
        "FROM competency_rating_moved ORDER BY response_id, competency")
    op.drop_table('competency_rating_moved')
