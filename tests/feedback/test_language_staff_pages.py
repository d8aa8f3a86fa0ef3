"""The curriculum feedback staff pages in every language: the review list (filtered too), an
input from a named alumnus, an anonymous one, from a committee and from an employer survey with
their review steps, every step of the review with its messages and refusals, the review
meetings and their form (with errors), committee input and its form, a programme's chain, the
employer follow-up (with the form's and the service's errors) and the record's feedback panel;
opened by an officer and by quality staff. No English text of the catalogue is left on them
(the fixed pieces of messages with placeholders too); the chain's download keeps English."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.core.db import today
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: the chain's counts, a step's message, the anonymous alumnus
EXPECTED = {
    "th": ("การประชุมทบทวน", "ข้อเสนอแนะอยู่ระหว่างพิจารณา", "ศิษย์เก่าไม่ระบุชื่อ",
           "บันทึกการประชุมแล้ว"),
    "id": ("rapat peninjauan", "Masukan sedang ditinjau.", "Alumni anonim", "Rapat dicatat."),
    "ms": ("mesyuarat semakan", "Maklum balas sedang disemak.", "Alumni tanpa nama",
           "Mesyuarat direkodkan."),
    "vi": ("cuộc họp rà soát", "Góp ý đang được xem xét.", "Cựu sinh viên ẩn danh",
           "Đã ghi nhận cuộc họp."),
    "fil": ("pulong ng pagsusuri", "Sinusuri na ang puna.", "Alumni na hindi nagpakilala",
            "Naitala ang pulong."),
}


@pytest.fixture
def feedback(world):
    """A meeting held a week ago, one to come; input from the alumnus (named, and anonymous),
    from the committee and from an employer survey, one taken through to implemented."""
    from app.feedback import follow_up, services

    officer, user, alumnus = world.users["officer"], world.users["alumnus"], world.alumnus
    held = services.create_meeting(services.MeetingData(
        programme_id=world.programme.id, held_on=today() - timedelta(days=7),
        kind="advisory_committee", title="IAC 1/2026", minutes_ref="IAC-2026-01"),
        institution=world.home, actor=officer)
    coming = services.create_meeting(services.MeetingData(
        programme_id=world.programme.id, held_on=today() + timedelta(days=20),
        kind="curriculum_review", title="Review 2/2026"), institution=world.home, actor=officer)
    named = services.submit_feedback(alumnus, services.FeedbackData(
        topic_kind="module", topic="PLC programming", relevance=4, skill_gap="Siemens S7"),
        actor=user)
    anonymous = services.submit_feedback(alumnus, services.FeedbackData(
        topic_kind="competency", topic="Teamwork", relevance=5, suggestion="More projects",
        anonymous=True), actor=user)
    committee = services.record_committee_input(held, services.FeedbackData(
        topic_kind="module", topic="Industrial IoT", suggestion="Adopt in year 2"),
        actor=officer)
    committee.received_on = today() - timedelta(days=7)
    employer = follow_up.record_employer_input(follow_up.EmployerInputData(
        programme_id=world.programme.id, survey_year=today().year - 1, competency="teamwork",
        said="4 of 9 rated teamwork fair or poor.", suggestion="More group projects",
        noted_on=today() - timedelta(days=10)), institution=world.home, actor=officer)
    services.decide_feedback(employer, "under_review", note="On the agenda", actor=officer)
    services.decide_feedback(employer, "accepted", note="Agreed", meeting_id=held.id,
                             actor=officer)
    services.decide_feedback(employer, "implemented", note="Two group projects added",
                             actor=officer)
    db.session.commit()
    return {"held": held, "coming": coming, "named": named, "anonymous": anonymous,
            "committee": committee, "employer": employer}


def _panel(html: str) -> str:
    """The feedback panel of a record's staff page (the other features' panels are not all
    translated yet: README "Languages")."""
    sections = re.findall(r'<section class="mt-4">(.*?)</section>', html, re.S)
    return next((s for s in sections if '<ul class="small">' in s
                 and "/feedback/" in s and "mentoring/mentorships/" not in s), "")


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert f'<span lang="{language}">{LANGUAGES[language]}</span>' in html, name
        if name == "record":
            html = _panel(html)
            assert html
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


def _officer_pages(client, f: dict, world) -> dict:
    named, anonymous, held, coming = f["named"], f["anonymous"], f["held"], f["coming"]
    programme = world.programme.id
    employer_form = {"programme_id": str(programme), "survey_year": str(today().year - 1),
                     "competency": "teamwork", "said": "Teamwork rated fair by 4 of 9.",
                     "suggestion": "", "noted_on": ""}

    def decide(fb, to, **data):
        return client.post(f"/feedback/{fb.id}/decide", data={"to": to, **data},
                           follow_redirects=True)

    pages = {
        "list": client.get("/feedback/"),
        "list filtered": client.get(f"/feedback/?programme={programme}&status=new"),
        "named": client.get(f"/feedback/{named.id}"),
        "anonymous": client.get(f"/feedback/{anonymous.id}"),
        "committee": client.get(f"/feedback/{f['committee'].id}"),
        "employer": client.get(f"/feedback/{f['employer'].id}"),
        "out of order": decide(named, "implemented", note="Done"),
        "review started": decide(named, "under_review", note="On the agenda"),
        "no meeting": decide(named, "accepted", note="Agreed"),
        "meeting to come": decide(named, "accepted", note="Agreed", meeting_id=coming.id),
        "meeting before": decide(anonymous, "under_review", note="Look at it",
                                 meeting_id=held.id),
        "no note": decide(named, "accepted", note="", meeting_id=held.id),
        "meetings": client.get("/feedback/meetings"),
        "new meeting": client.get("/feedback/meetings/new"),
        "meeting with errors": client.post("/feedback/meetings/new", data={
            "programme_id": "", "held_on": "", "kind": "other", "title": ""}),
        "meeting refused": client.post("/feedback/meetings/new", data={
            "programme_id": "", "held_on": date.today().isoformat(), "kind": "other",
            "title": "Board"}),
        "meeting recorded": client.post("/feedback/meetings/new", data={
            "programme_id": str(programme), "held_on": date.today().isoformat(),
            "kind": "programme_board", "title": "Board 3/2026", "minutes_ref": "PB-3"},
            follow_redirects=True),
        "committee input": client.get(f"/feedback/new?meeting={held.id}"),
        "committee input with errors": client.post("/feedback/new", data={
            "meeting_id": str(held.id), "topic_kind": "module", "topic": ""}),
        "committee input refused": client.post("/feedback/new", data={
            "meeting_id": str(held.id), "topic_kind": "module", "topic": "Robotics"}),
        "committee input recorded": client.post("/feedback/new", data={
            "meeting_id": str(held.id), "topic_kind": "module", "topic": "Robotics",
            "relevance": "4", "suggestion": "A robotics module"}, follow_redirects=True),
        "programme": client.get(f"/feedback/programmes/{programme}"),
        "employer follow-up": client.get("/feedback/employer-follow-up"),
        "employer follow-up none": client.get("/feedback/employer-follow-up?year=2001"),
        "employer input refused": client.post("/feedback/employer-follow-up", data={
            **employer_form, "survey_year": str(today().year + 3), "competency": "",
            "said": "", "noted_on": (today() + timedelta(days=3)).isoformat()}),
        "employer input too early": client.post("/feedback/employer-follow-up", data={
            **employer_form, "noted_on": date(today().year - 2, 5, 1).isoformat()}),
        "employer input recorded": client.post("/feedback/employer-follow-up",
                                               data=employer_form, follow_redirects=True),
        "record": client.get(f"/alumni/{world.alumnus.id}"),
    }
    # the chain once the named input is accepted and implemented
    decide(named, "accepted", note="Agreed", meeting_id=held.id)
    pages["implemented"] = decide(named, "implemented", note="New S7 lab")
    pages["programme implemented"] = client.get(f"/feedback/programmes/{programme}")
    return pages


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_feedback_pages_of_an_officer_leave_no_english(app, world, feedback, language):
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = _officer_pages(client, feedback, world)
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    for name in ("no meeting", "meeting to come", "meeting before", "no note",
                 "meeting with errors", "meeting refused", "committee input with errors",
                 "committee input refused", "employer input refused",
                 "employer input too early"):
        assert "invalid-feedback" in pages[name].get_data(as_text=True), name
    assert "alert-danger" in pages["out of order"].get_data(as_text=True)
    csv = client.get(f"/feedback/programmes/{world.programme.id}/export.csv").get_data(
        as_text=True)
    assert "Anonymous alumnus" in csv and "Advisory committee" in csv


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_feedback_pages_of_quality_staff_leave_no_english(app, world, feedback, language):
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    shown = _check({
        "list": client.get("/feedback/"),
        "anonymous": client.get(f"/feedback/{feedback['anonymous'].id}"),
        "employer": client.get(f"/feedback/{feedback['employer'].id}"),
        "meetings": client.get("/feedback/meetings"),
        "programme": client.get(f"/feedback/programmes/{world.programme.id}"),
        "employer follow-up": client.get("/feedback/employer-follow-up"),
    }, language)
    assert EXPECTED[language][0] in shown and EXPECTED[language][2] in shown


def test_the_feedback_pages_speak_english_by_default(app, world, feedback):
    """The source language reads as before (the words the other tests look for)."""
    client = app.test_client()
    sign_in(client, world.users["officer"])
    said = {name: page.get_data(as_text=True)
            for name, page in _officer_pages(client, feedback, world).items()}
    assert "Feedback that is new cannot become implemented." in said["out of order"]
    assert "The feedback is under review." in said["review started"]
    assert "Accepting or declining is decided at a review meeting" in said["no meeting"]
    assert "This meeting has not taken place yet (" in said["meeting to come"]
    assert "This meeting was held before the feedback came in (" in said["meeting before"]
    assert "Choose a programme of this institution." in said["meeting refused"]
    assert "Give a survey year from 2000 to" in said["employer input refused"]
    assert "cannot have been taken in before" in said["employer input too early"]
    assert "Anonymous alumnus" in said["anonymous"]
    assert f"received {date.today():%b %Y}" in said["anonymous"]
    assert "implemented" in said["programme implemented"]
