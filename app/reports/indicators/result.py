"""The one result type every indicator returns, and what every indicator function takes.

An indicator function has the signature

    fn(institution, programmes, cohorts, reference_months, variant, *, params=None) -> Indicator

- `institution`: an Institution or its id;
- `programmes`: Programmes or their ids (one or several);
- `cohorts`: graduation years (one or several); for the engagement and exchange figures
  (E1-E5, X1-X4) the calendar years of the activity;
- `reference_months`: the reference point, months after graduation (6, 12, 24);
- `variant`: one of the indicator's variants, named as in the issue's table;
- `params`: the few settings a framework adds (see `Params`).

It returns an `Indicator`: the value, its numerator and denominator, unit and currency, the
definition in words, and the records it counted as queries (`counted` for the numerator or
the value, `base` for the denominator), so a page or an evidence pack can list them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Select

# Units of a value.
RATIO = "ratio"  # a fraction 0-1
MONTHS = "months"
MONEY = "money"  # with a currency
COUNT = "count"
SCALE_POINTS = "scale_points"  # a difference on a 1-5 scale

UNITS = (RATIO, MONTHS, MONEY, COUNT, SCALE_POINTS)


class Word(str):
    """A placeholder's value that is itself a message (a code list's label): English here,
    translated where a page says the text; `lower` as it stands inside a sentence."""

    def __new__(cls, message: str, *, lower: bool = False) -> Word:
        word = super().__new__(cls, message.lower() if lower else message)
        word.message, word.lower_case = message, lower
        return word


class Said(str):
    """An indicator's title, definition or note: the English text that packs, exports and the
    command show, which also keeps its message (marked N_) and named placeholders, so a page
    says it in its reader's language (`app.reports.listing.say`). A tuple placeholder is a
    list of words, joined with commas."""

    def __new__(cls, message: str, /, **args: Any) -> Said:
        english = {k: ", ".join(v) if isinstance(v, tuple) else v for k, v in args.items()}
        said = super().__new__(cls, message % english if args else message)
        said.message, said.args = message, args
        return said


@dataclass(frozen=True)
class RecordList:
    """A query for records an indicator counted; `kind` names what each row is:
    "alumnus", "response", "rating.<competency>" (a response, its ratings of that competency),
    "employer_feedback", "contribution", "mentorship",
    "student", "curriculum_feedback", "participation", "programme"."""

    kind: str
    query: Select


@dataclass(frozen=True)
class Params:
    """Settings a framework gives the indicators; every one has a neutral default."""

    currency: str | None = None  # M8 medians: the currency (default: the institution's)
    full_time_permanent: bool = False  # M8 median_full_time: permanent contracts only
    min_wage_factor: float = 1.0  # M8 share_above_min_wage: k x the minimum wage
    as_of: date | None = None  # E1: the end of the 12-month window (default: today)
    batch_id: int | None = None  # X1-X4: one exchange batch only (default: every batch)


@dataclass(frozen=True)
class Selection:
    """Whose outcome counts: an institution's programmes and cohort years at a reference point."""

    institution_id: int
    programme_ids: tuple[int, ...]
    cohort_years: tuple[int, ...]
    reference_months: int
    params: Params = field(default_factory=Params)


@dataclass
class Indicator:
    code: str  # "M2"
    variant: str  # "labour_force"
    title: str  # "Employment rate"
    definition: str  # in words, with what is left out
    unit: str  # one of UNITS
    value: float | None  # ratios as fractions 0-1; None when the denominator is 0
    numerator: float | None
    denominator: float | None
    currency: str | None = None
    counted: RecordList | None = None  # the records behind the numerator (or the value)
    base: RecordList | None = None  # the records behind the denominator
    notes: list[str] = field(default_factory=list)
    # The day a dated figure counts to (E1: the end of its 12-month window). A link to its
    # records carries it, so a figure kept in a pack or on the dashboard lists the records
    # it counted, not today's window.
    as_of: date | None = None

    @property
    def key(self) -> str:
        """"M8.median_all.IDR": unique within one computation."""
        return ".".join(p for p in (self.code, self.variant, self.currency) if p)

    def as_dict(self) -> dict[str, Any]:
        """The fields other systems read (the command's JSON)."""
        return {"code": self.code, "variant": self.variant, "value": self.value,
                "numerator": self.numerator, "denominator": self.denominator,
                "unit": self.unit, "currency": self.currency}

    def with_variant(self, variant: str) -> Indicator:
        return replace(self, variant=variant)


class IndicatorFunction(Protocol):
    def __call__(self, institution: Any, programmes: Sequence[Any], cohorts: Sequence[int],
                 reference_months: int, variant: str, *, params: Params | None = None
                 ) -> Indicator: ...


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, None when there is nothing to divide by."""
    if not denominator:
        return None
    return (numerator or 0) / denominator


def _id(thing: Any) -> int:
    return thing if isinstance(thing, int) else thing.id


def make_selection(institution: Any, programmes: Sequence[Any] | Any, cohorts: Sequence[int] | int,
                   reference_months: int, params: Params | None = None) -> Selection:
    """A Selection from objects or ids; one programme or one year may be given bare."""
    if not isinstance(programmes, (list, tuple, set, frozenset)):
        programmes = [programmes]
    if isinstance(cohorts, int):
        cohorts = [cohorts]
    return Selection(_id(institution), tuple(sorted({_id(p) for p in programmes})),
                     tuple(sorted({int(y) for y in cohorts})), int(reference_months),
                     params or Params())


class UnknownVariant(ValueError):
    """An indicator was asked for a variant it does not have."""

    def __init__(self, code: str, variant: str, known: Sequence[str]) -> None:
        super().__init__(f"{code} has no variant {variant!r}; choose one of: "
                         f"{', '.join(known)}.")
        self.code, self.variant, self.known = code, variant, tuple(known)


def check_variant(code: str, variant: str, known: Sequence[str]) -> None:
    if variant not in known:
        raise UnknownVariant(code, variant, known)
