"""Demo accounts: one login per role, the alumnus's tied to a record of the demo register.

Runs right after the register's seeder (app/alumni/demo.py, ORDER 10), which made the
institution and the alumni these accounts belong to; `flask seed-demo` prints DEMO_LOGINS."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Alumnus
from app.auth.services import create_demo_alumnus_account, create_user
from app.core.permissions import ALUMNUS
from app.core.seed import SeedContext
from app.extensions import db

DEMO_LOGINS = [
    ("admin", "admin@demo.alumnet.example", "demo-admin-pass", "Demo Administrator"),
    ("officer", "officer@demo.alumnet.example", "demo-officer-pass", "Demo Alumni Officer"),
    ("quality", "quality@demo.alumnet.example", "demo-quality-pass", "Demo Quality Staff"),
    ("alumnus", "alumnus@demo.alumnet.example", "demo-alumnus-pass", None),
]

ORDER = 11


def seed(ctx: SeedContext) -> None:
    """The demo logins: administrator, officer, quality staff and one alumnus."""
    # The demo alumnus account belongs to the first alumnus with an e-mail (else the first).
    first = db.session.scalar(select(Alumnus).where(
        Alumnus.institution_id == ctx.institution.id)
        .order_by(Alumnus.email.is_(None), Alumnus.id))
    for role, email, password, full_name in DEMO_LOGINS:
        if role == ALUMNUS:
            if first is None:
                continue
            first.directory_visible = False
            user = create_demo_alumnus_account(first, email, password)
        else:
            inst = None if role == "admin" else ctx.institution
            user = create_user(email, role, password, institution=inst,
                               full_name=full_name or "", actor=None)
        ctx.users[role] = user
        ctx.logins.append((role, email, password))
