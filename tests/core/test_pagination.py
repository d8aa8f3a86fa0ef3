"""Seek paging's count: what the statement selects, filtered or not, up to the limit."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Institution
from app.core.pagination import bounded_count, seek_page


def test_an_unfiltered_list_counts_every_row(db, make_institution):
    for n in range(3):
        make_institution(code=f"C{n}", name=f"College {n}")
    assert bounded_count(select(Institution)) == (3, False)
    assert bounded_count(select(Institution), limit=2) == (2, True)
    assert bounded_count(select(Institution).where(Institution.code == "C1")) == (1, False)
    page = seek_page(select(Institution), (Institution.code, Institution.id), descending=False,
                     per_page=2, page=1)
    assert (page.total, page.has_next, [i.code for i in page.items]) == (3, True, ["C0", "C1"])
