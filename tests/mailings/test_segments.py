"""A mailing's segment by engagement: E1's rule, engaged or not, for every alumnus once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.core.db import today
from app.mailings.segments import Segment, segment_conditions
from tests.reports.test_engagement_exchange import contribution


def members(institution_id: int, engaged: str) -> set[int]:
    return set(select_ids(segment_conditions(institution_id, Segment(engaged=engaged))))


def select_ids(conditions):
    from app.extensions import db

    return db.session.scalars(select(Alumnus.id).where(*conditions))


def test_engaged_and_not_engaged_split_the_register_with_activity_of_no_alumnus(db, world):
    """A gift in the window makes its alumnus engaged; an organisation's gift (no alumnus)
    in the same window engages nobody and hides nobody from "not engaged"; every alumnus of
    the institution is in exactly one of the two."""
    recent = today() - timedelta(days=30)
    contribution(db, world.home, recent.year, alumnus_id=world.alumnus.id, received_on=recent,
                 amount=Decimal("100"), currency="MYR")
    contribution(db, world.home, recent.year, donor_kind="organisation", alumnus_id=None,
                 organisation_key="acme", organisation_name="Acme", received_on=recent,
                 amount=Decimal("5000"), currency="MYR")
    db.session.commit()
    engaged, not_engaged = members(world.home.id, "yes"), members(world.home.id, "no")
    assert engaged == {world.alumnus.id}
    assert not_engaged == {world.second_alumnus.id}
