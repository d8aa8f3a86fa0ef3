"""A participation's status workflow (nominated → accepted → in progress → completed, or
withdrawn) and the sending institution's decision on credits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext

from app.alumni.models import Institution
from app.core.audit import record_audit, snapshot
from app.core.db import today, utcnow
from app.core.errors import ValidationFailed
from app.core.i18n import format_date, format_number
from app.core.permissions import require_writer_in_scope
from app.exchange.models import PARTICIPATION_STATUSES, TRANSITIONS, ExchangeParticipation
from app.exchange.services.credits import credits_for_hours, rule_for
from app.extensions import db


def allowed_moves(status: str) -> tuple[str, ...]:
    """The statuses a participation may move to from `status`."""
    return TRANSITIONS.get(status, ())


def _next_certificate_number(participation: ExchangeParticipation) -> str:
    batch = participation.batch
    owner = db.session.get(Institution, participation.institution_id)
    return f"{owner.code}-{batch.year}-B{batch.batch_number}-{participation.id:05d}"


def _check_dates_reached(participation: ExchangeParticipation, new_status: str) -> None:
    """An exchange is under way from its start date and completed from its end date (its
    start date when no end is recorded): a certificate and the completion rate count
    exchanges that took place."""
    start, end = participation.start_date, participation.end_date or participation.start_date
    this_day = today()
    if new_status == "in_progress" and start is not None and start > this_day:
        raise ValidationFailed({"status": gettext(
            "The exchange starts on %(date)s; mark it in progress from then.",
            date=format_date(start))})
    if new_status == "completed" and end is not None and end > this_day:
        raise ValidationFailed({"status": gettext(
            "The exchange ends on %(date)s; mark it completed from then.",
            date=format_date(end))})


def change_status(participation: ExchangeParticipation, new_status: str, *, actor: Any
                  ) -> ExchangeParticipation:
    """Move a participation along nominated → accepted → in progress → completed; withdrawn
    from any state that is not final. A completed participation gets a certificate number."""
    require_writer_in_scope(actor, participation, message=gettext("No such participation."))
    if new_status not in PARTICIPATION_STATUSES:
        raise ValidationFailed({"status": gettext("Choose one of the listed statuses.")})
    current = participation.status
    if new_status not in allowed_moves(current):
        raise ValidationFailed({"status": gettext(
            "A participation that is %(now)s cannot become %(next)s.",
            now=gettext(PARTICIPATION_STATUSES[current]).lower(),
            next=gettext(PARTICIPATION_STATUSES[new_status]).lower())})
    before = snapshot(participation, ["status", "withdrawn_from", "certificate_number"])
    if new_status == "completed" and participation.hours is None:
        raise ValidationFailed({"hours": gettext(
            "Record the hours before completing the exchange.")})
    _check_dates_reached(participation, new_status)
    participation.status = new_status
    participation.status_changed_at = utcnow()
    if new_status == "withdrawn":
        participation.withdrawn_from = current
    if new_status == "completed" and not participation.certificate_number:
        participation.certificate_number = _next_certificate_number(participation)
    db.session.flush()
    record_audit(actor, "exchange_participation.status", participation, before=before,
                 after=snapshot(participation, ["status", "withdrawn_from",
                                                "certificate_number"]))
    return participation


def suggested_credits(participation: ExchangeParticipation) -> Decimal | None:
    """Credits the sending institution's rule gives for the hours (None without a rule)."""
    rule = rule_for(participation.sending_institution_id)
    if rule is None:
        return None
    return credits_for_hours(participation.hours, rule)


def record_recognition(participation: ExchangeParticipation, recognised: bool,
                       credits: Decimal | float | str | None, decision_date: date | None, *,
                       actor: Any) -> ExchangeParticipation:
    """Record the sending institution's decision on credits for a completed exchange.

    Without credits given, a recognised exchange gets what the institution's rule gives.
    """
    require_writer_in_scope(actor, participation, message=gettext("No such participation."))
    errors: dict[str, str] = {}
    if participation.status != "completed":
        errors["recognised"] = gettext("Complete the exchange before recording credits.")
    if participation.sending_institution_id != participation.institution_id:
        errors["recognised"] = gettext(
            "The sending institution recognises credits; it is not yours.")
    if decision_date is None:
        errors["decision_date"] = gettext("Give the date of the decision.")
    elif decision_date > today():
        errors["decision_date"] = gettext("Enter a decision date of today or earlier.")
    amount: Decimal | None = None
    if credits is not None and str(credits).strip():
        try:
            amount = Decimal(str(credits).strip())
        except InvalidOperation:
            errors["credits"] = gettext("Give the credits as a number.")
        else:
            if not Decimal(0) <= amount <= Decimal(1000):
                errors["credits"] = gettext("Enter credits from 0 to 1000.")
            elif amount != amount.quantize(Decimal("0.1")):
                # kept with one decimal: 2.25 became 2.2 without a word
                errors["credits"] = gettext("Give the credits to one decimal place, e.g. 2.5.")
            elif recognised and (ceiling := suggested_credits(participation)) is not None \
                    and amount > ceiling:
                errors["credits"] = gettext(
                    "Your credit rule gives at most %(credits)s credits for %(hours)s hours; "
                    "give that or fewer.", credits=format_number(ceiling),
                    hours=format_number(participation.hours or Decimal(0)))
    if recognised and amount is None and "credits" not in errors:
        amount = suggested_credits(participation)
        if amount is None:
            errors["credits"] = gettext(
                "Give the credits: your institution has no credit rule yet.")
    if errors:
        raise ValidationFailed(errors)
    fields_ = ["credits_recognised", "credits", "recognition_date"]
    before = snapshot(participation, fields_)
    participation.credits_recognised = bool(recognised)
    participation.credits = amount if recognised else Decimal(0)
    participation.recognition_date = decision_date
    db.session.flush()
    record_audit(actor, "exchange_participation.recognition", participation, before=before,
                 after=snapshot(participation, fields_))
    return participation
