"""The breach log: administrators record a personal-data breach, the jurisdictions it
concerns with each one's notification clock, the notifications made, and close it with the
lessons learned."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ADMINISTRATION, add_nav
from app.core.permissions import ADMIN

bp = Blueprint("breaches", __name__, url_prefix="/admin/breaches")
add_nav(N_("Breach log"), "breaches.index", (ADMIN,), order=93, group=ADMINISTRATION)
