"""Employers, employment history, tracer surveys and employer satisfaction surveys."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import OUTCOMES, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("employment", __name__)
add_nav(N_("Tracer surveys"), "employment.surveys", STAFF_READ, order=30, group=OUTCOMES)
add_nav(N_("Employers"), "employment.employers", STAFF_READ, order=35, group=OUTCOMES)
add_nav(N_("My jobs"), "employment.my_jobs", (ALUMNUS,), order=20)
add_nav(N_("My surveys"), "employment.my_surveys", (ALUMNUS,), order=25)
