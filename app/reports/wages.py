"""Minimum wages the administrator keeps: one at a time from the page, or many from a CSV
(columns Country, Region, Year, Monthly amount, Currency, Source). A CSV is checked whole
first; nothing is saved if any row is wrong."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.core.audit import record_audit
from app.core.countries import COUNTRY_HINT, normalise_country
from app.core.currencies import normalise_currency
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import ADMIN
from app.extensions import db
from app.reports.models import MinimumWage

HEADERS = {"country": "country", "region": "region", "year": "year",
           "monthly amount": "monthly_amount", "amount": "monthly_amount",
           "currency": "currency", "source": "source"}


@dataclass
class WageData:
    country: str | None = None
    region: str | None = None
    year: Any = None
    monthly_amount: Any = None
    currency: str | None = None
    source: str | None = None


def fold_region(value: str | None) -> str:
    """A region as it is matched: lower case, single spaces ("" = the whole country)."""
    return " ".join((value or "").lower().split())


def clean_wage(data: WageData) -> dict[str, Any]:
    """The row's values, or ValidationFailed naming each field that is wrong (in the page's
    language: the page and the CSV import show them, nothing keeps them)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"region": fold_region(data.region)[:120],
                              "source": (data.source or "").strip()[:300] or None}
    try:
        values["country"] = normalise_country(data.country)
        if values["country"] is None:
            errors["country"] = gettext("Give the country.")
    except ValueError:
        errors["country"] = gettext("“%(value)s” is not a country this register knows: "
                                    "%(hint)s.", value=str(data.country).strip(),
                                    hint=gettext(COUNTRY_HINT))
    try:
        values["year"] = int(str(data.year).strip())
        if not 1990 <= values["year"] <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = gettext("Give a year from %(first)s to %(last)s.", first=1990,
                                 last=2100)
    try:
        amount = Decimal(str(data.monthly_amount).replace(",", "").strip())
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
            raise InvalidOperation
        values["monthly_amount"] = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["monthly_amount"] = gettext("Give the monthly amount in digits, above 0.")
    try:
        values["currency"] = normalise_currency(data.currency)
        if values["currency"] is None:
            errors["currency"] = gettext("Give the currency (e.g. IDR, THB).")
    except ValueError:
        errors["currency"] = gettext(
            "%(code)s is not an ISO 4217 currency code (e.g. MYR, THB, USD).",
            code=str(data.currency).strip().upper())
    if errors:
        raise ValidationFailed(errors)
    return values


def _require_admin(actor: Any) -> None:
    if actor is None or actor.role != ADMIN:
        raise PermissionDenied(gettext("Only an administrator keeps the minimum wages."))


def save_minimum_wage(data: WageData, *, actor: Any) -> MinimumWage:
    """Add a minimum wage, or replace the amount of the same country, region and year."""
    _require_admin(actor)
    values = clean_wage(data)
    wage = db.session.scalar(select(MinimumWage).where(
        MinimumWage.country == values["country"], MinimumWage.region == values["region"],
        MinimumWage.year == values["year"]))
    before = None
    if wage is None:
        wage = MinimumWage(**values)
        db.session.add(wage)
    else:
        before = {"monthly_amount": str(wage.monthly_amount), "currency": wage.currency}
        for key, value in values.items():
            setattr(wage, key, value)
    wage.updated_by_id = actor.id
    db.session.flush()
    record_audit(actor, "minimum_wage.save", wage, before=before,
                 after={"country": wage.country, "region": wage.region, "year": wage.year,
                        "monthly_amount": str(wage.monthly_amount),
                        "currency": wage.currency})
    return wage


def import_minimum_wages(text: str, *, actor: Any) -> int:
    """Save every row of a CSV; ValidationFailed({"file": ...}) naming each wrong row."""
    _require_admin(actor)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {h: HEADERS.get((h or "").strip().lower()) for h in reader.fieldnames or []}
    missing = {"country", "year", "monthly_amount", "currency"} - set(fields.values())
    if missing:
        raise ValidationFailed({"file": gettext(
            "The file needs the columns Country, Region, Year, Monthly amount, Currency "
            "(Source is optional).")})
    rows, problems = [], []
    for number, raw in enumerate(reader, start=2):
        data = WageData(**{fields[h]: v for h, v in raw.items() if fields.get(h)})
        try:
            rows.append(data)
            clean_wage(data)
        except ValidationFailed as exc:
            problems += [gettext("Row %(row)s: %(problem)s", row=number, problem=m)
                         for ms in exc.field_errors.values() for m in ms]
    if problems:
        raise ValidationFailed({"file": problems[:20]})
    for data in rows:
        save_minimum_wage(data, actor=actor)
    return len(rows)


def minimum_wages() -> list[MinimumWage]:
    return list(db.session.scalars(select(MinimumWage).order_by(
        MinimumWage.country, MinimumWage.year.desc(), MinimumWage.region)))
