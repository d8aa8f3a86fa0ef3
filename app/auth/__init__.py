"""Accounts: sign-in, sign-out, password reset and claiming a profile from an invitation."""

from flask import Blueprint

# No url_prefix: most pages are under /auth/ (written in each rule), but the pages that act on
# an alumnus's sign-in address keep the register's addresses (/me/contact, /email/confirm/...,
# /alumni/<id>/invite).
bp = Blueprint("auth", __name__)
