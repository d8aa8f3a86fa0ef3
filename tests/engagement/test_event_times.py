"""Events start and end at times on the institution's clocks (its IANA time zone), and the
office registers an alumnus for an event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.alumni.institutions import InstitutionData, clean_institution_data
from app.alumni.models import Institution
from app.core.errors import ValidationFailed
from app.engagement.models import Event, Participation
from app.extensions import db
from app.imports import merge as M


def test_an_institution_has_a_time_zone_defaulting_to_its_country(as_role, world):
    admin = as_role("admin")
    assert admin.post("/admin/institutions/new", data={
        "code": "KMITL", "name": "Institute of Technology", "country": "TH",
        "kind": "university_of_technology"}).status_code == 302
    assert admin.post("/admin/institutions/new", data={
        "code": "PNJ", "name": "Politeknik Negeri Jakarta", "country": "ID",
        "kind": "polytechnic", "time_zone": "Asia/Makassar"}).status_code == 302
    zones = dict(db.session.execute(select(Institution.code, Institution.time_zone)).all())
    assert zones["KMITL"] == "Asia/Bangkok" and zones["PNJ"] == "Asia/Makassar"
    assert zones["HOME"] == "Asia/Kuala_Lumpur"  # world's home institution is in Malaysia
    page = admin.post(f"/admin/institutions/{world.other.id}/edit", data={
        "code": "OTHER", "name": "Other College", "country": "VN", "kind": "college",
        "time_zone": "Mars/Olympus_Mons"})
    assert page.status_code == 200
    assert "Not a valid choice" in page.get_data(as_text=True)
    assert db.session.get(Institution, world.other.id).time_zone == "Asia/Ho_Chi_Minh"
    # The command line and other callers meet the same rule in the service.
    data = InstitutionData(code="X1", name="X", country="PH", time_zone="asia/manila")
    assert clean_institution_data(data)["time_zone"] == "Asia/Manila"
    with pytest.raises(ValidationFailed) as err:
        clean_institution_data(InstitutionData(code="X2", name="X", country="PH",
                                               time_zone="Mars/Olympus_Mons"))
    assert "is not a time zone name" in err.value.field_errors["time_zone"][0]


def test_event_times_are_on_the_institutions_clocks(as_role, world):
    officer = as_role("officer")
    saved = officer.post("/events/new", data={
        "title": "Alumni talk: PLC in practice", "kind": "guest_lecture",
        "event_date": "2026-12-10", "start_time": "14:00", "end_time": "16:30",
        "mode": "hybrid", "programme_id": ""})
    assert saved.status_code == 302
    event = db.session.scalar(select(Event))
    # 14:00 in Kuala Lumpur (UTC+8) is 06:00 UTC.
    assert event.starts_at.astimezone(UTC) == datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
    assert event.ends_at.astimezone(UTC) == datetime(2026, 12, 10, 8, 30, tzinfo=UTC)
    page = officer.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Thu 10 Dec 2026, 14:00–16:30 (Asia/Kuala_Lumpur, UTC+08:00)" in page

    over_two_days = officer.post(f"/events/{event.id}/edit", data={
        "title": "Career fair", "kind": "career_fair", "event_date": "2026-12-10",
        "start_time": "09:00", "end_date": "2026-12-11", "end_time": "17:00",
        "mode": "on_site", "programme_id": ""})
    assert over_two_days.status_code == 302
    page = officer.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Thu 10 Dec 2026, 09:00 – Fri 11 Dec 2026, 17:00 (Asia/Kuala_Lumpur" in page

    backwards = officer.post(f"/events/{event.id}/edit", data={
        "title": "Career fair", "kind": "career_fair", "event_date": "2026-12-10",
        "start_time": "16:00", "end_date": "", "end_time": "09:00", "mode": "on_site",
        "programme_id": ""})
    assert backwards.status_code == 200
    assert "The event ends before it starts" in backwards.get_data(as_text=True)
    missing = officer.post("/events/new", data={
        "title": "Webinar", "kind": "webinar", "event_date": "2026-12-10", "mode": "online",
        "programme_id": ""})
    assert "Enter the time it starts" in missing.get_data(as_text=True)


def _event(world, **values):
    event = Event(institution_id=world.home.id, title="Workshop: CV clinic", kind="workshop",
                  mode="on_site", event_date=date.today() + timedelta(days=7),
                  start_time=time(9), end_time=time(12), registration_open=False, **values)
    db.session.add(event)
    db.session.commit()
    return event


def test_officer_registers_an_alumnus_by_student_number(as_role, world, make_alumnus):
    event = _event(world, capacity=2)
    officer = as_role("officer")
    # Self-registration is closed; the office registers on request, by the number given.
    survivor = make_alumnus(world.home, student_number="A100", given_name="Malee")
    merged = make_alumnus(world.home, student_number="B200", given_name="Malee")
    M.merge_alumni(survivor, merged, {}, actor=world.users["officer"])
    db.session.commit()
    done = officer.post(f"/events/{event.id}/register", data={"student_number": "b200"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Malee" in done and "(A100) is registered." in done
    p = db.session.scalar(select(Participation))
    assert (p.alumnus_id, p.status, p.source) == (survivor.id, "registered", "officer")
    assert "Entered by the office" in done

    again = officer.post(f"/events/{event.id}/register", data={"student_number": "A100"},
                         follow_redirects=True).get_data(as_text=True)
    assert "is already registered for this event" in again
    unknown = officer.post(f"/events/{event.id}/register", data={"student_number": "ZZ9"},
                           follow_redirects=True).get_data(as_text=True)
    assert "No alumnus of this institution has the student number ZZ9." in unknown
    officer.post(f"/events/{event.id}/register",
                 data={"student_number": world.alumnus.student_number})
    full = officer.post(f"/events/{event.id}/register",
                        data={"student_number": world.second_alumnus.student_number},
                        follow_redirects=True).get_data(as_text=True)
    assert "This event is full (2 places)" in full
    assert len(db.session.scalars(select(Participation)).all()) == 2

    assert as_role("quality").post(f"/events/{event.id}/register",
                                   data={"student_number": "A100"}).status_code == 403
    assert as_role("other_officer").post(f"/events/{event.id}/register",
                                         data={"student_number": "A100"}).status_code == 404
    past = _event(world)
    past.event_date = date.today() - timedelta(days=1)
    db.session.commit()
    late = officer.post(f"/events/{past.id}/register", data={"student_number": "A100"},
                        follow_redirects=True).get_data(as_text=True)
    assert "This event has already taken place" in late
