"""Benchmark: the outbox relay's throughput (events/s into Redis) and end-to-end handling (handled/s).

    .venv/bin/python bench/relay_throughput.py [--messages 20000] [--batch 500] [--handle 20000]
                                               [--server-url URL] [--redis-url URL] [--keep]

Creates a throw-away database `coord_relay_bench` on the server of TEST_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), applies the real migrations, bulk-inserts `--messages`
outbox messages on a topic of the bench's own (BENCH_TOPIC: no handler knows it, so handling one is the
handler's bookkeeping alone: the ProcessedMessage row and the commit, no email), then measures against the
real Redis at REDIS_URL (default redis://127.0.0.1:6379/14, a queue of its own, emptied afterwards):
- relay: `jobs.relay.relay_once` in batches of `--batch` until the outbox is drained (claim with FOR UPDATE
  SKIP LOCKED, one pipelined enqueue per batch, mark dispatched, commit) → events/s;
- end to end: an rq SimpleWorker in burst mode (one process, no fork per job, as `rq worker
  --worker-class rq.SimpleWorker` would run) handling `--handle` of those jobs with the real
  `jobs.handlers.handle` (unit of work, ProcessedMessage, commit) → handled/s.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402
from rq import Queue, SimpleWorker  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_relay_bench"
BENCH_TOPIC = "bench.no-effect"


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--handle", type=int, default=None, help="jobs the worker handles (default: all)")
    parser.add_argument("--server-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    admin = create_engine(args.server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    url = make_url(args.server_url).set(database=BENCH_DB).render_as_string(hide_password=False)
    queue_name = f"relay-bench-{uuid.uuid4().hex[:8]}"
    os.environ.update({
        "COORDINATION_ENV": "test", "INSTANCE_PATH": tempfile.mkdtemp(prefix="relay-bench-"), "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(48), "ENCRYPTION_KEYS": "b1:" + _key(), "BLIND_INDEX_KEY": _key(),
        "AUDIT_SIGNING_KEY": _key(), "REDIS_URL": args.redis_url, "OUTBOX_QUEUE": queue_name,
    })

    from coordination.extensions import state
    from coordination.jobs.relay import relay_once
    from coordination.jobs.runtime import worker_app
    from coordination.migrate import upgrade
    from coordination.models import OutboxMessage, ProcessedMessage

    app_state = state(worker_app())
    upgrade(app_state.engine)
    connection = Redis.from_url(args.redis_url)
    queue = Queue(queue_name, connection=connection)
    try:
        now = dt.datetime.now(dt.UTC)
        with app_state.engine.begin() as conn:
            for start in range(0, args.messages, 5000):
                conn.execute(insert(OutboxMessage), [
                    {"id": uuid.uuid4(), "topic": BENCH_TOPIC, "payload": {}, "created_at": now, "available_at": now,
                     "attempts": 0} for _ in range(start, min(start + 5000, args.messages))])
        with app_state.engine.connect() as conn:
            version = conn.execute(text("show server_version")).scalar()

        started = time.perf_counter()
        relayed = 0
        while (result := relay_once(app_state, args.batch)).dispatched:
            relayed += result.dispatched
        relay_seconds = time.perf_counter() - started
        assert relayed == args.messages, (relayed, args.messages)

        to_handle = min(args.handle or args.messages, args.messages)
        worker = SimpleWorker([queue], connection=connection)
        started = time.perf_counter()
        worker.work(burst=True, max_jobs=to_handle, logging_level="WARNING")
        handle_seconds = time.perf_counter() - started
        with app_state.engine.connect() as conn:
            handled = conn.execute(select(func.count()).select_from(ProcessedMessage)).scalar()

        print(f"machine: nproc {os.cpu_count()}, PostgreSQL {version}, Redis {connection.info()['redis_version']}")
        print(f"relay:      {relayed} messages in {relay_seconds:.2f} s, batch {args.batch}: "
              f"{relayed / relay_seconds:,.0f} events/s")
        print(f"end to end: {handled} handled by one SimpleWorker in {handle_seconds:.2f} s: "
              f"{handled / handle_seconds:,.0f} handled/s")
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)
        app_state.engine.dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
