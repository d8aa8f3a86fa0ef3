"""Pages of the employment feature; importing this package attaches them to `bp` and
registers the alumnus-page panels and the timeline source."""

from app.employment.routes import employers, history, public, surveys  # noqa: F401
from app.employment.routes.panels import register_extensions
from app.employment.tracer_import import register as register_tracer_import

register_extensions()
register_tracer_import()
