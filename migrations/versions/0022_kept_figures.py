"""Kept figures: counts over a whole register kept with when they were counted, shared by
every worker process and counted again in the background

Revision ID: 0022_kept_figures
Revises: 0021_contact_at_erasure
Create Date: 2026-12-05 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_kept_figures'
down_revision = '0021_contact_at_erasure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_figure',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recount_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_kept_figure'))
    )


def downgrade():
    op.drop_table('kept_figure')
