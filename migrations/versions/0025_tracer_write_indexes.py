"""Indexes every tracer row paid for that no query needs: each is a single-column index whose
column leads a composite or unique index already (alumnus, survey), or a low-cardinality column
no query looks up by alone (status, source, currency: the queries find the rows through the
cohort, survey or alumnus first); the two of competency_rating go with the table in 0026.

Revision ID: 0025_tracer_write_indexes
Revises: 0024_employer_follow_up
Create Date: 2026-12-05

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_tracer_write_indexes'
down_revision = '0024_employer_follow_up'
branch_labels = None
depends_on = None

DROPPED = [  # (table, index, column)
    ('competency_rating', 'ix_competency_rating_response_id', 'response_id'),  # uq (response_id, competency)
    ('competency_rating', 'ix_competency_rating_competency', 'competency'),
    ('survey_response', 'ix_survey_response_alumnus_id', 'alumnus_id'),  # ix (alumnus_id, submitted_at)
    ('survey_response', 'ix_survey_response_status', 'status'),
    ('survey_response', 'ix_survey_response_income_currency', 'income_currency'),
    ('survey_invitation', 'ix_survey_invitation_survey_id', 'survey_id'),  # uq (survey_id, alumnus_id)
    ('employment', 'ix_employment_alumnus_id', 'alumnus_id'),  # ix (alumnus_id, updated_at)
    ('employment', 'ix_employment_status', 'status'),
    ('employment', 'ix_employment_source', 'source'),
]


def upgrade():
    for table, index, _ in DROPPED:
        op.drop_index(index, table_name=table)


def downgrade():
    for table, index, column in reversed(DROPPED):
        op.create_index(index, table, [column], unique=False)
