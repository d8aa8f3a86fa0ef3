"""Contribution totals read from indexes: three partial indexes over the contributions that
are not voided, each holding the columns one of the totals page's grouped sums reads (money
per currency and category, in kind per category and currency, the donors), so the page reads
the index and never the table (SQLite, 2,000 contributions: 52 → 37 million instructions a
view of the page).

Revision ID: 0032_contribution_totals_indexes
Revises: 0031_audit_history_index
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0032_contribution_totals_indexes'
down_revision = '0031_audit_history_index'
branch_labels = None
depends_on = None

NOT_VOIDED = sa.text("voided_at IS NULL")
INDEXES = {
    'ix_contribution_money_totals': ['institution_id', 'kind', 'currency', 'category',
                                     'receipt_year', 'amount', 'voided_at'],
    'ix_contribution_in_kind_totals': ['institution_id', 'kind', 'category', 'value_currency',
                                       'receipt_year', 'quantity', 'hours', 'estimated_value',
                                       'voided_at'],
    'ix_contribution_donors': ['institution_id', 'donor_kind', 'alumnus_id', 'organisation_key',
                               'receipt_year', 'voided_at'],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'contribution', columns, sqlite_where=NOT_VOIDED,
                        postgresql_where=NOT_VOIDED)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name='contribution')
