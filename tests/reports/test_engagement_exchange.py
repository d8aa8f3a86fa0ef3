"""E1-E5 and X1-X4 on small sets of records worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.contributions.models import Contribution
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.feedback.models import CurriculumFeedback
from app.mentoring.models import MentoringSession, MentorProfile, Mentorship, Student
from app.reports import indicators as ind
from app.reports.indicators import Params

_receipts = {"n": 0}


def contribution(db, institution, year, **kw) -> Contribution:
    _receipts["n"] += 1
    values = {"donor_kind": "alumnus", "kind": "monetary", "category": "donation",
              "received_on": date(year, 3, 1), "receipt_year": year,
              "receipt_number": f"R-{year}-{_receipts['n']}"}
    values.update(kw)
    c = Contribution(institution_id=institution.id, **values)
    db.session.add(c)
    return c


def shown(result):
    return result.value, result.numerator, result.denominator


def test_engagement_rate_of_the_cohort(db, hand_cohort):
    # a1..a9 answered the survey in 2025; a10 gave money in 2025; a12 is deceased (not
    # contactable); a11 did nothing. Contactable 11, engaged 10.
    a = hand_cohort.alumni
    a["a12"].status = "deceased"
    contribution(db, hand_cohort.institution, 2025, alumnus_id=a["a10"].id,
                 amount=Decimal("100"), currency="IDR")
    db.session.commit()
    result = ind.engagement_rate(hand_cohort.institution, [hand_cohort.programme], [2024], 12,
                                 "rate", params=Params(as_of=date(2025, 12, 31)))
    assert shown(result) == (10 / 11, 10, 11)
    # a year later nothing is in the window
    later = ind.engagement_rate(hand_cohort.institution, [hand_cohort.programme], [2024], 12,
                                "rate", params=Params(as_of=date(2027, 1, 31)))
    assert shown(later) == (0.0, 0, 11)


def test_curriculum_involvement(db, world, make_programme):
    home, dit = world.home, world.programme
    other = make_programme(home, code="OTH")
    third = make_programme(home, code="TRD")

    def feedback(programme, status, year=2025):
        db.session.add(CurriculumFeedback(
            institution_id=home.id, programme_id=programme.id, source="alumnus",
            topic_kind="module", topic="Welding", status=status,
            received_on=date(year, 2, 1)))

    feedback(dit, "implemented")
    feedback(dit, "declined")
    feedback(dit, "new")
    feedback(other, "new", year=2023)  # outside the year
    db.session.commit()
    args = (home, [dit, other, third], [2025], 12)
    assert shown(ind.curriculum_involvement(*args, "programmes_with_input")) == (1 / 3, 1, 3)
    assert shown(ind.curriculum_involvement(*args, "inputs")) == (3, 3, 3)
    assert shown(ind.curriculum_involvement(*args, "decided")) == (2, 2, 3)
    assert shown(ind.curriculum_involvement(*args, "implemented")) == (1, 1, 3)


def test_mentoring(db, world, make_alumnus, make_programme):
    home, dit = world.home, world.programme
    elsewhere = make_programme(home, code="ELS")
    mentors = [MentorProfile(institution_id=home.id, alumnus_id=a.id, capacity=3)
               for a in (world.alumnus, world.second_alumnus)]
    db.session.add_all(mentors)
    students = [Student(institution_id=home.id, student_number=f"ST{i}",
                        given_name=f"Student{i}", programme_id=dit.id) for i in range(4)]
    outsider = Student(institution_id=home.id, student_number="ST9", given_name="Out",
                       programme_id=elsewhere.id)
    db.session.add_all([*students, outsider])
    db.session.flush()
    # mentor 0: two active students; mentor 1: one completed; a proposal; an outsider
    pairs = [Mentorship(institution_id=home.id, mentor_id=mentors[m].id,
                        student_id=s.id, status=status)
             for m, s, status in ((0, students[0], "active"), (0, students[1], "active"),
                                  (1, students[2], "completed"), (1, students[3], "proposed"),
                                  (1, outsider, "active"))]
    db.session.add_all(pairs)
    db.session.flush()
    db.session.add_all([
        MentoringSession(institution_id=home.id, mentorship_id=pairs[0].id,
                         held_on=date(2025, 3, 1), minutes=90, mode="online"),
        MentoringSession(institution_id=home.id, mentorship_id=pairs[2].id,
                         held_on=date(2025, 4, 1), minutes=60, mode="online"),
        MentoringSession(institution_id=home.id, mentorship_id=pairs[2].id,
                         held_on=date(2024, 4, 1), minutes=600, mode="online"),  # 2024
        MentoringSession(institution_id=home.id, mentorship_id=pairs[4].id,
                         held_on=date(2025, 4, 1), minutes=600, mode="online"),  # outsider
    ])
    db.session.commit()
    args = (home, [dit], [2025], 12)
    assert ind.mentoring(*args, "active_mentors").value == 1  # mentor 0 (mentor 1's is out)
    assert ind.mentoring(*args, "mentees").value == 2
    assert ind.mentoring(*args, "hours").value == 2.5  # 90 + 60 minutes
    assert shown(ind.mentoring(*args, "students_mentored")) == (3 / 4, 3, 4)


def test_contributions_and_linkages(db, world, make_alumnus, make_programme):
    home, dit = world.home, world.programme
    other_alumnus = make_alumnus(home, programme_id=make_programme(home).id)
    a = world.alumnus
    contribution(db, home, 2025, alumnus_id=a.id, amount=Decimal("100.50"), currency="MYR")
    contribution(db, home, 2025, alumnus_id=a.id, amount=Decimal("50"), currency="MYR")
    contribution(db, home, 2025, alumnus_id=a.id, amount=Decimal("20"), currency="USD")
    contribution(db, home, 2025, donor_kind="organisation", organisation_key="acme",
                 organisation_name="Acme", kind="in_kind", category="equipment", quantity=2)
    contribution(db, home, 2025, alumnus_id=a.id, amount=Decimal("999"), currency="MYR",
                 voided_at=datetime(2025, 4, 1, tzinfo=UTC))  # void: out
    contribution(db, home, 2024, alumnus_id=a.id, amount=Decimal("999"), currency="MYR")
    contribution(db, home, 2025, donor_kind="organisation", organisation_key="acme",
                 organisation_name="Acme", kind="in_kind", category="internship",
                 alumnus_id=a.id)
    contribution(db, home, 2025, donor_kind="organisation", organisation_key="beta",
                 organisation_name="Beta", kind="in_kind", category="job_posting",
                 alumnus_id=a.id)
    contribution(db, home, 2025, donor_kind="organisation", organisation_key="beta",
                 organisation_name="Beta", kind="in_kind", category="internship",
                 alumnus_id=other_alumnus.id)  # an alumnus of another programme
    db.session.commit()
    args = (home, [dit], [2025], 12)
    money = ind.contributions(*args, "money")  # Malaysian institution: MYR
    assert (money.value, money.denominator, money.currency) == (150.5, 2, "MYR")
    usd = ind.contributions(*args, "money", params=Params(currency="USD"))
    assert (usd.value, usd.currency) == (20.0, "USD")
    assert ind.contributions(*args, "in_kind").value == 4
    assert ind.contributions(*args, "donors").value == 3  # the alumnus, Acme, Beta
    assert ind.linkages(*args, "total").value == 2
    assert ind.linkages(*args, "internship").value == 1
    assert ind.linkages(*args, "job_posting").value == 1
    assert ind.linkages(*args, "mou").value == 0
    sel = ind.make_selection(home, [dit], [2025], 12)
    keys = [r.key for r in ind.all_indicators(sel, codes=("E4",))]
    assert keys == ["E4.money.MYR", "E4.money.USD", "E4.in_kind", "E4.donors"]


@pytest.fixture
def exchange_year(db, world):
    home, other = world.home, world.other
    batch = ExchangeBatch(institution_id=home.id, name="SEAMEO TVET Exchange", year=2025,
                          mode="virtual")
    old = ExchangeBatch(institution_id=home.id, name="Old", year=2023, mode="virtual")
    db.session.add_all([batch, old])
    db.session.flush()

    def person(n, direction, status, batch=batch, **kw):
        sending, receiving = (home, other) if direction == "outgoing" else (other, home)
        db.session.add(ExchangeParticipation(
            institution_id=home.id, batch_id=batch.id, direction=direction,
            student_number=f"X{n}", given_name=f"P{n}", sending_institution_id=sending.id,
            receiving_institution_id=receiving.id, study_area="it", status=status, **kw))

    person(1, "outgoing", "completed", evaluation_submitted=True, credits_recognised=True)
    person(2, "outgoing", "completed", evaluation_submitted=False, credits_recognised=False)
    person(3, "outgoing", "withdrawn", withdrawn_from="in_progress")
    person(4, "outgoing", "withdrawn", withdrawn_from="accepted")  # never started
    person(5, "incoming", "completed", evaluation_submitted=True)
    person(6, "incoming", "in_progress")
    person(7, "incoming", "nominated")
    person(8, "outgoing", "completed", batch=old, credits_recognised=True)
    db.session.commit()
    return home


def test_exchange_figures(exchange_year, world):
    args = (exchange_year, [world.programme], [2025], 12)
    assert ind.participants(*args, "total").value == 5  # 1, 2, 3, 5, 6
    assert ind.participants(*args, "outgoing").value == 3
    assert ind.participants(*args, "incoming").value == 2
    assert shown(ind.completion(*args, "rate")) == (3 / 4, 3, 4)  # 1, 2, 5 of 1, 2, 3, 5
    assert shown(ind.evaluation(*args, "rate")) == (2 / 3, 2, 3)
    assert shown(ind.recognition(*args, "rate")) == (1 / 2, 1, 2)
