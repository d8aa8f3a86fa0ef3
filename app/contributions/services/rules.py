"""The values of a contribution and the rules they must meet, shared by every way one is
recorded (the page, the API, an import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext

from app.alumni.models import Alumnus, Institution
from app.contributions.models import (
    CATEGORIES,
    DONOR_KINDS,
    IN_KIND_CATEGORIES,
    KINDS,
    MONETARY_CATEGORIES,
)
from app.core.currencies import normalise_currency
from app.core.db import today
from app.core.email_words import address_problem
from app.core.errors import ValidationFailed
from app.core.i18n import format_number
from app.core.numbers import largest_in, round_to_column
from app.employment.services import find_employer, normalise_employer_name
from app.extensions import db

CENT = Decimal("0.01")
MONEY_COLUMN = (14, 2)  # Contribution.amount and .estimated_value
HOURS_COLUMN = (8, 2)  # Contribution.hours
LARGEST_QUANTITY = 1_000_000  # far above any gift in kind; a larger number is a typing slip


@dataclass
class ContributionData:
    """Plain values for a contribution, as the form, the API or an import gives them."""

    donor_kind: str | None = None
    alumnus_id: int | None = None
    organisation_name: str | None = None
    contact_email: str | None = None
    kind: str | None = None
    category: str | None = None
    received_on: date | None = None
    amount: Decimal | str | None = None
    currency: str | None = None
    purpose: str | None = None
    description: str | None = None
    quantity: int | None = None
    estimated_value: Decimal | str | None = None
    value_currency: str | None = None
    valuation_basis: str | None = None
    hours: Decimal | str | None = None
    notes: str | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def not_a_currency(value: str) -> str:
    """The message for a code that is not an ISO 4217 currency in use, in the page's language."""
    return gettext("%(code)s is not an ISO 4217 currency code (e.g. MYR, THB, USD).",
                   code=value.strip().upper())


def _currency(value: str | None, name: str, errors: dict[str, str]) -> str | None:
    try:
        return normalise_currency(value)
    except ValueError:
        errors[name] = not_a_currency(value or "")
        return None


def _decimal(value: Any, name: str, errors: dict[str, str],
             column: tuple[int, int] = MONEY_COLUMN) -> Decimal | None:
    """A number typed for `name`, rounded to its `column`'s (precision, scale)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[name] = gettext("Enter a number, e.g. 1500.00.")
        return None
    if not number.is_finite() or number < 0:
        errors[name] = gettext("Enter a number of zero or more.")
        return None
    rounded = round_to_column(number, *column)
    if rounded is None:
        errors[name] = gettext("Enter at most %(largest)s.",
                               largest=format_number(largest_in(*column)))
    return rounded


def clean_contribution(data: ContributionData, institution: Institution) -> dict[str, Any]:
    """Check a contribution's values against the rules; return them cleaned or raise."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "donor_kind": data.donor_kind, "kind": data.kind, "category": data.category,
        "received_on": data.received_on, "alumnus_id": data.alumnus_id or None,
        "organisation_name": _text(data.organisation_name), "contact_email": None,
        "purpose": _text(data.purpose), "description": _text(data.description),
        "valuation_basis": _text(data.valuation_basis), "notes": _text(data.notes),
        "quantity": data.quantity, "amount": None, "currency": None, "estimated_value": None,
        "value_currency": None, "hours": None, "organisation_key": None, "employer_id": None,
    }
    if out["donor_kind"] not in DONOR_KINDS:
        errors["donor_kind"] = gettext("Choose who gave it: an alumnus or an organisation.")
    if out["kind"] not in KINDS:
        errors["kind"] = gettext("Choose money or in kind.")
    if out["category"] not in CATEGORIES:
        errors["category"] = gettext("Choose a category.")
    if out["received_on"] is None:
        errors["received_on"] = gettext("The date received is required.")
    elif out["received_on"] > today():
        errors["received_on"] = gettext("The date received cannot be in the future.")

    if out["alumnus_id"] is not None:
        alumnus = db.session.get(Alumnus, out["alumnus_id"])
        if alumnus is None or alumnus.institution_id != institution.id:
            errors["alumnus_id"] = gettext("No such alumnus in this institution's register.")
    if out["donor_kind"] == "alumnus" and out["alumnus_id"] is None:
        errors["alumnus_id"] = gettext("Choose the alumnus who gave it.")
    if out["donor_kind"] == "organisation":
        if out["organisation_name"] is None:
            errors["organisation_name"] = gettext("The organisation's name is required.")
        else:
            out["organisation_key"] = normalise_employer_name(out["organisation_name"])
            employer = find_employer(institution.id, out["organisation_name"])
            out["employer_id"] = employer.id if employer else None
    if out["donor_kind"] == "alumnus":
        out["organisation_name"] = None
    if data.contact_email and data.contact_email.strip():
        try:
            out["contact_email"] = validate_email(
                data.contact_email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["contact_email"] = gettext("That e-mail address is not valid: %(reason)s",
                                              reason=address_problem(exc))

    if out["kind"] == "monetary":
        out["amount"] = _decimal(data.amount, "amount", errors)
        if out["amount"] is None or out["amount"] <= 0:
            errors.setdefault("amount", gettext("A gift of money needs an amount above zero."))
        out["currency"] = _currency(data.currency, "currency", errors)
        if out["currency"] is None:
            errors.setdefault("currency", gettext("Choose the currency (ISO 4217, e.g. MYR)."))
        if out["category"] in CATEGORIES and out["category"] not in MONETARY_CATEGORIES:
            errors["category"] = gettext("Money is a donation, a scholarship or other.")
        out["quantity"] = None
    elif out["kind"] == "in_kind":
        if out["category"] in CATEGORIES and out["category"] not in IN_KIND_CATEGORIES:
            errors["category"] = gettext(
                "A donation of money is recorded as money, not in kind.")
        if out["description"] is None:
            errors["description"] = gettext("Describe what was given.")
        if out["quantity"] is not None and out["quantity"] < 1:
            errors["quantity"] = gettext("The quantity is at least 1.")
        elif out["quantity"] is not None and out["quantity"] > LARGEST_QUANTITY:
            errors["quantity"] = gettext("Enter a quantity of at most %(largest)s.",
                                         largest=format_number(LARGEST_QUANTITY))
        out["estimated_value"] = _decimal(data.estimated_value, "estimated_value", errors)
        out["hours"] = _decimal(data.hours, "hours", errors, HOURS_COLUMN)
        out["value_currency"] = _currency(data.value_currency, "value_currency", errors)
        if out["estimated_value"] is not None:
            if out["value_currency"] is None:
                errors.setdefault("value_currency",
                                  gettext("An estimated value needs its currency."))
            if out["valuation_basis"] is None:
                errors["valuation_basis"] = gettext(
                    "Say how the value was estimated (e.g. supplier invoice, market price).")
        else:
            out["value_currency"] = None
    if errors:
        raise ValidationFailed(errors)
    return out
