"""`flask seed-demo`: a realistic, reproducible demo institution; `flask worker`: RQ jobs;
`flask backup` and `flask restore` (app/core/backup.py)."""

from __future__ import annotations

import random

import click
from flask import Flask
from sqlalchemy import func, select


def register(app: Flask) -> None:
    from app.core import backup

    register_worker(app)
    backup.register(app)

    @app.cli.command("seed-demo")
    @click.option("--alumni", "alumni_count", type=click.IntRange(1, 200_000), default=300,
                  show_default=True, help="How many alumni to create.")
    @click.option("--seed", type=int, default=2026, show_default=True,
                  help="Random seed: the same seed gives the same data.")
    @click.option("--if-empty", is_flag=True,
                  help="Seed only when the register is empty; print the demo logins either way.")
    def seed_demo(alumni_count: int, seed: int, if_empty: bool) -> None:
        """Fill the database with a demo institution, alumni and one account per role."""
        from app import FEATURES, _import_optional
        from app.alumni.models import Institution
        from app.auth.demo import DEMO_LOGINS
        from app.core.seed import SeedContext
        from app.extensions import db

        has_data = bool(db.session.scalar(select(func.count(Institution.id))))
        if has_data:
            if not if_empty:
                raise click.ClickException(
                    "The database already has institutions; seed-demo fills an empty one."
                )
            click.echo("The database already has data; not seeding.")
            _print_logins([(r, e, p) for r, e, p, _ in DEMO_LOGINS])
            return
        seeders = [m for m in (_import_optional(f"{name}.demo") for name in FEATURES) if m]
        ctx = SeedContext(rng=random.Random(seed), alumni_count=alumni_count)
        for module in sorted(seeders, key=lambda m: m.ORDER):
            module.seed(ctx)
            db.session.flush()
        db.session.commit()
        click.echo("Demo data: " + "; ".join(ctx.summary) + ".")
        _print_logins(ctx.logins)


def housekeeping_worker(base: type) -> type:
    """An RQ worker class whose maintenance loop (every ten minutes, also while idle) runs
    the housekeeping when it is due: a worker that runs for weeks applies retention daily."""
    from app.core.job_recovery import housekeeping_tick

    class HousekeepingWorker(base):
        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            housekeeping_tick()

    return HousekeepingWorker


def register_worker(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
    def worker(burst: bool) -> None:
        """Start an RQ worker on the job queue (needs REDIS_URL), inside the app context."""
        from redis import Redis
        from rq import Queue, Worker

        from app.core.jobs import queue_name

        redis_url = app.config.get("REDIS_URL")
        if not redis_url:
            raise click.ClickException(
                "REDIS_URL is not set: jobs run in the web process, no worker is needed."
            )
        from app.core.job_recovery import fail_dead_jobs, housekeeping_tick

        connection = Redis.from_url(redis_url)
        name = queue_name(app)
        click.echo(f"Worker on queue '{name}' at {redis_url}")
        # jobs left running by a worker that died, old uploaded files, retention
        housekeeping_tick(force=True)

        def horse_killed(job, retpid, ret_val, rusage) -> None:  # noqa: ANN001 - RQ's hook
            fail_dead_jobs()

        housekeeping_worker(Worker)([Queue(name, connection=connection)], connection=connection,
                                    work_horse_killed_handler=horse_killed).work(burst=burst)

    @app.cli.command("housekeeping")
    def housekeeping() -> None:
        """Mark jobs whose worker died as failed and delete old uploaded files (the worker
        does this when it starts)."""
        from app.core.job_recovery import fail_dead_jobs, run_housekeeping

        dead = fail_dead_jobs()
        run_housekeeping()
        click.echo(f"{len(dead)} job{'s' if len(dead) != 1 else ''} whose worker died marked "
                   "failed; housekeeping done.")


def _print_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo("Demo logins:")
    for role, email, password in logins:
        click.echo(f"  {role:<8} {email:<32} {password}")
