"""Fixtures for events and engagement tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


@pytest.fixture
def make_event(db):
    from app.engagement.models import Event

    def make(institution, **overrides) -> Event:
        values = {"title": "Career fair", "kind": "career_fair", "mode": "on_site",
                  "event_date": date.today() + timedelta(days=14), "registration_open": True,
                  "capacity": None}
        values.update(overrides)
        event = Event(institution_id=institution.id, **values)
        db.session.add(event)
        db.session.commit()
        return event

    return make
