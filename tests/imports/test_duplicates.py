"""Possible duplicates: blocking, name similarity across spellings and word order, dismissal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.core.errors import Conflict, PermissionDenied
from app.extensions import db
from app.imports.duplicates import dismiss_duplicate, find_candidates, scan_duplicates
from app.imports.models import DuplicateCandidate


def pair_of(found, a, b):
    key = (min(a.id, b.id), max(a.id, b.id))
    return next((c for c in found if (c["first_id"], c["second_id"]) == key), None)


def test_blocks_and_names(world, make_alumnus):
    home, prog = world.home, world.programme
    base = {"programme_id": prog.id, "cohort_year": 2022, "email": None}
    an1 = make_alumnus(home, given_name="Nguyễn Văn", family_name="An", **base)
    an2 = make_alumnus(home, given_name="An", family_name="Nguyen Van", **base)  # order, accents
    other = make_alumnus(home, given_name="Tran", family_name="Thi Binh", **base)
    mail1 = make_alumnus(home, given_name="Somchai", family_name="Jaidee",
                         email="somchai@example.org", cohort_year=2019)
    mail2 = make_alumnus(home, given_name="Sam", family_name="J.", email="Somchai@Example.org",
                         cohort_year=2023)
    born1 = make_alumnus(home, given_name="Maria Clara", family_name="Santos",
                         birth_date=date(2000, 5, 1), email=None, cohort_year=2018)
    born2 = make_alumnus(home, given_name="Ma. Clara", family_name="Santos",
                         birth_date=date(2000, 5, 1), email=None, cohort_year=2021)
    born3 = make_alumnus(home, given_name="Juan", family_name="Dela Cruz",
                         birth_date=date(2000, 5, 1), email=None, cohort_year=2021)
    make_alumnus(world.other, given_name="An", family_name="Nguyen Van", **{
        **base, "programme_id": world.other_programme.id})  # another institution

    found = find_candidates(home.id)
    names = pair_of(found, an1, an2)
    assert names is not None and "same programme and cohort" in names["reasons"]
    assert any(r.startswith("similar names (100)") for r in names["reasons"])
    email = pair_of(found, mail1, mail2)
    assert email is not None and "same e-mail" in email["reasons"]
    birth = pair_of(found, born1, born2)
    assert birth is not None and "same birth date" in birth["reasons"]
    assert pair_of(found, born1, born3) is None  # same birthday, different person
    assert pair_of(found, an1, other) is None
    assert len(found) == 3
    assert all(0 < c["score"] <= 100 for c in found)


def test_queue_dismiss_and_rescan(world, make_alumnus):
    officer = world.users["officer"]
    a = make_alumnus(world.home, email="same@example.org")
    b = make_alumnus(world.home, email="same@example.org")
    assert scan_duplicates(world.home, actor=officer) == 1
    candidate = db.session.scalar(select(DuplicateCandidate))
    assert {candidate.first_id, candidate.second_id} == {a.id, b.id}
    with pytest.raises(PermissionDenied):
        dismiss_duplicate(candidate, actor=world.users["quality"])
    dismiss_duplicate(candidate, actor=officer)
    db.session.commit()
    with pytest.raises(Conflict):
        dismiss_duplicate(candidate, actor=officer)
    assert scan_duplicates(world.home, actor=officer) == 0  # a dismissed pair stays out
    db.session.commit()
    assert db.session.scalar(select(DuplicateCandidate.status)) == "dismissed"


def test_scan_other_institution_refused(world):
    with pytest.raises(Exception, match="No such institution"):
        scan_duplicates(world.other, actor=world.users["officer"])


def test_a_phone_shared_by_a_whole_office_is_no_signal(world, make_alumnus, monkeypatch):
    from app.imports import duplicates

    monkeypatch.setattr(duplicates, "MAX_EXACT_BLOCK", 3)
    office = [make_alumnus(world.home, phone="+6621234567", email=None, cohort_year=2015 + i)
              for i in range(4)]  # one more than the block limit: the office's switchboard
    pair = [make_alumnus(world.home, phone="+66812345678", email=None, cohort_year=2015 + i)
            for i in range(2)]
    found = find_candidates(world.home.id)
    assert pair_of(found, *pair)["reasons"][0] == "same phone"
    assert not any(pair_of(found, a, b) for a in office for b in office if a.id < b.id)


def test_the_queue_shows_each_pairs_buttons_on_a_phone_and_wide(world, make_alumnus, as_role):
    pairs = []
    for i in range(3):
        a = make_alumnus(world.home, email=f"twice{i}@example.org")
        b = make_alumnus(world.home, email=f"twice{i}@example.org")
        pairs.append((a, b))
    assert scan_duplicates(world.home, actor=world.users["officer"]) == 3
    db.session.commit()
    html = as_role("officer").get("/duplicates/").get_data(as_text=True)
    for candidate in db.session.scalars(select(DuplicateCandidate)):
        # under the reasons on a phone, in the actions column on a wider screen
        assert html.count(f'href="/duplicates/{candidate.id}/merge"') == 2, candidate.id
        assert html.count(f'action="/duplicates/{candidate.id}/dismiss"') == 2, candidate.id
    assert html.count('class="d-flex flex-wrap gap-2 mt-2 d-md-none"') == 3
    quality = as_role("quality").get("/duplicates/").get_data(as_text=True)
    assert "/merge" not in quality and "/dismiss" not in quality
    for a, b in pairs:
        assert f'href="/alumni/{a.id}"' in quality and f'href="/alumni/{b.id}"' in quality
