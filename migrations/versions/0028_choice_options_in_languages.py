"""A tracer survey's own list question gets its options in further languages: a JSON column
beside `choices`, {"th": ["…", "…"]} in the same order and count; the options as entered
stay as they are (an answer keeps storing the option as entered).

Revision ID: 0028_choice_options_in_languages
Revises: 0027_own_words_in_languages
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_choice_options_in_languages'
down_revision = '0027_own_words_in_languages'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    op.add_column('survey_question', sa.Column('choices_translations', sa.JSON(), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later), for the same reason.
    op.drop_column('survey_question', 'choices_translations')
