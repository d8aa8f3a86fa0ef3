"""Curriculum feedback fixtures: a review meeting of the home programme, held today (a
decision names a meeting held on or after the day the feedback came in)."""

from __future__ import annotations

from datetime import date

import pytest

from app.feedback.services import MeetingData, create_meeting


@pytest.fixture
def meeting(world, db):
    m = create_meeting(MeetingData(programme_id=world.programme.id, held_on=date.today(),
                                   kind="advisory_committee", title="IAC 1/2026",
                                   minutes_ref="IAC-2026-01"),
                       institution=world.home, actor=world.users["officer"])
    db.session.commit()
    return m
