"""Privacy: an alumnus's rights in self-service (a copy of their data, corrections, consent,
erasure), the office's queue of requests, and retention."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import REGISTER, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("privacy", __name__)
add_nav(N_("My data"), "privacy.me_rights", (ALUMNUS,), order=20)
add_nav(N_("Privacy requests"), "privacy.queue", STAFF_READ, order=85, group=REGISTER)
