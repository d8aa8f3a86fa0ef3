"""Anonymous feedback: kept linked for the alumnus and for counting, never shown to staff."""

from __future__ import annotations

from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.timeline import timeline_for
from app.feedback import services
from app.feedback.services import FeedbackData, submit_feedback


def _anonymous(world, db):
    fb = submit_feedback(world.alumnus, FeedbackData(
        topic_kind="module", topic="Workplace English", relevance=2,
        skill_gap="Writing reports", anonymous=True), actor=world.users["alumnus"])
    db.session.commit()
    return fb


def test_staff_pages_and_exports_never_name_the_alumnus(world, as_role, db):
    fb = _anonymous(world, db)
    names = (world.alumnus.display_name, world.alumnus.family_name, world.alumnus.email,
             world.alumnus.student_number)
    for role in ("officer", "quality", "admin"):
        client = as_role(role)
        for path in ("/feedback/", f"/feedback/{fb.id}",
                     f"/feedback/programmes/{world.programme.id}",
                     f"/feedback/programmes/{world.programme.id}/export.csv",
                     f"/alumni/{world.alumnus.id}"):
            response = client.get(path)
            assert response.status_code == 200, (role, path)
            body = response.get_data(as_text=True)
            if path.startswith("/alumni/"):
                assert "Workplace English" not in body  # not tied to the alumnus's page
                continue
            assert "Workplace English" in body
            assert services.ANONYMOUS_LABEL in body
            assert not any(n in body for n in names), (role, path)
    # the received date is the month only
    assert services.received_label(fb) == fb.received_on.strftime("%b %Y")


def test_audit_log_records_no_account_for_anonymous_input(world, db):
    fb = _anonymous(world, db)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "feedback.submit"))
    assert entry.entity_id == str(fb.id)
    assert entry.actor_id is None and entry.actor_label == "anonymous alumnus"
    assert world.alumnus.email not in str(entry.after)


def test_named_feedback_is_attributed_and_on_the_timeline(world, as_role, db):
    named = submit_feedback(world.alumnus, FeedbackData(
        topic_kind="competency", topic="Troubleshooting", relevance=5, suggestion="More"),
        actor=world.users["alumnus"])
    db.session.commit()
    _anonymous(world, db)
    assert services.contributor_label(named) == world.alumnus.display_name
    titles = [i.title for i in timeline_for(world.alumnus) if i.kind == "feedback"]
    assert titles == ["Curriculum feedback on Troubleshooting"]  # the anonymous one is left out
    page = as_role("officer").get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Troubleshooting" in page and "Workplace English" not in page


def test_the_alumnus_sees_their_anonymous_feedback_and_it_is_counted(world, as_role, db):
    _anonymous(world, db)
    page = as_role("alumnus").get("/me/feedback").get_data(as_text=True)
    assert "Workplace English" in page and "anonymous to staff" in page
    assert services.programme_counts(world.programme)["alumni"] == 1


def test_alumnus_submits_from_the_page(world, as_role, db):
    from app.feedback.models import CurriculumFeedback

    response = as_role("alumnus").post("/me/feedback/new", data={
        "topic_kind": "module", "topic": "CAD", "relevance": "4",
        "suggestion": "Teach Fusion", "anonymous": "y"})
    assert response.status_code == 302
    fb = db.session.scalar(select(CurriculumFeedback))
    assert fb.anonymous and fb.alumnus_id == world.alumnus.id and fb.relevance == 4


def test_engagement_source_counts_named_feedback_only(world, db):
    from datetime import date, timedelta

    _anonymous(world, db)
    since, until = date.today() - timedelta(days=365), date.today()
    assert services.engaged_alumni(world.home.id, since, until) == []
    submit_feedback(world.alumnus, FeedbackData(topic_kind="module", topic="CAD", relevance=3,
                                                suggestion="More"), actor=world.users["alumnus"])
    db.session.commit()
    assert services.engaged_alumni(world.home.id, since, until) == [(world.alumnus.id,
                                                                     date.today())]
