"""Dashboard panels: the landing page's figures and trend charts as last counted

Revision ID: 0015_dashboard_panels
Revises: 0014_report_snapshots
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_dashboard_panels'
down_revision = '0014_report_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dashboard_panel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('charts', sa.JSON(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'],
                            name=op.f('fk_dashboard_panel_institution_id_institution'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'],
                            name=op.f('fk_dashboard_panel_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_panel'))
    )
    with op.batch_alter_table('dashboard_panel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_panel_institution_id'),
                              ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_panel_programme_id'), ['programme_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('dashboard_panel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_panel_programme_id'))
        batch_op.drop_index(batch_op.f('ix_dashboard_panel_institution_id'))
    op.drop_table('dashboard_panel')
