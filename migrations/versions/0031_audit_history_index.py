"""A record's history without the views of it: an index on the audit log by record and time
that leaves the views out, so a record's page reads its latest changes from the index however
often the record was opened (it read and sorted every entry of the record, views included:
13,000 entries of a record opened often, 6 ms a view and growing with each).

Revision ID: 0031_audit_history_index
Revises: 0030_cohort_index_covers_counts
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0031_audit_history_index'
down_revision = '0030_cohort_index_covers_counts'
branch_labels = None
depends_on = None

NOT_A_VIEW = sa.text("action != 'personal_data.view'")


def upgrade():
    op.create_index('ix_audit_entry_history', 'audit_entry',
                    ['entity_type', 'entity_id', 'created_at'],
                    sqlite_where=NOT_A_VIEW, postgresql_where=NOT_A_VIEW)


def downgrade():
    op.drop_index('ix_audit_entry_history', table_name='audit_entry')
