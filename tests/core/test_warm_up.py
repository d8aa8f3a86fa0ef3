"""The web server warms the preloaded app before it forks its workers (gunicorn.conf.py
`when_ready`): every template compiled, every language's catalogue loaded, no database
connection left for the workers to share."""

from __future__ import annotations

from app.core import i18n
from app.core.warm import warm_up
from app.extensions import db


def test_warm_up_compiles_every_template_and_leaves_no_connection(app):
    env = app.jinja_env
    env.cache.clear()
    took = warm_up(app)
    names = env.list_templates()
    assert len(names) > 100 and set(took) == {"mappers", "templates", "languages"}
    # Jinja keeps a compiled template by (loader, name): every one of them is in the cache.
    assert {key[1] for key in env.cache} >= set(names)
    assert env.cache.capacity >= len(names)  # none pushed out again
    with app.app_context():
        assert db.engine.pool.checkedin() == 0 and db.engine.pool.checkedout() == 0
    with app.test_request_context("/"), i18n.in_language("th"):
        assert i18n.page_translations().ugettext("Sign out") == "ออกจากระบบ"
