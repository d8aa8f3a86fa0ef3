"""The events staff pages and the engagement rate in every language: the list of events
(coming, past, all), an event coming up (places, registering an alumnus and every refusal) and
one that has taken place (participants, attendance, its messages and refusals), the event form
(new, edited, with errors) and the engagement rate with its three lists; opened by an officer
and, where allowed, by quality staff. No English text of the catalogue is left on them (the
fixed pieces of messages with placeholders too); the downloads keep English."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: the event's places, its refusals, the rate's lists
EXPECTED = {
    "th": ("กิจกรรมจัดไปแล้ว", "ลงทะเบียนกิจกรรมนี้แล้ว", "ติดต่อได้ แต่ไม่มีส่วนร่วม",
           "บันทึกการเข้าร่วมแล้ว"),
    "id": ("Acara sudah berlangsung.", "sudah terdaftar di acara ini",
           "Dapat dihubungi, tidak terlibat", "Kehadiran dicatat"),
    "ms": ("Acara telah berlangsung.", "sudah berdaftar untuk acara ini",
           "Boleh dihubungi, tidak terlibat", "Kehadiran direkodkan"),
    "vi": ("Sự kiện đã diễn ra.", "đã đăng ký sự kiện này rồi", "Có thể liên hệ, chưa gắn kết",
           "Đã ghi nhận tham dự"),
    "fil": ("Naganap na ang event.", "sa event na ito", "Makokontak, hindi nakilahok",
            "Naitala ang pagdalo"),
}


@pytest.fixture
def events(world, make_event, make_alumnus):
    """A past event with an attendance list (one registered but not marked), a coming one
    with one place left, a full one, and one without times; returns them by name."""
    from app.engagement import registration
    from app.engagement.events import record_attendance, register_for_event

    officer = world.users["officer"]
    coming = make_event(world.home, title="Mechatronics Day", kind="career_fair",
                        mode="hybrid", capacity=2, event_date=date.today() + timedelta(days=9))
    register_for_event(coming, world.alumnus, actor=world.users["alumnus"])
    full = make_event(world.home, title="PLC Workshop", kind="workshop", capacity=1,
                      registration_open=False, event_date=date.today() + timedelta(days=4))
    registration.register_alumnus(full, world.alumnus.student_number, actor=officer)
    # the past one: the second alumnus registered while it was coming, then the attendance
    # list was taken without them
    past = make_event(world.home, title="Alumni Homecoming", kind="reunion", capacity=2,
                      event_date=date.today() + timedelta(days=1))
    registration.register_alumnus(past, world.second_alumnus.student_number, actor=officer)
    past.event_date = date.today() - timedelta(days=20)
    extra = make_alumnus(world.home)
    record_attendance(past, student_numbers=f"{world.alumnus.student_number} "
                                            f"{extra.student_number}", actor=officer)
    db.session.commit()
    return {"past": past, "coming": coming, "full": full}


def _check(pages: dict, language: str) -> str:
    import re

    english = _english(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


def _officer_pages(client, events: dict, world) -> dict:
    past, coming, full = events["past"], events["coming"], events["full"]
    number = world.second_alumnus.student_number
    pages = {
        "coming events": client.get("/events/"),
        "past events": client.get("/events/?when=past"),
        "all events": client.get("/events/?when=all"),
        "past event": client.get(f"/events/{past.id}"),
        "coming event": client.get(f"/events/{coming.id}"),
        "full event": client.get(f"/events/{full.id}"),
        "new event": client.get("/events/new"),
        "edit event": client.get(f"/events/{coming.id}/edit"),
        # every error of the form: no title, ends before it starts, a bad number of hours
        "new event with errors": client.post("/events/new", data={
            "title": "", "kind": "reunion", "mode": "online", "event_date": "2026-12-10",
            "start_time": "14:00", "end_time": "09:00", "default_hours": "-3",
            "capacity": "0"}),
        # the form's own checks: a time and a number of hours that are not ones
        "new event with bad values": client.post("/events/new", data={
            "title": "Open day", "kind": "reunion", "mode": "online",
            "event_date": "2026-12-10", "start_time": "25:99", "end_time": "09:00",
            "default_hours": "many"}),
        # the service's checks: no start time, ends before it starts, hours out of range
        "new event refused": client.post("/events/new", data={
            "title": "Open day", "kind": "reunion", "mode": "online",
            "event_date": "2026-12-10", "end_time": "09:00", "default_hours": "-3"}),
        "new event ending first": client.post("/events/new", data={
            "title": "Open day", "kind": "reunion", "mode": "online",
            "event_date": "2026-12-10", "start_time": "14:00", "end_time": "09:00"}),
        # the capacity below the places taken, a date after today with attendance recorded
        "edit with errors": client.post(f"/events/{past.id}/edit", data={
            "title": past.title, "kind": "reunion", "mode": "on_site",
            "event_date": (date.today() + timedelta(days=3)).isoformat(),
            "start_time": "09:00", "end_time": "12:00", "capacity": "1"}),
        "registered": client.post(f"/events/{coming.id}/register",
                                  data={"student_number": number}, follow_redirects=True),
        "registered twice": client.post(f"/events/{coming.id}/register",
                                        data={"student_number": number},
                                        follow_redirects=True),
        "unknown number": client.post(f"/events/{coming.id}/register",
                                      data={"student_number": "NOPE-1"},
                                      follow_redirects=True),
        "no number": client.post(f"/events/{coming.id}/register",
                                 data={"student_number": ""}, follow_redirects=True),
        "event full": client.post(f"/events/{full.id}/register",
                                  data={"student_number": number}, follow_redirects=True),
        "attendance too early": client.post(f"/events/{coming.id}/attendance", data={
            "student_numbers": number, "role": "attendee"}, follow_redirects=True),
        "attendance recorded": client.post(f"/events/{past.id}/attendance", data={
            "student_numbers": f"{number}\nZZZ-9", "role": "speaker", "hours": "2"},
            follow_redirects=True),
        "attendance of nobody": client.post(f"/events/{past.id}/attendance", data={
            "role": "attendee"}, follow_redirects=True),
        "attendance with bad hours": client.post(f"/events/{past.id}/attendance", data={
            "student_numbers": number, "role": "attendee", "hours": "5000"},
            follow_redirects=True),
        "no such participant": client.post(f"/events/{past.id}/participants/remove",
                                           data={"participation_id": "x"},
                                           follow_redirects=True),
        "not at this event": client.post(f"/events/{past.id}/participants/remove",
                                         data={"participation_id": "999999"},
                                         follow_redirects=True),
    }
    participation = past.participations[0].id
    pages["participant removed"] = client.post(
        f"/events/{past.id}/participants/remove", data={"participation_id": participation},
        follow_redirects=True)
    for show in ("engaged", "not_engaged", "outside"):
        pages[f"rate {show}"] = client.get(f"/engagement/rate?show={show}")
    return pages


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_event_pages_of_an_officer_leave_no_english(app, world, events, language):
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = _officer_pages(client, events, world)
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    for name in ("new event with errors", "new event with bad values", "new event refused",
                 "new event ending first", "edit with errors"):
        assert "invalid-feedback" in pages[name].get_data(as_text=True), name
    for name in ("registered twice", "unknown number", "event full", "attendance too early",
                 "attendance of nobody", "attendance with bad hours", "not at this event"):
        html = pages[name].get_data(as_text=True)
        assert "alert-danger" in html or "alert-warning" in html, name
    # the downloads keep the product's English
    csv = client.get(f"/events/{events['past'].id}/attendance.csv").get_data(as_text=True)
    assert "Attendance list" in csv or "Entered by the office" in csv
    rate = client.get("/engagement/rate.csv").get_data(as_text=True)
    assert "Engaged" in rate and "Student number" in rate


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_event_pages_of_quality_staff_leave_no_english(app, world, events, language):
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    shown = _check({
        "coming events": client.get("/events/"),
        "past events": client.get("/events/?when=past"),
        "past event": client.get(f"/events/{events['past'].id}"),
        "coming event": client.get(f"/events/{events['coming'].id}"),
        "rate": client.get("/engagement/rate"),
        "rate not engaged": client.get("/engagement/rate?show=not_engaged"),
    }, language)
    assert EXPECTED[language][0] in shown and EXPECTED[language][2] in shown


def test_the_event_pages_speak_english_by_default(app, world, events):
    """The source language reads as before (the words the other tests look for)."""
    client = app.test_client()
    sign_in(client, world.users["officer"])
    pages = _officer_pages(client, events, world)
    said = {name: page.get_data(as_text=True) for name, page in pages.items()}
    assert "2 attended. 2 places were offered. 1 registered but not marked as attended. " \
           "The event has taken place." in said["past event"]
    assert "1 of 2 places taken, 1 left. Registration is open." in said["coming event"]
    assert "is already registered for this event." in said["registered twice"]
    assert "This event is full (1 place): raise the capacity first." in said["event full"]
    assert "Attendance recorded: 1 added, 0 updated, 0 already recorded." in said[
        "attendance recorded"] or "1 updated" in said["attendance recorded"]
    assert "Not in the register, so not recorded: ZZZ-9" in said["attendance recorded"]
    assert "places are already taken: set at least" in said["edit with errors"]
    assert "Number must be at least 1." in said["new event with errors"]
    assert "Not a valid time value." in said["new event with bad values"]
    assert "Not a valid decimal value." in said["new event with bad values"]
    assert "Enter the time it starts" in said["new event refused"]
    assert "Enter hours between 0 and 1000." in said["new event refused"]
    assert "The event ends before it starts" in said["new event ending first"]
    assert "alumni are recorded as having attended" in said["edit with errors"]
    assert "Contactable, not engaged (" in said["rate engaged"]
