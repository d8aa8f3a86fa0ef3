"""Demo contributions: money in several currencies, gifts in kind and alumni-enabled links."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from app.contributions.models import Contribution, ReceiptCounter
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.employment.services import normalise_employer_name
from app.extensions import db

ORDER = 50

ORGANISATIONS = ["Proton Engineering Sdn Bhd", "Siam Precision Parts Co., Ltd.",
                 "PT Nusantara Digital", "Mekong Hospitality Group", "Visayas Agri Tech Inc.",
                 "Penang Semiconductor Services", "Saigon Creative Studio"]
IN_KIND = [
    ("equipment", "PLC training kits", 4, "3200", "supplier invoice"),
    ("materials", "Welding consumables", 20, "850", "market price"),
    ("guest_lecture", "Guest lecture on industrial IoT", 1, None, None),
    ("internship", "Internship places for final-year students", 3, None, None),
    ("job_posting", "Junior technician vacancies shared with the placement office", 2, None,
     None),
    ("training", "Two-day CNC training for lecturers", 1, "2400", "provider's course fee"),
    ("mou", "Memorandum of understanding on work-based learning", 1, None, None),
    ("hire", "Hired a graduate of the 2025 cohort", 1, None, None),
]
MONEY = [("MYR", "150"), ("MYR", "500"), ("MYR", "1000"), ("USD", "100"), ("THB", "3000"),
         ("SGD", "200"), ("IDR", "1500000")]


def seed(ctx: SeedContext) -> None:
    """Contributions for about one alumnus in ten, numbered like recorded ones."""
    rng = ctx.rng
    inst = ctx.institution
    if not ctx.alumnus_ids:
        return
    count = max(12, min(len(ctx.alumnus_ids) // 10, 2000))
    start = today() - timedelta(days=700)
    dates = sorted(start + timedelta(days=rng.randint(0, 699)) for _ in range(count))
    counters: dict[int, int] = {}
    rows = []
    now = utcnow()
    for when in dates:
        counters[when.year] = counters.get(when.year, 0) + 1
        alumnus_id = rng.choice(ctx.alumnus_ids)
        base = {
            "institution_id": inst.id, "received_on": when, "receipt_year": when.year,
            "receipt_number": f"{inst.code}-{when.year}-{counters[when.year]:06d}",
            "created_at": now, "updated_at": now,
            "acknowledged_at": now if rng.random() < 0.8 else None,
            "acknowledged_to": None, "organisation_name": None, "organisation_key": None,
            "employer_id": None,
            "amount": None, "currency": None, "purpose": None, "description": None,
            "quantity": None, "estimated_value": None, "value_currency": None,
            "valuation_basis": None, "hours": None, "contact_email": None,
        }
        if rng.random() < 0.5:
            currency, amount = rng.choice(MONEY)
            base.update(donor_kind="alumnus", alumnus_id=alumnus_id, kind="monetary",
                        category=rng.choice(["donation", "donation", "scholarship"]),
                        amount=Decimal(amount), currency=currency,
                        purpose=rng.choice(["Scholarship fund", "Library", "Workshop upgrade",
                                            "Student hardship fund"]))
        else:
            category, text, qty, value, basis = rng.choice(IN_KIND)
            org = rng.choice(ORGANISATIONS)
            base.update(donor_kind="organisation", alumnus_id=alumnus_id, kind="in_kind",
                        category=category, description=text, quantity=qty,
                        organisation_name=org, organisation_key=normalise_employer_name(org),
                        contact_email="partnerships@example.com",
                        hours=Decimal("2") if category in ("guest_lecture", "training") else None)
            if value:
                base.update(estimated_value=Decimal(value), value_currency="MYR",
                            valuation_basis=basis)
        rows.append(base)
    db.session.execute(insert(Contribution), rows)
    db.session.execute(insert(ReceiptCounter), [
        {"institution_id": inst.id, "year": y, "last_number": n} for y, n in counters.items()])
    ctx.summary.append(f"{len(rows)} contributions")
