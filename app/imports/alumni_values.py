"""Normalising registrar values column by column, with the register's own rules.

Each check gives the same result as `app.alumni.services.clean_alumnus_data` for one value;
here it runs once per distinct value, or vectorised, so 100,000 rows take seconds.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from app.alumni.models import ALUMNUS_STATUSES, CONSENT_PURPOSES, GENDERS, Alumnus
from app.alumni.text import fold
from app.core.countries import normalise_phone

TEXT_FIELDS = ("given_name", "family_name", "preferred_name", "city")
DATE_FIELDS = ("birth_date", "graduation_date", "award_date")
# Fields an import may set on the alumnus row (student_number only on creation).
VALUE_FIELDS = ("given_name", "family_name", "preferred_name", "email", "phone", "country",
                "city", "gender", "birth_date", "programme_id", "graduation_date", "award_date",
                "cohort_year", "status")
CONSENT_FIELDS = tuple(f"consent_{p}" for p in CONSENT_PURPOSES)


_FAST_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# Gender as registrars write it: English words and letters, Indonesian and Malay L / P
# (laki-laki, perempuan), Thai, Vietnamese, Filipino, Khmer; lower case, accents kept.
GENDER_CODES = {
    "female": ("f", "woman", "w", "p", "perempuan", "wanita", "pr", "หญิง", "ญ", "เพศหญิง",
               "นางสาว", "nữ", "nu", "babae", "b", "ស្រី"),
    "male": ("m", "man", "l", "laki-laki", "laki laki", "lelaki", "pria", "lk", "ชาย", "ช",
             "เพศชาย", "นาย", "nam", "lalaki", "ប្រុស"),
    "other": ("x", "non-binary", "nonbinary", "lainnya"),
    "undisclosed": ("u", "unknown", "not stated", "prefer not to say", "n/a"),
}
GENDER_WORDS = {**{w: k for k, words in GENDER_CODES.items() for w in words},
                **{v.lower(): k for k, v in GENDERS.items()}, **{k: k for k in GENDERS}}
GENDER_HINT = ("female (F, P, perempuan, wanita, หญิง, nữ, babae), male (M, L, laki-laki, "
               "lelaki, ชาย, nam, lalaki), other (X) or prefer not to say (U)")
STATUS_WORDS = {**{v.lower(): k for k, v in ALUMNUS_STATUSES.items()},
                 **{k: k for k in ALUMNUS_STATUSES}, "opted out": "opted_out"}


def column_lengths() -> dict[str, int]:
    return {c.name: c.type.length for c in Alumnus.__table__.columns
            if getattr(c.type, "length", None)}


def normalise_email(value: str) -> str:
    """The register's form of an address (validate_email's, in lower case, as the register
    keeps every address for matching); ValueError with its message when invalid.

    Plain ASCII addresses that are certainly valid skip the full parser.
    """
    local, _, domain = value.rpartition("@")
    if (len(value) <= 254 and len(local) <= 64 and _FAST_EMAIL.match(value)
            and domain.rsplit(".", 1)[-1].lower() not in SPECIAL_USE_DOMAIN_NAMES
            and len(domain) <= 253):
        return value.lower()
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"That e-mail address is not valid: {exc}") from exc


def map_unique(values: pd.Series, func_: Any) -> tuple[pd.Series, pd.Series]:
    """Apply a normalising function once per distinct value: (normalised, error message)."""
    good: dict[Any, Any] = {}
    bad: dict[Any, str] = {}
    for v in values.dropna().unique():
        try:
            good[v] = func_(v)
        except ValueError as exc:
            bad[v] = str(exc)
    return values.map(good), values.map(bad)


def per_distinct(series: pd.Series, transform: Any) -> pd.Series:
    """`transform(series)` (a vectorised Series -> Series step), run on each distinct value once.

    Registrar columns such as country, gender or programme repeat a few values on 100,000
    rows; the rows get their result by position. Blanks stay blank.
    """
    codes, uniques = pd.factorize(series)
    done = transform(pd.Series(uniques, dtype=series.dtype)).array
    return pd.Series(pd.api.extensions.take(done, codes, allow_fill=True), index=series.index)


_E164 = re.compile(r"^\+(\d{7,15})$")


class PhoneReader:
    """normalise_phone, with a shortcut for numbers already in international form.

    For "+<digits>" in a region whose only national prefix is 0 (Southeast Asia, most of the
    world) and whose national part does not start with 0, the result depends only on the
    calling code and the length: one number of each (code, length) is checked with
    normalise_phone and stands for the rest. Everything else goes through normalise_phone.
    """

    def __init__(self) -> None:
        self.shapes: dict[tuple[str, int], bool] = {}

    def _shape(self, digits: str) -> tuple[str, int] | None:
        for size in (1, 2, 3):
            code = digits[:size]
            region = phonenumbers.region_code_for_country_code(int(code))
            if region == "ZZ":
                continue
            meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
                int(code), region)
            if meta is None or meta.national_prefix_for_parsing not in (None, "0"):
                return None
            if len(phonenumbers.region_codes_for_country_code(int(code))) != 1:
                return None
            national = digits[size:]
            if not national or national[0] == "0":
                return None
            return code, len(national)
        return None

    def __call__(self, value: str, country: str | None) -> str:
        match = _E164.match(value)
        shape = self._shape(match.group(1)) if match else None
        if shape is None:
            return normalise_phone(value, country)
        known = self.shapes.get(shape)
        if known is None:
            try:
                known = normalise_phone(value, country) == value
            except ValueError:
                known = False
            self.shapes[shape] = known
        return value if known else normalise_phone(value, country)


def changed_values(mine: pd.Series, theirs: pd.Series, kind: str) -> pd.Series:
    """Where the file has a value that differs from the register's (blanks never count)."""
    if kind == "date":
        a, b = pd.to_datetime(mine, errors="coerce"), pd.to_datetime(theirs, errors="coerce")
    elif kind == "int":
        a = pd.to_numeric(mine, errors="coerce").astype("Int64")
        b = pd.to_numeric(theirs, errors="coerce").astype("Int64")
    else:
        a, b = mine.astype(object), theirs.astype(object)
        a = a.where(a.notna(), None)
        b = b.where(b.notna(), None)
        if kind == "email":  # an address differing only in case is the same address
            a = a.map(lambda v: v.lower() if isinstance(v, str) else v)
            b = b.map(lambda v: v.lower() if isinstance(v, str) else v)
        return a.notna() & (b.isna() | (a != b))
    differs = (a != b).astype("boolean").fillna(True)
    return (a.notna() & (b.isna() | differs)).astype(bool)


FIELD_KINDS = {**{n: "date" for n in DATE_FIELDS}, "programme_id": "int", "cohort_year": "int",
               "email": "email"}


def fold_series(series: pd.Series) -> pd.Series:
    """fold() for a whole column: ASCII text vectorised, other scripts once per value."""
    text = series.astype(object).where(series.notna(), None)
    ascii_mask = text.map(lambda v: isinstance(v, str) and v.isascii()).astype(bool)
    out = pd.Series("", index=series.index, dtype=object)
    if ascii_mask.any():
        out[ascii_mask] = (text[ascii_mask].astype(str).str.lower()
                           .str.split().str.join(" ")).astype(object)
    other = text.notna() & ~ascii_mask
    if other.any():
        uniques = {v: fold(v) for v in text[other].unique()}
        out[other] = text[other].map(uniques)
    return out


def build_search_series(frame: pd.DataFrame) -> pd.Series:
    """The same text as Alumnus.refresh_search_text, for a whole frame at once."""
    result = pd.Series("", index=frame.index, dtype=object)
    for column in ("given_name", "family_name", "preferred_name", "student_number", "email"):
        part = fold_series(frame[column]).astype(str)
        both = (result != "") & (part != "")
        result = result.where(~both, result + " | " + part)
        result = result.where(~((result == "") & (part != "")), part)
    return result


def plain_value(value: Any) -> Any:
    """A pandas/numpy value as the plain Python value a driver takes."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


