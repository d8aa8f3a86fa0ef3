"""Reading contributions: the list, totals per currency (E4) and their combination at stated
rates, the linkages alumni enabled (E5), and what the alumnus pages and the engagement rate read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import BigInteger, Select, and_, case, cast, distinct, func, select

from app.alumni.models import Alumnus
from app.contributions.models import LINKAGE_CATEGORIES, Contribution
from app.contributions.services.rules import CENT, not_a_currency
from app.core.currencies import normalise_currency
from app.core.errors import ValidationFailed
from app.core.i18n import format_number
from app.core.panels import read_once
from app.core.permissions import scope
from app.engagement.services import latest_activity
from app.extensions import db

LARGEST_RATE = Decimal(1_000_000)  # 1 unit of a currency in another: far above any real rate


@dataclass
class ContributionFilters:
    year: int | None = None
    kind: str | None = None
    category: str | None = None
    alumnus_id: int | None = None
    include_void: bool = False


def contributions_query(filters: ContributionFilters, *, actor: Any) -> Select:
    """The contributions the actor may see, newest first."""
    stmt = scope(select(Contribution), Contribution, actor)
    if not filters.include_void:
        stmt = stmt.where(Contribution.voided_at.is_(None))
    if filters.year:
        stmt = stmt.where(Contribution.receipt_year == filters.year)
    if filters.kind:
        stmt = stmt.where(Contribution.kind == filters.kind)
    if filters.category:
        stmt = stmt.where(Contribution.category == filters.category)
    if filters.alumnus_id:
        stmt = stmt.where(Contribution.alumnus_id == filters.alumnus_id)
    return stmt.order_by(Contribution.received_on.desc(), Contribution.id.desc())


def contribution_years(*, actor: Any) -> list[int]:
    """The receipt years that have contributions, newest first."""
    stmt = scope(select(Contribution.receipt_year).distinct(), Contribution, actor)
    return sorted(db.session.scalars(stmt), reverse=True)


@dataclass
class Totals:
    """E4: money per currency (never added across currencies), in-kind items, donors."""

    money: dict[str, dict[str, Any]] = field(default_factory=dict)  # currency -> figures
    money_by_category: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    in_kind: dict[str, dict[str, Any]] = field(default_factory=dict)  # category -> figures
    alumni_donors: int = 0
    organisation_donors: int = 0
    count: int = 0

    @property
    def donors(self) -> int:
        return self.alumni_donors + self.organisation_donors


def _cents(column: Any) -> Any:
    """The exact sum of a two-decimal money column, in cents (SQLite keeps numerics as
    floating point; an integer sum of rounded cents is exact on both databases)."""
    return func.sum(cast(func.round(column * 100), BigInteger))


def _from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(int(cents)).scaleb(-2)


def contribution_totals(*, actor: Any, year: int | None = None) -> Totals:
    """Totals by category and currency, and the number of donors: grouped sums in the
    database (three statements however many contributions), each read from its own index
    (app.contributions.models: `kind == "in_kind"`, not `!= "monetary"`, so the in-kind
    sum can seek its index)."""
    chosen = contributions_query(ContributionFilters(year=year), actor=actor).order_by(None)
    c = Contribution
    totals = Totals()
    money = chosen.with_only_columns(c.currency, c.category, func.count(c.id),
                                     _cents(c.amount)).where(c.kind == "monetary")
    for currency, category, n, cents in db.session.execute(
            money.group_by(c.currency, c.category)):
        amount = _from_cents(cents)
        totals.money_by_category[(currency, category)] = {"count": n, "amount": amount}
        cur = totals.money.setdefault(currency, {"count": 0, "amount": Decimal("0")})
        cur["count"] += n
        cur["amount"] += amount
    in_kind = chosen.with_only_columns(
        c.category, c.value_currency, func.count(c.id), func.sum(func.coalesce(c.quantity, 1)),
        _cents(c.hours), _cents(c.estimated_value)).where(c.kind == "in_kind")
    for category, currency, n, quantity, hours, value in db.session.execute(
            in_kind.group_by(c.category, c.value_currency)):
        item = totals.in_kind.setdefault(category, {"count": 0, "quantity": 0,
                                                    "hours": Decimal("0"), "values": {}})
        item["count"] += n
        item["quantity"] += int(quantity or 0)
        item["hours"] += _from_cents(hours) or 0
        if value is not None:
            item["values"][currency] = item["values"].get(currency, Decimal("0")) + \
                _from_cents(value)
    by_alumnus = and_(c.donor_kind == "alumnus", c.alumnus_id.is_not(None))
    totals.count, totals.alumni_donors, totals.organisation_donors = db.session.execute(
        chosen.with_only_columns(
            func.count(c.id), func.count(distinct(case((by_alumnus, c.alumnus_id)))),
            func.count(distinct(case((~by_alumnus, c.organisation_key)))))).one()
    for item in totals.in_kind.values():
        item["values"] = dict(sorted(item["values"].items()))
    totals.money = dict(sorted(totals.money.items()))
    totals.money_by_category = dict(sorted(totals.money_by_category.items()))
    totals.in_kind = dict(sorted(totals.in_kind.items()))
    return totals


@dataclass
class CombinedFigure:
    """Money in several currencies expressed in one, with the stated rates used."""

    target: str
    rate_date: date
    lines: list[tuple[str, Decimal, Decimal, Decimal]]  # currency, amount, rate, converted
    total: Decimal


def parse_rates(text: str) -> dict[str, Decimal]:
    """Read a rate table typed by the officer: one `CODE rate` per line (1 CODE = rate target)."""
    rates: dict[str, Decimal] = {}
    errors: list[str] = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("=", " ").split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError(gettext("write the currency code and the rate, e.g. USD 4.70"))
            try:
                code = normalise_currency(parts[0])
            except ValueError:
                raise ValueError(not_a_currency(parts[0])) from None
            try:
                rate = Decimal(parts[1].replace(",", ""))
            except InvalidOperation:
                raise ValueError(gettext("write the rate as a number, e.g. 4.70")) from None
            if not rate.is_finite() or rate <= 0:
                raise ValueError(gettext("the rate must be above zero"))
            if rate > LARGEST_RATE:
                # a larger one is a typing slip, and converting with it overflowed (a 500)
                raise ValueError(gettext("the rate must be at most %(largest)s",
                                         largest=format_number(LARGEST_RATE)))
        except ValueError as exc:
            errors.append(gettext("Line %(line)s: %(problem)s", line=n, problem=exc))
            continue
        rates[code] = rate
    if errors:
        raise ValidationFailed({"rates": errors})
    return rates


def combine_money(money: dict[str, dict[str, Any]], *, target: str, rates: dict[str, Decimal],
                  rate_date: date | None) -> CombinedFigure:
    """Add money across currencies only with a stated rate for every currency and its date."""
    errors: dict[str, str] = {}
    try:
        target_code = normalise_currency(target)
    except ValueError:
        errors["target"] = not_a_currency(target)
        target_code = None
    if target_code is None:
        errors.setdefault("target", gettext("Choose the currency to express the total in."))
    if rate_date is None:
        errors["rate_date"] = gettext("Give the date the rates are taken from.")
    missing = [c for c in money if c != target_code and c not in rates]
    if missing:
        errors["rates"] = gettext("State a rate for: %(currencies)s.",
                                  currencies=", ".join(missing))
    if errors:
        raise ValidationFailed(errors)
    lines = []
    total = Decimal("0")
    for currency, figures in money.items():
        rate = Decimal("1") if currency == target_code else rates[currency]
        converted = (figures["amount"] * rate).quantize(CENT)
        lines.append((currency, figures["amount"], rate, converted))
        total += converted
    return CombinedFigure(target_code, rate_date, lines, total)


@dataclass
class LinkageSummary:
    """E5: industry links alumni enabled, recorded as contributions of those categories."""

    by_category: dict[str, int]
    alumni: int
    organisations: int
    records: list[Contribution]

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


def linkage_summary(*, actor: Any, year: int | None = None) -> LinkageSummary:
    """Internships, job postings, MOUs, hires and guest lectures an alumnus enabled."""
    stmt = contributions_query(ContributionFilters(year=year), actor=actor).where(
        Contribution.category.in_(LINKAGE_CATEGORIES), Contribution.alumnus_id.is_not(None))
    records = list(db.session.scalars(stmt))
    by_category = {c: 0 for c in LINKAGE_CATEGORIES}
    for r in records:
        by_category[r.category] += 1
    return LinkageSummary(
        by_category=by_category,
        alumni=len({r.alumnus_id for r in records}),
        organisations=len({r.organisation_key for r in records if r.organisation_key}),
        records=records,
    )


def contributions_of(alumnus: Alumnus) -> list[Contribution]:
    """Contributions credited to one alumnus (given or enabled), newest first (read once for
    a page's panels and timeline)."""
    return read_once("contributions", alumnus, lambda: list(db.session.scalars(
        select(Contribution).where(Contribution.alumnus_id == alumnus.id,
                                   Contribution.voided_at.is_(None))
        .order_by(Contribution.received_on.desc()))))


def contribution_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                          ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, day) of contributions received in the window."""
    c = Contribution
    stmt = select(c.alumnus_id, c.received_on).where(
        c.institution_id == institution_id, c.alumnus_id.is_not(None), c.voided_at.is_(None),
        c.received_on >= since, c.received_on <= until)
    return [stmt if alumnus is None else stmt.where(c.alumnus_id == alumnus)]


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of contributions received in the window."""
    return latest_activity(contribution_activity(institution_id, since, until))
