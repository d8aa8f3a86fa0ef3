"""Registrar files as offices really send them: Buddhist Era dates, Excel cells, title rows,
headers in the region's languages, and files that went out through the register's export."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.extensions import db
from app.imports import pipeline as P


def test_dates_outside_the_calendar_range_are_errors_not_a_crash():
    dates, bad = P.parse_dates(pd.Series(["01/01/0202", "2021-06-30", "31/12/2300"],
                                         dtype="string"))
    assert bad.tolist() == [True, False, True]
    assert dates[1].date() == date(2021, 6, 30)


def test_buddhist_era_years_are_read_as_their_common_era_date():
    dates, bad, buddhist = P.read_dates(pd.Series(
        ["12/05/2543", "29/02/2567", "2566-06-30", "30/06/2023", None], dtype="string"))
    assert not bad.any()
    assert [d.date() if not pd.isna(d) else None for d in dates] == [
        date(2000, 5, 12), date(2024, 2, 29), date(2023, 6, 30), date(2023, 6, 30), None]
    assert buddhist.tolist() == [True, True, True, False, False]


def test_the_time_of_day_of_a_date_cell_is_dropped():
    dates, bad = P.parse_dates(pd.Series(["2001-05-06 13:45:00"], dtype="string"))
    assert not bad.any() and dates[0] == pd.Timestamp(2001, 5, 6)


def test_a_thai_office_file_with_buddhist_era_dates(world, run_plan):
    plan = run_plan("Student number,Given name,Birth date,Graduation date\n"
                    "T1,Somchai,12/05/2543,30/06/2566\n", commit=True)
    assert plan.counts["create"] == 1 and plan.reject == 0
    warnings = {(e.field, e.message) for e in plan.errors if e.level == "warning"}
    assert ("birth_date", "Read “12/05/2543” as a Buddhist Era date: 12 May 2000.") in warnings
    assert ("graduation_date",
            "Read “30/06/2566” as a Buddhist Era date: 30 Jun 2023.") in warnings
    somchai = db.session.scalar(select(Alumnus).where(Alumnus.student_number == "T1"))
    assert somchai.birth_date == date(2000, 5, 12)
    assert somchai.graduation_date == date(2023, 6, 30)
    assert somchai.cohort_year == 2023


def test_reimporting_dates_with_a_time_of_day_changes_nothing(world, run_plan):
    text = "Student number,Given name,Birth date\nT2,Ann,2001-05-06 13:45:00\n"
    assert run_plan(text, commit=True).create == 1
    again = run_plan(text)
    assert again.counts["unchanged"] == 1 and again.update == 0
