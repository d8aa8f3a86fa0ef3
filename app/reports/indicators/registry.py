"""The indicator registry: each code once, its variants, and the function that computes it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from app.reports.indicators.result import (
    Indicator,
    IndicatorFunction,
    Params,
    Selection,
    check_variant,
    make_selection,
)

# Groups, in the order pages show them.
OUTCOME, ENGAGEMENT, EXCHANGE = "outcome", "engagement", "exchange"


@dataclass(frozen=True)
class Definition:
    code: str
    title: str
    variants: tuple[str, ...]
    function: IndicatorFunction
    group: str

    @property
    def default_variant(self) -> str:
        return self.variants[0]


REGISTRY: dict[str, Definition] = {}


def indicator(code: str, title: str, variants: Sequence[str], group: str = OUTCOME
              ) -> Callable[[Callable[[Selection, str], Indicator]], IndicatorFunction]:
    """Make `compute(selection, variant)` the indicator `code` with the public signature
    fn(institution, programmes, cohorts, reference_months, variant, *, params=None)."""
    variants = tuple(variants)

    def wrap(compute: Callable[[Selection, str], Indicator]) -> IndicatorFunction:
        @wraps(compute)
        def function(institution: Any, programmes: Sequence[Any], cohorts: Sequence[int],
                     reference_months: int, variant: str = variants[0], *,
                     params: Params | None = None) -> Indicator:
            check_variant(code, variant, variants)
            sel = make_selection(institution, programmes, cohorts, reference_months, params)
            return compute(sel, variant)

        function.code = code  # type: ignore[attr-defined]
        function.variants = variants  # type: ignore[attr-defined]
        function.compute = compute  # type: ignore[attr-defined]
        REGISTRY[code] = Definition(code, title, variants, function, group)
        return function

    return wrap


def definition(code: str) -> Definition:
    try:
        return REGISTRY[code]
    except KeyError:
        raise KeyError(f"No indicator {code!r}; known: {', '.join(REGISTRY)}") from None


def compute(code: str, sel: Selection, variant: str | None = None) -> Indicator:
    """One indicator for a ready Selection (the pages and the command use this)."""
    d = definition(code)
    variant = variant or d.default_variant
    check_variant(code, variant, d.variants)
    return d.function.compute(sel, variant)  # type: ignore[attr-defined]
