"""contributions, events and engagement

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipt_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_receipt_counter_institution_id_institution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_counter')),
    sa.UniqueConstraint('institution_id', 'year', name=op.f('uq_receipt_counter_institution_id_year'))
    )
    with op.batch_alter_table('receipt_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_counter_institution_id'), ['institution_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.Column('default_hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_event_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_event_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_event_date'), ['event_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_open'), ['registration_open'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donor_kind', sa.String(length=20), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=True),
    sa.Column('organisation_key', sa.String(length=200), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('estimated_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('value_currency', sa.String(length=3), nullable=True),
    sa.Column('valuation_basis', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('receipt_number', sa.String(length=40), nullable=False),
    sa.Column('receipt_year', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_to', sa.String(length=254), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind <> 'monetary' OR (amount > 0 AND currency IS NOT NULL)", name=op.f('ck_contribution_money_has_amount')),
    sa.CheckConstraint("kind IN ('monetary', 'in_kind')", name=op.f('ck_contribution_kind_known')),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_contribution_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_contribution_employer_id_employer')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_contribution_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_contribution_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_contribution_receipt_number'))
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_currency'), ['currency'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_donor_kind'), ['donor_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_organisation_key'), ['organisation_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_receipt_year'), ['receipt_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_voided_at'), ['voided_at'], unique=False)

    op.create_table('participation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_participation_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_participation_event_id_event')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_participation_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation')),
    sa.UniqueConstraint('event_id', 'alumnus_id', name=op.f('uq_participation_event_id_alumnus_id'))
    )
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_status'))
        batch_op.drop_index(batch_op.f('ix_participation_institution_id'))
        batch_op.drop_index(batch_op.f('ix_participation_event_id'))
        batch_op.drop_index(batch_op.f('ix_participation_alumnus_id'))

    op.drop_table('participation')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_voided_at'))
        batch_op.drop_index(batch_op.f('ix_contribution_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_received_on'))
        batch_op.drop_index(batch_op.f('ix_contribution_receipt_year'))
        batch_op.drop_index(batch_op.f('ix_contribution_organisation_key'))
        batch_op.drop_index(batch_op.f('ix_contribution_kind'))
        batch_op.drop_index(batch_op.f('ix_contribution_institution_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_employer_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_donor_kind'))
        batch_op.drop_index(batch_op.f('ix_contribution_currency'))
        batch_op.drop_index(batch_op.f('ix_contribution_category'))
        batch_op.drop_index(batch_op.f('ix_contribution_alumnus_id'))

    op.drop_table('contribution')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_open'))
        batch_op.drop_index(batch_op.f('ix_event_programme_id'))
        batch_op.drop_index(batch_op.f('ix_event_kind'))
        batch_op.drop_index(batch_op.f('ix_event_institution_id'))
        batch_op.drop_index(batch_op.f('ix_event_event_date'))

    op.drop_table('event')
    with op.batch_alter_table('receipt_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_counter_institution_id'))

    op.drop_table('receipt_counter')
