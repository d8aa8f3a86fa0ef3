"""One figure, one definition: the shared aggregates give what each indicator gives alone,
E1 is the same on the Outcomes page and the engagement page, the indicators of one cohort
cost a bounded number of statements, and the variants not worked out elsewhere."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from app.employment import codes
from app.extensions import db
from app.reports import indicators as ind
from app.reports.indicators import Params
from app.reports.indicators.cohort import in_cohort
from app.reports.indicators.engaged import engaged_condition, engagement_detail, window
from tests.reports.test_engagement_exchange import contribution


class Statements:
    def __init__(self) -> None:
        self.sql: list[str] = []

    def __enter__(self) -> Statements:
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args) -> None:
        self.sql.append(statement)


def _sel(cohort, **params):
    return ind.make_selection(cohort.institution, cohort.programme, 2024, 12,
                              Params(**params))


def _same(a, b) -> None:
    assert (a.key, a.value, a.numerator, a.denominator, a.unit) == (
        b.key, b.value, b.numerator, b.denominator, b.unit)
    for mine, theirs in ((a.counted, b.counted), (a.base, b.base)):
        assert (mine is None) == (theirs is None)
        if mine is not None:  # the same records (together they name the ids read once)
            assert mine.kind == theirs.kind
            assert db.session.execute(mine.query).all() == db.session.execute(theirs.query).all()


def test_shared_aggregates_give_what_each_indicator_gives_alone(hand_cohort):
    sel = _sel(hand_cohort, as_of=date(2025, 12, 31))
    together = ind.all_indicators(sel)
    assert len(together) > 80
    for result in together:
        alone = ind.compute(result.code, ind.Selection(
            sel.institution_id, sel.programme_ids, sel.cohort_years, sel.reference_months,
            Params(currency=result.currency, as_of=date(2025, 12, 31))), result.variant)
        _same(result, alone)


def test_every_indicator_of_a_cohort_in_a_bounded_number_of_statements(hand_cohort):
    sel = _sel(hand_cohort, as_of=date(2025, 12, 31))
    with Statements() as seen:
        results = ind.all_indicators(sel)
    # 89 figures; one aggregate per family (plus medians, currencies and the small E/X
    # tables), never one per record
    assert len(seen.sql) <= 55, len(seen.sql)
    assert len(results) > 80


def test_the_counted_responses_are_ranked_once_for_every_figure_of_a_selection(hand_cohort):
    """Every outcome figure counts the respondents' counted responses; together they rank the
    cohort's responses once (at 100,000 alumni each ranking took 20-35 ms, and about 25
    statements ranked them again), and E5's six variants are one grouped count."""
    sel = _sel(hand_cohort, as_of=date(2025, 12, 31))
    with Statements() as seen:
        ind.all_indicators(sel)
    ranked = [s for s in seen.sql if "row_number()" in s.lower()]
    assert len(ranked) == 1, len(ranked)
    assert len([s for s in seen.sql if "contribution.category" in s]) == 1
    with Statements() as seen:  # a figure asked alone still ranks them in its one statement
        alone = ind.compute("M2", sel, "labour_force")
    assert len(seen.sql) == 1 and "row_number()" in seen.sql[0].lower()
    assert (alone.numerator, alone.denominator) == (4, 5)  # as the Outcomes page shows


def test_e1_is_one_statement_and_agrees_with_the_engagement_page(db, hand_cohort):
    a = hand_cohort.alumni
    contribution(db, hand_cohort.institution, 2025, alumnus_id=a["a10"].id,
                 amount=Decimal("100"), currency="IDR")
    db.session.commit()
    sel = _sel(hand_cohort, as_of=date(2025, 12, 31))
    since, until = window(date(2025, 12, 31))
    assert engaged_condition(sel.institution_id, since, until) is not None  # counted in SQL
    with Statements() as seen:
        e1 = ind.compute("E1", sel)
    assert len(seen.sql) == 1  # no list of the institution's activity comes back
    page = engagement_detail(sel.institution_id, as_of=date(2025, 12, 31),
                             alumni=in_cohort(sel))
    assert (e1.numerator, e1.denominator) == (len(page.engaged), page.contactable)
    counted = {x.id for x in db.session.scalars(e1.counted.query)}
    assert counted == {row.alumnus.id for row in page.engaged}


@pytest.mark.parametrize("competency", [c for c in codes.COMPETENCIES if c not in ("ethics", "it")])
def test_competencies_nobody_rated(hand_cohort, competency):
    sel = _sel(hand_cohort)
    gap = ind.compute("M10", sel, competency)
    assert (gap.value, gap.numerator, gap.denominator) == (None, 0.0, 0)
    for level in codes.SATISFACTION_LEVELS:
        share = ind.compute("M11", sel, f"{competency}.{level}")
        assert (share.value, share.numerator, share.denominator) == (None, 0, 0)


def test_it_rated_fair_by_every_employer(hand_cohort):
    sel = _sel(hand_cohort)
    for level, expected in (("very_good", 0), ("good", 0), ("fair", 3), ("poor", 0)):
        share = ind.compute("M11", sel, f"it.{level}")
        assert (share.numerator, share.denominator) == (expected, 3)


def test_hires_and_guest_lectures(db, world):
    home, dit = world.home, world.programme
    for category in ("hire", "hire", "guest_lecture"):
        contribution(db, home, 2025, donor_kind="organisation", organisation_key="acme",
                     organisation_name="Acme", kind="in_kind", category=category,
                     alumnus_id=world.alumnus.id)
    db.session.commit()
    args = (home, [dit], [2025], 12)
    assert ind.linkages(*args, "hire").value == 2
    assert ind.linkages(*args, "guest_lecture").value == 1
    assert ind.linkages(*args, "total").value == 3
