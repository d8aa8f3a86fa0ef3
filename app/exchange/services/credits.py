"""Hours-to-credits rules: each sending institution converts exchange hours its own way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.core.audit import add_with_audit, change_with_audit
from app.core.errors import ValidationFailed
from app.core.permissions import require_own_institution
from app.exchange.models import ROUNDING_MODES, CreditRule
from app.extensions import db


@dataclass
class CreditRuleData:
    hours_per_credit: Decimal | float | str | None = None
    rounding: str = "down"
    max_credits: Decimal | float | str | None = None
    min_hours: Decimal | float | str | None = None


def _dec(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return Decimal(str(value).strip())


def credits_for_hours(hours: Decimal | float | int | None, rule: CreditRule | CreditRuleData
                      ) -> Decimal:
    """Credits for `hours` under `rule`: hours / hours per credit, rounded, capped.

    Below the rule's minimum hours nothing is recognised; the cap is the rule's maximum.
    """
    hours_d = _dec(hours) or Decimal(0)
    per = _dec(rule.hours_per_credit)
    if per is None or per <= 0 or hours_d <= 0:
        return Decimal(0)
    minimum = _dec(rule.min_hours)
    if minimum is not None and hours_d < minimum:
        return Decimal(0)
    raw = hours_d / per
    if rule.rounding == "up":
        credits = raw.to_integral_value(rounding=ROUND_CEILING)
    elif rule.rounding == "nearest":
        credits = raw.to_integral_value(rounding=ROUND_HALF_UP)
    elif rule.rounding == "half_down":
        credits = (raw * 2).to_integral_value(rounding=ROUND_FLOOR) / 2
    else:
        credits = raw.to_integral_value(rounding=ROUND_FLOOR)
    cap = _dec(rule.max_credits)
    if cap is not None and credits > cap:
        credits = cap
    return credits.quantize(Decimal("0.1"))


def rule_for(institution_id: int) -> CreditRule | None:
    """The institution's credit rule, or None when it has not set one."""
    return db.session.scalar(select(CreditRule).where(CreditRule.institution_id == institution_id))


def set_credit_rule(institution_id: int, data: CreditRuleData, *, actor: Any) -> CreditRule:
    """Set (or replace) how an institution converts exchange hours to credits."""
    require_own_institution(
        actor, institution_id, gettext("You can set your own institution's credit rule only."))
    errors: dict[str, str] = {}
    values: dict[str, Decimal | None] = {}
    for name in ("hours_per_credit", "max_credits", "min_hours"):
        try:
            values[name] = _dec(getattr(data, name))
        except InvalidOperation:
            errors[name] = gettext("Give a number.")
    per = values.get("hours_per_credit")
    if "hours_per_credit" not in errors and (per is None or not 0 < per <= 1000):
        errors["hours_per_credit"] = gettext("Enter hours per credit above 0 and at most 1000.")
    for name in ("max_credits", "min_hours"):
        if values.get(name) is not None and values[name] < 0:
            errors[name] = gettext("Give 0 or more, or leave it empty.")
    if data.rounding not in ROUNDING_MODES:
        errors["rounding"] = gettext("Choose one of: %(choices)s.",
                                     choices=", ".join(ROUNDING_MODES))
    if errors:
        raise ValidationFailed(errors)
    columns = {**values, "rounding": data.rounding}
    rule = rule_for(institution_id)
    if rule is None:
        return add_with_audit(CreditRule(institution_id=institution_id, **columns),
                              "exchange_credit_rule.set", actor)
    return change_with_audit(rule, columns, "exchange_credit_rule.set", actor)
