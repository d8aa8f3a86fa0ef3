"""Mailings to alumni that respect consent, and the mail gate every message goes through."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ENGAGEMENT, add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("mailings", __name__)

add_nav(N_("Mailings"), "mailings.index", STAFF_READ, order=57, group=ENGAGEMENT)
