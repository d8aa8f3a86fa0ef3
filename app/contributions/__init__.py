"""Contributions of money and in kind, receipts and acknowledgements, linkages."""

from flask import Blueprint

bp = Blueprint("contributions", __name__)
