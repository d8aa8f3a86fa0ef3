"""Registrar imports (preview, commit), possible duplicates and merges, register exports."""

from flask import Blueprint

bp = Blueprint("imports", __name__)
