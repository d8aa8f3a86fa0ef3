"""The contribution figure pages as tables to download (CSV or XLSX through
app.core.spreadsheet): the totals (E4) and the alumni-enabled linkages (E5) with the records
behind them, exactly as the pages show them."""

from __future__ import annotations

from typing import Any

from app.contributions.models import CATEGORIES
from app.contributions.services.figures import LinkageSummary, Totals
from app.core.labels import label_for

TOTALS_HEADER = ["Part", "Currency", "Category", "Records", "Items", "Hours", "Amount"]
LINKAGES_HEADER = ["Receipt", "Date", "Category", "Alumnus", "Student number", "Organisation",
                   "What"]


def totals_rows(t: Totals) -> list[list[Any]]:
    """Money per currency and category, each currency's total, in-kind per category and the
    donors: one row per line of the page."""
    rows: list[list[Any]] = []
    for (currency, category), f in t.money_by_category.items():
        rows.append(["Money", currency, label_for(category, CATEGORIES), f["count"], None, None,
                     f["amount"]])
    for currency, f in t.money.items():
        rows.append(["Money", currency, f"Total in {currency}", f["count"], None, None,
                     f["amount"]])
    for category, f in t.in_kind.items():
        if f["values"]:
            for currency, value in f["values"].items():
                rows.append(["In kind", currency, label_for(category, CATEGORIES), f["count"],
                             f["quantity"], f["hours"], value])
        else:
            rows.append(["In kind", None, label_for(category, CATEGORIES), f["count"],
                         f["quantity"], f["hours"], None])
    rows.append(["Contributions", None, None, t.count, None, None, None])
    rows.append(["Donors", None, f"{t.alumni_donors} alumni, {t.organisation_donors} "
                 "organisations", t.donors, None, None, None])
    return rows


def linkages_rows(s: LinkageSummary) -> list[list[Any]]:
    """The records the linkage figures counted, one row each."""
    return [[c.receipt_number, c.received_on, label_for(c.category, CATEGORIES),
             c.alumnus.display_name, c.alumnus.student_number, c.organisation_name,
             c.description] for c in s.records]
