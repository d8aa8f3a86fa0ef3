"""The rest of what an alumnus sees, in every language: mentoring, curriculum feedback, events,
the directory, the exchange panel and certificate, and the timeline entries each feature adds
to the profile. An alumnus with records in every feature opens each page (filled in, with
errors, after a flash) and no English text of the catalogue is left on it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import saved, sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _records(world, make_institution):
    """world.alumnus as a mentor (a proposal waiting, an active and a completed mentorship),
    with curriculum feedback, events attended and coming up, a completed exchange, a gift and
    an industry link, listed in the directory beside the second alumnus."""
    from app.alumni.models import CONSENT_PURPOSES
    from app.alumni.privacy import set_privacy_choices
    from app.contributions.services import ContributionData, record_contribution
    from app.engagement.events import record_attendance, register_for_event
    from app.engagement.models import Event
    from app.exchange import services as exchange
    from app.feedback.services import FeedbackData, submit_feedback
    from app.mentoring import services as mentoring
    from app.mentoring.models import MentorProfile, Student

    officer, user, alumnus = world.users["officer"], world.users["alumnus"], world.alumnus
    today = date.today()
    profile = saved(MentorProfile(alumnus_id=alumnus.id, institution_id=world.home.id,
                                  languages="en,th,vi", industries="C,J", capacity=3, load=0,
                                  expertise="plc programming,job interviews"))
    states = {}
    for n, state in enumerate(("proposed", "active", "completed")):
        student = saved(Student(institution_id=world.home.id, student_number=f"S{n}",
                                given_name=f"Student{n}", family_name="Tan",
                                programme_id=world.programme.id, email=f"s{n}@example.org",
                                expected_graduation=today + timedelta(days=200)))
        m = mentoring.propose_mentorship(student, profile, goals="PLC and interviews",
                                         actor=officer)
        if state != "proposed":
            mentoring.change_status(m, "accepted", actor=user)
            mentoring.change_status(m, "active", actor=user)
            mentoring.log_session(m, mentoring.SessionData(held_on=today, minutes=90,
                                                           mode="video"), actor=user)
        if state == "completed":
            mentoring.change_status(m, "completed", actor=user)
        states[state] = m
    submit_feedback(alumnus, FeedbackData(topic_kind="module", topic="PLC programming",
                                          relevance=4, skill_gap="Siemens S7"), actor=user)
    submit_feedback(alumnus, FeedbackData(topic_kind="competency", topic="Teamwork",
                                          relevance=5, suggestion="More projects",
                                          anonymous=True), actor=user)
    past = saved(Event(institution_id=world.home.id, title="Alumni Homecoming",
                       kind="reunion", mode="on_site", event_date=today - timedelta(days=30)))
    record_attendance(past, student_numbers=alumnus.student_number, actor=officer)
    coming = saved(Event(institution_id=world.home.id, title="Mechatronics Day",
                         kind="career_fair", mode="hybrid", registration_open=True,
                         event_date=today + timedelta(days=20), location="Hall B"))
    register_for_event(coming, alumnus, actor=user)
    open_one = saved(Event(institution_id=world.home.id, title="IoT Webinar", kind="webinar",
                           mode="online", registration_open=True, capacity=40,
                           event_date=today + timedelta(days=9)))
    partner = make_institution(code="TH-POLY", name="Bangkok Polytechnic", country="TH")
    batch = exchange.create_batch(exchange.BatchData(
        name="SEAMEO TVET Virtual Exchange", year=2022, batch_number=1, mode="virtual",
        window_start=date(2022, 5, 16), window_end=date(2022, 6, 24),
        coordinator="Dr. Somchai"), actor=officer)
    p = exchange.create_participation(batch, exchange.ParticipationData(
        student_number=alumnus.student_number, given_name=alumnus.given_name,
        family_name=alumnus.family_name or "Tan", sending_institution_id=world.home.id,
        receiving_institution_id=partner.id, study_area="it", hours=Decimal(90),
        start_date=date(2022, 5, 23), end_date=date(2022, 6, 20)), actor=officer)
    for step in ("accepted", "in_progress", "completed"):
        exchange.change_status(p, step, actor=officer)
    record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=alumnus.id, kind="monetary", category="scholarship",
        received_on=today - timedelta(days=3), amount="5000", currency="THB"),
        institution=world.home, actor=officer)
    record_contribution(ContributionData(
        donor_kind="organisation", organisation_name="Siam Motors", alumnus_id=alumnus.id,
        kind="in_kind", category="internship", received_on=today - timedelta(days=5),
        description="Two places"), institution=world.home, actor=officer)
    for listed in (alumnus, world.second_alumnus):
        set_privacy_choices(listed, {c: c == "directory" for c in CONSENT_PURPOSES}, True,
                            expected_version=None, method="officer", actor=officer)
    db.session.commit()
    return states, p, open_one


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_feature_page_of_an_alumnus_leaves_no_english(app, world, make_institution,
                                                            language):
    states, participation, open_one = _records(world, make_institution)
    user = world.users["alumnus"]
    user.language = language
    db.session.commit()
    english = _english_words(language)
    client = app.test_client()
    sign_in(client, user)
    from app.directory.models import DirectoryProfile

    token = db.session.scalar(db.select(DirectoryProfile.token).where(
        DirectoryProfile.alumnus_id == world.second_alumnus.id))
    pages = {url: client.get(url) for url in (
        "/me", "/me/mentoring", "/me/mentoring/offer", "/me/feedback", "/me/feedback/new",
        "/me/events", "/directory", "/directory/me", f"/directory/people/{token}",
        "/directory?name=nobody-at-all")}
    for state, m in states.items():
        pages[f"mentorship {state}"] = client.get(f"/me/mentoring/{m.id}")
    active = states["active"].id
    pages["offer errors"] = client.post("/me/mentoring/offer", data={
        "capacity": "0", "expertise": "x" * 501, "available": "y"})
    pages["offer too low"] = client.post("/me/mentoring/offer", data={
        "capacity": "0", "languages": ["th"], "available": "y"})
    pages["offer saved"] = client.post("/me/mentoring/offer", data={
        "capacity": "3", "languages": ["th", "en"], "industries": ["C"], "available": "y"},
        follow_redirects=True)
    pages["session half-filled"] = client.post(f"/me/mentoring/{active}/sessions",
                                               data={"minutes": "30"}, follow_redirects=True)
    pages["session in the future"] = client.post(f"/me/mentoring/{active}/sessions", data={
        "held_on": (date.today() + timedelta(days=5)).isoformat(), "minutes": "30",
        "mode": "video"}, follow_redirects=True)
    pages["session logged"] = client.post(f"/me/mentoring/{active}/sessions", data={
        "held_on": date.today().isoformat(), "minutes": "45", "mode": "chat"},
        follow_redirects=True)
    pages["rated"] = client.post(f"/me/mentoring/{states['completed'].id}/outcome", data={
        "rating": "4", "note": "Good"}, follow_redirects=True)
    pages["accepted"] = client.post(f"/me/mentoring/{states['proposed'].id}/status", data={
        "to": "accepted"}, follow_redirects=True)
    pages["feedback errors"] = client.post("/me/feedback/new", data={
        "topic_kind": "module", "topic": "Hydraulics"})
    pages["feedback sent"] = client.post("/me/feedback/new", data={
        "topic_kind": "competency", "topic": "Hydraulics", "relevance": "3",
        "suggestion": "More lab hours"}, follow_redirects=True)
    pages["registered"] = client.post(f"/me/events/{open_one.id}/register",
                                      follow_redirects=True)
    pages["registered twice"] = client.post(f"/me/events/{open_one.id}/register",
                                            follow_redirects=True)
    pages["place given back"] = client.post(f"/me/events/{open_one.id}/cancel",
                                            follow_redirects=True)
    pages["directory choices"] = client.post("/directory/me", data={
        "show_programme": "y", "show_city": "y"}, follow_redirects=True)
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code in (200, 422), (name, page.status_code)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
    me = pages["/me"].get_data(as_text=True)
    for entry in ("Student1", "Alumni Homecoming", "Mechatronics Day", "Bangkok Polytechnic",
                  "Siam Motors", "PLC programming"):
        assert entry in me, entry  # the timeline has every feature's entry
    assert "Hydraulics" in pages["feedback sent"].get_data(as_text=True)

    certificate = client.get(f"/me/exchanges/{participation.id}/certificate.pdf")
    assert certificate.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(
        BytesIO(certificate.data)).pages)
    left = [w for w in english if w in text]
    assert not left, f"the certificate in {language} still says: {left}"
    assert "CERTIFICATE" not in text and "Exchange coordinator" not in text
