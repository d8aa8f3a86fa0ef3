"""Least data: quality staff see contact details only with an administrator's grant

Revision ID: 0019_contact_details_grant
Revises: 0018_directory_breaches_notices
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_contact_details_grant'
down_revision = '0018_directory_breaches_notices'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    op.add_column('user', sa.Column('contact_details_granted', sa.Boolean(), nullable=False,
                                    server_default=sa.false()))


def downgrade():
    op.drop_column('user', 'contact_details_granted')
