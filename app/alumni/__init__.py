"""The alumni register: institutions, programmes, alumni, consent, self-service."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import REGISTER, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("alumni", __name__)
add_nav(N_("Alumni"), "alumni.index", STAFF_READ, order=10, group=REGISTER)
add_nav(N_("My profile"), "alumni.me", (ALUMNUS,), order=10)
add_nav(N_("Corrections"), "alumni.corrections", STAFF_READ, order=80, group=REGISTER)
