"""indexes the outcome indicators and the engagement rate look up by: an alumnus's
responses by submission time, jobs by change time, curriculum feedback by day

Revision ID: 0013_indicator_indexes
Revises: 0012_job_runner
Create Date: 2026-12-05

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_indicator_indexes'
down_revision = '0012_job_runner'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_survey_response_alumnus_submitted', 'survey_response',
                    ['alumnus_id', 'submitted_at'])
    op.create_index('ix_employment_alumnus_updated', 'employment', ['alumnus_id', 'updated_at'])
    op.create_index('ix_curriculum_feedback_alumnus_received', 'curriculum_feedback',
                    ['alumnus_id', 'received_on'])


def downgrade():
    op.drop_index('ix_curriculum_feedback_alumnus_received', table_name='curriculum_feedback')
    op.drop_index('ix_employment_alumnus_updated', table_name='employment')
    op.drop_index('ix_survey_response_alumnus_submitted', table_name='survey_response')
