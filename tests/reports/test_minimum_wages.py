"""Minimum wages kept by the administrator: the page, the CSV import, and who may."""

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import select

from app.reports.models import MinimumWage


def post_csv(client, text):
    return client.post("/admin/minimum-wages", data={
        "csv-file": (io.BytesIO(text.encode("utf-8-sig")), "wages.csv")},
        content_type="multipart/form-data", follow_redirects=True)


def test_the_administrator_imports_a_csv_and_the_income_figure_reads_it(
        hand_cohort, as_role, db):
    db.session.execute(MinimumWage.__table__.delete())
    db.session.commit()
    page = post_csv(as_role("admin"), "Country,Region,Year,Monthly amount,Currency,Source\n"
                    "Indonesia,,2025,\"3,500,000\",idr,Decree\n"
                    "ID, Jakarta ,2025,5000000,IDR,Decree\n")
    assert "Saved 2 minimum wages." in page.get_data(as_text=True)
    wages = {(w.region, w.year): w.monthly_amount for w in db.session.scalars(
        select(MinimumWage))}
    assert wages == {("", 2025): Decimal("3500000.00"), ("jakarta", 2025): Decimal("5000000.00")}
    from app.reports import indicators as ind

    share = ind.income(hand_cohort.institution, [hand_cohort.programme], [2024], 12,
                       "share_above_min_wage")
    assert (share.numerator, share.denominator) == (2, 3)


def test_a_wrong_row_saves_nothing_and_says_which(world, as_role, db):
    page = post_csv(as_role("admin"), "Country,Year,Monthly amount,Currency\n"
                    "TH,2025,11000,THB\nNarnia,2025,-5,XXX\n")
    html = page.get_data(as_text=True)
    assert "Nothing was saved." in html and "Row 3:" in html
    assert "Give the monthly amount in digits, above 0." in html
    assert db.session.scalar(select(MinimumWage)) is None


def test_one_wage_from_the_form_replaces_the_same_year(world, as_role, db):
    admin = as_role("admin")
    for amount in ("11000", "12000"):
        admin.post("/admin/minimum-wages", data={
            "one-country": "TH", "one-region": "Bangkok", "one-year": "2025",
            "one-monthly_amount": amount, "one-currency": "THB"})
    rows = list(db.session.scalars(select(MinimumWage)))
    assert [(r.region, r.monthly_amount) for r in rows] == [("bangkok", Decimal("12000.00"))]
    bad = admin.post("/admin/minimum-wages", data={
        "one-country": "TH", "one-year": "1800", "one-monthly_amount": "1",
        "one-currency": "THB"})
    assert "Give a year from 1990 to 2100." in bad.get_data(as_text=True)


def test_only_the_administrator_keeps_them(world, as_role):
    for role in ("officer", "quality", "alumnus"):
        assert as_role(role).get("/admin/minimum-wages").status_code == 403
