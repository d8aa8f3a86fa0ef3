"""Events: creating them, bulk attendance, alumni registering and cancelling themselves."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict, PermissionDenied, ValidationFailed
from app.engagement.events import (
    EventData,
    cancel_registration,
    create_event,
    record_attendance,
    register_for_event,
    update_event,
)
from app.engagement.models import Event, Participation

HOURS = {"start_time": time(9, 0), "end_time": time(11, 30)}


def _linked_alumnus(make_alumnus, make_user, institution):
    user = make_user("alumnus", institution)
    return make_alumnus(institution, user_id=user.id, email=user.email), user


def test_create_event_checks_rules(world, db):
    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as err:
        create_event(EventData(title=" ", kind="party", mode="space", event_date=None,
                               capacity=0, programme_id=world.other_programme.id),
                     institution=world.home, actor=officer)
    assert set(err.value.field_errors) == {"title", "kind", "mode", "event_date", "capacity",
                                           "programme_id", "start_time", "end_time"}
    # each message says what to do
    assert {k: v[0] for k, v in err.value.field_errors.items()
            if k in ("title", "event_date", "capacity")} == {
        "title": "Fill in the title.", "event_date": "Enter the date of the event.",
        "capacity": "Enter a capacity of at least 1, or leave it empty for no limit."}
    event = create_event(EventData(title="Webinar on PLC", kind="webinar", mode="online",
                                   event_date=date(2026, 12, 1), capacity=100, **HOURS,
                                   programme_id=world.programme.id, default_hours="1.5"),
                         institution=world.home, actor=officer)
    db.session.commit()
    assert event.default_hours == Decimal("1.50") and event.programme_id == world.programme.id
    with pytest.raises(PermissionDenied):
        create_event(EventData(title="x", kind="webinar", mode="online",
                               event_date=date(2026, 12, 1), **HOURS),
                     institution=world.home, actor=world.users["quality"])


def test_self_registration_respects_capacity_and_cancel_frees_the_place(
        world, db, make_event, make_alumnus, make_user):
    event = make_event(world.home, capacity=1)
    alumnus_user = world.users["alumnus"]
    p = register_for_event(event, world.alumnus, actor=alumnus_user)
    db.session.commit()
    assert (p.status, p.source) == ("registered", "self")
    with pytest.raises(Conflict):
        register_for_event(event, world.alumnus, actor=alumnus_user)
    db.session.rollback()

    other, other_user = _linked_alumnus(make_alumnus, make_user, world.home)
    with pytest.raises(ValidationFailed) as err:
        register_for_event(event, other, actor=other_user)
    assert "full" in err.value.field_errors["event"][0]
    db.session.rollback()

    cancel_registration(event, world.alumnus, actor=alumnus_user)
    db.session.commit()
    register_for_event(event, other, actor=other_user)
    db.session.commit()
    statuses = dict(db.session.execute(
        select(Participation.alumnus_id, Participation.status)).all())
    assert statuses == {world.alumnus.id: "cancelled", other.id: "registered"}
    with pytest.raises(ValidationFailed):  # nothing left to cancel
        cancel_registration(event, world.alumnus, actor=alumnus_user)


def test_only_upcoming_open_events_of_their_institution(world, db, make_event):
    user = world.users["alumnus"]
    past = make_event(world.home, event_date=date.today() - timedelta(days=1))
    closed = make_event(world.home, registration_open=False)
    elsewhere = make_event(world.other)
    for event, words in [(past, "already taken place"), (closed, "not open"),
                         (elsewhere, "not one of your institution")]:
        with pytest.raises(ValidationFailed) as err:
            register_for_event(event, world.alumnus, actor=user)
        assert words in err.value.field_errors["event"][0]
    today_event = make_event(world.home, event_date=date.today())
    register_for_event(today_event, world.alumnus, actor=user)  # today still counts


def test_an_alumnus_registers_only_themselves(world, make_event):
    event = make_event(world.home)
    with pytest.raises(PermissionDenied):
        register_for_event(event, world.second_alumnus, actor=world.users["alumnus"])
    with pytest.raises(PermissionDenied):
        register_for_event(event, world.alumnus, actor=world.users["officer"])


def test_cancel_is_refused_after_the_event(world, db, make_event):
    event = make_event(world.home)
    register_for_event(event, world.alumnus, actor=world.users["alumnus"])
    event.event_date = date.today() - timedelta(days=2)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        cancel_registration(event, world.alumnus, actor=world.users["alumnus"])


def test_capacity_cannot_drop_below_places_taken(world, db, make_event, make_alumnus,
                                                make_user):
    event = make_event(world.home, capacity=5)
    register_for_event(event, world.alumnus, actor=world.users["alumnus"])
    other, other_user = _linked_alumnus(make_alumnus, make_user, world.home)
    register_for_event(event, other, actor=other_user)
    db.session.commit()

    def data(capacity):
        return EventData(title=event.title, kind=event.kind, mode=event.mode,
                         event_date=event.event_date, capacity=capacity, **HOURS)

    with pytest.raises(ValidationFailed) as err:
        update_event(event, data(1), actor=world.users["officer"])
    assert "2 places" in err.value.field_errors["capacity"][0]
    update_event(event, data(2), actor=world.users["officer"])
    update_event(event, data(None), actor=world.users["officer"])  # no limit
    assert event.capacity is None


def test_bulk_attendance_from_pasted_numbers_and_ticks(world, db, make_event, make_alumnus):
    event = make_event(world.home, default_hours=Decimal("3"), capacity=1)
    register_for_event(event, world.alumnus, actor=world.users["alumnus"])
    extra = make_alumnus(world.home)
    event.event_date = date.today()  # the day comes: attendance is recorded from then on
    db.session.commit()
    pasted = f"{world.second_alumnus.student_number}, {extra.student_number}\nNOPE-1;" \
             f" {world.other_alumnus.student_number}"
    result = record_attendance(event, student_numbers=pasted, alumnus_ids=[world.alumnus.id],
                               actor=world.users["officer"])
    db.session.commit()
    assert {a.id for a in result.added} == {world.second_alumnus.id, extra.id}
    assert [a.id for a in result.updated] == [world.alumnus.id]
    # another institution's student number is not this register's
    assert result.unknown == ["NOPE-1", world.other_alumnus.student_number]
    rows = db.session.scalars(select(Participation)).all()
    assert len(rows) == 3  # attendance is not limited by the registration capacity
    assert {(r.status, r.hours) for r in rows} == {("attended", Decimal("3.00"))}
    again = record_attendance(event, student_numbers=extra.student_number, role="speaker",
                              hours="1", actor=world.users["officer"])
    db.session.commit()
    assert [a.id for a in again.updated] == [extra.id]
    speaker = db.session.scalar(select(Participation).where(
        Participation.alumnus_id == extra.id))
    assert (speaker.role, speaker.hours) == ("speaker", Decimal("1.00"))
    with pytest.raises(ValidationFailed):
        record_attendance(event, actor=world.users["officer"])
    with pytest.raises(PermissionDenied):
        record_attendance(event, student_numbers="x", actor=world.users["quality"])


def test_alumnus_registers_and_cancels_from_the_page(as_role, world, db, make_event):
    event = make_event(world.home, title="Reunion 2026", capacity=10)
    client = as_role("alumnus")
    page = client.get("/me/events")
    assert b"Reunion 2026" in page.data and b"10 places left" in page.data
    response = client.post(f"/me/events/{event.id}/register")
    assert response.status_code == 302
    p = db.session.scalar(select(Participation))
    assert p.status == "registered"
    page = client.get("/me/events")
    assert b"You are registered" in page.data
    client.post(f"/me/events/{event.id}/cancel")
    db.session.expire_all()
    assert db.session.get(Participation, p.id).status == "cancelled"


def test_alumnus_cannot_reach_another_institutions_event(as_role, world, make_event):
    event = make_event(world.other)
    assert as_role("alumnus").post(f"/me/events/{event.id}/register").status_code == 404


def test_officer_bulk_entry_through_the_page(as_role, world, db, make_event):
    event = make_event(world.home, event_date=date.today() - timedelta(days=1))
    client = as_role("officer")
    response = client.post(f"/events/{event.id}/attendance", data={
        "student_numbers": f"{world.alumnus.student_number}\nZZZ", "role": "attendee",
        "hours": "2"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "1 added" in text and "ZZZ" in text
    assert world.alumnus.display_name in text
    assert db.session.scalar(select(Participation)).status == "attended"


def test_officer_creates_an_event_through_the_page(as_role, world, db):
    response = as_role("officer").post("/events/new", data={
        "title": "Industry visit: port", "kind": "industry_visit", "event_date": "2026-12-10",
        "start_time": "09:00", "end_time": "12:30",
        "mode": "on_site", "programme_id": "", "capacity": "30", "registration_open": "y"})
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert (event.title, event.capacity, event.registration_open, event.institution_id) == (
        "Industry visit: port", 30, True, world.home.id)


def test_two_alumni_racing_for_the_last_place(app, world, db, make_event, make_alumnus,
                                              make_user):
    """Two registrations at once, each on its own connection: exactly one gets the place."""
    import threading

    from app.alumni.models import Alumnus
    from app.auth.models import User

    event = make_event(world.home, capacity=1)
    other, other_user = _linked_alumnus(make_alumnus, make_user, world.home)
    pairs = [(world.alumnus.id, world.users["alumnus"].id), (other.id, other_user.id)]
    barrier = threading.Barrier(2)
    results: list = []

    def register(alumnus_id, user_id):
        with app.app_context():
            try:
                alumnus = db.session.get(Alumnus, alumnus_id)
                user = db.session.get(User, user_id)
                ev = db.session.get(Event, event.id)
                barrier.wait()
                register_for_event(ev, alumnus, actor=user)
                db.session.commit()
                results.append("ok")
            except ValidationFailed as exc:
                db.session.rollback()
                results.append(exc.field_errors["event"][0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["This event is full.", "ok"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Participation.id))) == 1


def test_officer_removes_a_wrongly_entered_participant(as_role, world, db, make_event):
    event = make_event(world.home, event_date=date.today() - timedelta(days=1))
    other_event = make_event(world.home)
    result = record_attendance(event, student_numbers=world.alumnus.student_number,
                               actor=world.users["officer"])
    register_for_event(other_event, world.alumnus, actor=world.users["alumnus"])
    db.session.commit()
    p = db.session.scalar(select(Participation).where(Participation.event_id == event.id))
    other_p = db.session.scalar(select(Participation).where(
        Participation.event_id == other_event.id))
    assert [a.id for a in result.added] == [world.alumnus.id]
    # a participation of another event cannot be removed through this one
    as_role("officer").post(f"/events/{event.id}/participants/remove",
                            data={"participation_id": str(other_p.id)})
    response = as_role("officer").post(f"/events/{event.id}/participants/remove",
                                       data={"participation_id": str(p.id)})
    assert response.status_code == 302
    db.session.expire_all()
    remaining = db.session.scalars(select(Participation.id)).all()
    assert remaining == [other_p.id]


def test_event_pages_say_why_a_request_was_refused(as_role, world, db, make_event):
    event = make_event(world.home, title="Reunion 2026")
    alumnus = as_role("alumnus")

    def said(response) -> str:
        return response.get_data(as_text=True)

    assert "You have no registration to cancel for this event." in said(
        alumnus.post(f"/me/events/{event.id}/cancel", follow_redirects=True))
    assert "You are registered for Reunion 2026." in said(
        alumnus.post(f"/me/events/{event.id}/register", follow_redirects=True))
    assert "You are already registered for this event." in said(
        alumnus.post(f"/me/events/{event.id}/register", follow_redirects=True))
    assert "Your place at Reunion 2026 is given back." in said(
        alumnus.post(f"/me/events/{event.id}/cancel", follow_redirects=True))

    event.event_date = date.today()  # attendance is recorded from the day of the event
    db.session.commit()
    officer = as_role("officer")
    remove = f"/events/{event.id}/participants/remove"
    assert "No such participant." in said(
        officer.post(remove, data={"participation_id": "x"}, follow_redirects=True))
    assert "No such participant at this event." in said(
        officer.post(remove, data={"participation_id": "999999"}, follow_redirects=True))
    assert "Paste student numbers or tick alumni." in said(officer.post(
        f"/events/{event.id}/attendance", data={"role": "attendee"}, follow_redirects=True))
    assert "Participant removed." in said(officer.post(remove, data={"participation_id": str(
        db.session.scalar(select(Participation.id)))}, follow_redirects=True))
    assert db.session.scalar(select(func.count(Participation.id))) == 0


def test_admin_creates_an_event_for_the_chosen_or_the_home_institution(as_role, world, db):
    admin = as_role("admin")
    visit = {"title": "Industry visit", "kind": "industry_visit", "event_date": "2026-12-10",
             "start_time": "09:00", "end_time": "12:30",
             "mode": "on_site", "programme_id": ""}
    assert admin.post(f"/events/new?institution={world.other.id}", data=visit).status_code == 302
    assert admin.post("/events/new", data=visit).status_code == 302
    assert sorted(db.session.scalars(select(Event.institution_id))) == sorted(
        [world.other.id, world.home.id])


def test_creating_and_changing_an_event_leave_audit_entries(world, db):
    from app.core.audit import AuditEntry

    officer = world.users["officer"]
    data = EventData(title="Webinar", kind="webinar", mode="online",
                     event_date=date(2026, 12, 1), capacity=100, **HOURS)
    event = create_event(data, institution=world.home, actor=officer)
    data.capacity = 80
    update_event(event, data, actor=officer)
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity_id, e.institution_id, e.actor_id) for e in entries] == [
        ("event.create", str(event.id), world.home.id, officer.id),
        ("event.update", str(event.id), world.home.id, officer.id)]
    assert entries[0].after["title"] == "Webinar" and entries[0].before is None
    assert (entries[1].before["capacity"], entries[1].after["capacity"]) == (100, 80)
    assert "title" not in entries[1].after  # only what changed


def test_attendance_is_recorded_from_the_day_of_the_event(world, db, make_event):
    officer = world.users["officer"]
    coming = make_event(world.home, event_date=date.today() + timedelta(days=3))
    with pytest.raises(ValidationFailed) as err:
        record_attendance(coming, student_numbers=world.alumnus.student_number, actor=officer)
    assert "has not taken place yet" in err.value.field_errors["event"][0]
    assert db.session.scalar(select(func.count(Participation.id))) == 0
    on_the_day = make_event(world.home, event_date=date.today())
    result = record_attendance(on_the_day, student_numbers=world.alumnus.student_number,
                               actor=officer)
    assert [a.id for a in result.added] == [world.alumnus.id]
    db.session.commit()
    # nor can an event with attendance be moved to a later day
    with pytest.raises(ValidationFailed) as err:
        update_event(on_the_day, EventData(
            title=on_the_day.title, kind=on_the_day.kind, mode=on_the_day.mode,
            event_date=date.today() + timedelta(days=7), **HOURS), actor=officer)
    assert "attended" in err.value.field_errors["event_date"][0]


def test_event_page_for_a_coming_event_offers_no_attendance(as_role, world, db, make_event):
    event = make_event(world.home, event_date=date.today() + timedelta(days=3), capacity=10)
    register_for_event(event, world.alumnus, actor=world.users["alumnus"])
    db.session.commit()
    officer = as_role("officer")
    page = officer.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 of 10 places taken, 9 left. Registration is open." in page
    assert ">Record attendance</button>" not in page
    assert "Attendance can be recorded from the day of the event" in page
    response = officer.post(f"/events/{event.id}/attendance", data={
        "student_numbers": world.second_alumnus.student_number, "role": "attendee"},
        follow_redirects=True)
    assert "has not taken place yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Participation.id))) == 1


def test_places_of_a_past_event_say_who_attended(as_role, world, db, make_event,
                                                  make_alumnus):
    event = make_event(world.home, event_date=date.today() - timedelta(days=1), capacity=1)
    extra = make_alumnus(world.home)
    numbers = f"{world.alumnus.student_number} {world.second_alumnus.student_number} " \
              f"{extra.student_number}"
    record_attendance(event, student_numbers=numbers, actor=world.users["officer"])
    db.session.commit()
    page = as_role("officer").get(f"/events/{event.id}").get_data(as_text=True)
    assert "taken of 1" not in page and "registration open" not in page
    assert "3 attended. 1 place was offered. The event has taken place." in page
    listing = as_role("officer").get("/events/?when=past").get_data(as_text=True)
    assert "3 / 1" not in listing and "3 attended" in listing


def test_the_last_place_is_one_place(as_role, world, make_event):
    make_event(world.home, title="Reunion 2026", capacity=1)
    page = as_role("alumnus").get("/me/events").get_data(as_text=True)
    assert "1 place left" in page and "1 places" not in page


def test_how_a_participant_came_reads_as_words(as_role, world, db, make_event):
    event = make_event(world.home, event_date=date.today())
    register_for_event(event, world.alumnus, actor=world.users["alumnus"])
    record_attendance(event, student_numbers=world.second_alumnus.student_number,
                      actor=world.users["officer"])
    db.session.commit()
    page = as_role("officer").get(f"/events/{event.id}").get_data(as_text=True)
    assert "<td>Registered themselves</td>" in page and "<td>self</td>" not in page
    assert "<td>Attendance list</td>" in page and "<td>bulk</td>" not in page
