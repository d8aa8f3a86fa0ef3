"""The feedback pages that save: what they show, the message when the service refuses, where
they go, and that nothing was written."""

from __future__ import annotations

from sqlalchemy import func, select

from app.feedback.models import CurriculumFeedback, FeedbackDecision
from app.feedback.services import FeedbackData, submit_feedback


def _count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_form_pages_show_their_heading_button_and_way_back(world, meeting, as_role):
    officer = as_role("officer")
    page = officer.get("/feedback/new").get_data(as_text=True)
    assert "<title>Record committee input" in page
    assert "Record advisory committee input</h1>" in page and ">Record input</button>" in page
    assert 'href="/feedback/">Cancel' in page
    page = officer.get("/feedback/meetings/new").get_data(as_text=True)
    assert "Record a review meeting</h1>" in page and ">Save meeting</button>" in page
    assert 'href="/feedback/meetings">Cancel' in page
    page = as_role("alumnus").get("/me/feedback/new").get_data(as_text=True)
    assert "<title>Give curriculum feedback" in page
    assert f"Feedback on {world.programme.label}</h1>" in page
    assert ">Send my feedback</button>" in page and 'href="/me/feedback">Cancel' in page


def test_committee_input_refused_by_the_service_shows_the_form_again(world, meeting, as_role,
                                                                     db):
    page = as_role("officer").post("/feedback/new", data={
        "meeting_id": str(meeting.id), "topic_kind": "competency", "topic": "Robot welding"})
    assert page.status_code == 200
    assert "Tell us the skill gap or your suggestion (or both)." in page.get_data(as_text=True)
    assert _count(db, CurriculumFeedback) == 0


def test_meeting_saved_goes_to_the_programme(world, as_role, db):
    response = as_role("officer").post("/feedback/meetings/new", data={
        "programme_id": str(world.programme.id), "held_on": "2026-05-04",
        "kind": "advisory_committee", "title": "IAC 2/2026"}, follow_redirects=True)
    assert response.request.path == f"/feedback/programmes/{world.programme.id}"
    assert "Meeting recorded." in response.get_data(as_text=True)


def test_alumnus_feedback_refused_by_the_service_shows_the_form_again(world, as_role, db):
    page = as_role("alumnus").post("/me/feedback/new", data={
        "topic_kind": "module", "topic": "CAD", "relevance": "4"})
    assert page.status_code == 200
    assert "Tell us the skill gap or your suggestion (or both)." in page.get_data(as_text=True)
    assert _count(db, CurriculumFeedback) == 0
    done = as_role("alumnus").post("/me/feedback/new", data={
        "topic_kind": "module", "topic": "CAD", "relevance": "4", "suggestion": "Teach Fusion"},
        follow_redirects=True)
    assert done.request.path == "/me/feedback"
    assert "your feedback goes to the programme" in done.get_data(as_text=True)


def test_refused_decisions_are_flashed_and_write_nothing(world, meeting, as_role, db):
    fb = submit_feedback(world.alumnus, FeedbackData(
        topic_kind="competency", topic="PLC programming", relevance=5,
        suggestion="Add a lab module"), actor=world.users["alumnus"])
    db.session.commit()
    officer = as_role("officer")
    out_of_order = officer.post(f"/feedback/{fb.id}/decide", data={
        "to": "accepted", "note": "x", "meeting_id": str(meeting.id)}, follow_redirects=True)
    assert out_of_order.request.path == f"/feedback/{fb.id}"
    assert "Feedback that is new cannot become accepted." in out_of_order.get_data(as_text=True)
    no_note = officer.post(f"/feedback/{fb.id}/decide", data={"to": "under_review"},
                           follow_redirects=True)
    assert "Write down what was decided or done, and why." in no_note.get_data(as_text=True)
    assert _count(db, FeedbackDecision) == 0
    done = officer.post(f"/feedback/{fb.id}/decide", data={"to": "under_review",
                                                           "note": "IAC next"},
                        follow_redirects=True)
    assert "The feedback is under review." in done.get_data(as_text=True)
    assert _count(db, FeedbackDecision) == 1


def test_chain_downloads_are_named_for_the_programme_and_day(world, meeting, as_role):
    from datetime import date

    officer = as_role("officer")
    stem = f"curriculum-feedback-{world.programme.code}-{date.today():%Y%m%d}"
    csv_file = officer.get(f"/feedback/programmes/{world.programme.id}/export.csv")
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_file.headers["Content-Disposition"] == f'attachment; filename="{stem}.csv"'
    assert csv_file.get_data().startswith("\ufeff".encode())
    sheet = officer.get(f"/feedback/programmes/{world.programme.id}/export.xlsx")
    assert sheet.mimetype == ("application/vnd.openxmlformats-officedocument."
                              "spreadsheetml.sheet")
    assert sheet.headers["Content-Disposition"] == f'attachment; filename="{stem}.xlsx"'
    assert sheet.get_data()[:2] == b"PK"  # a zip: the workbook
    assert as_role("other_officer").get(
        f"/feedback/programmes/{world.programme.id}/export.csv").status_code == 404


def test_admin_records_a_meeting_of_the_chosen_or_the_home_institution(world, as_role, db):
    from app.feedback.models import ReviewMeeting

    admin = as_role("admin")
    meeting = {"held_on": "2026-05-04", "kind": "advisory_committee", "title": "IAC 2/2026"}
    page = admin.get("/feedback/meetings/new").get_data(as_text=True)
    assert world.programme.code in page and world.other_programme.code not in page
    response = admin.post(f"/feedback/meetings/new?institution={world.other.id}",
                          data={**meeting, "programme_id": str(world.other_programme.id)})
    assert response.status_code == 302
    response = admin.post("/feedback/meetings/new",
                          data={**meeting, "programme_id": str(world.programme.id)})
    assert response.status_code == 302
    assert sorted(db.session.execute(select(ReviewMeeting.programme_id,
                                            ReviewMeeting.institution_id)).all()) == sorted(
        [(world.other_programme.id, world.other.id), (world.programme.id, world.home.id)])


def test_review_list_filters_by_programme(world, as_role, db):
    admin = as_role("admin")
    page = admin.get(f"/feedback/?programme={world.other_programme.id}").get_data(as_text=True)
    assert f'<option value="{world.other_programme.id}" selected>' in page
    assert f'<option value="{world.programme.id}" >{world.programme.label}' in page


def test_a_meeting_before_the_feedback_is_refused_next_to_the_meeting_field(world, as_role,
                                                                           db):
    from datetime import date, timedelta

    from app.feedback.services import MeetingData, create_meeting

    officer = world.users["officer"]
    earlier = create_meeting(MeetingData(programme_id=world.programme.id,
                                         held_on=date.today() - timedelta(days=30),
                                         kind="curriculum_review", title="Old review"),
                             institution=world.home, actor=officer)
    fb = submit_feedback(world.alumnus, FeedbackData(
        topic_kind="competency", topic="PLC programming", relevance=5,
        suggestion="Add a lab module"), actor=world.users["alumnus"])
    db.session.commit()
    client = as_role("officer")
    client.post(f"/feedback/{fb.id}/decide", data={"to": "under_review", "note": "Review"})
    page = client.post(f"/feedback/{fb.id}/decide", data={
        "to": "accepted", "note": "Agreed: new lab", "meeting_id": str(earlier.id)})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    select_at = text.index('id="meeting-accepted"')
    message_at = text.index("was held before the feedback came in")
    assert select_at < message_at < text.index("</form>", select_at)
    assert 'is-invalid" id="meeting-accepted"' in text
    assert ">Agreed: new lab</textarea>" in text  # the note is kept
    assert _count(db, FeedbackDecision) == 1


def test_relevance_starts_unset_and_must_be_chosen(world, as_role, db):
    """A pre-chosen 5 would be sent by anyone who skips the question, biasing the ratings."""
    client = as_role("alumnus")
    page = client.get("/me/feedback/new").get_data(as_text=True)
    select = page[page.index('name="relevance"'):]
    select = select[:select.index("</select>")]
    assert '<option selected value="">' in select and select.count("selected") == 1
    refused = client.post("/me/feedback/new", data={
        "topic_kind": "module", "topic": "CAD", "suggestion": "Teach Fusion", "relevance": ""})
    assert refused.status_code == 200
    assert "Rate how relevant it is to your work, 1 to 5." in refused.get_data(as_text=True)
    assert _count(db, CurriculumFeedback) == 0
