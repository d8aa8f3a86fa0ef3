"""A mentor is never given more students than their capacity, also when proposals race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.core.errors import Conflict
from app.extensions import db as _db
from app.mentoring.models import MentorProfile, Mentorship
from app.mentoring.services import change_status, propose_mentorship


def _open_count(mentor_id: int) -> int:
    return _db.session.scalar(select(func.count(Mentorship.id)).where(
        Mentorship.mentor_id == mentor_id,
        Mentorship.status.in_(("proposed", "accepted", "active"))))


def test_proposals_stop_at_capacity_and_a_decline_frees_the_place(world, make_mentor,
                                                                  make_student, db):
    officer = world.users["officer"]
    mentor = make_mentor(capacity=2, with_user=True)
    first = propose_mentorship(make_student(), mentor, goals=None, actor=officer)
    propose_mentorship(make_student(), mentor, goals=None, actor=officer)
    db.session.commit()

    with pytest.raises(Conflict):
        propose_mentorship(make_student(), mentor, goals=None, actor=officer)
    db.session.rollback()
    assert _open_count(mentor.id) == 2

    change_status(first, "declined", actor=mentor.alumnus.user)
    db.session.commit()
    db.session.refresh(mentor)
    assert mentor.load == 1
    propose_mentorship(make_student(), mentor, goals=None, actor=officer)
    db.session.commit()
    assert _open_count(mentor.id) == 2


def test_a_paused_mentor_gets_no_proposal(world, make_mentor, make_student, db):
    mentor = make_mentor(available=False)
    with pytest.raises(Conflict):
        propose_mentorship(make_student(), mentor, goals=None, actor=world.users["officer"])


def test_two_proposals_racing_for_the_last_place(app, world, make_mentor, make_student, db):
    """Two officers' requests, each with its own session and transaction, at the same moment."""
    mentor = make_mentor(capacity=3, load=2)
    students = [make_student().id, make_student().id]
    officer_id, mentor_id = world.users["officer"].id, mentor.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def propose(student_id: int) -> None:
        from app.auth.models import User
        from app.mentoring.models import Student

        with app.app_context():  # a new app context is a new session and connection
            try:
                officer = _db.session.get(User, officer_id)
                student = _db.session.get(Student, student_id)
                target = _db.session.get(MentorProfile, mentor_id)
                assert target.load == 2  # both read one free place
                barrier.wait(timeout=10)
                propose_mentorship(student, target, goals=None, actor=officer)
                _db.session.commit()
                outcomes.append("ok")
            except Conflict:
                _db.session.rollback()
                outcomes.append("conflict")
            except OperationalError:  # SQLite: the second writer's snapshot is stale
                _db.session.rollback()
                outcomes.append("refused")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=propose, args=(s,)) for s in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
    if _db.engine.dialect.name == "postgresql":
        assert sorted(outcomes) == ["conflict", "ok"]  # the row lock makes the loser re-check
    _db.session.expire_all()
    assert _db.session.get(MentorProfile, mentor_id).load == 3
    assert _open_count(mentor_id) == 1  # the fixture's load of 2 has no rows behind it


def test_capacity_cannot_drop_below_current_mentees(world, own_mentor, make_student, db):
    from app.core.errors import ValidationFailed
    from app.mentoring.services import MentorProfileData, save_mentor_profile

    propose_mentorship(make_student(), own_mentor, goals=None, actor=world.users["officer"])
    propose_mentorship(make_student(), own_mentor, goals=None, actor=world.users["officer"])
    db.session.commit()
    with pytest.raises(ValidationFailed) as exc:
        save_mentor_profile(world.alumnus, MentorProfileData(languages=["en"], capacity=1),
                            actor=world.users["alumnus"])
    assert "capacity" in exc.value.field_errors


def test_profiles_and_students_are_audited_when_added_and_changed(world, db):
    from app.core.audit import AuditEntry
    from app.mentoring.services import (
        MentorProfileData,
        StudentData,
        create_student,
        save_mentor_profile,
        update_student,
    )

    me, officer = world.users["alumnus"], world.users["officer"]
    profile = save_mentor_profile(world.alumnus, MentorProfileData(
        languages=["en"], industries=["J"], capacity=2), actor=me)
    save_mentor_profile(world.alumnus, MentorProfileData(languages=["en", "th"], capacity=3),
                        actor=me)
    data = StudentData(student_number="S1", given_name="Mai", programme_id=world.programme.id,
                       languages=["vi"])
    student = create_student(data, institution=world.home, actor=officer)
    data.given_name = "Mai Anh"
    update_student(student, data, actor=officer)
    db.session.commit()
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry))}
    assert entries["mentor.create"].after["capacity"] == 2
    assert entries["mentor.create"].before is None
    assert (entries["mentor.update"].before["capacity"], entries["mentor.update"].after[
        "capacity"], entries["mentor.update"].after["languages"]) == (2, 3, "en,th")
    assert entries["student.create"].after["given_name"] == "Mai"
    assert (entries["student.update"].before["given_name"],
            entries["student.update"].after["given_name"]) == ("Mai", "Mai Anh")
    assert (profile.language_list, profile.industry_list) == (["en", "th"], [])
    assert (student.language_list, student.industry_list) == (["vi"], [])
