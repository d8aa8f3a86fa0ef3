"""Report snapshots: evidence packs kept as built, with the SHA-256 of each file

Revision ID: 0014_report_snapshots
Revises: 0013_indicator_indexes
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_report_snapshots'
down_revision = '0013_indicator_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework', sa.String(length=60), nullable=False),
    sa.Column('framework_title', sa.String(length=200), nullable=False),
    sa.Column('framework_sha256', sa.String(length=64), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('programme_codes', sa.String(length=500), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('reference_months', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('built_by_id', sa.Integer(), nullable=True),
    sa.Column('built_by_name', sa.String(length=200), nullable=False),
    sa.Column('folder', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['built_by_id'], ['user.id'],
                            name=op.f('fk_report_snapshot_built_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'],
                            name=op.f('fk_report_snapshot_institution_id_institution'),
                            ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshot'))
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_snapshot_built_by_id'), ['built_by_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_report_snapshot_created_at'), ['created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_report_snapshot_framework'), ['framework'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_report_snapshot_institution_id'),
                              ['institution_id'], unique=False)
    op.create_table('snapshot_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('fmt', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['report_snapshot.id'],
                            name=op.f('fk_snapshot_file_snapshot_id_report_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshot_file'))
    )
    with op.batch_alter_table('snapshot_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snapshot_file_snapshot_id'), ['snapshot_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('snapshot_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_snapshot_file_snapshot_id'))
    op.drop_table('snapshot_file')
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_snapshot_institution_id'))
        batch_op.drop_index(batch_op.f('ix_report_snapshot_framework'))
        batch_op.drop_index(batch_op.f('ix_report_snapshot_created_at'))
        batch_op.drop_index(batch_op.f('ix_report_snapshot_built_by_id'))
    op.drop_table('report_snapshot')
