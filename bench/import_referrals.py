"""Benchmark: `flask referrals import` of a generated file of historic referrals on PostgreSQL.

    .venv/bin/python bench/import_referrals.py [--rows 10000] [--server-url URL] [--keep] [--csv OUT.csv]

Creates a throw-away database `coord_import_bench` on the server of TEST_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), applies the real Alembic migrations, adds the agencies
through services.admin, and generates a valid CSV (docs/import.md columns) of `--rows` referrals over the last two
years across every pathway: about 0.7 children per row (so many children have several referrals, and some are
re-referrals), fictional names, NHS numbers in the 999 test range, decisions, stage walks, closures, exceptions
and pauses. Then it times, one unit of work each, as the command runs them:

- `check`: services.import_csv.check — decode, parse, validate every row, match children (batched blind
  index lookups), look up rows already imported;
- `apply + commit`: services.import_csv.apply and the commit — families (encryption, blind indexes, an
  empty assessment), referrals, events, pauses, exceptions, recompute_clocks per referral, the audit events
  (one per referral and family, one summary) appended to the hash chain, one transaction;
- `re-import`: the same file again (every row already imported: check only, nothing written).

Prints rows per second for each and for the whole import.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.crypto import BlindIndex, KeyRing  # noqa: E402
from coordination.db import UnitOfWork, make_engine, make_session_factory  # noqa: E402
from coordination.domain.actors import Actor  # noqa: E402
from coordination.domain.identifiers import nhs_check_digit  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402
from coordination.models import Family, Referral, ReferralClock, ReferralEvent  # noqa: E402
from coordination.services import admin, import_csv  # noqa: E402

# The audit chain key of this throw-away bench database (fictional data; never a real key).
BENCH_AUDIT_KEY = b"bench-only audit chain key: not secret"

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_import_bench"
OPERATOR = Actor.system("cli")
HUB = "Benchmere Early Help Hub"
AGENCIES = {
    HUB: "council_early_help", "Benchmere Children's Social Care": "social_care",
    "Benchmere SEND Service": "send_service", "Benchmere CAMHS": "mental_health",
    "Benchmere Mental Health Support Team": "mental_health", "Benchmere Eating Disorder Service": "health",
    "Benchmere Neurodevelopmental Service": "health", "Benchmere Young Carers": "voluntary",
    "Benchmere Primary School": "school", "Benchmere Academy": "school",
}
TO = {
    "early_help": HUB, "social_care": "Benchmere Children's Social Care",
    "ehc_needs_assessment": "Benchmere SEND Service",
    "mental_health_support_team": "Benchmere Mental Health Support Team",
    "camhs": "Benchmere CAMHS", "camhs_crisis": "Benchmere CAMHS",
    "eating_disorder": "Benchmere Eating Disorder Service",
    "neurodevelopmental": "Benchmere Neurodevelopmental Service", "voluntary_sector": "Benchmere Young Carers",
}
MIX = {"early_help": 30, "social_care": 15, "ehc_needs_assessment": 8, "mental_health_support_team": 8, "camhs": 12,
       "camhs_crisis": 4, "eating_disorder": 3, "neurodevelopmental": 10, "voluntary_sector": 10}
ROUTES = {
    "early_help": ("assessment", "plan", "review"),
    "social_care": ("assessment", "assessment_authorised", "child_in_need_plan"),
    "ehc_needs_assessment": ("assessment", "draft_plan", "final_plan"),
    "mental_health_support_team": ("first_contact", "intervention"),
    "camhs": ("first_contact", "treatment"),
    "camhs_crisis": ("response", "follow_up"),
    "eating_disorder": ("assessment", "treatment"),
    "neurodevelopmental": ("assessment", "diagnosis"),
    "voluntary_sector": ("support",),
}
GIVEN = ("Ash", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou", "Max", "Ned", "Ola",
         "Pip", "Rae", "Sol", "Tam", "Uma", "Vic", "Wren", "Xan", "Yas", "Zed")
FAMILY = ("Benchley", "Fictional", "Examplar", "Testwood", "Sampleton", "Mockford", "Dummer", "Placeholt")


def generate(rows: int, today: dt.date, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    children: list[tuple[str, str, str, str]] = []
    serial = 1
    for i in range(int(rows * 0.7) + 1):
        while nhs_check_digit(f"999{serial:06d}") is None:
            serial += 1
        nhs = f"999{serial:06d}{nhs_check_digit(f'999{serial:06d}')}"
        serial += 1
        born = today - dt.timedelta(days=rng.randint(400, 17 * 365))
        children.append((rng.choice(GIVEN), f"{rng.choice(FAMILY)}{i}", born.isoformat(), nhs))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["record_id", "given_name", "family_name", "date_of_birth", "nhs_number", "upn", "ward", "pathway",
                     "from_agency", "to_agency", "urgency", "received_on", "decision", "decided_on", "signposted_to",
                     "stages", "closed_on", "outcome", "exceptions", "pauses"])
    pathways, weights = list(MIX), list(MIX.values())
    latest = today - dt.timedelta(days=1)
    for n in range(rows):
        given, family, dob, nhs = rng.choice(children)
        pathway = rng.choices(pathways, weights)[0]
        received = max(today - dt.timedelta(days=rng.randint(2, 730)), dt.date.fromisoformat(dob))
        urgency = rng.choice(("routine", "urgent", "very_urgent")) if pathway in ("camhs_crisis", "eating_disorder") \
            else "routine"
        decision = decided = signposted = closed = outcome = exceptions = pauses = ""
        stages: list[str] = []
        if rng.random() < 0.85:
            decided_on = min(received + dt.timedelta(days=rng.randint(0, 8)), latest)
            decision, decided = ("accept" if rng.random() < 0.75 else "decline"), decided_on.isoformat()
            if decision == "decline":
                signposted = "Universal services"
            else:
                at = decided_on
                for stage in ROUTES[pathway][:rng.randint(0, len(ROUTES[pathway]))]:
                    at = at + dt.timedelta(days=rng.randint(0, 40))
                    if at > latest:
                        break
                    stages.append(f"{stage}={at.isoformat()}")
                if stages and rng.random() < 0.5:
                    closed_on = at + dt.timedelta(days=rng.randint(0, 30))
                    if closed_on <= latest:
                        closed, outcome = closed_on.isoformat(), "needs_met"
                if pathway == "ehc_needs_assessment" and rng.random() < 0.2:
                    exceptions = "10_4_a"
                if rng.random() < 0.05:
                    start = received + dt.timedelta(days=rng.randint(0, 10))
                    if start <= latest:
                        pauses = f"family_request={start.isoformat()}..{(start + dt.timedelta(days=7)).isoformat()}"
        writer.writerow([
            f"BM-{n:07d}", given, family, dob, nhs, "", f"Ward {rng.randint(1, 12)}", pathway,
            rng.choice((HUB, "Benchmere Primary School", "Benchmere Academy", "")), TO[pathway], urgency,
            received.isoformat(), decision, decided, signposted, ";".join(stages), closed, outcome, exceptions, pauses,
        ])
    return out.getvalue().encode()


def create_database(server: str) -> str:
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin_engine.dispose()
    return make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False)


def drop_database(server: str) -> None:
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
    admin_engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--server-url", default=os.environ.get("TEST_DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--csv", type=Path, default=None, help="Also write the generated file here.")
    args = parser.parse_args(argv)

    server = args.server_url
    url = create_database(server)
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        ring, blind = KeyRing([("bench1", os.urandom(32))]), BlindIndex(os.urandom(32))

        def unit() -> UnitOfWork:
            return UnitOfWork(session=sessions(), keys=ring, blind=blind, request_id="bench",
                              audit_key=BENCH_AUDIT_KEY)

        setup = unit()
        for name, kind in AGENCIES.items():
            admin.add_agency(setup, OPERATOR, name, kind)
        setup.commit()
        setup.session.close()

        started = time.perf_counter()
        data = generate(args.rows, setup.today())
        print(f"generated {args.rows} rows ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        if args.csv:
            args.csv.write_bytes(data)
        with engine.connect() as conn:
            print(conn.execute(text("SELECT version()")).scalar_one())
        print(f"machine: nproc {len(os.sched_getaffinity(0))}; Python {sys.version.split()[0]}")

        uow = unit()
        t0 = time.perf_counter()
        plan = import_csv.check(uow, OPERATOR, HUB, data)
        t1 = time.perf_counter()
        if not plan.report.ok:
            print("\n".join(plan.report.lines()[:20]))
            return 1
        import_csv.apply(uow, OPERATOR, plan)
        uow.commit()
        t2 = time.perf_counter()
        report = plan.report
        uow.session.close()

        again = unit()
        t3 = time.perf_counter()
        second = import_csv.import_referrals(again, OPERATOR, HUB, data)
        again.commit()
        t4 = time.perf_counter()
        again.session.close()

        with engine.connect() as conn:
            totals = {m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                      for m in (Referral, Family, ReferralEvent, ReferralClock)}
        rows = report.rows
        print(report.summary())
        print(f"check           {t1 - t0:7.1f} s  {rows / (t1 - t0):8.0f} rows/s")
        print(f"apply + commit  {t2 - t1:7.1f} s  {rows / (t2 - t1):8.0f} rows/s")
        print(f"whole import    {t2 - t0:7.1f} s  {rows / (t2 - t0):8.0f} rows/s")
        print(f"re-import       {t4 - t3:7.1f} s  {rows / (t4 - t3):8.0f} rows/s "
              f"({len(second.already_imported)} already imported, {second.referrals_created} created)")
        print("rows written: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    finally:
        engine.dispose()
        if not args.keep:
            drop_database(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
