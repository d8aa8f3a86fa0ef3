"""Migrations: an empty database upgrades to head, matches the models, and has one head."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.alumni.search_index import include_object
from app.extensions import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")


@pytest.fixture
def empty_database_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"alumnet_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_single_head():
    from alembic.config import Config

    config = Config(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_upgrade_empty_database_matches_models(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": include_object})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_keeps_merges_and_gives_institutions_their_time_zone(empty_database_url):
    """Merges done before merged_record existed lead to the survivor (from the audit log,
    following a later merge); each institution gets its country's main time zone."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0009_import_options")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO institution (id, code, name, country, kind, is_home, created_at) "
                "VALUES (1, 'TH1', 'Thai Poly', 'TH', 'college', true, '2026-01-01')"))
            conn.execute(text(
                "INSERT INTO alumnus (id, institution_id, student_number, given_name, "
                "search_text, status, directory_visible, version, created_at, updated_at) "
                "VALUES (3, 1, 'C300', 'Malee', '', 'active', false, 1, '2026-01-01', "
                "'2026-01-01')"))
            # An employer's answer points at its request: the request table's copy (SQLite
            # drops a constraint so) must not trip over it.
            for sql in (
                "INSERT INTO programme (id, institution_id, code, name, level, study_area, "
                "active) VALUES (1, 1, 'DIT', 'IT', 'diploma', 'it', true)",
                "INSERT INTO employer (id, institution_id, name, normalised_name, created_at, "
                "updated_at) VALUES (1, 1, 'Siam', 'siam', '2026-01-01', '2026-01-01')",
                "INSERT INTO employer_feedback_request (id, institution_id, employer_id, "
                "programme_id, year, email, token_hash, expires_at, created_at) VALUES (1, 1, "
                "1, 1, 2025, 'hr@siam.example', 'x', '2026-01-01', '2026-01-01')",
                "INSERT INTO employer_feedback (id, institution_id, request_id, employer_id, "
                "programme_id, year, submitted_at) VALUES (1, 1, 1, 1, 1, 2025, '2026-01-02')",
            ):
                conn.execute(text(sql))
            for merged, survivor, number in ((1, 2, "A100"), (2, 3, "B200")):
                conn.execute(text(
                    "INSERT INTO audit_entry (created_at, actor_label, institution_id, action, "
                    "entity_type, entity_id, \"before\", \"after\") VALUES ('2026-02-01', "
                    "'officer', 1, 'alumnus.merged_away', 'Alumnus', :m, :b, :a)"),
                    {"m": str(merged), "b": f'{{"student_number": "{number}", '
                                            f'"given_name": "Malee"}}',
                     "a": f'{{"merged_into": {survivor}}}'})
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT merged_id, survivor_id, merged_student_number "
                                     "FROM merged_record ORDER BY merged_id")).all()
            zone = conn.execute(text("SELECT time_zone FROM institution")).scalar()
            answers = conn.execute(text("SELECT request_id FROM employer_feedback")).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 3, "A100"), (2, 3, "B200")]
    assert zone == "Asia/Bangkok"
    assert [tuple(r) for r in answers] == [(1,)]


def test_ratings_move_onto_the_answer_and_back(empty_database_url):
    """0026 moves each competency_rating row into the answer's two columns of that competency
    (both or neither, 1-5, checked by the database) and its downgrade moves them back."""
    from flask_migrate import downgrade
    from sqlalchemy.exc import IntegrityError

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0025_tracer_write_indexes")
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO institution (id, code, name, country, kind, is_home, created_at) "
                "VALUES (1, 'ID1', 'Poltek', 'ID', 'polytechnic', true, '2026-01-01')",
                "INSERT INTO tracer_survey (id, institution_id, title, reference_months, "
                "opens_on, closes_on, created_at, updated_at) VALUES (1, 1, 'Tracer 2025', 12, "
                "'2025-06-01', '2025-08-01', '2026-01-01', '2026-01-01')",
            ):
                conn.execute(text(sql))
            for n in (1, 2):
                conn.execute(text(
                    "INSERT INTO alumnus (id, institution_id, student_number, given_name, "
                    "search_text, status, directory_visible, version, created_at, updated_at) "
                    "VALUES (:n, 1, :number, 'Sari', '', 'active', false, 1, '2026-01-01', "
                    "'2026-01-01')"), {"n": n, "number": f"S{n}"})
                conn.execute(text(
                    "INSERT INTO survey_invitation (id, survey_id, institution_id, alumnus_id, "
                    "created_at, reminder_count) VALUES (:n, 1, 1, :n, '2026-01-01', 0)"),
                    {"n": n})
                conn.execute(text(
                    "INSERT INTO survey_response (id, institution_id, survey_id, invitation_id, "
                    "alumnus_id, submitted_at, channel, status) VALUES (:n, 1, 1, :n, :n, "
                    "'2026-01-02', 'link', 'wage_employed')"), {"n": n})
            conn.execute(text(
                "INSERT INTO competency_rating (response_id, competency, at_graduation, "
                "required_now) VALUES (1, 'ethics', 3, 5), (1, 'self_development', 2, 4)"))
        upgrade(directory=MIGRATIONS, revision="0026_ratings_on_answer")
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, ethics_at_graduation, ethics_required_now, "
                "self_development_at_graduation, self_development_required_now, "
                "it_at_graduation, it_required_now FROM survey_response ORDER BY id")).all()
            tables = set(db.inspect(conn).get_table_names())
        assert [tuple(r) for r in rows] == [(1, 3, 5, 2, 4, None, None),
                                            (2, None, None, None, None, None, None)]
        assert "competency_rating" not in tables
        refused = ("UPDATE survey_response SET it_at_graduation = 4 WHERE id = 2",  # one of two
                   "UPDATE survey_response SET it_at_graduation = 6, it_required_now = 1 "
                   "WHERE id = 2",
                   "UPDATE survey_response SET relevance = 9 WHERE id = 2")  # kept by the copy
        for sql in refused:
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(text(sql))
        downgrade(directory=MIGRATIONS, revision="0025_tracer_write_indexes")
        with db.engine.connect() as conn:
            moved = conn.execute(text(
                "SELECT response_id, competency, at_graduation, required_now "
                "FROM competency_rating ORDER BY response_id, competency")).all()
            columns = {c["name"] for c in db.inspect(conn).get_columns("survey_response")}
        assert [tuple(r) for r in moved] == [(1, "ethics", 3, 5), (1, "self_development", 2, 4)]
        assert not any(c.endswith(("_at_graduation", "_required_now")) for c in columns)
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_own_words_translations_added_and_dropped(empty_database_url):
    """0027 adds the translation columns beside the texts as entered (kept as they are, with
    rows that refer to the survey and the event) and its downgrade drops them again."""
    from flask_migrate import downgrade

    added = {"tracer_survey": {"title_translations", "introduction_translations"},
             "survey_question": {"label_translations"},
             "event": {"title_translations", "description_translations"}}
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0026_ratings_on_answer")
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO institution (id, code, name, country, kind, is_home, created_at) "
                "VALUES (1, 'TH1', 'Thai Poly', 'TH', 'college', true, '2026-01-01')",
                "INSERT INTO alumnus (id, institution_id, student_number, given_name, "
                "search_text, status, directory_visible, version, created_at, updated_at) "
                "VALUES (1, 1, 'S1', 'Malee', '', 'active', false, 1, '2026-01-01', "
                "'2026-01-01')",
                "INSERT INTO tracer_survey (id, institution_id, title, reference_months, "
                "opens_on, closes_on, introduction, created_at, updated_at) VALUES (1, 1, "
                "'Tracer 2025', 12, '2025-06-01', '2025-08-01', 'Hello', '2026-01-01', "
                "'2026-01-01')",
                "INSERT INTO survey_question (id, survey_id, position, label, kind, required) "
                "VALUES (1, 1, 0, 'Your shift?', 'short_text', false)",
                "INSERT INTO survey_invitation (id, survey_id, institution_id, alumnus_id, "
                "created_at, reminder_count) VALUES (1, 1, 1, 1, '2026-01-01', 0)",
                "INSERT INTO event (id, institution_id, title, kind, event_date, mode, "
                "description, registration_open, created_at, updated_at) VALUES (1, 1, "
                "'Reunion', 'reunion', '2026-03-01', 'on_site', 'Come', false, '2026-01-01', "
                "'2026-01-01')",
                "INSERT INTO participation (id, institution_id, event_id, alumnus_id, role, "
                "status, source, registered_at, updated_at) VALUES (1, 1, 1, 1, 'attendee', "
                "'registered', 'self', '2026-01-01', '2026-01-01')",
            ):
                conn.execute(text(sql))
        upgrade(directory=MIGRATIONS, revision="0027_own_words_in_languages")
        with db.engine.begin() as conn:
            for table, names in added.items():
                columns = {c["name"] for c in db.inspect(conn).get_columns(table)}
                assert names <= columns, table
            kept = conn.execute(text(
                "SELECT s.title, s.introduction, s.title_translations, q.label, "
                "q.label_translations, e.title, e.description, e.title_translations "
                "FROM tracer_survey s JOIN survey_question q ON q.survey_id = s.id, event e"
            )).one()
            assert tuple(kept) == ("Tracer 2025", "Hello", None, "Your shift?", None,
                                   "Reunion", "Come", None)
            conn.execute(text("UPDATE event SET title_translations = :t WHERE id = 1"),
                         {"t": '{"th": "งานคืนสู่เหย้า"}'})
        downgrade(directory=MIGRATIONS, revision="0026_ratings_on_answer")
        with db.engine.connect() as conn:
            for table, names in added.items():
                columns = {c["name"] for c in db.inspect(conn).get_columns(table)}
                assert not names & columns, table
            rows = conn.execute(text(
                "SELECT (SELECT title FROM event), (SELECT label FROM survey_question), "
                "(SELECT count(*) FROM participation), (SELECT count(*) FROM survey_invitation)"
            )).one()
        assert tuple(rows) == ("Reunion", "Your shift?", 1, 1)
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()


def test_list_options_translations_added_and_dropped(empty_database_url):
    """0028 adds the options per language beside a list question's options as entered (kept
    as they are, with an answer that stores one) and its downgrade drops the column again."""
    from flask_migrate import downgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0027_own_words_in_languages")
        with db.engine.begin() as conn:
            for sql in (
                "INSERT INTO institution (id, code, name, country, kind, is_home, created_at) "
                "VALUES (1, 'TH1', 'Thai Poly', 'TH', 'college', true, '2026-01-01')",
                "INSERT INTO tracer_survey (id, institution_id, title, reference_months, "
                "opens_on, closes_on, created_at, updated_at) VALUES (1, 1, 'Tracer 2025', "
                "12, '2025-06-01', '2025-08-01', '2026-01-01', '2026-01-01')",
                "INSERT INTO survey_question (id, survey_id, position, label, kind, choices, "
                "required) VALUES (1, 1, 0, 'Your shift?', 'choice', "
                "'[\"Morning\", \"Night\"]', false)",
            ):
                conn.execute(text(sql))
        upgrade(directory=MIGRATIONS, revision="0028_choice_options_in_languages")
        with db.engine.begin() as conn:
            columns = {c["name"] for c in db.inspect(conn).get_columns("survey_question")}
            assert "choices_translations" in columns
            kept = conn.execute(text(
                "SELECT label, choices, choices_translations FROM survey_question")).one()
            assert (kept[0], json.loads(kept[1]) if isinstance(kept[1], str) else kept[1],
                    kept[2]) == ("Your shift?", ["Morning", "Night"], None)
            conn.execute(text("UPDATE survey_question SET choices_translations = :t"),
                         {"t": '{"th": ["กะเช้า", "กะดึก"]}'})
        downgrade(directory=MIGRATIONS, revision="0027_own_words_in_languages")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in db.inspect(conn).get_columns("survey_question")}
            assert "choices_translations" not in columns and "label_translations" in columns
            row = conn.execute(text("SELECT label, choices FROM survey_question")).one()
        assert row[0] == "Your shift?"
        assert (json.loads(row[1]) if isinstance(row[1], str) else row[1]) == [
            "Morning", "Night"]
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
