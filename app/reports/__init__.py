"""Outcome indicators, accreditation frameworks, minimum wages and the Outcomes page."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ADMINISTRATION, OUTCOMES, add_nav
from app.core.permissions import ADMIN, STAFF_READ

bp = Blueprint("reports", __name__)
add_nav(N_("Outcome figures"), "reports.outcomes", STAFF_READ, order=25, group=OUTCOMES)
add_nav(N_("Minimum wages"), "reports.minimum_wages", (ADMIN,), order=93, group=ADMINISTRATION)
