"""M8 income: median monthly income per currency (never across currencies), and the share
earning at or above k x the regional minimum wage of the reference year."""

from __future__ import annotations

import math
from functools import cache

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import aliased

from app.alumni.models import Alumnus, Institution
from app.core.i18n import N_
from app.employment import codes
from app.employment.models import SurveyResponse
from app.extensions import db
from app.reports.indicators.cohort import (
    EMPLOYED,
    count_where,
    counted_responses,
    response_filter,
    status_in,
    with_alumnus,
)
from app.reports.indicators.outcomes import median_of
from app.reports.indicators.registry import indicator
from app.reports.indicators.result import (
    MONEY,
    RATIO,
    Indicator,
    RecordList,
    Said,
    Selection,
    ratio,
)
from app.reports.models import MinimumWage

M8_VARIANTS = ("median_all", "median_full_time", "share_above_min_wage")


def home_currency(institution_id: int) -> str | None:
    country = db.session.scalar(select(Institution.country).where(
        Institution.id == institution_id))
    return codes.COUNTRY_CURRENCY.get(country or "")


def income_currencies(sel: Selection) -> list[str]:
    """The currencies the cohort's employed respondents were paid in (most common first)."""
    rows = db.session.execute(
        select(SurveyResponse.income_currency, func.count(SurveyResponse.id))
        .where(response_filter(sel), status_in(EMPLOYED),
               SurveyResponse.income_amount.is_not(None),
               SurveyResponse.income_currency.is_not(None))
        .group_by(SurveyResponse.income_currency))
    return [c for c, _ in sorted(rows, key=lambda r: (-r[1], r[0]))]


def reference_year_offset(reference_months: int) -> int:
    """Years from the cohort year to the reference point's year (6 or 12 months: the next
    year; 24 months: two years on)."""
    return max(1, math.ceil(reference_months / 12))


MEDIAN_WORDS = {
    "all": N_("The median monthly income in %(currency)s of employed respondents who gave one "
              "in %(currency)s (incomes in other currencies are reported apart, never "
              "converted)."),
    "full_time": N_("The median monthly income in %(currency)s of full-time wage employed "
                    "respondents who gave one in %(currency)s (incomes in other currencies are "
                    "reported apart, never converted)."),
    "permanent": N_("The median monthly income in %(currency)s of full-time permanent wage "
                    "employed respondents who gave one in %(currency)s (incomes in other "
                    "currencies are reported apart, never converted)."),
}


@indicator("M8", "Income", M8_VARIANTS)
def income(sel: Selection, variant: str) -> Indicator:
    """M8: median monthly income in one currency, or the share at or above k x minimum wage."""
    if variant == "share_above_min_wage":
        return _above_minimum(sel)
    currency = sel.params.currency or home_currency(sel.institution_id)
    conditions = [status_in(EMPLOYED), SurveyResponse.income_amount.is_not(None),
                  SurveyResponse.income_currency == currency]
    whom = "all"
    if variant == "median_full_time":
        conditions += [SurveyResponse.status == "wage_employed",
                       SurveyResponse.hours == "full_time"]
        whom = "full_time"
        if sel.params.full_time_permanent:
            conditions.append(SurveyResponse.contract == "permanent")
            whom = "permanent"
    stmt = select(SurveyResponse.id).where(response_filter(sel), *conditions)
    value, n = median_of(SurveyResponse.income_amount, stmt)
    records = RecordList("response", counted_responses(sel, *conditions))
    return Indicator("M8", variant,
                     Said(N_("Median monthly income (%(currency)s)"), currency=currency),
                     Said(MEDIAN_WORDS[whom], currency=currency), MONEY, value, None, n,
                     currency=currency,
                     counted=records, base=records)


@cache
def _wage_aliases():
    """The regional and national minimum wage, aliases made once at first use (making one
    adapts every column of the table)."""
    return aliased(MinimumWage, name="regional_wage"), aliased(MinimumWage, name="national_wage")


def minimum_wage_join(sel: Selection):
    """(join, wage, wage currency): `join(stmt)` joins response rows to their alumnus and the
    minimum wage of their place of work (the region's, else the whole country's) in the
    reference year; wage and currency are SQL expressions over that join."""
    offset = reference_year_offset(sel.reference_months)
    country = func.coalesce(SurveyResponse.work_country, Institution.country)
    place = func.lower(func.trim(func.coalesce(SurveyResponse.work_city, "")))
    regional, national = _wage_aliases()
    year = Alumnus.cohort_year + offset

    def join(stmt):
        return (with_alumnus(stmt, sel)
                .join(Institution, Institution.id == Alumnus.institution_id)
                .outerjoin(regional, and_(regional.country == country, regional.year == year,
                                          regional.region != "", regional.region == place))
                .outerjoin(national, and_(national.country == country,
                                          national.year == year, national.region == "")))
    return (join, func.coalesce(regional.monthly_amount, national.monthly_amount),
            func.coalesce(regional.currency, national.currency))


def _above_minimum(sel: Selection) -> Indicator:
    k = sel.params.min_wage_factor
    offset = reference_year_offset(sel.reference_months)
    joined, wage, wage_currency = minimum_wage_join(sel)
    paid = and_(status_in(EMPLOYED), SurveyResponse.income_amount.is_not(None))
    known = and_(paid, wage.is_not(None), SurveyResponse.income_currency == wage_currency)
    above = and_(known, SurveyResponse.income_amount >= wage * literal(k))
    part, whole, unknown = db.session.execute(joined(
        select(count_where(above), count_where(known), count_where(paid & wage.is_(None)))
        .select_from(SurveyResponse)).where(response_filter(sel))).one()
    counted = RecordList("response", joined(counted_responses(sel)).where(above))
    base = RecordList("response", joined(counted_responses(sel)).where(known))
    if k != 1:
        title = Said(N_("Earning at least %(factor)s x the minimum wage"), factor=f"{k:g}")
        words = Said(N_("Employed respondents whose monthly income is at or above %(factor)s x "
                        "the minimum wage of their place of work (its region, else the whole "
                        "country; the year %(offset)d after the cohort year; the wage's own "
                        "currency) / employed respondents with an income and a minimum wage "
                        "on record."), factor=f"{k:g}", offset=offset)
    else:
        title = Said(N_("Earning at least the minimum wage"))
        words = Said(N_("Employed respondents whose monthly income is at or above the minimum "
                        "wage of their place of work (its region, else the whole country; the "
                        "year %(offset)d after the cohort year; the wage's own currency) / "
                        "employed respondents with an income and a minimum wage on record."),
                     offset=offset)
    result = Indicator("M8", "share_above_min_wage", title, words, RATIO, ratio(part, whole),
                       part, whole, counted=counted, base=base)
    if unknown:
        # a count as a label, so no plural form is needed
        result.notes.append(Said(N_("Incomes left out, no minimum wage on record for the place "
                                    "and year (Administration → Minimum wages): %(num)d."),
                                 num=unknown))
    return result
