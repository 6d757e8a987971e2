"""Profile one request of each kind in-process: the bare floor, the stack floor and the partner read (issue 14).

    .venv/bin/python bench/profile_requests.py [--families 2000] [--requests 2000] [--top 25] [--only partner]

Builds a small borough with bench/partner_read.py's loader in a throw-away database `coord_bench_profile`,
creates bench/floor_app.py's app exactly as gunicorn would (production settings, Redis rate-limit storage), and
calls its WSGI callable directly — no server, no sockets — for `--requests` prepared requests of each kind. For
each it prints wall and CPU time per request, SQL statements and Redis commands per request, and then the
cProfile of the same requests (the functions with the most own time, and the project's own functions by
cumulative time). CPU time per request is what the Python side costs; wall minus CPU is mostly waiting on
PostgreSQL and Redis (round trips and the commit's WAL flush).
"""
from __future__ import annotations

import argparse
import base64
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from bench import partner_read  # noqa: E402
from bench.save_section import drop_database  # noqa: E402
from coordination.crypto import BlindIndex, KeyRing  # noqa: E402
from coordination.db import make_engine  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402

PROFILE_DB = "coord_bench_profile"


def environs(lines: list[str]) -> list[dict]:
    out = []
    for line in lines:
        path, _, secret = line.partition("\t")
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        out.append(EnvironBuilder(path=path, headers=headers, base_url="http://127.0.0.1:8000").get_environ())
    return out


def call(app, environ: dict) -> int:
    status: list[str] = []

    def start_response(s, _headers, _exc=None):
        status.append(s)

    body = app(dict(environ), start_response)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0])


class Counters:
    """SQL statements (every engine in the process) and Redis commands sent, while running."""

    def __init__(self) -> None:
        self.sql = 0
        self.redis = 0
        event.listen(__import__("sqlalchemy").engine.Engine, "before_cursor_execute", self._on_sql)
        import redis.connection

        original = redis.connection.AbstractConnection.send_command
        counters = self

        def send_command(conn, *args, **kwargs):
            counters.redis += 1
            return original(conn, *args, **kwargs)

        redis.connection.AbstractConnection.send_command = send_command  # type: ignore[method-assign]

    def _on_sql(self, *_args) -> None:
        self.sql += 1


class PostgresCpu:
    """CPU seconds used so far by the PostgreSQL backends serving one database (read from /proc): the database's
    side of a request, which this process's own CPU time leaves out. Only that database's backends, so other work on
    the machine's server does not count; 0 where /proc is unreadable."""

    def __init__(self, server_url: str, database: str) -> None:
        self.engine = create_engine(server_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.database = database

    def __call__(self) -> float:
        with self.engine.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                {"d": self.database}).scalars().all()
        total = 0
        for pid in pids:
            try:
                parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += int(parts[11]) + int(parts[12])  # utime, stime (fields 14 and 15 of proc(5))
        return total / os.sysconf("SC_CLK_TCK")


def measure(app, name: str, envs: list[dict], counters: Counters, top: int, prof: bool,
            callers: str = "", postgres_cpu=lambda: 0.0) -> None:
    for environ in envs[:200]:
        call(app, environ)
    counters.sql = counters.redis = 0
    statuses: dict[int, int] = {}
    wall0, cpu0, pg0 = time.perf_counter(), time.process_time(), postgres_cpu()
    for environ in envs:
        code = call(app, environ)
        statuses[code] = statuses.get(code, 0) + 1
    wall, cpu, pg = time.perf_counter() - wall0, time.process_time() - cpu0, postgres_cpu() - pg0
    n = len(envs)
    print(f"\n== {name}: {n} requests {dict(sorted(statuses.items()))}")
    print(f"   per request: wall {wall / n * 1000:.2f} ms, CPU {cpu / n * 1000:.2f} ms, "
          f"PostgreSQL CPU {pg / n * 1000:.2f} ms, SQL statements {counters.sql / n:.2f}, "
          f"Redis commands {counters.redis / n:.2f}")
    if not prof:
        return
    profiler = cProfile.Profile()
    profiler.enable()
    for environ in envs:
        call(app, environ)
    profiler.disable()
    total = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    print(f"   Python function calls per request: {total / n:.0f} (load-independent, unlike the times)")
    by_package = r"/(coordination|schemas|bench|flask_limiter|flask|marshmallow|werkzeug)/"
    for title, sort, restrict in (("own time", "tottime", ""), ("calls", "ncalls", ""),
                                  ("cumulative, by package", "cumulative", by_package)):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf).sort_stats(sort)
        stats.print_stats(restrict, top) if restrict else stats.print_stats(top)
        lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
        start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
        print(f"   -- profile, {title} (per {n} requests):")
        for ln in lines[start:start + top + 1]:
            print("   " + ln)
    if callers:
        print(f"   -- who calls {callers}:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_callers(callers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--consents", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", default="bare,floor,partner")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--callers", default="", help="also print the callers of functions matching this")
    parser.add_argument("--no-limiter", action="store_true", help="turn the rate limiter off (to see its cost)")
    parser.add_argument("--server-url", default=os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--not-covered", type=float, default=0.05,
                        help="share of partner reads asking for a family without cover (404)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    url = make_url(args.server_url).set(database=PROFILE_DB).render_as_string(hide_password=False)
    admin_engine = create_engine(args.server_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PROFILE_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PROFILE_DB}"'))
    admin_engine.dispose()
    try:
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        enc = "bench1:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
        blind_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        ring = KeyRing([("bench1", base64.urlsafe_b64decode(enc.split(":", 1)[1]))])
        data = partner_read.load(engine, ring, BlindIndex(base64.urlsafe_b64decode(blind_key)), args, rng)
        engine.dispose()
        workdir = Path(tempfile.mkdtemp(prefix="coord-bench-profile-"))
        os.environ.update(partner_read.server_env(url, workdir / "instance", enc, blind_key))
        from bench.floor_app import app

        if args.no_limiter:
            from coordination.extensions import limiter

            limiter.enabled = False

        counters = Counters()
        postgres_cpu = PostgresCpu(args.server_url, PROFILE_DB)
        floor_lines, partner_lines = partner_read.request_lines(
            data, rng, args.requests, "/api/v1/families/{family_id}/assessment", args.not_covered)
        bare_lines = [ln.replace("/api/v1/bench/floor/", "/bare/", 1) for ln in floor_lines]
        kinds = {"bare": bare_lines, "floor": floor_lines, "partner": partner_lines}
        print(f"load average {os.getloadavg()[0]:.2f}")
        for name in args.only.split(","):
            measure(app, name, environs(kinds[name]), counters, args.top, not args.no_profile,
                    args.callers, postgres_cpu)
        print(f"\nload average {os.getloadavg()[0]:.2f}")
        return 0
    finally:
        drop_database(url, args.server_url)


if __name__ == "__main__":
    sys.exit(main())
