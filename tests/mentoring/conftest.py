"""Mentoring fixtures: mentors (alumni with a profile, optionally with an account) and students."""

from __future__ import annotations

import pytest

from app.mentoring.models import MentorProfile, Student
from tests.conftest import saved


@pytest.fixture
def make_mentor(world, make_alumnus, make_user):
    """make_mentor(programme=..., industries="C,J", languages="en", capacity=2, load=0,
    with_user=False) -> MentorProfile of an alumnus of the home institution."""

    def make(programme=None, *, industries="", languages="en", capacity=2, load=0,
             available=True, with_user=False, expertise="") -> MentorProfile:
        user = make_user("alumnus", world.home) if with_user else None
        alumnus = make_alumnus(world.home, programme_id=(programme or world.programme).id,
                               user_id=user.id if user else None,
                               email=user.email if user else None)
        return saved(MentorProfile(alumnus_id=alumnus.id, institution_id=world.home.id,
                                   industries=industries, languages=languages,
                                   capacity=capacity, load=load, available=available,
                                   expertise=expertise))

    return make


@pytest.fixture
def make_student(world):
    counter = {"n": 0}

    def make(programme=None, *, industries="", languages="en", email=None,
             institution=None) -> Student:
        counter["n"] += 1
        inst = institution or world.home
        return saved(Student(institution_id=inst.id, student_number=f"STU{counter['n']:04d}",
                             given_name=f"Student{counter['n']}", family_name="Tan",
                             programme_id=(programme or world.programme).id,
                             industries=industries, languages=languages, email=email))

    return make


@pytest.fixture
def own_mentor(world):
    """world.alumnus (who has an account) as a mentor with two places."""
    return saved(MentorProfile(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                               languages="en,ms", industries="J", capacity=2, load=0))
