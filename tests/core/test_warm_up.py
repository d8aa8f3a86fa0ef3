"""The web server warms the preloaded app before it forks its workers (gunicorn.conf.py
`when_ready`): every template compiled, every language's catalogue loaded, no database
connection left for the workers to share; what is alive then is frozen out of the garbage
collector's full passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.core import i18n
from app.core.warm import warm_up
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]


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


def test_freeze_heap_keeps_the_preloaded_apps_objects_out_of_the_collectors_passes():
    """As gunicorn's master does before forking (a fresh process: freezing the test run's own
    objects would change how it collects). A full collection afterwards walks the objects
    made since, not the app's."""
    code = ("import gc; from app import create_app; from app.core.warm import freeze_heap, "
            "warm_up; app = create_app(); warm_up(app); before = len(gc.get_objects()); "
            "frozen = freeze_heap(); print(before, frozen, len(gc.get_objects()))")
    env = {**os.environ, "ALUMNET_CONFIG": "development", "DATABASE_URL": "sqlite://"}
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before, frozen, after = map(int, done.stdout.split()[-3:])
    assert before > 100_000 and frozen >= before * 0.9
    assert after < 1_000  # what the collector still walks in a full pass


def slow_job(ctx, seconds: float) -> dict:
    """A job that takes a while (run by the worker-leaving test's own process)."""
    import time

    time.sleep(seconds)
    return {"slept": seconds}


LEAVING = """
import sys
from app import create_app
from app.core.jobs import Job, enqueue
from app.core.warm import leave_without_teardown
from app.extensions import db

app = create_app()
with app.app_context():
    db.create_all()
    job = enqueue("test", "tests.core.test_warm_up:slow_job", seconds=0.6)
    db.session.commit()  # handed to the process's job thread
    job_id = job.id
leave_without_teardown(app, SystemExit(int(sys.argv[1])))
with app.app_context():
    print("still here", db.session.get(Job, job_id).status)
"""


def _leave(tmp_path, code: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALUMNET_CONFIG": "development",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'leaving.db'}"}
    env.pop("REDIS_URL", None)
    return subprocess.run([sys.executable, "-c", LEAVING, str(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_worker_leaving_finishes_its_job_then_ends_without_the_teardown(tmp_path):
    """gunicorn's `worker_exit` (gunicorn.conf.py): a worker replaced after `max_requests`
    waits for the job its thread is running, then ends at once with status 0."""
    from sqlalchemy import create_engine, text

    done = _leave(tmp_path, 0)
    assert done.returncode == 0, done.stderr
    assert "still here" not in done.stdout  # ended in leave_without_teardown
    engine = create_engine(f"sqlite:///{tmp_path / 'leaving.db'}")
    with engine.connect() as conn:
        status, result = conn.execute(text("SELECT status, result FROM job")).one()
    engine.dispose()
    assert status == "done" and "0.6" in result  # the job ran to its end and was kept


def test_a_worker_leaving_on_an_error_exits_as_python_would(tmp_path):
    done = _leave(tmp_path, 3)  # gunicorn's exit status for a worker that failed to boot
    assert done.returncode == 0, done.stderr
    assert "still here" in done.stdout  # not ended there: Python's own exit keeps the status
