"""Time sign-in and password-reset requests for a known and an unknown address, as an attacker
probing for accounts would (issue 10, item 8). Production hashing cost, a scratch SQLite
database, mail to the log.

    .venv/bin/python scripts/bench_sign_in_timing.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402


def _median_ms(client, path: str, data: dict, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.post(path, data=data)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.db",
                         ARGON2_PROFILE="default", RATELIMIT_ENABLED=False)
        with app.app_context():
            from app.auth.models import User

            db.create_all()
            user = User(email="known@example.org", role="officer", full_name="Known")
            user.set_password("lantern-orbit-mango")
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        rows = []
        for label, path, known, unknown in [
            ("sign-in, wrong password", "/auth/login",
             {"email": "known@example.org", "password": "wrong-password-1"},
             {"email": "unknown@example.org", "password": "wrong-password-1"}),
            ("password reset request", "/auth/reset",
             {"email": "known@example.org"}, {"email": "unknown@example.org"}),
        ]:
            _median_ms(client, path, unknown, 3)  # warm up
            rows.append((label, _median_ms(client, path, known, rounds),
                         _median_ms(client, path, unknown, rounds)))
        for label, known_ms, unknown_ms in rows:
            print(f"{label:26} known {known_ms:7.1f} ms   unknown {unknown_ms:7.1f} ms   "
                  f"(median of {rounds})")


if __name__ == "__main__":
    main()
