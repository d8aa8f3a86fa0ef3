"""Fixtures for events and engagement tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import saved


@pytest.fixture
def make_event(db):
    from app.engagement.models import Event

    def make(institution, **overrides) -> Event:
        values = {"title": "Career fair", "kind": "career_fair", "mode": "on_site",
                  "event_date": date.today() + timedelta(days=14), "registration_open": True,
                  "capacity": None}
        values.update(overrides)
        return saved(Event(institution_id=institution.id, **values))

    return make
