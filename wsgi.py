"""WSGI entry point: `flask --app wsgi …` or gunicorn `wsgi:app`."""

from app import create_app

app = create_app()
