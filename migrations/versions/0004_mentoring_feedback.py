"""mentoring and curriculum feedback

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes_ref', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_review_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_review_meeting_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_review_meeting_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meeting'))
    )
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_meeting_programme_id'), ['programme_id'], unique=False)

    op.create_table('student',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_number', sa.String(length=40), nullable=False),
    sa.Column('given_name', sa.String(length=120), nullable=False),
    sa.Column('family_name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('expected_graduation', sa.Date(), nullable=True),
    sa.Column('industries', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_student_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_student_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student')),
    sa.UniqueConstraint('institution_id', 'student_number', name=op.f('uq_student_institution_id_student_number'))
    )
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_family_name'), ['family_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_programme_id'), ['programme_id'], unique=False)

    op.create_table('curriculum_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('topic_kind', sa.String(length=20), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('relevance', sa.Integer(), nullable=True),
    sa.Column('skill_gap', sa.Text(), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('relevance IS NULL OR relevance BETWEEN 1 AND 5', name=op.f('ck_curriculum_feedback_relevance_range')),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_curriculum_feedback_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_curriculum_feedback_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'], name=op.f('fk_curriculum_feedback_meeting_id_review_meeting')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_curriculum_feedback_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curriculum_feedback'))
    )
    with op.batch_alter_table('curriculum_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_curriculum_feedback_status'), ['status'], unique=False)

    op.create_table('mentor_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('expertise', sa.Text(), nullable=False),
    sa.Column('industries', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('load', sa.Integer(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.Column('about', sa.Text(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_mentor_profile_capacity_not_negative')),
    sa.CheckConstraint('load >= 0', name=op.f('ck_mentor_profile_load_not_negative')),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_mentor_profile_alumnus_id_alumnus')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mentor_profile_institution_id_institution'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_profile')),
    sa.UniqueConstraint('alumnus_id', name=op.f('uq_mentor_profile_alumnus_id'))
    )
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_profile_available'), ['available'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_profile_institution_id'), ['institution_id'], unique=False)

    op.create_table('feedback_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_feedback_decision_decided_by_id_user')),
    sa.ForeignKeyConstraint(['feedback_id'], ['curriculum_feedback.id'], name=op.f('fk_feedback_decision_feedback_id_curriculum_feedback')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_feedback_decision_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'], name=op.f('fk_feedback_decision_meeting_id_review_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_decision'))
    )
    with op.batch_alter_table('feedback_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_decision_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_decision_feedback_id'), ['feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_decision_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_decision_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_decision_to_status'), ['to_status'], unique=False)

    op.create_table('mentorship',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('match_score', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('mentor_rating', sa.Integer(), nullable=True),
    sa.Column('mentor_outcome', sa.Text(), nullable=True),
    sa.Column('student_rating', sa.Integer(), nullable=True),
    sa.Column('student_outcome', sa.Text(), nullable=True),
    sa.Column('student_outcome_by', sa.String(length=20), nullable=True),
    sa.Column('student_token_hash', sa.String(length=64), nullable=True),
    sa.Column('student_token_expires', sa.DateTime(timezone=True), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('mentor_rating IS NULL OR mentor_rating BETWEEN 1 AND 5', name=op.f('ck_mentorship_mentor_rating_range')),
    sa.CheckConstraint('student_rating IS NULL OR student_rating BETWEEN 1 AND 5', name=op.f('ck_mentorship_student_rating_range')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mentorship_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_id'], ['mentor_profile.id'], name=op.f('fk_mentorship_mentor_id_mentor_profile')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_mentorship_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_mentorship_student_id_student')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship')),
    sa.UniqueConstraint('student_token_hash', name=op.f('uq_mentorship_student_token_hash'))
    )
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorship_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_proposed_at'), ['proposed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_proposed_by_id'), ['proposed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorship_student_id'), ['student_id'], unique=False)

    op.create_table('mentoring_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_mentoring_session_minutes_positive')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mentoring_session_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorship.id'], name=op.f('fk_mentoring_session_mentorship_id_mentorship')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_mentoring_session_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_session'))
    )
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_session_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_session_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_session_mentorship_id'), ['mentorship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_session_recorded_by_id'), ['recorded_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('mentoring_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_session_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_session_mentorship_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_session_institution_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_session_held_on'))

    op.drop_table('mentoring_session')
    with op.batch_alter_table('mentorship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentorship_student_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_status'))
        batch_op.drop_index(batch_op.f('ix_mentorship_proposed_by_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_proposed_at'))
        batch_op.drop_index(batch_op.f('ix_mentorship_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentorship_institution_id'))

    op.drop_table('mentorship')
    with op.batch_alter_table('feedback_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_decision_to_status'))
        batch_op.drop_index(batch_op.f('ix_feedback_decision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_decision_institution_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_decision_feedback_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_decision_decided_by_id'))

    op.drop_table('feedback_decision')
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_profile_institution_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_profile_available'))

    op.drop_table('mentor_profile')
    with op.batch_alter_table('curriculum_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_status'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_source'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_received_on'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_programme_id'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_institution_id'))
        batch_op.drop_index(batch_op.f('ix_curriculum_feedback_alumnus_id'))

    op.drop_table('curriculum_feedback')
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_programme_id'))
        batch_op.drop_index(batch_op.f('ix_student_institution_id'))
        batch_op.drop_index(batch_op.f('ix_student_family_name'))

    op.drop_table('student')
    with op.batch_alter_table('review_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_programme_id'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_institution_id'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_held_on'))
        batch_op.drop_index(batch_op.f('ix_review_meeting_created_by_id'))

    op.drop_table('review_meeting')
