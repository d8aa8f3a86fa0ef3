"""Searching the participations list and the exchange alumni: every word of the query, in any
order; LIKE's wildcards in a query are matched as the characters themselves."""

from __future__ import annotations

import pytest

from app.exchange import services
from app.exchange.services import ParticipationFilters


@pytest.fixture
def participants(xw, add_participation):
    return {
        "lan": add_participation("S-1", given_name="Lan", family_name="Tran"),
        "minh": add_participation("S-2", given_name="Minh", family_name="Tran_Le"),
        "somchai": add_participation("P-7", given_name="Somchai", family_name="Jaidee",
                                     incoming=True),
    }


def _found(db, q: str, actor) -> set[str]:
    stmt = services.search_participations(ParticipationFilters(q=q), actor=actor)
    return {p.given_name for p in db.session.scalars(stmt).unique()}


def test_every_word_in_any_order(xw, participants, db):
    assert _found(db, "tran", xw.officer) == {"Lan", "Minh"}
    assert _found(db, "TRAN lan", xw.officer) == {"Lan"}
    assert _found(db, "p-7", xw.officer) == {"Somchai"}
    assert _found(db, "", xw.officer) == {"Lan", "Minh", "Somchai"}


@pytest.mark.parametrize("q,expected", [
    ("%", set()),
    ("_", {"Minh"}),  # only the name that has an underscore
    ("\\", set()),
    ("tran_", {"Minh"}),
    ("s_1", set()),  # "_" is not any one character: S-1 is not found
    ("%an", set()),
])
def test_wildcards_match_themselves(xw, participants, db, q, expected):
    assert _found(db, q, xw.officer) == expected


def test_exchange_alumni_search_matches_wildcards_as_characters(xw, add_participation, db):
    alumnus = xw.world.alumnus
    add_participation(alumnus.student_number, given_name=alumnus.given_name)

    def found(q: str) -> list[int]:
        return [a.id for a in db.session.scalars(services.exchange_alumni(actor=xw.officer,
                                                                          q=q)).unique()]

    assert found(alumnus.given_name) == [alumnus.id]
    assert found("%") == [] and found("_") == [] and found("\\") == []
