"""Contribution services: record with a gap-free receipt number, acknowledge, totals, linkages.

Receipt numbers run per institution and year without gaps: the number is taken from a counter
row in the same transaction that saves the contribution, under a row lock, so two concurrent
saves wait for each other and a rolled-back save gives its number back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.alumni.models import Alumnus, Institution
from app.contributions.currencies import normalise_currency
from app.contributions.models import (
    CATEGORIES,
    DONOR_KINDS,
    IN_KIND_CATEGORIES,
    KINDS,
    LINKAGE_CATEGORIES,
    MONETARY_CATEGORIES,
    Contribution,
    ReceiptCounter,
)
from app.core.audit import record_audit, snapshot
from app.core.db import today, utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.mail import render_email, send_bulk
from app.core.permissions import ADMIN, require_writer, scope
from app.employment.services import find_employer, normalise_employer_name
from app.extensions import db

CENT = Decimal("0.01")


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


def _decimal(value: Any, name: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[name] = "Enter a number, e.g. 1500.00."
        return None
    if not number.is_finite() or number < 0:
        errors[name] = "Enter a number of zero or more."
        return None
    return number.quantize(CENT)


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
        errors["donor_kind"] = "Choose who gave it: an alumnus or an organisation."
    if out["kind"] not in KINDS:
        errors["kind"] = "Choose money or in kind."
    if out["category"] not in CATEGORIES:
        errors["category"] = "Choose a category."
    if out["received_on"] is None:
        errors["received_on"] = "The date received is required."
    elif out["received_on"] > today():
        errors["received_on"] = "The date received cannot be in the future."

    if out["alumnus_id"] is not None:
        alumnus = db.session.get(Alumnus, out["alumnus_id"])
        if alumnus is None or alumnus.institution_id != institution.id:
            errors["alumnus_id"] = "No such alumnus in this institution's register."
    if out["donor_kind"] == "alumnus" and out["alumnus_id"] is None:
        errors["alumnus_id"] = "Choose the alumnus who gave it."
    if out["donor_kind"] == "organisation":
        if out["organisation_name"] is None:
            errors["organisation_name"] = "The organisation's name is required."
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
            errors["contact_email"] = f"That e-mail address is not valid: {exc}"

    if out["kind"] == "monetary":
        out["amount"] = _decimal(data.amount, "amount", errors)
        if out["amount"] is None or out["amount"] <= 0:
            errors.setdefault("amount", "A gift of money needs an amount above zero.")
        try:
            out["currency"] = normalise_currency(data.currency)
        except ValueError as exc:
            errors["currency"] = str(exc)
        if out["currency"] is None:
            errors.setdefault("currency", "Choose the currency (ISO 4217, e.g. MYR).")
        if out["category"] in CATEGORIES and out["category"] not in MONETARY_CATEGORIES:
            errors["category"] = "Money is a donation, a scholarship or other."
        out["quantity"] = None
    elif out["kind"] == "in_kind":
        if out["category"] in CATEGORIES and out["category"] not in IN_KIND_CATEGORIES:
            errors["category"] = "A donation of money is recorded as money, not in kind."
        if out["description"] is None:
            errors["description"] = "Describe what was given."
        if out["quantity"] is not None and out["quantity"] < 1:
            errors["quantity"] = "The quantity is at least 1."
        out["estimated_value"] = _decimal(data.estimated_value, "estimated_value", errors)
        out["hours"] = _decimal(data.hours, "hours", errors)
        try:
            out["value_currency"] = normalise_currency(data.value_currency)
        except ValueError as exc:
            errors["value_currency"] = str(exc)
        if out["estimated_value"] is not None:
            if out["value_currency"] is None:
                errors.setdefault("value_currency", "An estimated value needs its currency.")
            if out["valuation_basis"] is None:
                errors["valuation_basis"] = (
                    "Say how the value was estimated (e.g. supplier invoice, market price).")
        else:
            out["value_currency"] = None
    if errors:
        raise ValidationFailed(errors)
    return out


def _counter_insert(dialect: str):
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(ReceiptCounter)


def take_receipt_number(institution: Institution, year: int) -> str:
    """Take the next receipt number of (institution, year) inside the caller's transaction.

    The counter row is created if missing (an insert that ignores a conflict, so two first
    saves of a year do not collide), then locked (SELECT ... FOR UPDATE on PostgreSQL; on
    SQLite the insert already holds the database's single write lock) and incremented. A
    concurrent save waits until this transaction ends; a rollback gives the number back.
    """
    dialect = db.session.get_bind().dialect.name
    db.session.execute(
        _counter_insert(dialect)
        .values(institution_id=institution.id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["institution_id", "year"])
    )
    counter_id, last = db.session.execute(
        select(ReceiptCounter.id, ReceiptCounter.last_number)
        .where(ReceiptCounter.institution_id == institution.id, ReceiptCounter.year == year)
        .with_for_update()
    ).one()
    number = last + 1
    db.session.execute(
        update(ReceiptCounter).where(ReceiptCounter.id == counter_id).values(last_number=number)
    )
    return f"{institution.code}-{year}-{number:06d}"


def record_contribution(
    data: ContributionData, *, institution: Institution, actor: Any
) -> Contribution:
    """Record a contribution and give it the next receipt number of its year."""
    require_writer(actor)
    if actor.role != ADMIN and actor.institution_id != institution.id:
        raise PermissionDenied("You record contributions for your own institution only.")
    values = clean_contribution(data, institution)
    year = values["received_on"].year
    receipt = take_receipt_number(institution, year)
    contribution = Contribution(
        institution_id=institution.id, receipt_number=receipt, receipt_year=year,
        recorded_by_id=getattr(actor, "id", None), **values,
    )
    db.session.add(contribution)
    db.session.flush()
    record_audit(actor, "contribution.create", contribution, after=snapshot(contribution))
    return contribution


def acknowledgement_address(contribution: Contribution) -> str | None:
    """Where the acknowledgement goes: the address given, else the alumnus donor's e-mail."""
    if contribution.contact_email:
        return contribution.contact_email
    if contribution.donor_kind == "alumnus" and contribution.alumnus is not None:
        return contribution.alumnus.email
    return None


def acknowledge_contribution(contribution: Contribution, *, actor: Any) -> Contribution:
    """E-mail the donor an acknowledgement with the receipt; record when and to whom.

    Call it after the contribution (and so its receipt number) is committed: the message
    quotes the number, and a failed send leaves the record as it was.
    """
    require_writer(actor)
    if contribution.voided_at is not None:
        raise ValidationFailed({"contact_email": "A voided record is not acknowledged."})
    to = acknowledgement_address(contribution)
    if not to:
        raise ValidationFailed({"contact_email": "There is no e-mail address to send it to."})
    message = render_email(
        "contribution_acknowledgement", to,
        f"Thank you — receipt {contribution.receipt_number}",
        contribution=contribution, institution=contribution.institution,
        categories=CATEGORIES, kinds=KINDS,
    )
    failures: list[Exception] = []
    send_bulk([message], on_sent=lambda item, error: error and failures.append(error))
    if failures:
        raise ValidationFailed(
            {"contact_email": f"The mail server did not accept the message: {failures[0]}"})
    before = snapshot(contribution, ["acknowledged_at", "acknowledged_to"])
    contribution.acknowledged_at = utcnow()
    contribution.acknowledged_to = to
    db.session.flush()
    record_audit(actor, "contribution.acknowledge", contribution, before=before,
                 after=snapshot(contribution, ["acknowledged_at", "acknowledged_to"]))
    return contribution


def void_contribution(contribution: Contribution, reason: str, *, actor: Any) -> Contribution:
    """Cancel a mistaken record: it leaves the totals, its receipt number stays used."""
    require_writer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "Say why the record is voided."})
    if contribution.voided_at is not None:
        raise ValidationFailed({"reason": "This record is already voided."})
    before = snapshot(contribution, ["voided_at", "void_reason"])
    contribution.voided_at = utcnow()
    contribution.void_reason = reason
    db.session.flush()
    record_audit(actor, "contribution.void", contribution, before=before,
                 after=snapshot(contribution, ["voided_at", "void_reason"]))
    return contribution


# --- lists, totals, linkages ---------------------------------------------------------------


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


def contribution_totals(*, actor: Any, year: int | None = None) -> Totals:
    """Totals by category and currency, and the number of donors."""
    rows = db.session.scalars(contributions_query(ContributionFilters(year=year), actor=actor))
    totals = Totals()
    alumni: set[int] = set()
    organisations: set[str] = set()
    for c in rows:
        totals.count += 1
        if c.donor_kind == "alumnus" and c.alumnus_id:
            alumni.add(c.alumnus_id)
        elif c.organisation_key:
            organisations.add(c.organisation_key)
        if c.kind == "monetary":
            cur = totals.money.setdefault(c.currency, {"count": 0, "amount": Decimal("0")})
            cur["count"] += 1
            cur["amount"] += c.amount
            cat = totals.money_by_category.setdefault(
                (c.currency, c.category), {"count": 0, "amount": Decimal("0")})
            cat["count"] += 1
            cat["amount"] += c.amount
        else:
            item = totals.in_kind.setdefault(
                c.category, {"count": 0, "quantity": 0, "hours": Decimal("0"),
                             "values": defaultdict(lambda: Decimal("0"))})
            item["count"] += 1
            item["quantity"] += c.quantity or 1
            item["hours"] += c.hours or 0
            if c.estimated_value is not None:
                item["values"][c.value_currency] += c.estimated_value
    for item in totals.in_kind.values():
        item["values"] = dict(sorted(item["values"].items()))
    totals.money = dict(sorted(totals.money.items()))
    totals.money_by_category = dict(sorted(totals.money_by_category.items()))
    totals.alumni_donors = len(alumni)
    totals.organisation_donors = len(organisations)
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
                raise ValueError("write the currency code and the rate, e.g. USD 4.70")
            code = normalise_currency(parts[0])
            rate = Decimal(parts[1].replace(",", ""))
            if not rate.is_finite() or rate <= 0:
                raise ValueError("the rate must be above zero")
        except (ValueError, InvalidOperation) as exc:
            errors.append(f"Line {n}: {exc}")
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
    except ValueError as exc:
        errors["target"] = str(exc)
        target_code = None
    if target_code is None:
        errors.setdefault("target", "Choose the currency to express the total in.")
    if rate_date is None:
        errors["rate_date"] = "Give the date the rates are taken from."
    missing = [c for c in money if c != target_code and c not in rates]
    if missing:
        errors["rates"] = f"State a rate for: {', '.join(missing)}."
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
    """Contributions credited to one alumnus (given or enabled), newest first."""
    return list(db.session.scalars(
        select(Contribution).where(Contribution.alumnus_id == alumnus.id,
                                   Contribution.voided_at.is_(None))
        .order_by(Contribution.received_on.desc())
    ))


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """Engagement source: (alumnus id, date) of contributions received in the window."""
    rows = db.session.execute(
        select(Contribution.alumnus_id, func.max(Contribution.received_on))
        .where(Contribution.institution_id == institution_id,
               Contribution.alumnus_id.is_not(None), Contribution.voided_at.is_(None),
               Contribution.received_on >= since, Contribution.received_on <= until)
        .group_by(Contribution.alumnus_id)
    )
    return [(a, d) for a, d in rows]
