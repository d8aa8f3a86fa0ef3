"""The campaign tally the database keeps (app/employment/tally.py): every way an invitation
row is written moves its group's figures, in the same transaction; the campaign figures read
the tally. (After every test of the suite the tally is also compared with a count of the
invitations: tests/conftest.py.)"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, insert, select, update

from app.core.db import utcnow
from app.employment import tracer
from app.employment.models import SurveyInvitation
from app.employment.tally import CampaignTally, counted_groups, kept_groups, tally_differences


def _survey(db, world):
    survey = tracer.create_survey(tracer.SurveyData(
        title="Tracer 2025", reference_months=12, opens_on=date.today(),
        closes_on=date.today() + timedelta(days=30), cohorts=[(world.programme.id, 2024)]),
        institution_id=world.home.id, actor=world.users["officer"])
    db.session.commit()
    return survey


def _invite(db, survey, alumni, programme_id, cohort_year):
    db.session.execute(insert(SurveyInvitation), [
        {"survey_id": survey.id, "alumnus_id": a.id, "institution_id": survey.institution_id,
         "programme_id": programme_id, "cohort_year": cohort_year} for a in alumni])


def test_each_write_moves_its_groups_figures(db, world, make_alumnus, make_programme):
    home, programme = world.home, world.programme
    other = make_programme(home)
    survey = _survey(db, world)
    people = [make_alumnus(home, programme_id=programme.id, cohort_year=2024)
              for _ in range(5)]
    _invite(db, survey, people[:4], programme.id, 2024)
    _invite(db, survey, people[4:], None, None)  # no programme or cohort: a group of its own
    db.session.commit()
    key, none = (survey.id, programme.id, 2024), (survey.id, 0, 0)
    assert kept_groups(survey.id) == {key: (4, 0, 0, 0, 0, 0), none: (1, 0, 0, 0, 0, 0)}

    inv = SurveyInvitation
    ids = db.session.scalars(select(inv.id).where(inv.programme_id == programme.id)
                             .order_by(inv.id)).all()
    now = utcnow()
    db.session.execute(update(inv).where(inv.id.in_(ids[:3])).values(sent_at=now))
    db.session.execute(update(inv).where(inv.id == ids[3]).values(undeliverable_at=now))
    db.session.execute(update(inv).where(inv.id == ids[0]).values(responded_at=now))
    db.session.execute(update(inv).where(inv.id == ids[1]).values(reminded_at=now))
    # A column the figures do not count: nothing moves.
    db.session.execute(update(inv).where(inv.id == ids[2]).values(email="x@example.org"))
    db.session.commit()
    assert kept_groups(survey.id)[key] == (4, 4, 3, 1, 1, 1)

    # An invitation moved to another programme and cohort leaves one group for the other.
    db.session.execute(update(inv).where(inv.id == ids[2]).values(
        programme_id=other.id, cohort_year=2023))
    db.session.commit()
    kept = kept_groups(survey.id)
    assert kept[key] == (3, 3, 2, 1, 1, 1)
    assert kept[(survey.id, other.id, 2023)] == (1, 1, 1, 0, 0, 0)

    # Written and rolled back: nothing kept.
    db.session.execute(update(inv).where(inv.id == ids[1]).values(responded_at=now))
    db.session.rollback()
    assert kept_groups(survey.id)[key] == (3, 3, 2, 1, 1, 1)

    # Deleted (an erasure): its figures go; an emptied group is not shown.
    db.session.execute(delete(inv).where(inv.id.in_([ids[0], ids[2]])))
    db.session.commit()
    kept = kept_groups(survey.id)
    assert kept[key] == (2, 2, 1, 1, 0, 1) and (survey.id, other.id, 2023) not in kept
    assert tally_differences() == {} and kept == counted_groups(survey.id)

    stats = tracer.campaign_stats(survey)
    assert stats["total"]["invited"] == 2 and stats["total"]["not_yet_sent"] == 1
    assert [(g["programme"], g["cohort"], g["invited"]) for g in stats["groups"]] == [
        ("—", None, 0), (programme.code, 2024, 2)]


def test_a_tally_that_disagrees_is_found(db, world, make_alumnus):
    """The comparison the suite runs after every test can fail: a tally row changed behind
    the triggers' back is reported with both figures."""
    home, programme = world.home, world.programme
    survey = _survey(db, world)
    _invite(db, survey, [make_alumnus(home, programme_id=programme.id, cohort_year=2024)],
            programme.id, 2024)
    db.session.execute(update(CampaignTally).values(responded=1))
    key = (survey.id, programme.id, 2024)
    assert tally_differences() == {key: ((1, 0, 0, 0, 1, 0), (1, 0, 0, 0, 0, 0))}
    db.session.rollback()
