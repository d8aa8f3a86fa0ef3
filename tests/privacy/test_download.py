"""A copy of one's data: made by a job, a zip of JSON and CSV holding every table that points
at the alumnus or their account (found from the metadata, as the merge finds them)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from app.alumni.privacy import record_consent, request_correction
from app.core.audit import AuditEntry
from app.core.jobs import wait_for_idle
from app.extensions import db as _db
from app.feedback.models import CurriculumFeedback
from app.privacy.holdings import person_references
from app.privacy.models import RightsRequest
from tests.reports.conftest import make_survey, respond


def _their_things(db, world):
    me, user = world.alumnus, world.users["alumnus"]
    record_consent(me, "contact", True, method="self_service", actor=user)
    record_consent(me, "contact", False, method="self_service", actor=user)
    request_correction(me, "given_name", "My name is spelt Siti", actor=user)
    db.session.add(CurriculumFeedback(
        institution_id=world.home.id, programme_id=world.programme.id, source="alumnus",
        alumnus_id=me.id, anonymous=True, topic_kind="module", topic="Welding",
        skill_gap="Too little practice on TIG", received_on=date(2025, 3, 1)))
    survey = make_survey(db, world.home, [(world.programme, 2024)])
    respond(db, survey, me, "wage_employed", employer_name="PT Maju", job_title="Welder",
            ratings={"ethics": (3, 5)})
    # another alumnus's rows, which must stay out of the copy
    record_consent(world.second_alumnus, "contact", True, method="officer",
                   actor=world.users["officer"])
    db.session.commit()


def _download(client) -> zipfile.ZipFile:
    started = client.post("/me/data/copy")
    assert started.status_code == 302 and "/me/data/copies/" in started.headers["Location"]
    wait_for_idle()
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Download my data (zip)" in page
    response = client.get(started.headers["Location"] + "/file")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_copy_holds_every_table_that_points_at_the_person(db, world, as_role):
    _their_things(db, world)
    archive = _download(as_role("alumnus"))
    names = set(archive.namelist())
    data = json.loads(archive.read("data.json"))
    expected = {table.name for table, _ in person_references()} | {"alumnus", "user"}
    assert len(expected) > 20  # consents, jobs, answers, mentoring, feedback, audit, ...
    for table in expected:
        assert f"{table}.csv" in names, table
        assert table in data, table

    me = world.alumnus
    assert [r["id"] for r in data["alumnus"]] == [me.id]
    assert [(c["purpose"], c["granted"]) for c in data["consent"]] == [("contact", True),
                                                                      ("contact", False)]
    assert data["correction_request"][0]["message"] == "My name is spelt Siti"
    assert data["curriculum_feedback"][0]["anonymous"] is True  # their anonymous input too
    assert data["survey_response"][0]["job_title"] == "Welder"
    answer = data["survey_response"][0]  # the competency ratings are the answer's own columns
    assert (answer["ethics_at_graduation"], answer["ethics_required_now"]) == (3, 5)
    assert data["survey_invitation"][0]["alumnus_id"] == me.id
    # audit entries about them (their record, their correction) and by their account
    actions = {e["action"] for e in data["audit_entry"]}
    assert {"consent.record", "correction.request", "rights_request.download"} <= actions
    assert all(c["alumnus_id"] == me.id for c in data["consent"])
    # the CSV of a table has a header and one line per row
    consent_csv = archive.read("consent.csv").decode("utf-8-sig").splitlines()
    assert consent_csv[0].startswith("id,alumnus_id,purpose") and len(consent_csv) == 3
    # never a secret
    text = archive.read("data.json").decode()
    assert "password_hash" not in text and "token_hash" not in text
    assert "$argon2" not in text
    assert "README.txt" in names


def test_the_request_is_done_when_the_copy_is_ready_and_audited(db, world, as_role):
    client = as_role("alumnus")
    client.post("/me/data/copy")
    wait_for_idle()
    _db.session.expire_all()
    req = _db.session.scalar(_db.select(RightsRequest))
    assert req.status == "done" and req.file_name and req.kind == "download"
    assert (req.due_on - req.created_at.date()).days == 30
    ready = _db.session.scalar(_db.select(AuditEntry).where(
        AuditEntry.action == "rights_request.ready"))
    assert ready.after["tables"] > 20


def test_only_the_alumnus_reaches_their_copy(db, world, as_role, make_user):
    client = as_role("alumnus")
    started = client.post("/me/data/copy")
    wait_for_idle()
    url = started.headers["Location"] + "/file"
    # another alumnus of the institution, signed in, gets 404 for it
    other_user = make_user("alumnus", world.home)
    world.second_alumnus.user_id = other_user.id
    _db.session.commit()
    from tests.conftest import sign_in

    other = client.application.test_client()
    sign_in(other, other_user)
    assert other.get(url).status_code == 404
    assert as_role("officer").get(url).status_code == 403
