"""Languages: a user's chosen language, an institution's default language and Buddhist Era years

Revision ID: 0023_languages
Revises: 0022_kept_figures
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_languages'
down_revision = '0022_kept_figures'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    op.add_column('user', sa.Column('language', sa.String(length=8), nullable=True))
    op.add_column('institution', sa.Column('default_language', sa.String(length=8),
                                           nullable=False, server_default='en'))
    op.add_column('institution', sa.Column('buddhist_era', sa.Boolean(), nullable=False,
                                           server_default=sa.true()))


def downgrade():
    op.drop_column('institution', 'buddhist_era')
    op.drop_column('institution', 'default_language')
    op.drop_column('user', 'language')
