"""An institution's own words in several languages: a tracer survey's title and introduction,
its own questions, an event's title and description get a JSON column of translations
({"th": "…"}) beside the text as entered, which stays as it is.

Revision ID: 0027_own_words_in_languages
Revises: 0026_ratings_on_answer
Create Date: 2026-12-06

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_own_words_in_languages'
down_revision = '0026_ratings_on_answer'
branch_labels = None
depends_on = None

COLUMNS = (
    ('tracer_survey', 'title_translations'),
    ('tracer_survey', 'introduction_translations'),
    ('survey_question', 'label_translations'),
    ('event', 'title_translations'),
    ('event', 'description_translations'),
)


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite cannot rebuild tables that other rows refer to.
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.JSON(), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later), for the same reason.
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column)
