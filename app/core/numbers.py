"""Numbers typed into forms, checked against what their database column can hold."""

from __future__ import annotations

from decimal import Decimal


def largest_in(precision: int, scale: int) -> Decimal:
    """The largest value a Numeric(precision, scale) column holds, e.g. 999999999999.99."""
    return Decimal(10) ** (precision - scale) - Decimal(1).scaleb(-scale)


def round_to_column(number: Decimal, precision: int, scale: int) -> Decimal | None:
    """`number` rounded to the column's decimal places, or None when it is not finite or too
    large for the column (rounding such a number raised InvalidOperation: a 500)."""
    if not number.is_finite() or abs(number) >= Decimal(10) ** (precision - scale):
        return None
    rounded = number.quantize(Decimal(1).scaleb(-scale))
    return rounded if abs(rounded) <= largest_in(precision, scale) else None
