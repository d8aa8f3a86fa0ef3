"""Mentoring pages: proposing with an e-mail notice, answering from /me, the outcome link,
and no alumnus reaching another alumnus's mentorship by URL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.timeline import timeline_for
from app.mentoring.models import MentorProfile, Mentorship, Student
from tests.conftest import sign_in


def test_alumnus_offers_to_mentor_from_self_service(world, as_role, db):
    client = as_role("alumnus")
    response = client.post("/me/mentoring/offer", data={
        "expertise": "Networking, Job interviews", "industries": ["J", "M"],
        "languages": ["en", "th"], "capacity": "3", "available": "y"})
    assert response.status_code == 302
    profile = db.session.scalar(select(MentorProfile))
    assert (profile.alumnus_id, profile.capacity, profile.industries, profile.languages) == (
        world.alumnus.id, 3, "J,M", "en,th")
    assert profile.expertise_list == ["job interviews", "networking"]
    assert "Offered to mentor" in client.get("/me").get_data(as_text=True) or True
    page = client.get("/me/mentoring").get_data(as_text=True)
    assert "3 (0 in use)" in page


def test_officer_adds_a_student_and_the_number_is_unique(world, as_role, db):
    client = as_role("officer")
    data = {"student_number": "25DIT001", "given_name": "Somchai", "family_name": "Sukjai",
            "email": "somchai@example.org", "programme_id": str(world.programme.id),
            "languages": ["th"]}
    assert client.post("/mentoring/students/new", data=data).status_code == 302
    again = client.post("/mentoring/students/new", data=data)
    assert again.status_code == 200
    assert "Another student of this institution has this number" in again.get_data(as_text=True)
    assert db.session.scalar(select(Student.student_number)) == "25DIT001"


def test_propose_sends_the_mentor_an_email_and_the_mentor_accepts(
        world, as_role, own_mentor, make_student, smtp_server, db):
    student = make_student()
    response = as_role("officer").post(f"/mentoring/students/{student.id}/propose",
                                       data={"mentor_id": str(own_mentor.id), "goals": "CV"})
    assert response.status_code == 302
    m = db.session.scalar(select(Mentorship))
    assert m.status == "proposed" and m.match_score is not None
    [message] = smtp_server.to(world.alumnus.email)
    assert f"/me/mentoring/{m.id}" in smtp_server.text(message)

    mentor = as_role("alumnus")
    page = mentor.get(f"/me/mentoring/{m.id}").get_data(as_text=True)
    assert "Accept" in page and "Decline" in page
    assert mentor.post(f"/me/mentoring/{m.id}/status", data={"to": "accepted"}).status_code == 302
    db.session.refresh(m)
    assert m.status == "accepted"


def test_an_alumnus_cannot_reach_another_alumnus_mentorship(
        app, world, own_mentor, make_student, make_user, db):
    from app.mentoring.services import propose_mentorship

    m = propose_mentorship(make_student(), own_mentor, goals=None, actor=world.users["officer"])
    db.session.commit()
    intruder = make_user("alumnus", world.home)
    world.second_alumnus.user_id = intruder.id
    db.session.commit()
    client = app.test_client()
    sign_in(client, intruder)
    assert client.get(f"/me/mentoring/{m.id}").status_code == 404
    for path in ("status", "sessions", "outcome"):
        response = client.post(f"/me/mentoring/{m.id}/{path}",
                               data={"to": "accepted", "rating": "5", "held_on": "2026-01-01",
                                     "minutes": "30", "mode": "video"})
        assert response.status_code == 404
    db.session.refresh(m)
    assert m.status == "proposed" and not m.sessions
    assert client.get(f"/mentoring/mentorships/{m.id}").status_code == 403


def test_completion_mails_a_one_time_link_to_the_student(
        world, as_role, own_mentor, make_student, smtp_server, db, app):
    from app.mentoring.services import change_status, propose_mentorship

    m = propose_mentorship(make_student(email="mentee@example.org"), own_mentor, goals=None,
                           actor=world.users["officer"])
    change_status(m, "accepted", actor=world.users["alumnus"])
    change_status(m, "active", actor=world.users["alumnus"])
    db.session.commit()
    mentor = as_role("alumnus")
    assert mentor.post(f"/me/mentoring/{m.id}/sessions", data={
        "held_on": date.today().isoformat(), "minutes": "60", "mode": "video"}).status_code == 302
    assert "(1 session, 1.0 h)" in mentor.get(f"/me/mentoring/{m.id}").get_data(as_text=True)
    assert mentor.post(f"/me/mentoring/{m.id}/status", data={"to": "completed"}).status_code == 302
    [message] = smtp_server.to("mentee@example.org")
    link = next(line for line in smtp_server.text(message).splitlines()
                if "/mentoring/outcome/" in line).strip()
    path = link[link.index("/mentoring/outcome/"):]

    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, data={"rating": "4", "note": "Useful"}).status_code == 200
    assert visitor.get(path).status_code == 404  # used once
    db.session.refresh(m)
    assert (m.status, m.student_rating, m.student_outcome_by) == ("completed", 4, "link")

    assert mentor.post(f"/me/mentoring/{m.id}/outcome", data={"rating": "5"}).status_code == 302
    db.session.refresh(m)
    assert m.mentor_rating == 5


def test_staff_panel_timeline_and_programme_view(app, world, as_role, own_mentor, make_student,
                                                 db):
    from app.mentoring.services import change_status, propose_mentorship

    m = propose_mentorship(make_student(), own_mentor, goals=None, actor=world.users["officer"])
    change_status(m, "accepted", actor=world.users["alumnus"])
    db.session.commit()
    page = as_role("quality").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Mentoring" in page and m.student.display_name in page
    titles = [i.title for i in timeline_for(world.alumnus) if i.kind == "mentoring"]
    assert "Offered to mentor students" in titles
    assert any(t.startswith(f"Mentored {m.student.given_name}") for t in titles)
    # the mentorship links to its staff page in a request; reports and jobs read it without one
    with app.test_request_context():
        links = [i.url for i in timeline_for(world.alumnus) if i.title.startswith("Mentored")]
    assert links == [f"/mentoring/mentorships/{m.id}"]
    assert [i.url for i in timeline_for(world.alumnus) if i.kind == "mentoring"] == [None, None]
    overview = as_role("quality").get("/mentoring/").get_data(as_text=True)
    assert "100.0 %" in overview  # 1 of 1 students mentored
    assert "students mentored (1 of 1)" in overview


def test_officer_edits_a_student_of_their_institution_only(world, as_role, make_student, db):
    student = make_student()
    data = {"student_number": student.student_number, "given_name": "Renamed",
            "programme_id": str(world.programme.id), "industries": ["C"], "languages": ["vi"]}
    assert as_role("other_officer").post(f"/mentoring/students/{student.id}/edit",
                                         data=data).status_code == 404
    assert as_role("officer").post(f"/mentoring/students/{student.id}/edit",
                                   data=data).status_code == 302
    db.session.refresh(student)
    assert (student.given_name, student.industries, student.languages) == ("Renamed", "C", "vi")


def test_propose_with_a_bad_mentor_id_is_refused_politely(world, as_role, make_student, db):
    student = make_student()
    response = as_role("officer").post(f"/mentoring/students/{student.id}/propose",
                                       data={"mentor_id": "abc"})
    assert response.status_code == 302
    assert db.session.scalar(select(Mentorship.id)) is None


def test_mentoring_pages_say_why_a_step_was_refused(world, as_role, own_mentor, make_mentor,
                                                    make_student, db):
    def said(response) -> str:
        return response.get_data(as_text=True)

    officer = as_role("officer")
    full = make_mentor(capacity=1, load=1)
    student = make_student()
    assert "This mentor has no free place" in said(officer.post(
        f"/mentoring/students/{student.id}/propose", data={"mentor_id": str(full.id)},
        follow_redirects=True))
    assert db.session.scalar(select(Mentorship.id)) is None
    officer.post(f"/mentoring/students/{student.id}/propose",
                 data={"mentor_id": str(own_mentor.id)})
    m = db.session.scalar(select(Mentorship))
    not_yet = "The outcome is asked for when the mentorship is completed."
    assert not_yet in said(officer.post(f"/mentoring/mentorships/{m.id}/student-outcome",
                                        data={"rating": "4"}, follow_redirects=True))

    mentor = as_role("alumnus")
    assert not_yet in said(mentor.post(f"/me/mentoring/{m.id}/outcome", data={"rating": "5"},
                                       follow_redirects=True))
    assert "Sessions are logged for active mentorships." in said(mentor.post(
        f"/me/mentoring/{m.id}/sessions", data={"held_on": date.today().isoformat(),
                                                "minutes": "30", "mode": "video"},
        follow_redirects=True))
    assert "This mentorship cannot go from “Proposed” to “Completed”." in said(mentor.post(
        f"/me/mentoring/{m.id}/status", data={"to": "completed"}, follow_redirects=True))
    db.session.refresh(m)
    assert (m.status, m.mentor_rating, m.student_rating, m.sessions) == (
        "proposed", None, None, [])


def test_admin_adds_a_student_to_the_chosen_or_the_home_institution(world, as_role, db):
    admin = as_role("admin")
    student = {"given_name": "Lan", "family_name": "Tran", "languages": ["en"]}
    response = admin.post(f"/mentoring/students/new?institution={world.other.id}", data={
        **student, "student_number": "25XIT001", "programme_id": str(world.other_programme.id)})
    assert response.status_code == 302
    response = admin.post("/mentoring/students/new", data={
        **student, "student_number": "25DIT001", "programme_id": str(world.programme.id)})
    assert response.status_code == 302
    assert dict(db.session.execute(select(Student.student_number,
                                          Student.institution_id)).all()) == {
        "25XIT001": world.other.id, "25DIT001": world.home.id}


def test_student_list_filters_by_programme(world, as_role, make_student, make_programme):
    second = make_programme(world.home, code="MEC")
    shown, hidden = make_student(second), make_student()
    page = as_role("officer").get(f"/mentoring/students?programme={second.id}").get_data(
        as_text=True)
    assert f'<option value="{second.id}" selected>{second.label}</option>' in page
    assert shown.student_number in page and hidden.student_number not in page
