"""Each outcome indicator and variant on the hand-built cohort of conftest.HandCohort
(N = 12 graduates, R = 9 respondents, 1 undeliverable), worked out by hand."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.reports import indicators as ind
from app.reports.indicators import Params


def run(cohort, fn, variant, *, months=12, params=None, years=(2024,)):
    return fn(cohort.institution, [cohort.programme], list(years), months, variant,
              params=params)


def shown(result):
    return result.value, result.numerator, result.denominator


def rows(record_list):
    return list(db.session.scalars(record_list.query).unique())


def names(record_list):
    out = []
    for r in rows(record_list):
        alumnus = getattr(r, "alumnus", None) or r
        out.append(alumnus.given_name)
    return sorted(out)


def test_response_rate_gross_and_net(hand_cohort):
    # R = a1..a9 (a1 once, though twice answered); N = a1..a12 (not the archived, not 2023)
    gross = run(hand_cohort, ind.response_rate, "gross")
    assert shown(gross) == (9 / 12, 9, 12)
    assert gross.unit == "ratio"
    assert names(gross.counted) == sorted(f"A{i}" for i in range(1, 10))
    assert len(rows(gross.base)) == 12
    net = run(hand_cohort, ind.response_rate, "net")  # a10 bounced: 9 / 11
    assert shown(net) == (9 / 11, 9, 11)
    assert "A10" not in names(net.base)


def test_the_latest_of_two_answers_counts_once(hand_cohort):
    # a1 answered an older survey as unemployed and the main one as employed
    counts = ind.status_counts(ind.make_selection(hand_cohort.institution,
                                                  hand_cohort.programme, 2024, 12))
    assert counts == {"wage_employed": 3, "self_employed": 1, "further_study": 1,
                      "not_in_labour_force": 1, "military_service": 1, "ordination": 1,
                      "unemployed_seeking": 1}


def test_employment_rate_over_the_labour_force_and_all_graduates(hand_cohort):
    # employed a1..a4 = 4; seeking a9 = 1; further study, not in labour force, military,
    # ordination are outside the labour force
    lf = run(hand_cohort, ind.employment_rate, "labour_force")
    assert shown(lf) == (0.8, 4, 5)
    assert names(lf.counted) == ["A1", "A2", "A3", "A4"]
    assert names(lf.base) == ["A1", "A2", "A3", "A4", "A9"]
    allg = run(hand_cohort, ind.employment_rate, "all_graduates")
    assert shown(allg) == (4 / 12, 4, 12)


def test_positive_outcome_and_the_thai_variant(hand_cohort):
    pos = run(hand_cohort, ind.positive_outcome, "positive")  # (4 + 1) / 9
    assert shown(pos) == (5 / 9, 5, 9)
    thai = run(hand_cohort, ind.positive_outcome, "thai")  # C / (A - D) = 4 / (9 - 3)
    assert shown(thai) == (4 / 6, 4, 6)
    assert names(thai.base) == ["A1", "A2", "A3", "A4", "A6", "A9"]


@pytest.mark.parametrize("variant,expected,counted", [
    # effective months: a1 2, a2 0 (began before graduation), a3 8, a4 14
    ("within_6_of_respondents", (2 / 9, 2, 9), ["A1", "A2"]),
    ("within_6_of_employed", (2 / 4, 2, 4), ["A1", "A2"]),
    ("within_12_of_respondents", (3 / 9, 3, 9), ["A1", "A2", "A3"]),
    ("within_12_of_employed", (3 / 4, 3, 4), ["A1", "A2", "A3"]),
])
def test_employed_within_6_and_12_months(hand_cohort, variant, expected, counted):
    result = run(hand_cohort, ind.employed_within, variant)
    assert shown(result) == expected
    assert names(result.counted) == counted


@pytest.mark.parametrize("variant,expected", [
    ("mean", (6.0, 24.0, 4)),  # (2 + 0 + 8 + 14) / 4
    ("median", (5.0, None, 4)),  # (2 + 8) / 2
    ("band_lt3", (2, 2, 4)),  # 2 and 0
    ("band_3_6", (0, 0, 4)),
    ("band_gt6", (2, 2, 4)),  # 8 and 14
    ("band_lt6", (2, 2, 4)),
    ("band_6_18", (2, 2, 4)),
    ("band_gt18", (0, 0, 4)),
])
def test_waiting_time(hand_cohort, variant, expected):
    result = run(hand_cohort, ind.waiting_time, variant)
    assert shown(result) == expected
    assert result.unit == ("months" if variant in ("mean", "median") else "count")


def test_horizontal_match(hand_cohort):
    result = run(hand_cohort, ind.horizontal_match, "high")  # relevance 5, 4 of 5, 4, 2, 3
    assert shown(result) == (0.5, 2, 4)
    assert names(result.counted) == ["A1", "A2"]


@pytest.mark.parametrize("variant,expected", [
    ("same", (0.5, 2, 4)), ("higher", (0.25, 1, 4)), ("lower", (0.25, 1, 4)),
    ("none", (0.0, 0, 4)),
])
def test_vertical_match(hand_cohort, variant, expected):
    assert shown(run(hand_cohort, ind.vertical_match, variant)) == expected


@pytest.mark.parametrize("variant,expected", [
    ("local", (0.5, 2, 4)), ("national", (0.25, 1, 4)), ("multinational", (0.25, 1, 4)),
])
def test_workplace_level(hand_cohort, variant, expected):
    assert shown(run(hand_cohort, ind.workplace_level, variant)) == expected


def test_income_medians_per_currency_never_mixed(hand_cohort):
    # IDR: 6,000,000 (a1), 3,000,000 (a2), 4,000,000 (a4) -> 4,000,000; USD: 500 (a3)
    idr = run(hand_cohort, ind.income, "median_all")  # Indonesian institution: IDR
    assert (idr.value, idr.denominator, idr.currency) == (4_000_000, 3, "IDR")
    usd = run(hand_cohort, ind.income, "median_all", params=Params(currency="USD"))
    assert (usd.value, usd.denominator, usd.currency) == (500, 1, "USD")
    # full-time wage employed: a1 and a4 (a2 part-time, a3 self-employed)
    ft = run(hand_cohort, ind.income, "median_full_time")
    assert (ft.value, ft.denominator) == (5_000_000, 2)
    permanent = run(hand_cohort, ind.income, "median_full_time",
                    params=Params(full_time_permanent=True))  # a4 is temporary
    assert (permanent.value, permanent.denominator) == (6_000_000, 1)
    assert names(permanent.counted) == ["A1"]
    sel = ind.make_selection(hand_cohort.institution, hand_cohort.programme, 2024, 12)
    assert ind.income_currencies(sel) == ["IDR", "USD"]


def test_share_above_the_minimum_wage(hand_cohort):
    # reference year 2025: a1 6.0M >= Jakarta 5.0M; a2 3.0M < national 3.5M;
    # a4 4.0M >= national 3.5M; a3 paid in USD in Singapore: no minimum wage, left out
    share = run(hand_cohort, ind.income, "share_above_min_wage")
    assert shown(share) == (2 / 3, 2, 3)
    assert names(share.counted) == ["A1", "A4"]
    assert share.notes and share.notes[0].startswith("Incomes left out")
    assert share.notes[0].endswith(": 1.")
    # k = 1.2: a1 6.0M >= 6.0M (at counts), a4 4.0M < 4.2M
    k = run(hand_cohort, ind.income, "share_above_min_wage", params=Params(min_wage_factor=1.2))
    assert shown(k) == (1 / 3, 1, 3)


def test_competency_gap(hand_cohort):
    # ethics: a1 5-3 = 2, a2 3-4 = -1, a5 2-2 = 0 (the archived graduate's rating is out)
    ethics = run(hand_cohort, ind.competency_gap, "ethics")
    assert shown(ethics) == (pytest.approx(1 / 3), 1.0, 3)
    assert ethics.counted.kind == "rating.ethics"  # the answers that rated it
    assert names(ethics.counted) == ["A1", "A2", "A5"]
    it = run(hand_cohort, ind.competency_gap, "it")  # a1 only: 4 - 2
    assert shown(it) == (2.0, 2.0, 1)
    none = run(hand_cohort, ind.competency_gap, "teamwork")
    assert shown(none) == (None, 0.0, 0)


def test_employer_satisfaction(hand_cohort):
    # DIT 2024: ethics very good, good, good (another programme's and 2023's answers are out)
    employers = run(hand_cohort, ind.employer_satisfaction, "employers")
    assert (employers.value, employers.unit) == (3, "count")
    good = run(hand_cohort, ind.employer_satisfaction, "ethics.good")
    assert shown(good) == (2 / 3, 2, 3)
    assert shown(run(hand_cohort, ind.employer_satisfaction, "ethics.very_good")) == (
        1 / 3, 1, 3)
    assert shown(run(hand_cohort, ind.employer_satisfaction, "ethics.poor")) == (0.0, 0, 3)
    assert shown(run(hand_cohort, ind.employer_satisfaction, "it.fair")) == (1.0, 3, 3)


def test_the_reference_point_chooses_the_surveys(hand_cohort):
    # at 6 months only a9's six-month answer (employed) counts
    gross = run(hand_cohort, ind.response_rate, "gross", months=6)
    assert shown(gross) == (1 / 12, 1, 12)
    assert shown(run(hand_cohort, ind.employment_rate, "labour_force", months=6)) == (1.0, 1, 1)


def test_two_cohorts_together(hand_cohort):
    # 2023 adds one graduate who responded, employed
    both = run(hand_cohort, ind.response_rate, "gross", years=(2023, 2024))
    assert shown(both) == (10 / 13, 10, 13)


def test_an_unknown_variant_is_refused_by_name(hand_cohort):
    with pytest.raises(ind.UnknownVariant, match="M2 has no variant 'net'"):
        run(hand_cohort, ind.employment_rate, "net")


def test_all_indicators_lists_every_variant_and_each_currency(hand_cohort):
    sel = ind.make_selection(hand_cohort.institution, hand_cohort.programme, 2024, 12)
    results = ind.all_indicators(sel, codes=("M1", "M2", "M8"))
    assert [r.key for r in results] == [
        "M1.gross", "M1.net", "M2.labour_force", "M2.all_graduates",
        "M8.median_all.IDR", "M8.median_all.USD", "M8.median_full_time.IDR",
        "M8.median_full_time.USD", "M8.share_above_min_wage"]
