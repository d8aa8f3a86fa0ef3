"""A tracer campaign's figures read from one index: survey, programme, cohort and the four
dates the figures count (sent, undeliverable, responded, reminded), so the grouped count that
the campaign page and its live figures run on every view reads the index alone, in the
group's order, instead of every invitation row of the survey.

Revision ID: 0029_campaign_figures_index
Revises: 0028_choice_options_in_languages
Create Date: 2026-12-06

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029_campaign_figures_index'
down_revision = '0028_choice_options_in_languages'
branch_labels = None
depends_on = None

COLUMNS = ['survey_id', 'programme_id', 'cohort_year', 'sent_at', 'undeliverable_at',
           'responded_at', 'reminded_at']


def upgrade():
    op.create_index('ix_survey_invitation_campaign', 'survey_invitation', COLUMNS)


def downgrade():
    op.drop_index('ix_survey_invitation_campaign', table_name='survey_invitation')
