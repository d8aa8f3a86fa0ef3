"""employment outcomes and tracer surveys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('normalised_name', sa.String(length=200), nullable=False),
    sa.Column('isic_section', sa.String(length=1), nullable=True),
    sa.Column('employer_type', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('size', sa.String(length=10), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_employer_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer'))
    )
    with op.batch_alter_table('employer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_isic_section'), ['isic_section'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_normalised_name'), ['normalised_name'], unique=False)
    op.create_table('employer_feedback_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undeliverable_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_employer_feedback_request_created_by_id_user')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_feedback_request_employer_id_employer')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_employer_feedback_request_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_employer_feedback_request_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_feedback_request')),
    sa.UniqueConstraint('employer_id', 'programme_id', 'year', name=op.f('uq_employer_feedback_request_employer_id_programme_id_year')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_employer_feedback_request_token_hash'))
    )
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_feedback_request_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_request_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_request_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_request_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_request_year'), ['year'], unique=False)
    op.create_table('tracer_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('reference_months', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_tracer_survey_created_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_tracer_survey_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracer_survey'))
    )
    with op.batch_alter_table('tracer_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracer_survey_closes_on'), ['closes_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracer_survey_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracer_survey_institution_id'), ['institution_id'], unique=False)
    op.create_table('employer_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('respondent_name', sa.String(length=200), nullable=True),
    sa.Column('respondent_position', sa.String(length=200), nullable=True),
    sa.Column('graduates_employed', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employer_feedback_employer_id_employer')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_employer_feedback_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_employer_feedback_programme_id_programme')),
    sa.ForeignKeyConstraint(['request_id'], ['employer_feedback_request.id'], name=op.f('fk_employer_feedback_request_id_employer_feedback_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_feedback')),
    sa.UniqueConstraint('request_id', name=op.f('uq_employer_feedback_request_id'))
    )
    with op.batch_alter_table('employer_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_feedback_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_feedback_year'), ['year'], unique=False)
    op.create_table('employment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('hours', sa.String(length=10), nullable=True),
    sa.Column('contract', sa.String(length=10), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('isco_group', sa.String(length=1), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('how_found', sa.String(length=30), nullable=True),
    sa.Column('months_to_find', sa.Integer(), nullable=True),
    sa.Column('income_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('income_currency', sa.String(length=3), nullable=True),
    sa.Column('income_band', sa.String(length=40), nullable=True),
    sa.Column('relevance', sa.Integer(), nullable=True),
    sa.Column('education_level', sa.String(length=10), nullable=True),
    sa.Column('workplace_level', sa.String(length=20), nullable=True),
    sa.Column('work_country', sa.String(length=2), nullable=True),
    sa.Column('work_city', sa.String(length=120), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('income_amount IS NULL OR income_amount >= 0', name=op.f('ck_employment_income_positive')),
    sa.CheckConstraint('relevance IS NULL OR relevance BETWEEN 1 AND 5', name=op.f('ck_employment_relevance_1_5')),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_employment_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employment_employer_id_employer')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_employment_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['survey_id'], ['tracer_survey.id'], name=op.f('fk_employment_survey_id_tracer_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment'))
    )
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employment_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_survey_id'), ['survey_id'], unique=False)
    op.create_table('survey_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('cohort_year', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('previous_token_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_count', sa.Integer(), nullable=False),
    sa.Column('undeliverable_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_error', sa.String(length=300), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_survey_invitation_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_survey_invitation_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_survey_invitation_programme_id_programme')),
    sa.ForeignKeyConstraint(['survey_id'], ['tracer_survey.id'], name=op.f('fk_survey_invitation_survey_id_tracer_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
    sa.UniqueConstraint('survey_id', 'alumnus_id', name=op.f('uq_survey_invitation_survey_id_alumnus_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitation_token_hash'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_previous_token_hash'), ['previous_token_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_responded_at'), ['responded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_undeliverable_at'), ['undeliverable_at'], unique=False)
    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['tracer_survey.id'], name=op.f('fk_survey_question_survey_id_tracer_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question'))
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_survey_id'), ['survey_id'], unique=False)
    op.create_table('tracer_survey_cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('cohort_year', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_tracer_survey_cohort_programme_id_programme')),
    sa.ForeignKeyConstraint(['survey_id'], ['tracer_survey.id'], name=op.f('fk_tracer_survey_cohort_survey_id_tracer_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracer_survey_cohort')),
    sa.UniqueConstraint('survey_id', 'programme_id', 'cohort_year', name=op.f('uq_tracer_survey_cohort_survey_id_programme_id_cohort_year'))
    )
    with op.batch_alter_table('tracer_survey_cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracer_survey_cohort_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracer_survey_cohort_survey_id'), ['survey_id'], unique=False)
    op.create_table('employer_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['employer_feedback.id'], name=op.f('fk_employer_rating_feedback_id_employer_feedback')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer_rating')),
    sa.UniqueConstraint('feedback_id', 'competency', name=op.f('uq_employer_rating_feedback_id_competency'))
    )
    with op.batch_alter_table('employer_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employer_rating_competency'), ['competency'], unique=False)
        batch_op.create_index(batch_op.f('ix_employer_rating_feedback_id'), ['feedback_id'], unique=False)
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('employment_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('job_within_6_months', sa.Boolean(), nullable=True),
    sa.Column('months_to_first_job', sa.Integer(), nullable=True),
    sa.Column('how_found', sa.String(length=30), nullable=True),
    sa.Column('employer_type', sa.String(length=20), nullable=True),
    sa.Column('employer_name', sa.String(length=200), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('isco_group', sa.String(length=1), nullable=True),
    sa.Column('hours', sa.String(length=10), nullable=True),
    sa.Column('contract', sa.String(length=10), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('work_country', sa.String(length=2), nullable=True),
    sa.Column('work_city', sa.String(length=120), nullable=True),
    sa.Column('income_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('income_currency', sa.String(length=3), nullable=True),
    sa.Column('relevance', sa.Integer(), nullable=True),
    sa.Column('education_level', sa.String(length=10), nullable=True),
    sa.Column('workplace_level', sa.String(length=20), nullable=True),
    sa.Column('further_study', sa.Boolean(), nullable=True),
    sa.Column('further_study_field', sa.String(length=200), nullable=True),
    sa.Column('extra_answers', sa.JSON(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('relevance IS NULL OR relevance BETWEEN 1 AND 5', name=op.f('ck_survey_response_relevance_1_5')),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_survey_response_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['employment_id'], ['employment.id'], name=op.f('fk_survey_response_employment_id_employment')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_survey_response_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['invitation_id'], ['survey_invitation.id'], name=op.f('fk_survey_response_invitation_id_survey_invitation')),
    sa.ForeignKeyConstraint(['survey_id'], ['tracer_survey.id'], name=op.f('fk_survey_response_survey_id_tracer_survey')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_survey_response_invitation_id'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_employment_id'), ['employment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_survey_id'), ['survey_id'], unique=False)
    op.create_table('competency_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=20), nullable=False),
    sa.Column('at_graduation', sa.Integer(), nullable=False),
    sa.Column('required_now', sa.Integer(), nullable=False),
    sa.CheckConstraint('at_graduation BETWEEN 1 AND 5', name=op.f('ck_competency_rating_at_graduation_1_5')),
    sa.CheckConstraint('required_now BETWEEN 1 AND 5', name=op.f('ck_competency_rating_required_now_1_5')),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_competency_rating_response_id_survey_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_rating')),
    sa.UniqueConstraint('response_id', 'competency', name=op.f('uq_competency_rating_response_id_competency'))
    )
    with op.batch_alter_table('competency_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competency_rating_competency'), ['competency'], unique=False)
        batch_op.create_index(batch_op.f('ix_competency_rating_response_id'), ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('competency_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competency_rating_response_id'))
        batch_op.drop_index(batch_op.f('ix_competency_rating_competency'))
    op.drop_table('competency_rating')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_status'))
        batch_op.drop_index(batch_op.f('ix_survey_response_institution_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_employment_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_alumnus_id'))
    op.drop_table('survey_response')
    with op.batch_alter_table('employer_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_rating_feedback_id'))
        batch_op.drop_index(batch_op.f('ix_employer_rating_competency'))
    op.drop_table('employer_rating')
    with op.batch_alter_table('tracer_survey_cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracer_survey_cohort_survey_id'))
        batch_op.drop_index(batch_op.f('ix_tracer_survey_cohort_programme_id'))
    op.drop_table('tracer_survey_cohort')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_survey_id'))
    op.drop_table('survey_question')
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_undeliverable_at'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_sent_at'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_responded_at'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_programme_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_previous_token_hash'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_institution_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_alumnus_id'))
    op.drop_table('survey_invitation')
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employment_survey_id'))
        batch_op.drop_index(batch_op.f('ix_employment_status'))
        batch_op.drop_index(batch_op.f('ix_employment_start_date'))
        batch_op.drop_index(batch_op.f('ix_employment_source'))
        batch_op.drop_index(batch_op.f('ix_employment_institution_id'))
        batch_op.drop_index(batch_op.f('ix_employment_employer_id'))
        batch_op.drop_index(batch_op.f('ix_employment_alumnus_id'))
    op.drop_table('employment')
    with op.batch_alter_table('employer_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_feedback_year'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_programme_id'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_institution_id'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_employer_id'))
    op.drop_table('employer_feedback')
    with op.batch_alter_table('tracer_survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracer_survey_institution_id'))
        batch_op.drop_index(batch_op.f('ix_tracer_survey_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_tracer_survey_closes_on'))
    op.drop_table('tracer_survey')
    with op.batch_alter_table('employer_feedback_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_feedback_request_year'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_request_programme_id'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_request_institution_id'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_request_employer_id'))
        batch_op.drop_index(batch_op.f('ix_employer_feedback_request_created_by_id'))
    op.drop_table('employer_feedback_request')
    with op.batch_alter_table('employer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employer_normalised_name'))
        batch_op.drop_index(batch_op.f('ix_employer_isic_section'))
        batch_op.drop_index(batch_op.f('ix_employer_institution_id'))
        batch_op.drop_index(batch_op.f('ix_employer_country'))
    op.drop_table('employer')
