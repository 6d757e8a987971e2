"""Benchmark: making a referral (with its audit event and outbox message) on PostgreSQL with 1,000,000 referrals.

    .venv/bin/python bench/metrics_scale.py --sizes 1000000 --keep      # once: the synthetic region (~6 min)
    .venv/bin/python bench/create_referral.py [--referrals 300] [--threads 1,4] [--database-url URL]

It uses the region `metrics_scale.py --keep` left in `coord_metrics_bench` (30 agencies, ~333,000 families,
1,000,000 referrals on all nine pathways, ~1.7 million clock rows) and times the real code path a staff request
or a partner's `POST /referrals` runs, each in its own session as a web request would:
`services.referrals.create_referral(...)` with an Idempotency-Key + `uow.commit()`: the scoped family read, the
idempotency look-up, validation (pathway, agency, child, dates), the re-referral look-up (the child's last closed
referral on the pathway), AES-GCM of the reason, the referral row, its "received" event, the clocks computed on
the working-day calendar, the outbox message, the audit event appended to the hash chain, commit.
With several threads, every referral contends for the audit chain head, which is the point. The referrals it
makes stay in the database (a second run starts from a few hundred more).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.db import UnitOfWork, make_engine, make_session_factory  # noqa: E402
from coordination.domain.actors import Actor  # noqa: E402
from coordination.services import admin, auth, referrals  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from metrics_scale import bench_keys  # noqa: E402

# The audit chain key of this throw-away bench database (fictional data; never a real key).
BENCH_AUDIT_KEY = b"bench-only audit chain key: not secret"

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_metrics_bench"
REASON = "Fictional benchmark referral: low mood and not attending school for three weeks."


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--referrals", type=int, default=300, help="referrals per thread setting")
    parser.add_argument("--threads", default="1,4")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    server = os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER
    url = args.database_url or make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=8)
    sessions = make_session_factory(engine)
    ring, blind = bench_keys()
    with engine.connect() as conn:
        print(conn.execute(text("SELECT version()")).scalar_one())
        n_referrals = conn.execute(text("SELECT count(*) FROM referral")).scalar_one()
        n_clocks = conn.execute(text("SELECT count(*) FROM referral_clock")).scalar_one()
        team = conn.execute(text("SELECT id FROM agency WHERE name = 'Northmere Early Help'")).scalar_one()
        camhs = conn.execute(text("SELECT id FROM agency WHERE name = 'Region CAMHS'")).scalar_one()
        families = conn.execute(text(
            "SELECT f.id, p.id FROM family f JOIN person p ON p.family_id = f.id AND p.role = 'child' "
            "WHERE f.owning_agency_id = :team ORDER BY f.id LIMIT 5000"), {"team": team}).all()
    print(f"machine: nproc {len(os.sched_getaffinity(0))}; loaded: {n_referrals:,} referrals, {n_clocks:,} clocks; "
          f"{len(families):,} families held by the referring team")

    session = sessions()
    uow = UnitOfWork(session=session, keys=ring, blind=blind, request_id="bench-setup", audit_key=BENCH_AUDIT_KEY)
    email = f"referrer-{uuid.uuid4().hex[:8]}@northmere.example"
    user = admin.add_user(uow, Actor.system("bench"), email, "Bench Referrer", team, "practitioner",
                          "a fictional pass phrase for the bench")
    uow.commit()
    actor = auth.actor_for_user(user)
    session.close()

    rng = random.Random(args.seed)
    for threads in [int(t) for t in args.threads.split(",")]:
        timings: list[float] = []
        lock = threading.Lock()
        per_thread = max(1, args.referrals // threads)
        picks = [rng.sample(families, per_thread) for _ in range(threads)]

        def work(mine, timings=timings, lock=lock) -> None:
            for family_id, child_id in mine:
                s = sessions()
                u = UnitOfWork(session=s, keys=ring, blind=blind, request_id="bench", audit_key=BENCH_AUDIT_KEY)
                t0 = time.perf_counter()
                referrals.create_referral(u, actor, family_id, child_id, "camhs", camhs, REASON, "routine",
                                          idempotency_key=uuid.uuid4().hex)
                u.commit()
                took = time.perf_counter() - t0
                s.close()
                with lock:
                    timings.append(took)

        started = time.perf_counter()
        workers = [threading.Thread(target=work, args=(picks[i],)) for i in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - started
        ms = [t * 1000 for t in timings]
        print(f"threads {threads}: {len(ms)} referrals in {wall:.1f} s = {len(ms) / wall:.0f}/s; "
              f"p50 {statistics.median(ms):.1f} ms  p95 {pct(ms, 0.95):.1f} ms  p99 {pct(ms, 0.99):.1f} ms  "
              f"max {max(ms):.1f} ms")
    with engine.connect() as conn:
        outbox = conn.execute(text("SELECT count(*) FROM outbox_message WHERE topic = 'referral.created'")).scalar_one()
        print(f"outbox: {outbox:,} referral.created messages waiting for the relay")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
