"""Country codes and names: every ISO 3166-1 country by name, nothing that is not one."""

from __future__ import annotations

import pytest

from app.core.countries import (
    COUNTRY_CODES,
    COUNTRY_NAMES,
    country_choices,
    country_name,
    normalise_country,
)


def test_every_choice_has_a_name_and_the_region_comes_first():
    choices = country_choices()
    assert [code for code, _ in choices][:3] == ["BN", "KH", "ID"]  # ASEAN, by name
    assert all(name != code for code, name in choices)  # no raw code shown
    assert len(choices) == len(COUNTRY_CODES) > 240
    names = dict(choices)
    assert names["AD"] == "Andorra" and names["VN"] == "Viet Nam"
    assert names["KR"] == "South Korea"  # not the inverted "Korea, Republic of"
    rest = [name for code, name in choices[34:]]  # after Southeast Asia and its partners
    assert rest == sorted(rest)


@pytest.mark.parametrize("code", ["AC", "TA", "XK"])
def test_codes_that_are_not_iso_3166_are_refused(code):
    """Phone-numbering regions (Ascension, Tristan da Cunha, Kosovo) are not ISO 3166-1."""
    assert code not in COUNTRY_CODES and code not in COUNTRY_NAMES
    with pytest.raises(ValueError, match="ISO 3166"):
        normalise_country(code)


def test_country_name_for_any_code():
    assert country_name("TH") == "Thailand" and country_name("FR") == "France"
    assert country_name(None) == "—" and country_name("ZZ") == "ZZ"
