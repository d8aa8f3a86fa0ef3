"""After a merge: moved records keep their own dates, and the merged-away record (its page,
its id in links, its student number on any form) leads to the survivor."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from app.alumni.lookup import find_by_student_number
from app.contributions.models import Contribution
from app.core.timeline import timeline_for
from app.employment.models import Employment
from app.employment.services import EmploymentData, record_employment
from app.engagement import events
from app.engagement.models import Event, Participation
from app.exchange import services as exchange
from app.extensions import db
from app.imports import merge as M

REPORTED = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def _pair(world, make_alumnus):
    survivor = make_alumnus(world.home, student_number="A100", given_name="Somchai",
                            family_name="Jaidee", programme_id=world.programme.id)
    merged = make_alumnus(world.home, student_number="B200", given_name="Somchai",
                          family_name="Jai-dee", programme_id=world.programme.id)
    return survivor, merged


def test_moved_records_keep_their_own_dates_on_the_survivors_timeline(world, make_alumnus):
    survivor, merged = _pair(world, make_alumnus)
    officer = world.users["officer"]
    job = record_employment(merged, EmploymentData(status="wage_employed", job_title="Welder",
                                                   employer_name="Siam Steel",
                                                   start_date=date(2025, 1, 6)),
                            actor=officer, source="self")
    event = Event(institution_id=world.home.id, title="Reunion", kind="reunion",
                  mode="on_site", event_date=date(2025, 2, 1))
    db.session.add(event)
    db.session.flush()
    db.session.add(Participation(event_id=event.id, alumnus_id=merged.id, status="attended",
                                 institution_id=world.home.id))
    db.session.commit()
    # The job was reported last March, long before the merge.
    db.session.execute(update(Employment).where(Employment.id == job.id)
                       .values(created_at=REPORTED, updated_at=REPORTED))
    db.session.execute(update(Participation).values(updated_at=REPORTED))
    db.session.commit()

    M.merge_alumni(survivor, merged, {}, actor=officer)
    db.session.commit()
    db.session.expire_all()

    moved = db.session.get(Employment, job.id)
    assert moved.alumnus_id == survivor.id
    assert _naive(moved.updated_at) == _naive(REPORTED)
    assert _naive(db.session.scalar(select(Participation.updated_at))) == _naive(REPORTED)
    [item] = [i for i in timeline_for(survivor) if i.kind == "employment"]
    assert item.title.startswith("Reported a job: Welder")
    assert _naive(item.when) == _naive(REPORTED)


def test_merged_away_record_pages_lead_to_the_survivor(world, make_alumnus, as_role):
    survivor, merged = _pair(world, make_alumnus)
    merged_id = merged.id
    M.merge_alumni(survivor, merged, {}, actor=world.users["officer"])
    db.session.commit()
    officer = as_role("officer")

    page = officer.get(f"/alumni/{merged_id}")
    assert page.status_code == 302
    assert page.headers["Location"].endswith(f"/alumni/{survivor.id}")
    shown = officer.get(page.headers["Location"]).get_data(as_text=True)
    assert "Record B200 (Somchai Jai-dee) was merged into A100" in shown

    for path in ("edit", "jobs/new", "merge"):
        page = officer.get(f"/alumni/{merged_id}/{path}")
        assert page.status_code == 302, path
        assert page.headers["Location"].endswith(f"/alumni/{survivor.id}/{path}"), path

    # An action posted for the old record is not done to the survivor unseen.
    archive = officer.post(f"/alumni/{merged_id}/archive")
    assert archive.headers["Location"].endswith(f"/alumni/{survivor.id}")
    db.session.refresh(survivor)
    assert survivor.archived_at is None

    # Quality staff read it too; another institution's officer learns nothing.
    assert as_role("quality").get(f"/alumni/{merged_id}").status_code == 302
    assert as_role("other_officer").get(f"/alumni/{merged_id}").status_code == 404
    assert officer.get("/alumni/999999").status_code == 404


def test_a_chain_of_merges_ends_at_the_record_that_exists(world, make_alumnus, as_role):
    survivor, merged = _pair(world, make_alumnus)
    third = make_alumnus(world.home, student_number="C300", given_name="Somchai")
    officer = world.users["officer"]
    first_id = merged.id
    M.merge_alumni(survivor, merged, {}, actor=officer)
    db.session.commit()
    M.merge_alumni(third, survivor, {}, actor=officer)
    db.session.commit()
    page = as_role("officer").get(f"/alumni/{first_id}")
    assert page.headers["Location"].endswith(f"/alumni/{third.id}")
    assert find_by_student_number(world.home.id, "b200").id == third.id


def test_every_form_that_takes_a_student_number_follows_a_merged_one(world, make_alumnus,
                                                                      as_role):
    survivor, merged = _pair(world, make_alumnus)
    merged_id = merged.id
    officer_user = world.users["officer"]
    M.merge_alumni(survivor, merged, {}, actor=officer_user)
    db.session.commit()
    officer = as_role("officer")

    # Attendance pasted from last year's sheet, which still has the old number.
    event = Event(institution_id=world.home.id, title="Career fair", kind="career_fair",
                  mode="on_site", event_date=date.today() - timedelta(days=1))
    db.session.add(event)
    db.session.commit()
    result = events.record_attendance(event, student_numbers="B200\nZZ999", actor=officer_user)
    db.session.commit()
    assert [a.id for a in result.added] == [survivor.id]
    assert result.unknown == ["ZZ999"]
    page = officer.post(f"/events/{event.id}/attendance",
                        data={"student_numbers": "b200", "role": "attendee"},
                        follow_redirects=True).get_data(as_text=True)
    assert "not in the register" not in page.lower()

    # A contribution typed with the old number, and one started from the old record's link.
    officer.post("/contributions/new", data={
        "donor_kind": "alumnus", "student_number": "B200", "kind": "monetary",
        "category": "donation", "received_on": "2026-02-01", "amount": "50",
        "currency": "MYR"})
    assert db.session.scalar(select(Contribution.alumnus_id)) == survivor.id
    form = officer.get(f"/contributions/new?alumnus={merged_id}").get_data(as_text=True)
    assert 'value="A100"' in form

    # An exchange participant nominated under the old number is the survivor.
    batch = exchange.create_batch(exchange.BatchData(
        name="SEAMEO TVET Virtual Exchange", year=2026, batch_number=1, mode="virtual"),
        actor=officer_user)
    partner = db.session.get(type(world.other), world.other.id)
    p = exchange.create_participation(batch, exchange.ParticipationData(
        student_number="B200", given_name="Somchai", family_name="Jai-dee",
        sending_institution_id=world.home.id, receiving_institution_id=partner.id,
        study_area="it", hours=Decimal(40)), actor=officer_user)
    assert p.alumnus_id == survivor.id


def test_one_person_at_the_same_event_under_both_records_is_merged_into_one(world,
                                                                           make_alumnus):
    """The merge was refused: 'Both records have participation entries with the same
    event_id'. One participation stays, the stronger one (attended over registered)."""
    survivor, merged = _pair(world, make_alumnus)
    event = Event(institution_id=world.home.id, title="Career fair", kind="career_fair",
                  mode="on_site", event_date=date(2025, 2, 1))
    other_event = Event(institution_id=world.home.id, title="Reunion", kind="reunion",
                        mode="on_site", event_date=date(2025, 3, 1))
    db.session.add_all([event, other_event])
    db.session.flush()
    db.session.add_all([
        Participation(event_id=event.id, alumnus_id=survivor.id, status="registered",
                      institution_id=world.home.id),
        Participation(event_id=event.id, alumnus_id=merged.id, status="attended",
                      role="speaker", hours=Decimal(2), institution_id=world.home.id),
        Participation(event_id=other_event.id, alumnus_id=merged.id, status="attended",
                      institution_id=world.home.id)])
    db.session.commit()
    M.merge_alumni(survivor, merged, {}, actor=world.users["officer"])
    db.session.commit()
    rows = {p.event_id: p for p in db.session.scalars(select(Participation))}
    assert len(rows) == 2 and {p.alumnus_id for p in rows.values()} == {survivor.id}
    assert (rows[event.id].status, rows[event.id].role, rows[event.id].hours) == (
        "attended", "speaker", Decimal(2))


def test_a_refused_merge_shows_the_officers_choices_again(world, make_alumnus, as_role):
    survivor = make_alumnus(world.home, student_number="A100", given_name="Somchai",
                            graduation_date=date(2024, 11, 15))
    merged = make_alumnus(world.home, student_number="B200", given_name="Somchai",
                          graduation_date=date(2023, 11, 15), award_date=date(2024, 2, 8))
    page = as_role("officer").post(
        f"/alumni/{survivor.id}/merge?other={merged.id}",
        data={"survivor": "first", "first_version": survivor.version,
              "second_version": merged.version, "field-award_date": "second",
              "field-family_name": "second"}).get_data(as_text=True)
    assert "Award date: Enter an award date on or after the graduation date." in page
    assert re.search(r'name="field-family_name" value="second" id="f-family_name-2" checked',
                     page)
    assert re.search(r'name="field-graduation_date" value="first" id="f-graduation_date-1" '
                     r'checked', page)
