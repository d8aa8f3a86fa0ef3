"""Pages of the employment feature; importing this package attaches them to `bp` (what the
feature adds to others is in `app/employment/hooks.py`)."""

from app.employment.routes import employers, history, public, surveys  # noqa: F401
