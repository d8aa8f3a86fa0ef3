"""Erasure records whether the alumnus held an e-mail or phone (E1 stays as it was)

Revision ID: 0021_contact_at_erasure
Revises: 0020_mailings
Create Date: 2026-12-05 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_contact_at_erasure'
down_revision = '0020_mailings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alumnus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_at_erasure', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('alumnus', schema=None) as batch_op:
        batch_op.drop_column('contact_at_erasure')
