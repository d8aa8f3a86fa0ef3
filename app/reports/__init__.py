"""Outcome indicators, accreditation frameworks, minimum wages and the Outcomes page."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
