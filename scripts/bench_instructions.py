"""Count what each staff page costs the app in instructions, one request at a time.

    .venv/bin/python scripts/bench_instructions.py --sqlite-file /tmp/b100k.db
    .venv/bin/python scripts/bench_instructions.py --database-url postgresql://…/built_db \
        --pages register,alumnus_record --views 5

The timed runs of scripts/bench_pages.py vary by half from run to run on a shared machine;
an instruction count does not (the same code, data and request give the same count whatever
else the machine runs), so a change to a page can be judged by one run of each. The database
is one bench_pages.py built (`--sqlite-file`, or `--existing-database-url` there); it is read
as it is (a record's page adds its view to the audit log, as it does in use).

Runs the app in this process under valgrind's callgrind (Debian's `valgrind`), signed in as
the demo officer: each page is requested three times to warm up, then `--views` times, each
view counted on its own (collection is switched on for one view at a time); the bare page of
bench_pages.py (one indexed query, 50 rows) is counted the same way, in the same process.
Counted: the app's process only (on PostgreSQL, the server's own work is not in it; the
round trips are). Prints each page's median million instructions a view and its ratio to the
bare page, and ends with one JSON line of them.
"""

from __future__ import annotations

import argparse
import collections
import glob
import importlib
import itertools
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile

from bench_pages import BARE_APP, OFFICER, ROOT, VENV_BIN, page_ids, pages, wait_for_jobs

TOGGLE = "starmap_next"  # itertools.starmap's step: one view each (no page calls starmap)


def _url(args) -> str:
    if args.database_url:
        return args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{os.path.abspath(args.sqlite_file)}"


def _count(views: int, request) -> None:
    """`views` requests, each one call of starmap's step (callgrind counts and dumps each)."""
    collections.deque(itertools.starmap(request, itertools.repeat((), views)), maxlen=0)


def _settle(engine) -> None:
    """Wait for the background work the warm-up views started (queued jobs, kept figures'
    recounts): under callgrind it runs fifty times slower, and its own steps would be counted
    as views."""
    from app.core.figure_cache import wait_for_recounts

    wait_for_jobs(engine, tries=1200)
    wait_for_recounts(timeout=600)
    engine.dispose()


def inside(args, plan_file: str) -> None:
    """Under callgrind: sign in, find the pages, count each (the plan: names in order)."""
    sys.path.insert(0, ROOT)
    os.environ.pop("ALUMNET_CONFIG", None)  # unset: production, as the server runs
    os.environ.update(DATABASE_URL=_url(args), SECRET_KEY=secrets.token_urlsafe(48),
                      BASE_URL="http://127.0.0.1:8731", BARE_DATABASE_URL=_url(args))
    from sqlalchemy import create_engine

    from app import create_app

    engine = create_engine(_url(args))
    info = page_ids(engine)
    base = "https://127.0.0.1:8731"
    client = create_app(None).test_client()
    client.environ_base["HTTP_REFERER"] = base + "/"
    form = client.get("/auth/login", base_url=base).data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form).group(1).decode()
    signed = client.post("/auth/login", base_url=base, data={
        "email": OFFICER[0], "password": OFFICER[1], "csrf_token": token})
    if signed.status_code != 302:
        raise SystemExit(f"sign-in failed ({signed.status_code})")
    measured = pages(lambda path: client.get(path, base_url=base).data, info, args.pages)
    bare_dir = tempfile.mkdtemp(prefix="bench-bare-")
    with open(os.path.join(bare_dir, "bench_bare_app.py"), "w") as out:
        out.write(BARE_APP)
    sys.path.insert(0, bare_dir)
    bare = importlib.import_module("bench_bare_app").app.test_client()
    chosen_pages = {"bare": (bare.get, "/"), **{
        n: (lambda p, get=client.get: get(p, base_url=base), p) for n, p in measured.items()}}
    for name, (get, path) in chosen_pages.items():
        for _ in range(3):
            response = get(path)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {response.status_code}")
    _settle(engine)  # what the first views started in the background is done before counting
    plan = []
    for name, (get, path) in chosen_pages.items():
        plan.append(name)
        _count(args.views, lambda get=get, path=path: get(path).close())
    with open(plan_file, "w") as out:
        json.dump(plan, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite-file", help="a database bench_pages.py built")
    where.add_argument("--database-url", help="a PostgreSQL database bench_pages.py built")
    parser.add_argument("--pages", help="only these pages, by name (bench_pages.py's names)")
    parser.add_argument("--views", type=int, default=5, choices=range(1, 51), metavar="1-50")
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # the run under callgrind
    args = parser.parse_args()
    if args.inside:
        inside(args, args.inside)
        return
    work = tempfile.mkdtemp(prefix="bench-instructions-")
    plan_file, out = os.path.join(work, "plan.json"), os.path.join(work, "callgrind.out")
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
               "--collect-atstart=no", f"--toggle-collect={TOGGLE}", f"--dump-after={TOGGLE}",
               os.path.join(VENV_BIN, "python"), os.path.abspath(__file__), *sys.argv[1:],
               "--inside", plan_file]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0 or not os.path.exists(plan_file):
        raise SystemExit(f"the run under callgrind failed:\n{done.stderr[-3000:]}")
    with open(plan_file) as plan_in:
        plan = json.load(plan_in)
    # One dump a view, then a tiny one as starmap finds the views exhausted: the page's end.
    counts, views = [], []
    for dump in sorted(glob.glob(out + ".*"), key=lambda p: int(p.rsplit(".", 1)[1])):
        with open(dump) as dump_in:
            total = next(int(line.split()[1]) for line in dump_in
                         if line.startswith(("summary:", "totals:")))
        if total < 100_000:
            counts.append(views)
            views = []
        else:
            views.append(total)
    if len(counts) != len(plan):
        raise SystemExit(f"{len(counts)} counted pages for {len(plan)} planned")
    bare = statistics.median(counts[0])
    figures = {"database": "postgresql" if args.database_url else "sqlite",
               "views": args.views, "bare_minstr": round(bare / 1e6, 2)}
    for name, page_views in zip(plan[1:], counts[1:], strict=True):
        median = statistics.median(page_views)
        figures[f"{name}_minstr"] = round(median / 1e6, 2)
        print(f"{name:24} {median / 1e6:8.2f} million instructions a view, "
              f"{median / bare:5.1f} x the bare page's", flush=True)
    print(f"{'bare':24} {bare / 1e6:8.2f} million instructions a view")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
