"""Indicators: minimum wages, and the indexes the indicator queries read

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minimum_wage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('monthly_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                            name=op.f('fk_minimum_wage_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minimum_wage')),
    sa.UniqueConstraint('country', 'region', 'year',
                        name=op.f('uq_minimum_wage_country_region_year'))
    )
    with op.batch_alter_table('minimum_wage', schema=None) as batch_op:
        batch_op.create_index('ix_minimum_wage_country_year', ['country', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_minimum_wage_updated_by_id'), ['updated_by_id'],
                              unique=False)
    with op.batch_alter_table('alumnus', schema=None) as batch_op:
        batch_op.create_index('ix_alumnus_cohort', ['institution_id', 'programme_id',
                                                    'cohort_year'], unique=False)
    with op.batch_alter_table('tracer_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracer_survey_reference_months'),
                              ['reference_months'], unique=False)
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_income_currency'),
                              ['income_currency'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_income_currency'))
    with op.batch_alter_table('tracer_survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracer_survey_reference_months'))
    with op.batch_alter_table('alumnus', schema=None) as batch_op:
        batch_op.drop_index('ix_alumnus_cohort')
    with op.batch_alter_table('minimum_wage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minimum_wage_updated_by_id'))
        batch_op.drop_index('ix_minimum_wage_country_year')
    op.drop_table('minimum_wage')
