"""SEAMEO TVET exchange batches, partner agreements, participations and exchange alumni."""

from flask import Blueprint

bp = Blueprint("exchange", __name__)
