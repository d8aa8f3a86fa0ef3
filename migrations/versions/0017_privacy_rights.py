"""privacy rights: the institution's deadline for an alumnus's requests, and the requests
(a copy of one's data, erasure)

Revision ID: 0017_privacy_rights
Revises: 0016_register_indexes
Create Date: 2026-12-05

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_privacy_rights'
down_revision = '0016_register_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('institution', sa.Column('rights_deadline_days', sa.Integer(), nullable=False,
                                           server_default='30'))
    op.add_column('alumnus', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('rights_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=100), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'],
                            name=op.f('fk_rights_request_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'],
                            name=op.f('fk_rights_request_closed_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'],
                            name=op.f('fk_rights_request_institution_id_institution'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_rights_request_job_id_job')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rights_request'))
    )
    with op.batch_alter_table('rights_request', schema=None) as batch_op:
        for column in ('alumnus_id', 'kind', 'status', 'due_on', 'closed_at', 'closed_by_id',
                       'job_id', 'institution_id'):
            batch_op.create_index(batch_op.f(f'ix_rights_request_{column}'), [column],
                                  unique=False)


def downgrade():
    op.drop_table('rights_request')
    op.drop_column('alumnus', 'erased_at')
    op.drop_column('institution', 'rights_deadline_days')
