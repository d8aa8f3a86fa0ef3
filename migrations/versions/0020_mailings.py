"""Mailings to alumni, the mail gate's log of messages not sent, unsubscribe links, bounces

Revision ID: 0020_mailings
Revises: 0019_contact_details_grant
Create Date: 2026-12-05 08:43:31.819579

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_mailings'
down_revision = '0019_contact_details_grant'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('mail_bounce',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_bounce'))
    )
    with op.batch_alter_table('mail_bounce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_bounce_address'), ['address'], unique=False)

    op.create_table('mailing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('segment', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_count', sa.Integer(), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mailing_created_by_id_user')),
    sa.ForeignKeyConstraint(['institution_id'], ['institution.id'], name=op.f('fk_mailing_institution_id_institution'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_mailing_job_id_job')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], name=op.f('fk_mailing_sent_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing'))
    )
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailing_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_sent_by_id'), ['sent_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_status'), ['status'], unique=False)

    op.create_table('suppressed_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_suppressed_mail_alumnus_id_alumnus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressed_mail'))
    )
    with op.batch_alter_table('suppressed_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppressed_mail_alumnus_id'), ['alumnus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suppressed_mail_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_suppressed_mail_reason'), ['reason'], unique=False)

    op.create_table('unsubscribe_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumnus.id'], name=op.f('fk_unsubscribe_link_alumnus_id_alumnus')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unsubscribe_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_unsubscribe_link_token_hash'))
    )
    with op.batch_alter_table('unsubscribe_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unsubscribe_link_alumnus_id'), ['alumnus_id'], unique=False)




def downgrade():

    with op.batch_alter_table('unsubscribe_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unsubscribe_link_alumnus_id'))

    op.drop_table('unsubscribe_link')
    with op.batch_alter_table('suppressed_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppressed_mail_reason'))
        batch_op.drop_index(batch_op.f('ix_suppressed_mail_created_at'))
        batch_op.drop_index(batch_op.f('ix_suppressed_mail_alumnus_id'))

    op.drop_table('suppressed_mail')
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailing_status'))
        batch_op.drop_index(batch_op.f('ix_mailing_sent_by_id'))
        batch_op.drop_index(batch_op.f('ix_mailing_job_id'))
        batch_op.drop_index(batch_op.f('ix_mailing_institution_id'))
        batch_op.drop_index(batch_op.f('ix_mailing_created_by_id'))

    op.drop_table('mailing')
    with op.batch_alter_table('mail_bounce', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_bounce_address'))

    op.drop_table('mail_bounce')

