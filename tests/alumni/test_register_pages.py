"""The register's pages by position: no record skipped or shown twice when records are added
between two page loads, in every sort; the first pages by number; a bounded count; the text
index finds names in any script and follows edits, merges and deletions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from app.alumni import register
from app.alumni.models import Alumnus
from app.core import pagination

ROW = re.compile(r'<a href="/alumni/(\d+)">')


def _ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


def _next_link(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("sort,desc", [("name", False), ("name", True), ("cohort", False),
                                       ("cohort", True), ("programme", False),
                                       ("student_number", True)])
def test_keyset_pages_never_skip_or_repeat_when_records_are_added(
        as_role, world, make_alumnus, make_programme, db, sort, desc):
    other = make_programme(world.home, code="DME", study_area="mechatronics")
    for i in range(60):
        make_alumnus(world.home, given_name=f"Anh{i:02d}", family_name=f"M{i % 17:02d}",
                     cohort_year=None if i % 11 == 0 else 2020 + i % 4,
                     programme_id=None if i % 13 == 0 else (other.id if i % 2 else
                                                            world.programme.id))
    before = set(db.session.scalars(select(Alumnus.id).where(
        Alumnus.institution_id == world.home.id, Alumnus.archived_at.is_(None))))
    client = as_role("officer")
    query = {"sort": sort, "dir": "desc" if desc else "asc"}
    html = client.get("/alumni/", query_string=query).get_data(as_text=True)
    seen = _ids(html)
    added = []
    n = 0
    while (link := _next_link(html)) is not None:
        # Between two loads, someone adds records that sort before and after this point.
        for family in ("A00", "Z99"):
            n += 1
            added.append(make_alumnus(world.home, given_name=f"New{n:02d}", family_name=family,
                                      cohort_year=2019 + n % 7).id)
        html = client.get(link).get_data(as_text=True)
        seen += _ids(html)
    assert len(seen) == len(set(seen)), "a record was shown twice"
    assert before <= set(seen), f"skipped: {sorted(before - set(seen))}"
    assert set(seen) <= before | set(added)


def test_pages_by_number_previous_and_last(as_role, world, make_alumnus, db):
    for i in range(60):
        make_alumnus(world.home, given_name=f"Bao{i:02d}", family_name=f"Le{i:02d}")
    client = as_role("officer")
    everyone = []
    for page in (1, 2, 3):
        html = client.get("/alumni/", query_string={"page": page}).get_data(as_text=True)
        everyone += _ids(html)
    total = len(db.session.scalars(select(Alumnus.id).where(
        Alumnus.institution_id == world.home.id)).all())  # 60 and the world's own
    assert len(everyone) == len(set(everyone)) == total
    html = client.get("/alumni/", query_string={"last": 1}).get_data(as_text=True)
    assert _ids(html) == everyone[50:]
    assert f"{total} records" in html
    previous = re.search(r'rel="prev" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert _ids(client.get(previous).get_data(as_text=True)) == everyone[25:50]


def test_a_tampered_cursor_gives_the_first_page(as_role, world, make_alumnus):
    make_alumnus(world.home, given_name="Chai")
    client = as_role("officer")
    for cursor in ("%%%", "bm90IGpzb24", pagination.encode_cursor([1, 2, 3, 4, 5])):
        response = client.get("/alumni/", query_string={"after": cursor})
        assert response.status_code == 200
        assert "Chai" in response.get_data(as_text=True)


def test_the_count_stops_at_its_limit_and_says_so(as_role, world, make_alumnus, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 30)
    monkeypatch.setattr(pagination.bounded_count, "__defaults__", (30,))
    for i in range(40):
        make_alumnus(world.home, given_name=f"Dao{i:02d}")
    html = as_role("officer").get("/alumni/").get_data(as_text=True)
    assert "More than 30 records" in html
    assert 'href="/alumni/?last=1"' in html


def test_a_page_that_ends_the_list_gives_the_total_without_counting(
        as_role, world, make_alumnus, db, monkeypatch):
    """A search that finds a few people, or the numbered page that holds the end of a list,
    shows the exact total from its own rows; a page with more after it is counted."""
    for i in range(30):
        make_alumnus(world.home, given_name=f"Giang{i:02d}", family_name="Vo")
    counted = []
    real = pagination.bounded_count
    monkeypatch.setattr(pagination, "bounded_count", lambda *a, **k: counted.append(1) or
                        real(*a, **k))
    client = as_role("officer")
    html = client.get("/alumni/", query_string={"q": "Giang07"}).get_data(as_text=True)
    assert "1 record" in html and len(_ids(html)) == 1 and not counted
    html = client.get("/alumni/", query_string={"q": "Giang", "page": 2}).get_data(as_text=True)
    assert "30 records" in html and len(_ids(html)) == 5 and not counted
    html = client.get("/alumni/", query_string={"q": "Giang"}).get_data(as_text=True)
    assert "30 records" in html and len(_ids(html)) == 25 and len(counted) == 1
    html = client.get("/alumni/", query_string={"q": "Giang", "page": 9}).get_data(as_text=True)
    assert "30 records" in html and not _ids(html) and len(counted) == 2  # past the end


def test_the_whole_registers_pager_takes_its_bound_from_the_kept_count(
        app, as_role, world, make_alumnus, monkeypatch, db):
    """A register the landing page counted at twice the pager's limit or more says "more than"
    without counting again on each view; a smaller one, a filtered list and a count over an
    hour old are counted."""
    from types import SimpleNamespace

    from app.core import figure_cache

    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    for i in range(3):
        make_alumnus(world.home, given_name=f"Em{i}")
    client = as_role("officer")
    officer = SimpleNamespace(role="officer", institution_id=world.home.id)
    key = register.register_counts_key(officer)
    kept = {"alumni": 2 * pagination.COUNT_LIMIT}
    figure_cache.cached_figure(key, lambda: kept)
    try:
        for sort in ("name", "cohort"):
            html = client.get("/alumni/", query_string={"sort": sort}).get_data(as_text=True)
            assert "More than 10,000 records" in html, sort
            assert len(_ids(html)) >= 3  # the rows are the register's own
        assert "More than" not in client.get("/alumni/?q=Em1").get_data(as_text=True)
        assert "More than" not in client.get("/alumni/?archived=1").get_data(as_text=True)
        kept["alumni"] -= 1  # counted again: just under twice the limit
        figure_cache.forget_figures()
        figure_cache.cached_figure(key, lambda: kept)
        assert "More than" not in client.get("/alumni/").get_data(as_text=True)
        kept["alumni"] += 1
        figure_cache.forget_figures()
        figure_cache.cached_figure(key, lambda: kept)
        db.session.execute(figure_cache.KeptFigure.__table__.update().values(
            counted_at=figure_cache.utcnow() - register.KEPT_COUNT_AGE))
        db.session.commit()
        assert "More than" not in client.get("/alumni/").get_data(as_text=True)  # too old
    finally:
        figure_cache.forget_figures()


SCRIPTS = [
    ("สมศักดิ์", "รักไทย", "ศักดิ์"),  # Thai: a run inside the word
    ("Nguyễn Văn", "Thắng", "thang nguyen"),  # Vietnamese without accents, any order
    ("សុវណ្ណ", "ព្រំ", "វណ្ណ"),  # Khmer
    ("မင်းထက်", None, "ထက်"),  # Burmese, one name
    ("Ly", "Tran", "ly"),  # two letters: below the index, still found
]


@pytest.mark.parametrize("given,family,query", SCRIPTS)
def test_search_in_any_script_uses_the_text_index(world, make_alumnus, db, given, family,
                                                  query):
    wanted = make_alumnus(world.home, given_name=given, family_name=family)
    somebody = make_alumnus(world.home, given_name="Somebody", family_name="Else")
    officer = world.users["officer"]
    page = register.register_page(register.RegisterFilters(q=query), actor=officer,
                                  per_page=25)
    found = [a.id for a in page.items]
    assert [i for i in found if i in (wanted.id, somebody.id)] == [wanted.id]
    # The world's people have generated names ("Qkzlyabc"): one may hold "ly" too, and is
    # then rightly found; nobody is found whose text lacks a word of the search.
    assert all(w in a.search_text for a in page.items for w in query.split())


def test_the_text_index_follows_edits_and_deletions(world, make_alumnus, db):
    officer = world.users["officer"]
    alumnus = make_alumnus(world.home, given_name="Kanya", family_name="Boonmee")

    def found(q):
        return [a.id for a in register.register_page(register.RegisterFilters(q=q),
                                                     actor=officer, per_page=25).items]

    assert found("boonmee") == [alumnus.id]
    alumnus.family_name = "Chaiyaporn"
    alumnus.refresh_search_text()
    db.session.commit()
    assert found("boonmee") == []
    assert found("chaiyap") == [alumnus.id]
    db.session.execute(delete(Alumnus).where(Alumnus.id == alumnus.id))
    db.session.commit()
    assert found("chaiyap") == []
