"""Least data for each role: quality staff build evidence without alumni's e-mail, phone and
birth date unless an administrator grants them; exports and full-record views are audited;
anonymous feedback's audit entry keeps neither the address nor the time of day."""

from __future__ import annotations

import csv
import io
from datetime import date, time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.core.audit import EXPORT_ACTION, VIEW_ACTION, AuditEntry
from app.core.db import today, utcnow
from app.core.jobs import wait_for_idle
from app.core.labels import format_date
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey

EMAIL, PHONE, BIRTH = "reachable.person@example.org", "+60123456789", date(1990, 4, 17)


@pytest.fixture
def person(world, db):
    a = world.second_alumnus
    a.email, a.phone, a.birth_date = EMAIL, PHONE, BIRTH
    a.refresh_search_text()
    survey = TracerSurvey(institution_id=world.home.id, title="Tracer 2025",
                          reference_months=12, opens_on=date(2025, 6, 1),
                          closes_on=date(2025, 7, 1))
    db.session.add(survey)
    db.session.flush()
    invitation = SurveyInvitation(survey_id=survey.id, institution_id=world.home.id,
                                  alumnus_id=a.id, programme_id=a.programme_id,
                                  cohort_year=a.cohort_year, email=EMAIL)
    db.session.add(invitation)
    db.session.flush()
    db.session.add(SurveyResponse(survey_id=survey.id, institution_id=world.home.id,
                                  invitation_id=invitation.id, alumnus_id=a.id,
                                  channel="import", status="wage_employed"))
    db.session.commit()
    return a, survey


def _client(world, as_role, db, role: str, granted: bool):
    if role == "quality":
        world.users["quality"].contact_details_granted = granted
        db.session.commit()
    return as_role(role)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _exports(db, user) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == EXPORT_ACTION, AuditEntry.actor_id == user.id)
        .order_by(AuditEntry.id)))


# role, granted, sees the contacts
ROLE_TABLE = [("quality", False, False), ("quality", True, True), ("officer", False, True),
              ("admin", False, True)]


@pytest.mark.parametrize(("role", "granted", "sees"), ROLE_TABLE)
def test_register_and_record_pages(world, as_role, db, person, role, granted, sees):
    alumnus, _ = person
    client = _client(world, as_role, db, role, granted)
    register = client.get("/alumni/?q=" + alumnus.student_number).get_data(as_text=True)
    assert alumnus.student_number in register
    assert (EMAIL in register) is sees
    page = client.get(f"/alumni/{alumnus.id}").get_data(as_text=True)
    assert alumnus.family_name in page
    for value in (EMAIL, PHONE, format_date(BIRTH)):
        assert (value in page) is sees, (role, granted, value)
    assert ('id="contacts-withheld"' in page) is not sees


@pytest.mark.parametrize(("role", "granted", "sees"), ROLE_TABLE)
def test_register_csv_and_workbook(world, as_role, db, person, role, granted, sees):
    alumnus, _ = person
    client = _client(world, as_role, db, role, granted)
    user = world.users[role]
    rows = _csv(client.get("/imports/export.csv?q=" + alumnus.student_number))
    header, row = rows[0], rows[1]
    assert len(rows) == 2 and row[0] == alumnus.student_number
    for label in ("E-mail", "Phone", "Birth date"):
        assert (label in header) is sees
    # (a phone number starts like a formula: the CSV writes it with an apostrophe)
    assert (EMAIL in row and "'" + PHONE in row and BIRTH.isoformat() in row) is sees
    assert "Given name" in header and alumnus.given_name in row

    started = client.get("/imports/export.xlsx?q=" + alumnus.student_number)
    wait_for_idle()
    job_page = started.headers["Location"]
    download = client.get(job_page.rstrip("/") + "/alumni-register.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert ("E-mail" in values[0]) is sees and ("Birth date" in values[0]) is sees
    assert (EMAIL in values[1]) is sees and values[1][0] == alumnus.student_number

    entries = _exports(db, user)
    assert [e.after["what"] for e in entries] == ["alumni-register.csv", "alumni-register.xlsx"]
    for e in entries:
        assert e.after["rows"] == 1 and e.after["contact_details"] is sees
        assert e.after["filters"]["q"] == alumnus.student_number
        assert e.actor_label == user.email and e.origin is not None


@pytest.mark.parametrize(("role", "granted", "sees"), ROLE_TABLE)
def test_tracer_downloads(world, as_role, db, person, role, granted, sees):
    alumnus, survey = person
    client = _client(world, as_role, db, role, granted)
    national = _csv(client.get(f"/tracer/{survey.id}/national.csv"))
    header, row = national[0], national[1]
    assert row[header.index("Nomor Mhs")] == alumnus.student_number
    assert (row[header.index("Email")] == EMAIL) is sees
    assert (row[header.index("Hp")] == "'" + PHONE) is sees
    if not sees:
        assert row[header.index("Email")] == row[header.index("Hp")] == ""
    workbook = client.get(f"/tracer/{survey.id}/national.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    cells = [c.value for c in next(sheet.iter_rows(min_row=2))]
    assert (EMAIL in cells) is sees
    assert client.get(f"/tracer/{survey.id}/responses.csv").status_code == 200
    entries = _exports(db, world.users[role])
    assert [(e.after["what"], e.after["rows"], e.after["contact_details"]) for e in entries] == [
        (f"tracer-survey-{survey.id}-national.csv", 1, sees),
        (f"tracer-survey-{survey.id}-national.xlsx", 1, sees),
        (f"tracer-survey-{survey.id}-responses.csv", 1, False)]


def test_quality_cannot_fetch_an_officers_workbook_with_contacts(world, as_role, db, person):
    alumnus, _ = person
    officer = as_role("officer")
    job_page = officer.get("/imports/export.xlsx?q=" + alumnus.student_number).headers["Location"]
    wait_for_idle()
    quality = _client(world, as_role, db, "quality", False)
    refused = quality.get(job_page.rstrip("/") + "/alumni-register.xlsx")
    assert refused.status_code == 302 and refused.headers["Location"].endswith(job_page)
    page = quality.get(job_page).get_data(as_text=True)
    assert "which an administrator has not granted you" in page
    assert "alumni-register.xlsx" not in page
    assert _exports(db, world.users["quality"]) == []
    granted = _client(world, as_role, db, "quality", True)
    assert granted.get(job_page.rstrip("/") + "/alumni-register.xlsx").status_code == 200


def test_other_personal_downloads_are_audited(world, as_role, db, person):
    from app.engagement.models import Event

    event = Event(institution_id=world.home.id, title="Career fair", event_date=today(),
                  kind="career_fair", mode="on_site")
    db.session.add(event)
    db.session.commit()
    client = as_role("quality")
    assert client.get(f"/events/{event.id}/attendance.csv").status_code == 200
    assert client.get("/exchange/alumni.xlsx").status_code == 200
    assert client.get(f"/events/{event.id}/attendance.pdf").status_code == 404
    whats = [(e.after["what"], e.after["rows"]) for e in _exports(db, world.users["quality"])]
    assert whats == [(f"event-{event.id}-attendance.csv", 0), ("exchange-alumni.xlsx", 0)]


def test_each_view_of_a_full_record_is_audited(world, as_role, db, person):
    alumnus, _ = person
    for role in ("quality", "officer"):
        assert as_role(role).get(f"/alumni/{alumnus.id}").status_code == 200
    as_role("quality").get(f"/alumni/{alumnus.id}")
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == VIEW_ACTION)
                               .order_by(AuditEntry.id)).all()
    assert [(v.actor_id, v.entity_type, v.entity_id) for v in views] == [
        (world.users[r].id, "Alumnus", str(alumnus.id)) for r in ("quality", "officer", "quality")]
    # The record's "Recent changes" are changes, not the views.
    page = as_role("officer").get(f"/alumni/{alumnus.id}").get_data(as_text=True)
    assert "full record viewed" not in page
    # Other institutions' records are not found, and no view is recorded for them.
    assert as_role("quality").get(f"/alumni/{world.other_alumnus.id}").status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == VIEW_ACTION, AuditEntry.entity_id == str(world.other_alumnus.id))
    ) == 0


def test_administrator_grants_and_withdraws_contact_details(world, as_role, db):
    from app.auth.models import User

    quality, officer = world.users["quality"], world.users["officer"]
    admin = as_role("admin")
    users_page = admin.get("/admin/users").get_data(as_text=True)
    assert "Grant contact details" in users_page
    assert admin.post(f"/admin/users/{quality.id}/contact-details").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, quality.id).contact_details_granted is True
    assert "Withdraw contact details" in admin.get("/admin/users").get_data(as_text=True)
    admin.post(f"/admin/users/{quality.id}/contact-details")
    db.session.expire_all()
    assert db.session.get(User, quality.id).contact_details_granted is False
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "User", AuditEntry.entity_id == str(quality.id))
        .order_by(AuditEntry.id)).all()
    assert [(e.action, e.after) for e in entries] == [
        ("user.contact_details_grant", {"contact_details_granted": True}),
        ("user.contact_details_withdraw", {"contact_details_granted": False})]
    # Only quality staff take a grant; only administrators give one.
    refused = admin.post(f"/admin/users/{officer.id}/contact-details", follow_redirects=True)
    assert "Only quality staff need a grant" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, officer.id).contact_details_granted is False
    assert as_role("officer").post(f"/admin/users/{quality.id}/contact-details").status_code \
        == 403
    assert as_role("quality").post(f"/admin/users/{quality.id}/contact-details").status_code \
        == 403
    db.session.expire_all()
    assert db.session.get(User, quality.id).contact_details_granted is False


def test_anonymous_feedback_audit_keeps_no_address_nor_time(app, world, db):
    from app.feedback.services import FeedbackData, submit_feedback

    entries = {}
    for anonymous in (True, False):
        with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
            fb = submit_feedback(world.alumnus, FeedbackData(
                topic_kind="module", topic="Workplace English", relevance=2,
                skill_gap="Writing reports", anonymous=anonymous), actor=world.users["alumnus"])
            db.session.commit()
        entries[anonymous] = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "feedback.submit", AuditEntry.entity_id == str(fb.id)))
    hidden, named = entries[True], entries[False]
    assert hidden.origin is None and hidden.actor_id is None
    assert hidden.created_at.date() == utcnow().date() and hidden.created_at.time() == time.min
    # Named input keeps its address and time as every other entry does.
    assert named.origin == "203.0.113.9" and named.actor_id == world.users["alumnus"].id
    assert named.created_at.time() != time.min


SEARCH_TABLE = [("quality", False, False), ("quality", True, True), ("officer", False, True),
                ("admin", False, True)]


@pytest.mark.parametrize(("role", "granted", "sees"), SEARCH_TABLE)
def test_a_search_cannot_confirm_an_address_without_the_grant(world, as_role, db, person,
                                                              role, granted, sees):
    """Quality staff without the contact-details grant find people by name and number, not by
    their e-mail address: a hit would confirm it. Both search paths: the text index (three
    letters and more) and the short word read in order."""
    from app.alumni.register import RegisterFilters, register_query

    alumnus, _ = person
    client = _client(world, as_role, db, role, granted)
    user = world.users[role]

    def found(q: str) -> bool:
        ids = db.session.scalars(register_query(RegisterFilters(q=q), actor=user)
                                 .with_only_columns(Alumnus.id)).all()
        return alumnus.id in ids

    for q in (EMAIL, "reachable.person", "reachable", "example.org", "@ex", "le.p"):
        assert found(q) is sees, q
    # the page too: the e-mail finds the row only for those who may see it
    page = client.get("/alumni/", query_string={"q": "reachable.person"}).get_data(as_text=True)
    assert (alumnus.student_number in page) is sees
    # names and numbers find them for everyone
    for q in (alumnus.given_name, alumnus.student_number):
        assert found(q), q
    assert alumnus.student_number in client.get(
        "/alumni/", query_string={"q": alumnus.student_number}).get_data(as_text=True)


def test_the_national_export_command_is_in_the_audit(world, db, person, runner, tmp_path):
    """`flask tracer export-national`: who (the command line and its system account), what,
    how many rows; the file holds the contacts (the operator runs the server)."""
    alumnus, survey = person
    out = tmp_path / "national.csv"
    result = runner.invoke(args=["tracer", "export-national", str(survey.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert EMAIL in out.read_text(encoding="utf-8-sig")
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == EXPORT_ACTION))
    assert entry.actor_id is None and entry.origin == "cli"
    assert entry.after["what"] == f"tracer-survey-{survey.id}-national.csv"
    assert entry.after["rows"] == 1 and entry.after["contact_details"] is True
    assert entry.after["path"] == str(out) and entry.after["run_by"]
    assert entry.institution_id == world.home.id


def test_a_records_history_is_read_from_its_index_however_often_it_was_opened(
        world, as_role, db, person):
    """The record page's latest changes leave the views out in the index itself: a record
    opened thousands of times is not read view by view (SQLite's plan: the partial history
    index, in its order, no sort)."""
    from sqlalchemy import text

    from app.core.audit import history, record_audit

    alumnus, _ = person
    officer = world.users["officer"]
    for _ in range(30):
        assert as_role("quality").get(f"/alumni/{alumnus.id}").status_code == 200
    record_audit(officer, "alumnus.update", alumnus, before={"city": "A"}, after={"city": "B"})
    db.session.commit()
    shown = db.session.scalars(history("Alumnus", alumnus.id)).all()
    assert [e.action for e in shown][:1] == ["alumnus.update"]
    assert VIEW_ACTION not in {e.action for e in shown}
    if db.engine.dialect.name == "sqlite":
        stmt = history("Alumnus", alumnus.id).compile(
            db.engine, compile_kwargs={"literal_binds": True})
        plan = " | ".join(row[3] for row in db.session.execute(
            text(f"EXPLAIN QUERY PLAN {stmt}")))
        assert "ix_audit_entry_history" in plan and "TEMP B-TREE" not in plan, plan
