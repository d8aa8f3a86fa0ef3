"""Accounts: sign-in, sign-out, password reset and claiming a profile from an invitation."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
