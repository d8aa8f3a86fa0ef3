"""Import pages: the wizard and the import log, register exports, duplicates and merges."""

from app.imports.routes import downloads, duplicates, wizard  # noqa: F401  (routes on bp)
