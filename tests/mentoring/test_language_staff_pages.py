"""The mentoring staff pages in every language: the figures by programme, the mentors, the
students (filtered too), a student with the suggested mentors and how they are scored, and one
with an open mentorship, the student form (new, edited, with the form's and the service's
errors), a mentorship proposed, active and completed (its session log, next steps and the
student's rating recorded by the office), every message of proposing, changing, logging and
rating with their refusals, and the mentoring panel of a record's staff page; opened by an
officer and by quality staff. No English text of the catalogue is left on them (the fixed
pieces of messages with placeholders too); the figures' download keeps English."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: the figures, the score's parts, the messages
EXPECTED = {
    "th": ("คู่ที่กำลังดำเนินอยู่", "หากคะแนนเท่ากัน", "เพิ่ม", "ในรายชื่อนักศึกษาแล้ว",
           "บันทึกคะแนนของนักศึกษาแล้ว"),
    "id": ("pasangan aktif", "Bila skor sama", "sudah ada di daftar mahasiswa",
           "Diusulkan kepada", "Penilaian mahasiswa sudah dicatat."),
    "ms": ("pasangan aktif", "Jika skor sama", "kini dalam senarai pelajar",
           "Dicadangkan kepada", "Penilaian pelajar telah direkodkan."),
    "vi": ("cặp đang hoạt động", "Khi bằng điểm", "đã có trong danh sách sinh viên",
           "Đã đề xuất cho", "Đã ghi nhận đánh giá của sinh viên."),
    "fil": ("aktibong pares", "Kapag tabla", "Nasa listahan na ng mga estudyante",
            "Naimungkahi kay", "Naitala na ang rating ng estudyante."),
}


@pytest.fixture
def mentoring(world, make_mentor, make_student):
    """Mentors (one free, one full, one paused), a student with suggestions, and mentorships
    proposed, active (a session logged) and completed; returns them by name."""
    from app.mentoring import services

    officer = world.users["officer"]
    free = make_mentor(industries="C,J", languages="en,th", capacity=3, with_user=True,
                       expertise="plc programming,job interviews")
    full = make_mentor(capacity=1, with_user=True)
    make_mentor(capacity=2, available=False)
    waiting = make_student(industries="C", languages="th")
    proposed = services.propose_mentorship(make_student(), full, goals="PLC", actor=officer)
    active = services.propose_mentorship(make_student(email="s@example.org"), free,
                                         goals="Interviews", actor=officer)
    mentor_user = db.session.get(type(officer), free.alumnus.user_id)
    services.change_status(active, "accepted", actor=mentor_user)
    services.change_status(active, "active", actor=officer)
    services.log_session(active, services.SessionData(held_on=date.today(), minutes=90,
                                                      mode="video"), actor=officer)
    done = services.propose_mentorship(make_student(), free, goals=None, actor=officer)
    services.change_status(done, "accepted", actor=mentor_user)
    services.change_status(done, "active", actor=officer)
    services.change_status(done, "completed", actor=officer)
    db.session.commit()
    return {"free": free, "full": full, "waiting": waiting, "proposed": proposed,
            "active": active, "done": done}


def _panel(html: str) -> str:
    """The mentoring panel of a record's staff page (the other features' panels are not
    translated yet: README "Languages")."""
    sections = re.findall(r'<section class="mt-4">(.*?)</section>', html, re.S)
    return next((s for s in sections if '<ul class="small">' in s
                 and "mentoring/mentorships/" in s), "")


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        # the language menu names the language in its own words (ไทย, Tiếng Việt, …)
        assert f'<span lang="{language}">{LANGUAGES[language]}</span>' in html, name
        if name == "record":
            html = _panel(html)
            assert html
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


def _officer_pages(client, m: dict, world, make_student) -> dict:
    waiting, proposed, active, done = m["waiting"], m["proposed"], m["active"], m["done"]
    student_form = {"student_number": "25DIT900", "given_name": "Anong", "family_name": "Sae",
                    "programme_id": world.programme.id, "email": "anong@example.org",
                    "expected_graduation": (date.today() + timedelta(days=300)).isoformat(),
                    "industries": ["C", "J"], "languages": ["th", "en"]}
    pages = {
        "figures": client.get("/mentoring/"),
        "mentors": client.get("/mentoring/mentors"),
        "students": client.get("/mentoring/students"),
        "students filtered": client.get(f"/mentoring/students?programme={world.programme.id}"),
        "student with suggestions": client.get(f"/mentoring/students/{waiting.id}"),
        "student with an open one": client.get(f"/mentoring/students/{proposed.student_id}"),
        "new student": client.get("/mentoring/students/new"),
        "new student with errors": client.post("/mentoring/students/new", data={
            "student_number": "", "given_name": "", "programme_id": world.programme.id}),
        # the service's checks: the number's characters, the e-mail address
        "new student refused": client.post("/mentoring/students/new", data={
            **student_form, "student_number": "25 DIT?", "email": "anong@@example"}),
        "student added": client.post("/mentoring/students/new", data=student_form,
                                     follow_redirects=True),
        "number taken": client.post("/mentoring/students/new", data=student_form),
        "edit student": client.get(f"/mentoring/students/{waiting.id}/edit"),
        "student saved": client.post(f"/mentoring/students/{waiting.id}/edit", data={
            **student_form, "student_number": waiting.student_number},
            follow_redirects=True),
        "proposal without a mentor": client.post(f"/mentoring/students/{waiting.id}/propose",
                                                 data={"mentor_id": "x"},
                                                 follow_redirects=True),
        "mentor full": client.post(f"/mentoring/students/{waiting.id}/propose",
                                   data={"mentor_id": m["full"].id}, follow_redirects=True),
        "proposed": client.post(f"/mentoring/students/{waiting.id}/propose",
                                data={"mentor_id": m["free"].id, "goals": "PLC"},
                                follow_redirects=True),
        "open one already": client.post(f"/mentoring/students/{waiting.id}/propose",
                                        data={"mentor_id": m["free"].id},
                                        follow_redirects=True),
        "mentorship proposed": client.get(f"/mentoring/mentorships/{proposed.id}"),
        "only the mentor": client.post(f"/mentoring/mentorships/{proposed.id}/status",
                                       data={"to": "accepted"}, follow_redirects=True),
        "mentorship active": client.get(f"/mentoring/mentorships/{active.id}"),
        "session logged": client.post(f"/mentoring/mentorships/{active.id}/sessions", data={
            "held_on": date.today().isoformat(), "minutes": "45", "mode": "phone"},
            follow_redirects=True),
        "session refused": client.post(f"/mentoring/mentorships/{active.id}/sessions", data={
            "minutes": "45", "mode": "phone"}, follow_redirects=True),
        "mentorship completed": client.post(f"/mentoring/mentorships/{active.id}/status",
                                            data={"to": "completed", "note": "Done"},
                                            follow_redirects=True),
        "mentorship done": client.get(f"/mentoring/mentorships/{done.id}"),
        "rating recorded": client.post(f"/mentoring/mentorships/{done.id}/student-outcome",
                                       data={"rating": "4", "note": "Helpful"},
                                       follow_redirects=True),
        "record": client.get(f"/alumni/{m['free'].alumnus_id}"),
    }
    return pages


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_mentoring_pages_of_an_officer_leave_no_english(app, world, mentoring,
                                                            make_student, smtp_server,
                                                            language):
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = _officer_pages(client, mentoring, world, make_student)
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    for name in ("new student with errors", "new student refused", "number taken"):
        assert "invalid-feedback" in pages[name].get_data(as_text=True), name
    for name in ("proposal without a mentor", "mentor full", "open one already",
                 "only the mentor", "session refused"):
        html = pages[name].get_data(as_text=True)
        assert "alert-danger" in html or "alert-warning" in html, name
    csv = client.get("/mentoring/figures.csv").get_data(as_text=True)
    assert "Mentors active now" in csv and "All programmes" in csv


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_mentoring_pages_of_quality_staff_leave_no_english(app, world, mentoring,
                                                               language):
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    shown = _check({
        "figures": client.get("/mentoring/"),
        "mentors": client.get("/mentoring/mentors"),
        "students": client.get("/mentoring/students"),
        "student with suggestions": client.get(f"/mentoring/students/{mentoring['waiting'].id}"),
        "mentorship active": client.get(f"/mentoring/mentorships/{mentoring['active'].id}"),
        "mentorship done": client.get(f"/mentoring/mentorships/{mentoring['done'].id}"),
    }, language)
    assert EXPECTED[language][0] in shown and EXPECTED[language][1] in shown


def test_the_mentoring_pages_speak_english_by_default(app, world, mentoring, make_student,
                                                      smtp_server):
    """The source language reads as before (the words the other tests look for)."""
    client = app.test_client()
    sign_in(client, world.users["officer"])
    said = {name: page.get_data(as_text=True)
            for name, page in _officer_pages(client, mentoring, world, make_student).items()}
    assert "score = P + I + L + C − S" in said["student with suggestions"]
    assert "Ties go to the mentor with fewer mentees now" in said["student with suggestions"]
    assert "Use letters and digits" in said["new student refused"]
    assert "That e-mail address is not valid: " in said["new student refused"]
    assert "Another student of this institution has this number." in said["number taken"]
    assert "This mentor has no free place" in said["mentor full"]
    assert "Only the mentor can do that." in said["only the mentor"]
    assert "This student already has an open mentorship" in said["open one already"]
    assert "The student&#39;s rating is recorded." in said["rating recorded"]
    assert "Offers mentoring: 1 of 3 places in use." in _panel(said["record"])
