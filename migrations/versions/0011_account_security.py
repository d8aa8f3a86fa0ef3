"""Account security: two-factor sign-in (TOTP key, last step, recovery codes) and the
institution's setting that requires it of administrators

Revision ID: 0011
Revises: 0010_records
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010_records'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    op.add_column('user', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('user', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    op.add_column('institution', sa.Column('admin_two_factor_required', sa.Boolean(),
                                           nullable=False, server_default=sa.false()))
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    op.drop_column('institution', 'admin_two_factor_required')
    op.drop_column('user', 'totp_last_step')
    op.drop_column('user', 'totp_secret')
