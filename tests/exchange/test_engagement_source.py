"""Exchange participations count towards the engagement rate through their own query."""

from __future__ import annotations

from datetime import date

from app.exchange.services.participations import engaged_alumni
from app.reports.indicators.engaged import engagement_detail as engagement_rate


def test_exchange_in_the_window_counts_and_older_does_not(xw, add_participation, make_alumnus,
                                                          db):
    home = xw.world.home
    recent = make_alumnus(home, student_number="EX-1")
    older = make_alumnus(home, student_number="EX-2")
    add_participation("EX-1", "completed", start_date=date(2026, 3, 2),
                      end_date=date(2026, 3, 27))
    add_participation("EX-2", "completed", start_date=date(2024, 3, 4),
                      end_date=date(2024, 3, 29))
    found = dict(engaged_alumni(home.id, date(2025, 11, 23), date(2026, 11, 22)))
    assert found == {recent.id: date(2026, 3, 2)}

    rate = engagement_rate(home.id, as_of=date(2026, 11, 22))
    engaged = {row.alumnus.id: row.sources for row in rate.engaged}
    assert engaged[recent.id] == {"Exchange participations": date(2026, 3, 2)}
    assert older.id not in engaged
    assert rate.by_source["Exchange participations"] == 1


def test_an_exchange_without_dates_is_dated_by_the_batch_window(xw, add_participation,
                                                                make_alumnus):
    home = xw.world.home
    alumnus = make_alumnus(home, student_number="EX-3")
    add_participation("EX-3", "accepted")  # no start date: the 2022 core window counts
    assert engaged_alumni(home.id, date(2022, 1, 1), date(2022, 12, 31)) == [
        (alumnus.id, date(2022, 5, 16))]
    assert engaged_alumni(home.id, date(2023, 1, 1), date(2023, 12, 31)) == []
