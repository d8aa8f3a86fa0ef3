"""Outcome indicators, accreditation frameworks, minimum wages and the Outcomes page."""

from flask import Blueprint

from app.core.nav import OUTCOMES, add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("reports", __name__)
add_nav("Outcome figures", "reports.outcomes", STAFF_READ, order=25, group=OUTCOMES)
