"""Suggested mentors are ranked by the documented score and spread the load."""

from __future__ import annotations

import pytest

from app.mentoring import matching
from app.mentoring.services import propose_mentorship


@pytest.fixture
def officer(world):
    return world.users["officer"]


def test_score_parts_follow_the_documented_formula(world, make_programme, make_mentor,
                                                   make_student, officer):
    same_area = make_programme(world.home, code="DCS", study_area="it")
    other_area = make_programme(world.home, code="DBE", study_area="business")
    student = make_student(industries="C,J", languages="ms")
    best = make_mentor(industries="J", languages="en,ms")  # same programme
    area = make_mentor(same_area, industries="C,J,K", languages="ms")  # same study area
    other = make_mentor(other_area, industries="J", languages="en")

    ranked = matching.suggest_mentors(student, actor=officer)

    assert [m.mentor.id for m in ranked] == [best.id, area.id, other.id]
    by_id = {m.mentor.id: m for m in ranked}
    # P + I + L + C − S with nobody mentoring yet (S = 0), every place free (C = 15)
    assert by_id[best.id].parts == {"programme": 40, "industry": 10, "language": 15,
                                    "capacity": 15, "load_share": 0}
    assert by_id[best.id].score == 80
    assert by_id[area.id].score == 20 + 20 + 15 + 15  # industry capped at 20
    assert by_id[other.id].score == 0 + 10 + 0 + 15


def test_unavailable_full_and_other_institution_mentors_are_not_suggested(
        world, make_mentor, make_student, officer, make_alumnus, db):
    from app.mentoring.models import MentorProfile

    student = make_student()
    free = make_mentor()
    make_mentor(available=False)
    make_mentor(capacity=1, load=1)
    make_mentor(capacity=0)
    stranger = make_alumnus(world.other, programme_id=world.other_programme.id)
    db.session.add(MentorProfile(alumnus_id=stranger.id, institution_id=world.other.id,
                                 languages="en", capacity=3, load=0))
    db.session.commit()

    assert [m.mentor.id for m in matching.suggest_mentors(student, actor=officer)] == [free.id]


def test_load_share_penalty_and_remaining_capacity(world, make_mentor, make_student, officer):
    student = make_student()
    busy = make_mentor(capacity=4, load=3)
    calm = make_mentor(capacity=4, load=1)

    ranked = matching.suggest_mentors(student, actor=officer)

    assert [m.mentor.id for m in ranked] == [calm.id, busy.id]
    # total load 4: busy carries 3/4 of it, calm 1/4
    assert ranked[0].parts["load_share"] == -7.5 and ranked[0].parts["capacity"] == 11.25
    assert ranked[1].parts["load_share"] == -22.5 and ranked[1].parts["capacity"] == 3.75


def test_a_mentor_without_students_shows_no_minus_zero(world, make_mentor, make_student,
                                                       officer, as_role, db):
    """A free mentor's load share read -0.0 on the student's page."""
    student = make_student()
    make_mentor(capacity=4, load=2)
    free = make_mentor(capacity=4, load=0)
    ranked = {m.mentor.id: m for m in matching.suggest_mentors(student, actor=officer)}
    assert str(ranked[free.id].parts["load_share"]) == "0.0"
    db.session.commit()
    page = as_role("officer").get(f"/mentoring/students/{student.id}").get_data(as_text=True)
    assert "-0.0" not in page


def test_taking_the_top_suggestion_each_time_spreads_students(world, make_mentor, make_student,
                                                              officer, db):
    first = make_mentor(capacity=5)
    second = make_mentor(capacity=5)
    for _ in range(4):
        student = make_student()
        top = matching.suggest_mentors(student, actor=officer)[0]
        propose_mentorship(student, top.mentor, goals=None, actor=officer)
        db.session.commit()
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.load, second.load) == (2, 2)


def test_formula_is_shown_on_the_student_page(world, make_mentor, make_student, as_role):
    student = make_student()
    make_mentor()
    page = as_role("quality").get(f"/mentoring/students/{student.id}")
    assert page.status_code == 200
    assert "score = P + I + L + C − S" in page.get_data(as_text=True)
