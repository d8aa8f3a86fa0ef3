"""The events staff pages and the engagement rate hold their layout on a phone (390 px) in
Vietnamese and Thai, the longest translations: the list of events, an event that has taken
place with its participants and attendance form, the event form, and the engagement rate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD, saved
from tests.e2e.conftest import context_at, fits, shot, sign_in_page

WORDS = {"vi": ("Sự kiện", "Sự kiện đã diễn ra.", "Lưu sự kiện", "Tỷ lệ gắn kết"),
         "th": ("กิจกรรม", "กิจกรรมจัดไปแล้ว", "บันทึกกิจกรรม", "อัตราการมีส่วนร่วม")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_event_pages_fit_a_phone(live_server, browser, world, db, language):
    from app.engagement.events import record_attendance
    from app.engagement.models import Event

    officer = world.users["officer"]
    officer.language = language
    event = saved(Event(institution_id=world.home.id, title="Alumni Homecoming", kind="reunion",
                        mode="on_site", capacity=40, event_date=date.today() - timedelta(days=10)))
    record_attendance(event, student_numbers=world.alumnus.student_number, actor=officer)
    saved(Event(institution_id=world.home.id, title="Mechatronics Day", kind="career_fair",
                mode="hybrid", capacity=2, event_date=date.today() + timedelta(days=9)))
    db.session.commit()
    heading, taken_place, save, rate = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/events/?when=all")
    assert page.locator("html").get_attribute("lang") == language
    assert heading in page.inner_text("h1")
    fits(page, 390)
    shot(page, f"staff-events-{language}", 390)
    page.goto(f"{live_server}/events/{event.id}")
    assert taken_place in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-event-{language}", 390)
    page.goto(f"{live_server}/events/new")
    assert save in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-event-form-{language}", 390)
    page.goto(f"{live_server}/engagement/rate")
    assert rate in page.inner_text("h1")
    fits(page, 390)
    shot(page, f"staff-rate-{language}", 390)
    context.close()


MENTORING = {"vi": ("Người cố vấn được gợi ý", "Khi bằng điểm"),
             "th": ("พี่เลี้ยงที่แนะนำ", "หากคะแนนเท่ากัน")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_mentoring_pages_fit_a_phone(live_server, browser, world, db, language):
    """The figures by programme and a student's suggested mentors with how they are scored."""
    from app.mentoring.models import MentorProfile, Student

    officer = world.users["officer"]
    officer.language = language
    saved(MentorProfile(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                        industries="C,J", languages="en,th", capacity=3, load=0,
                        expertise="plc programming,job interviews"))
    student = saved(Student(institution_id=world.home.id, student_number="STU0001",
                            given_name="Anong", family_name="Saelim", industries="C",
                            languages="th", programme_id=world.programme.id,
                            expected_graduation=date.today() + timedelta(days=200)))
    db.session.commit()
    heading, ties = MENTORING[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/mentoring/")
    assert page.locator("html").get_attribute("lang") == language
    fits(page, 390)
    shot(page, f"staff-mentoring-{language}", 390)
    page.goto(f"{live_server}/mentoring/students/{student.id}")
    assert heading in page.inner_text("main")
    page.locator("details summary").first.click()
    assert ties in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-mentoring-student-{language}", 390)
    context.close()


FEEDBACK = {"vi": ("Góp ý chương trình đào tạo", "Cựu sinh viên ẩn danh"),
            "th": ("ข้อเสนอแนะต่อหลักสูตร", "ศิษย์เก่าไม่ระบุชื่อ")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_feedback_pages_fit_a_phone(live_server, browser, world, db, language):
    """The review list and a programme's chain from input to decision and action."""
    from app.feedback import services

    officer = world.users["officer"]
    officer.language = language
    meeting = services.create_meeting(services.MeetingData(
        programme_id=world.programme.id, held_on=date.today(), kind="advisory_committee",
        title="IAC 1/2026", minutes_ref="IAC-2026-01"), institution=world.home, actor=officer)
    fb = services.submit_feedback(world.alumnus, services.FeedbackData(
        topic_kind="competency", topic="Teamwork", relevance=5, suggestion="More projects",
        anonymous=True), actor=world.users["alumnus"])
    services.decide_feedback(fb, "under_review", note="On the agenda", actor=officer)
    services.decide_feedback(fb, "accepted", note="Agreed: group projects in year 2",
                             meeting_id=meeting.id, actor=officer)
    db.session.commit()
    heading, anonymous = FEEDBACK[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/feedback/")
    assert page.locator("html").get_attribute("lang") == language
    assert heading in page.inner_text("h1") and anonymous in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-feedback-{language}", 390)
    page.goto(f"{live_server}/feedback/programmes/{world.programme.id}")
    assert anonymous in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-feedback-programme-{language}", 390)
    context.close()
