"""Employer follow-up: curriculum feedback from an employer survey carries the survey year

Revision ID: 0024_employer_follow_up
Revises: 0023_languages
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_employer_follow_up'
down_revision = '0023_languages'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    op.add_column('curriculum_feedback', sa.Column('survey_year', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_curriculum_feedback_survey_year'), 'curriculum_feedback',
                    ['survey_year'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_curriculum_feedback_survey_year'), table_name='curriculum_feedback')
    op.drop_column('curriculum_feedback', 'survey_year')
