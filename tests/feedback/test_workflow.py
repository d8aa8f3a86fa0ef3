"""The review workflow: steps in order, each with note, who, when and meeting; the chain."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.core.errors import Conflict, PermissionDenied, ValidationFailed
from app.feedback import services
from app.feedback.export import neutralise
from app.feedback.services import FeedbackData, decide_feedback, submit_feedback


def _give(world, db, **overrides):
    values = {"topic_kind": "competency", "topic": "PLC programming", "relevance": 5,
              "skill_gap": "No Siemens S7 practice", "suggestion": "Add a lab module"}
    values.update(overrides)
    fb = submit_feedback(world.alumnus, FeedbackData(**values), actor=world.users["alumnus"])
    db.session.commit()
    return fb


def test_alumnus_feedback_is_for_their_own_programme(world, db):
    fb = _give(world, db)
    assert (fb.programme_id, fb.source, fb.status, fb.alumnus_id) == (
        world.programme.id, "alumnus", "new", world.alumnus.id)
    with pytest.raises(PermissionDenied):
        submit_feedback(world.second_alumnus, FeedbackData(topic_kind="module", topic="x",
                                                           relevance=3, suggestion="y"),
                        actor=world.users["alumnus"])
    with pytest.raises(ValidationFailed) as exc:
        submit_feedback(world.alumnus, FeedbackData(topic_kind="course", topic="", relevance=9),
                        actor=world.users["alumnus"])
    assert set(exc.value.field_errors) == {"topic_kind", "topic", "relevance", "suggestion"}


def test_steps_only_in_order_with_meeting_for_decisions(world, meeting, db):
    officer = world.users["officer"]
    fb = _give(world, db)
    with pytest.raises(Conflict):
        decide_feedback(fb, "accepted", note="Skip", meeting_id=meeting.id, actor=officer)
    with pytest.raises(Conflict):
        decide_feedback(fb, "implemented", note="Skip", actor=officer)
    with pytest.raises(PermissionDenied):
        decide_feedback(fb, "under_review", note="x", actor=world.users["quality"])
    with pytest.raises(ValidationFailed) as exc:
        decide_feedback(fb, "under_review", note=" ", actor=officer)
    assert "note" in exc.value.field_errors

    decide_feedback(fb, "under_review", note="Tabled for IAC", actor=officer)
    with pytest.raises(ValidationFailed) as exc:
        decide_feedback(fb, "accepted", note="Agreed", actor=officer)  # no meeting named
    assert "meeting_id" in exc.value.field_errors
    decision = decide_feedback(fb, "accepted", note="Agreed: new lab", meeting_id=meeting.id,
                               actor=officer)
    assert (decision.from_status, decision.to_status, decision.decided_by_id,
            decision.meeting_id) == ("under_review", "accepted", officer.id, meeting.id)
    with pytest.raises(Conflict):
        decide_feedback(fb, "declined", note="Changed our mind", meeting_id=meeting.id,
                        actor=officer)
    decide_feedback(fb, "implemented", note="Lab module DME214 from 2027 intake", actor=officer)
    db.session.commit()
    assert fb.status == "implemented"
    assert [d.to_status for d in fb.decisions] == ["under_review", "accepted", "implemented"]
    with pytest.raises(Conflict):
        decide_feedback(fb, "under_review", note="again", actor=officer)


def test_declined_feedback_ends_there(world, meeting, db):
    officer = world.users["officer"]
    fb = _give(world, db)
    decide_feedback(fb, "under_review", note="Review", actor=officer)
    decide_feedback(fb, "declined", note="Covered by DME110", meeting_id=meeting.id,
                    actor=officer)
    with pytest.raises(Conflict):
        decide_feedback(fb, "implemented", note="x", actor=officer)


def test_meeting_of_another_programme_or_institution_is_refused(world, meeting, db,
                                                                make_programme):
    from datetime import date

    from app.feedback.services import MeetingData, create_meeting

    other_prog = make_programme(world.home, code="DBE")
    elsewhere = create_meeting(MeetingData(programme_id=other_prog.id, held_on=date(2026, 1, 5),
                                           kind="curriculum_review", title="DBE review"),
                               institution=world.home, actor=world.users["officer"])
    fb = _give(world, db)
    decide_feedback(fb, "under_review", note="Review", actor=world.users["officer"])
    with pytest.raises(ValidationFailed):
        decide_feedback(fb, "accepted", note="ok", meeting_id=elsewhere.id,
                        actor=world.users["officer"])
    with pytest.raises(PermissionDenied):
        create_meeting(MeetingData(programme_id=world.programme.id, held_on=date(2026, 1, 5),
                                   kind="other", title="x"),
                       institution=world.home, actor=world.users["other_officer"])


def test_committee_input_and_the_chain_page_and_exports(world, meeting, as_role, db):
    officer = world.users["officer"]
    committee = services.record_committee_input(
        meeting, FeedbackData(topic_kind="module", topic="Industrial IoT",
                              suggestion="=HYPERLINK(\"http://evil\")"), actor=officer)
    fb = _give(world, db, suggestion="@SUM(A1) and more")
    decide_feedback(committee, "under_review", note="Review", actor=officer)
    decide_feedback(committee, "accepted", note="Adopt in year 2", meeting_id=meeting.id,
                    actor=officer)
    decide_feedback(committee, "implemented", note="-Module DME230 approved", actor=officer)
    db.session.commit()
    assert committee.source == "committee" and committee.received_on == meeting.held_on

    client = as_role("quality")
    page = client.get(f"/feedback/programmes/{world.programme.id}").get_data(as_text=True)
    assert "Industrial IoT" in page and "Adopt in year 2" in page and "IAC-2026-01" in page
    assert "2 inputs (alumni who gave input: 1; from advisory committees: 1)" in page

    response = client.get(f"/feedback/programmes/{world.programme.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == services.CHAIN_COLUMNS
    by_topic = {r[5]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    iot = by_topic["Industrial IoT"]
    assert iot["Suggestion"] == "'=HYPERLINK(\"http://evil\")"  # not a formula
    assert iot["Decision"] == "Accepted" and iot["Decision meeting"].endswith("IAC 1/2026")
    assert iot["Action taken"] == "'-Module DME230 approved"
    assert by_topic["PLC programming"]["Suggestion"] == "'@SUM(A1) and more"
    assert by_topic["PLC programming"]["Given by"] == world.alumnus.display_name
    # words, not the stored codes
    assert (iot["Source"], iot["Kind"]) == ("Advisory committee", "Module")
    assert (by_topic["PLC programming"]["Source"], by_topic["PLC programming"]["Kind"]) == (
        "Alumnus / alumna", "Competency")

    response = client.get(f"/feedback/programmes/{world.programme.id}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == services.CHAIN_COLUMNS
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    evil = next(c for c in cells if c.value == "=HYPERLINK(\"http://evil\")")
    assert evil.data_type == "s" and evil.quotePrefix  # text shown as written, never run
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith("'")]
    assert fb.id in [row[0] for row in values[1:]]


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+66 81") == "'+66 81"
    assert neutralise("plain") == "plain"
    assert neutralise(5) == 5


def test_decision_from_the_page(world, meeting, as_role, db):
    fb = _give(world, db)
    client = as_role("officer")
    assert client.post(f"/feedback/{fb.id}/decide",
                       data={"to": "accepted", "note": "x",
                             "meeting_id": str(meeting.id)}).status_code == 302
    db.session.refresh(fb)
    assert fb.status == "new"  # not in order: refused
    client.post(f"/feedback/{fb.id}/decide", data={"to": "under_review", "note": "IAC next"})
    db.session.refresh(fb)
    assert fb.status == "under_review"
    assert as_role("quality").post(f"/feedback/{fb.id}/decide",
                                   data={"to": "accepted"}).status_code == 403
    assert as_role("other_officer").get(f"/feedback/{fb.id}").status_code == 404


def test_officer_records_a_meeting_and_committee_input_from_the_pages(world, as_role, db):
    from sqlalchemy import select

    from app.feedback.models import CurriculumFeedback, ReviewMeeting

    client = as_role("officer")
    assert client.get("/feedback/new").status_code == 302  # no meeting yet: record one first
    response = client.post("/feedback/meetings/new", data={
        "programme_id": str(world.programme.id), "held_on": "2026-05-04",
        "kind": "advisory_committee", "title": "IAC 2/2026", "minutes_ref": "IAC-2026-02"})
    assert response.status_code == 302
    meeting = db.session.scalar(select(ReviewMeeting))
    assert (meeting.programme_id, meeting.minutes_ref) == (world.programme.id, "IAC-2026-02")
    bad = client.post("/feedback/meetings/new", data={"held_on": "2026-05-04", "kind": "other",
                                                      "title": "x", "programme_id": ""})
    assert "Choose a programme of this institution" in bad.get_data(as_text=True)

    response = client.post("/feedback/new", data={
        "meeting_id": str(meeting.id), "topic_kind": "competency", "topic": "Robot welding",
        "relevance": "", "suggestion": "Partner with a welding school"})
    assert response.status_code == 302
    fb = db.session.scalar(select(CurriculumFeedback))
    assert (fb.source, fb.meeting_id, fb.relevance, fb.programme_id) == (
        "committee", meeting.id, None, world.programme.id)


def test_a_decision_names_a_meeting_held_after_the_feedback_came_in(world, db):
    from datetime import date, timedelta

    from app.feedback.services import MeetingData, create_meeting

    officer = world.users["officer"]

    def meeting_on(day):
        return create_meeting(MeetingData(programme_id=world.programme.id, held_on=day,
                                          kind="curriculum_review", title=f"Review {day}"),
                              institution=world.home, actor=officer)

    earlier = meeting_on(date.today() - timedelta(days=30))
    later = meeting_on(date.today() + timedelta(days=7))
    fb = _give(world, db)
    decide_feedback(fb, "under_review", note="Review", actor=officer)
    with pytest.raises(ValidationFailed) as exc:
        decide_feedback(fb, "accepted", note="ok", meeting_id=earlier.id, actor=officer)
    assert "before the feedback came in" in exc.value.field_errors["meeting_id"][0]
    with pytest.raises(ValidationFailed) as exc:
        decide_feedback(fb, "accepted", note="ok", meeting_id=later.id, actor=officer)
    assert "has not taken place yet" in exc.value.field_errors["meeting_id"][0]
    assert fb.status == "under_review" and len(fb.decisions) == 1
    same_day = meeting_on(date.today())
    assert decide_feedback(fb, "accepted", note="ok", meeting_id=same_day.id,
                           actor=officer).meeting_id == same_day.id


def test_meeting_and_feedback_errors_say_what_to_do(world, db):
    from app.feedback.services import MeetingData, create_meeting

    with pytest.raises(ValidationFailed) as exc:
        create_meeting(MeetingData(programme_id=world.programme.id, kind="other"),
                       institution=world.home, actor=world.users["officer"])
    assert exc.value.field_errors["held_on"] == ["Enter the date the meeting took place."]
    assert exc.value.field_errors["title"][0].startswith("Give it a short title")
    with pytest.raises(ValidationFailed) as exc:
        submit_feedback(world.alumnus, FeedbackData(topic_kind="course", topic="x",
                                                    relevance=9, suggestion="y"),
                        actor=world.users["alumnus"])
    assert exc.value.field_errors == {"topic_kind": ["Choose module or competency."],
                                      "relevance": ["Choose a rating from 1 to 5."]}
