"""SEAMEO TVET exchange register

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('batch_number', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=True),
    sa.Column('window_end', sa.Date(), nullable=True),
    sa.Column('coordinator', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_exchange_batch_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_batch')),
    sa.UniqueConstraint('institution_id', 'year', 'batch_number', name=op.f('uq_exchange_batch_institution_id_year_batch_number'))
    )
    with op.batch_alter_table('exchange_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_batch_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_batch_mode'), ['mode'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_batch_year'), ['year'], unique=False)
    op.create_table('exchange_credit_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hours_per_credit', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('rounding', sa.String(length=20), nullable=False),
    sa.Column('max_credits', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('min_hours', sa.Numeric(precision=6, scale=1), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_exchange_credit_rule_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_credit_rule')),
    sa.UniqueConstraint('institution_id', name=op.f('uq_exchange_credit_rule_institution_id'))
    )
    with op.batch_alter_table('exchange_credit_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_credit_rule_institution_id'), ['institution_id'], unique=False)
    op.create_table('exchange_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('first_institution_id', sa.Integer(), nullable=False),
    sa.Column('second_institution_id', sa.Integer(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=True),
    sa.Column('hours_per_day', sa.Numeric(precision=4, scale=1), nullable=True),
    sa.Column('places_first_to_second', sa.Integer(), nullable=False),
    sa.Column('places_second_to_first', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('signed_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['exchange_batch.id'], name=op.f('fk_exchange_agreement_batch_id_exchange_batch')),
    sa.ForeignKeyConstraint(['first_institution_id'], ['institution.id'], name=op.f('fk_exchange_agreement_first_institution_id_institution')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_exchange_agreement_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['second_institution_id'], ['institution.id'], name=op.f('fk_exchange_agreement_second_institution_id_institution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_agreement'))
    )
    with op.batch_alter_table('exchange_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_agreement_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_agreement_first_institution_id'), ['first_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_agreement_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_agreement_second_institution_id'), ['second_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_agreement_status'), ['status'], unique=False)
    op.create_table('exchange_agreement_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['exchange_agreement.id'], name=op.f('fk_exchange_agreement_document_agreement_id_exchange_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_exchange_agreement_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_agreement_document')),
    sa.UniqueConstraint('agreement_id', name=op.f('uq_exchange_agreement_document_agreement_id'))
    )
    with op.batch_alter_table('exchange_agreement_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_agreement_document_uploaded_by_id'), ['uploaded_by_id'], unique=False)
    op.create_table('exchange_participation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('student_number', sa.String(length=40), nullable=False),
    sa.Column('given_name', sa.String(length=120), nullable=False),
    sa.Column('family_name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('programme_code', sa.String(length=30), nullable=True),
    sa.Column('alumnus_id', sa.Integer(), nullable=True),
    sa.Column('sending_institution_id', sa.Integer(), nullable=False),
    sa.Column('receiving_institution_id', sa.Integer(), nullable=False),
    sa.Column('study_area', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=6, scale=1), nullable=True),
    sa.Column('project', sa.String(length=300), nullable=True),
    sa.Column('mentor_teacher', sa.String(length=200), nullable=True),
    sa.Column('e_buddy', sa.String(length=200), nullable=True),
    sa.Column('industry_partner', sa.String(length=200), nullable=True),
    sa.Column('performance_result', sa.String(length=20), nullable=True),
    sa.Column('evaluation_submitted', sa.Boolean(), nullable=False),
    sa.Column('certificate_number', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('withdrawn_from', sa.String(length=20), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('credits_recognised', sa.Boolean(), nullable=True),
    sa.Column('credits', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('recognition_date', sa.Date(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_exchange_participation_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['batch_id'], ['exchange_batch.id'], name=op.f('fk_exchange_participation_batch_id_exchange_batch')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_exchange_participation_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['receiving_institution_id'], ['institution.id'], name=op.f('fk_exchange_participation_receiving_institution_id_institution')),
    sa.ForeignKeyConstraint(['sending_institution_id'], ['institution.id'], name=op.f('fk_exchange_participation_sending_institution_id_institution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_participation')),
    sa.UniqueConstraint('batch_id', 'sending_institution_id', 'student_number', name=op.f('uq_exchange_participation_batch_id_sending_institution_id_student_number')),
    sa.UniqueConstraint('certificate_number', name=op.f('uq_exchange_participation_certificate_number'))
    )
    with op.batch_alter_table('exchange_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_participation_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_direction'), ['direction'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_receiving_institution_id'), ['receiving_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_sending_institution_id'), ['sending_institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_student_number'), ['student_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_participation_study_area'), ['study_area'], unique=False)


def downgrade():
    with op.batch_alter_table('exchange_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_participation_study_area'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_student_number'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_status'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_sending_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_receiving_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_direction'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_batch_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_participation_alumnus_id'))
    op.drop_table('exchange_participation')
    with op.batch_alter_table('exchange_agreement_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_document_uploaded_by_id'))
    op.drop_table('exchange_agreement_document')
    with op.batch_alter_table('exchange_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_status'))
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_second_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_first_institution_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_agreement_batch_id'))
    op.drop_table('exchange_agreement')
    with op.batch_alter_table('exchange_credit_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_credit_rule_institution_id'))
    op.drop_table('exchange_credit_rule')
    with op.batch_alter_table('exchange_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_batch_year'))
        batch_op.drop_index(batch_op.f('ix_exchange_batch_mode'))
        batch_op.drop_index(batch_op.f('ix_exchange_batch_institution_id'))
    op.drop_table('exchange_batch')
