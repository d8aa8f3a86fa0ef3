"""The latest employment status of an alumnus: one query (app.employment.services), the one
the exchange figures read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.employment.models import Employment
from app.employment.services import latest_employment_statuses
from app.extensions import db


def test_the_open_spell_begun_last_else_the_one_that_ended_last(world, make_alumnus):
    spells = {
        # open spells win over ended ones, the one begun last first
        "A": [("wage_employed", date(2020, 1, 1), None),
              ("self_employed", date(2022, 1, 1), None),
              ("further_study", date(2023, 1, 1), date(2024, 1, 1))],
        # all ended: the one that ended last
        "B": [("unemployed_seeking", date(2021, 1, 1), date(2023, 6, 30)),
              ("wage_employed", date(2019, 1, 1), date(2022, 1, 1))],
        # no dates at all: the later record
        "C": [("wage_employed", None, None), ("further_study", None, None)],
        # one spell
        "D": [("not_in_labour_force", date(2024, 1, 1), date(2024, 2, 1))],
        "E": [],  # none: not in the answer
    }
    ids = {}
    for number, rows in spells.items():
        alumnus = make_alumnus(world.home, student_number=number)
        ids[number] = alumnus.id
        for status, start, end in rows:
            db.session.add(Employment(alumnus_id=alumnus.id, institution_id=world.home.id,
                                      status=status, start_date=start, end_date=end,
                                      source="officer"))
    other = make_alumnus(world.home, student_number="F")
    db.session.add(Employment(alumnus_id=other.id, institution_id=world.home.id,
                              status="wage_employed", source="officer"))
    db.session.commit()

    wanted = select(Alumnus.id).where(Alumnus.student_number.in_(list(spells)))
    assert latest_employment_statuses(wanted) == {
        ids["A"]: "self_employed", ids["B"]: "unemployed_seeking",
        ids["C"]: "further_study", ids["D"]: "not_in_labour_force"}
