"""Hours-to-credits rules and the recognition decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.core.errors import PermissionDenied, ValidationFailed
from app.exchange import services
from app.exchange.services import CreditRuleData, credits_for_hours


@pytest.mark.parametrize(("hours", "rounding", "maximum", "minimum", "expected"), [
    (90, "down", None, None, "2.0"),        # 90 / 40 = 2.25
    (90, "up", None, None, "3.0"),
    (90, "nearest", None, None, "2.0"),
    (100, "nearest", None, None, "3.0"),    # 2.5 rounds half up
    (90, "half_down", None, None, "2.0"),   # 2.25 -> 2.0
    (110, "half_down", None, None, "2.5"),  # 2.75 -> 2.5
    (400, "down", "6", None, "6.0"),        # capped
    (30, "up", None, "40", "0.0"),          # below the minimum hours
    (40, "up", None, "40", "1.0"),          # at the minimum
    (0, "up", None, None, "0.0"),
    (None, "up", None, None, "0.0"),
])
def test_credits_for_hours(hours, rounding, maximum, minimum, expected):
    rule = CreditRuleData(hours_per_credit="40", rounding=rounding, max_credits=maximum,
                          min_hours=minimum)
    assert credits_for_hours(hours, rule) == Decimal(expected)


def test_set_credit_rule_checks_and_replaces(world, db):
    officer = world.users["officer"]
    with pytest.raises(ValidationFailed) as exc:
        services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="0"),
                                 actor=officer)
    assert "hours_per_credit" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="30",
                                                               rounding="sideways"),
                                 actor=officer)
    services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="30"), actor=officer)
    rule = services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="45",
                                                                  rounding="up"), actor=officer)
    db.session.commit()
    assert services.rule_for(world.home.id).id == rule.id
    assert rule.hours_per_credit == Decimal("45")
    with pytest.raises(PermissionDenied):
        services.set_credit_rule(world.other.id, CreditRuleData(hours_per_credit="30"),
                                 actor=officer)
    with pytest.raises(PermissionDenied):
        services.set_credit_rule(world.home.id, CreditRuleData(hours_per_credit="30"),
                                 actor=world.users["quality"])


def test_recognition_uses_the_rule_and_needs_a_completed_outgoing_exchange(
        xw, add_participation, db):
    officer = xw.officer
    services.set_credit_rule(xw.world.home.id, CreditRuleData(hours_per_credit="40",
                                                              rounding="half_down",
                                                              max_credits="3"),
                             actor=officer)
    running = add_participation("S1", "in_progress", hours=Decimal(120))
    with pytest.raises(ValidationFailed) as exc:
        services.record_recognition(running, True, None, date(2022, 7, 1), actor=officer)
    assert "Complete the exchange" in exc.value.field_errors["recognised"][0]
    done = add_participation("S2", "completed", hours=Decimal(110))
    services.record_recognition(done, True, None, date(2022, 7, 1), actor=officer)
    assert (done.credits_recognised, done.credits) == (True, Decimal("2.5"))
    services.record_recognition(done, True, "2", date(2022, 7, 2), actor=officer)
    assert done.credits == Decimal("2")
    services.record_recognition(done, False, None, date(2022, 7, 3), actor=officer)
    assert (done.credits_recognised, done.credits) == (False, Decimal(0))
    incoming = add_participation("P1", "completed", incoming=True)
    with pytest.raises(ValidationFailed):
        services.record_recognition(incoming, True, "2", date(2022, 7, 1), actor=officer)


@pytest.mark.parametrize(("typed", "message"), [
    ("99", "Your credit rule gives at most 2.5 credits for 110 hours; give that or fewer."),
    ("3", "Your credit rule gives at most 2.5 credits for 110 hours; give that or fewer."),
    ("2.25", "Give the credits to one decimal place, e.g. 2.5."),
])
def test_credits_above_the_rule_or_finer_than_kept_are_refused(xw, add_participation, typed,
                                                                message):
    """99 credits were recognised for 40 hours under a rule of at most 3; 2.25 was kept as
    2.2 without a word."""
    officer = xw.officer
    services.set_credit_rule(xw.world.home.id, CreditRuleData(
        hours_per_credit="40", rounding="half_down", max_credits="3"), actor=officer)
    done = add_participation("S2", "completed", hours=Decimal(110))
    with pytest.raises(ValidationFailed) as exc:
        services.record_recognition(done, True, typed, date(2022, 7, 1), actor=officer)
    assert exc.value.field_errors["credits"] == [message]
    assert done.credits_recognised is None
    services.record_recognition(done, True, "2.5", date(2022, 7, 1), actor=officer)
    assert done.credits == Decimal("2.5")


def test_without_a_rule_any_credits_up_to_the_limit(xw, add_participation):
    done = add_participation("S3", "completed", hours=Decimal(40))
    services.record_recognition(done, True, "4.5", date(2022, 7, 1), actor=xw.officer)
    assert done.credits == Decimal("4.5")
