"""Mentorship states change only in order and by the right person; sessions; outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.core.tokens import LinkUnusable
from app.mentoring import services
from app.mentoring.models import Mentorship
from app.mentoring.services import SessionData, change_status, log_session, propose_mentorship


@pytest.fixture
def proposed(world, own_mentor, make_student, db):
    m = propose_mentorship(make_student(email="mentee@example.org"), own_mentor,
                           goals="First job", actor=world.users["officer"])
    db.session.commit()
    return m


def test_transition_table_is_what_the_issue_asks():
    assert set(services.TRANSITIONS) == {
        ("proposed", "accepted"), ("proposed", "declined"), ("proposed", "cancelled"),
        ("accepted", "active"), ("accepted", "cancelled"),
        ("active", "completed"), ("active", "cancelled"),
    }


def test_only_the_mentor_accepts_and_only_the_office_cancels(world, proposed, db, make_user):
    officer, mentor_user = world.users["officer"], world.users["alumnus"]
    with pytest.raises(PermissionDenied):
        change_status(proposed, "accepted", actor=officer)
    with pytest.raises(PermissionDenied):
        change_status(proposed, "cancelled", actor=mentor_user)
    with pytest.raises(PermissionDenied):
        change_status(proposed, "cancelled", actor=world.users["quality"])
    with pytest.raises(NotFound):  # another alumnus: as if it did not exist
        change_status(proposed, "accepted", actor=make_user("alumnus", world.home))
    with pytest.raises(NotFound):
        change_status(proposed, "cancelled", actor=world.users["other_officer"])
    db.session.rollback()

    change_status(proposed, "accepted", note="Happy to", actor=mentor_user)
    db.session.commit()
    assert proposed.status == "accepted" and proposed.responded_at is not None


def test_states_change_only_in_order(world, proposed, db):
    officer, mentor_user = world.users["officer"], world.users["alumnus"]
    with pytest.raises(Conflict):
        change_status(proposed, "active", actor=officer)  # skips acceptance
    with pytest.raises(Conflict):
        change_status(proposed, "completed", actor=mentor_user)
    change_status(proposed, "accepted", actor=mentor_user)
    change_status(proposed, "active", actor=officer)
    assert proposed.started_on == date.today()
    with pytest.raises(Conflict):
        change_status(proposed, "declined", actor=mentor_user)  # too late to decline
    change_status(proposed, "completed", actor=mentor_user)
    db.session.commit()
    for to in ("active", "cancelled", "accepted", "proposed"):
        with pytest.raises(Conflict):
            change_status(proposed, to, actor=officer)
    db.session.refresh(proposed.mentor)
    assert proposed.mentor.load == 0  # completing gave the place back


def test_stale_status_change_is_refused(app, world, proposed, db):
    """Two tabs: the mentor declines in one after accepting in the other."""
    from app.extensions import db as _db

    mid = proposed.id
    with app.app_context():
        other = _db.session.get(Mentorship, mid)
        change_status(other, "accepted", actor=_db.session.get(type(world.users["alumnus"]),
                                                              world.users["alumnus"].id))
        _db.session.commit()
        _db.session.remove()
    assert proposed.status == "proposed"  # this session still has the old state
    with pytest.raises(Conflict):
        change_status(proposed, "declined", actor=world.users["alumnus"])


def test_no_session_before_the_mentorship_started(world, proposed, db):
    """A session dated 01 Jan 2020 was logged for a mentorship started this year, and its
    hours counted."""
    mentor_user = world.users["alumnus"]
    change_status(proposed, "accepted", actor=mentor_user)
    change_status(proposed, "active", actor=mentor_user)
    proposed.started_on = date.today() - timedelta(days=20)
    started = proposed.started_on
    with pytest.raises(ValidationFailed) as exc:
        log_session(proposed, SessionData(held_on=date(2020, 1, 1), minutes=60, mode="video"),
                    actor=mentor_user)
    assert exc.value.field_errors["held_on"] == [
        f"Enter a date on or after {started:%d %b %Y}, when the mentorship started."]
    with pytest.raises(ValidationFailed) as exc:
        log_session(proposed, SessionData(held_on=date.today() + timedelta(days=1), minutes=0,
                                          mode="video"), actor=mentor_user)
    assert exc.value.field_errors == {
        "held_on": ["Enter the date the meeting took place, today or earlier."],
        "minutes": ["Enter between 1 and 600 minutes."]}
    log_session(proposed, SessionData(held_on=started, minutes=60, mode="video"),
                actor=mentor_user)
    db.session.commit()
    assert proposed.minutes == 60


def test_sessions_only_for_active_mentorships_and_hours_add_up(world, proposed, db):
    mentor_user, officer = world.users["alumnus"], world.users["officer"]
    data = SessionData(held_on=date.today(), minutes=45, mode="video")
    with pytest.raises(Conflict):
        log_session(proposed, data, actor=mentor_user)
    change_status(proposed, "accepted", actor=mentor_user)
    change_status(proposed, "active", actor=mentor_user)
    log_session(proposed, data, actor=mentor_user)
    log_session(proposed, SessionData(held_on=date.today(), minutes=75, mode="in_person",
                                      notes="CV review"), actor=officer)
    with pytest.raises(ValidationFailed) as exc:
        log_session(proposed, SessionData(held_on=date.today() + timedelta(days=2), minutes=0,
                                          mode="smoke"), actor=officer)
    assert set(exc.value.field_errors) == {"held_on", "minutes", "mode"}
    with pytest.raises(PermissionDenied):
        log_session(proposed, data, actor=world.users["quality"])
    db.session.commit()
    assert proposed.minutes == 120

    rows, total, mentors = services.programme_figures(officer)
    row = next(r for r in rows if r.programme.id == world.programme.id)
    assert (row.students, row.mentored, row.active_pairs, row.hours) == (1, 1, 1, 2.0)
    assert row.share == 100.0 and total.minutes == 120 and mentors == 1


def _complete(world, m, db):
    change_status(m, "accepted", actor=world.users["alumnus"])
    change_status(m, "active", actor=world.users["officer"])
    change_status(m, "completed", actor=world.users["officer"])
    db.session.commit()


def test_outcome_ratings_from_both_sides(world, proposed, db):
    with pytest.raises(Conflict):
        services.record_mentor_outcome(proposed, 4, None, actor=world.users["alumnus"])
    _complete(world, proposed, db)
    with pytest.raises(PermissionDenied):
        services.record_mentor_outcome(proposed, 4, None, actor=world.users["officer"])
    with pytest.raises(ValidationFailed):
        services.record_mentor_outcome(proposed, 6, None, actor=world.users["alumnus"])
    services.record_mentor_outcome(proposed, 4, "Good student", actor=world.users["alumnus"])
    with pytest.raises(Conflict):
        services.record_mentor_outcome(proposed, 5, None, actor=world.users["alumnus"])

    raw = services.issue_student_outcome_link(proposed)
    db.session.commit()
    assert proposed.student_token_hash != raw  # only the hash is stored
    services.record_student_outcome_by_link(raw, 5, "Very helpful")
    db.session.commit()
    assert (proposed.student_rating, proposed.student_outcome_by) == (5, "link")
    with pytest.raises(LinkUnusable):  # one use only
        services.record_student_outcome_by_link(raw, 1, None)


def test_office_records_the_students_rating_when_there_is_no_link(world, proposed, db):
    _complete(world, proposed, db)
    with pytest.raises(PermissionDenied):
        services.record_student_outcome(proposed, 3, None, actor=world.users["quality"])
    services.record_student_outcome(proposed, 3, "on paper", actor=world.users["officer"])
    db.session.commit()
    assert proposed.student_outcome_by == "officer"


def test_expired_link_does_not_work(world, proposed, db):
    _complete(world, proposed, db)
    raw = services.issue_student_outcome_link(proposed)
    proposed.student_token_expires = proposed.student_token_expires - timedelta(days=31)
    db.session.commit()
    with pytest.raises(LinkUnusable) as caught:
        services.mentorship_for_outcome_token(raw)
    assert caught.value.reason == "expired"


def test_student_with_an_open_mentorship_gets_no_second(world, proposed, make_mentor, db):
    with pytest.raises(Conflict):
        propose_mentorship(proposed.student, make_mentor(), goals=None,
                           actor=world.users["officer"])


def test_only_the_mentors_own_mentorships_are_listed(world, proposed, make_mentor,
                                                     make_student, db):
    other = make_mentor(with_user=True)
    propose_mentorship(make_student(), other, goals=None, actor=world.users["officer"])
    db.session.commit()
    assert [m.id for m in services.mentorships_of_mentor(world.alumnus)] == [proposed.id]
    with pytest.raises(NotFound):
        services.own_mentorship(proposed.id, other.alumnus.user)
    assert db.session.scalar(select(Mentorship.id).where(Mentorship.mentor_id == other.id))


def test_engagement_source_lists_mentors_who_accepted_or_met(world, proposed, db):
    since, until = date.today() - timedelta(days=365), date.today()
    assert services.engaged_mentors(world.home.id, since, until) == []  # only proposed
    change_status(proposed, "accepted", actor=world.users["alumnus"])
    db.session.commit()
    assert services.engaged_mentors(world.home.id, since, until) == [(world.alumnus.id,
                                                                      date.today())]
