"""registrar imports, duplicates and merges

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_import_mapping_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('institution_id', 'kind', name=op.f('uq_import_mapping_institution_id_kind'))
    )
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_mapping_institution_id'), ['institution_id'], unique=False)

    op.create_table('duplicate_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_duplicate_candidate_decided_by_id_user')),
    sa.ForeignKeyConstraint(['first_id'], ['alumnus.id'], name=op.f('fk_duplicate_candidate_first_id_alumnus')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_duplicate_candidate_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['second_id'], ['alumnus.id'], name=op.f('fk_duplicate_candidate_second_id_alumnus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_candidate')),
    sa.UniqueConstraint('first_id', 'second_id', name=op.f('uq_duplicate_candidate_first_id_second_id'))
    )
    with op.batch_alter_table('duplicate_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_score'), ['score'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_second_id'), ['second_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_status'), ['status'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.String(length=20), nullable=True),
    sa.Column('stored_name', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=True),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('previewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_batch_created_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_import_batch_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_import_batch_job_id_job')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_checksum'), ['checksum'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_status'), ['status'], unique=False)

    op.create_table('student_number_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_number', sa.String(length=40), nullable=False),
    sa.Column('number_key', sa.String(length=40), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_student_number_alias_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_student_number_alias_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_number_alias')),
    sa.UniqueConstraint('institution_id', 'number_key', name=op.f('uq_student_number_alias_institution_id_number_key'))
    )
    with op.batch_alter_table('student_number_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_number_alias_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_number_alias_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_number_alias_number_key'), ['number_key'], unique=False)



def downgrade():
    with op.batch_alter_table('student_number_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_number_alias_number_key'))
        batch_op.drop_index(batch_op.f('ix_student_number_alias_institution_id'))
        batch_op.drop_index(batch_op.f('ix_student_number_alias_alumnus_id'))

    op.drop_table('student_number_alias')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_status'))
        batch_op.drop_index(batch_op.f('ix_import_batch_kind'))
        batch_op.drop_index(batch_op.f('ix_import_batch_job_id'))
        batch_op.drop_index(batch_op.f('ix_import_batch_institution_id'))
        batch_op.drop_index(batch_op.f('ix_import_batch_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_import_batch_created_at'))
        batch_op.drop_index(batch_op.f('ix_import_batch_checksum'))

    op.drop_table('import_batch')
    with op.batch_alter_table('duplicate_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_status'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_second_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_score'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_institution_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_first_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_decided_by_id'))

    op.drop_table('duplicate_candidate')
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_mapping_institution_id'))

    op.drop_table('import_mapping')
