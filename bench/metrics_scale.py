"""Benchmark: the timeliness dashboard's full query set over a synthetic region at 10k, 100k and 1M referrals.

    .venv/bin/python bench/metrics_scale.py [--sizes 10000,100000,1000000] [--runs 30]
                                            [--server-url URL] [--keep] [--explain]

Creates a throw-away database `coord_metrics_bench` on the server of TEST_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), applies the real Alembic migrations, and bulk-loads (psycopg
COPY) a region: 30 agencies of every type (four councils, each with an early help team, social care and a SEND
team), families (one per ~3 referrals; one child each, names really encrypted so the drill-down can show them;
placeholder ciphertext is not needed elsewhere because encryption is not measured), and referrals across all
pathways over five years with a realistic mix of status, urgency, age, ward and re-referrals. Their
`referral_clock` rows come from the real `domain.pathways.compute_clocks` and `WorkingCalendar` (due dates
memoised). Loading is cumulative: measured at each size in `--sizes`.

Measured, one session per run as a request would have, after a warm-up:
- `timeliness`: services.reporting.metrics.timeliness for the last 12 months (completed figures, open/overdue, monthly
  trend, re-referrals) — the dashboard's page;
- `age_band`: the same with breakdown=age_band;
- `drill`: services.reporting.metrics.children_behind for social care decisions overdue;
- `full set`: the three, one after another.
for (a) the manager of one council's early help team and (b) the region (Actor.system()).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.crypto import BlindIndex, KeyRing, associated_data  # noqa: E402
from coordination.db import UnitOfWork, make_engine, make_session_factory  # noqa: E402
from coordination.domain.actors import Actor, ActorKind, AgencyType, Role  # noqa: E402
from coordination.domain.calendar import WorkingCalendar  # noqa: E402
from coordination.domain.cin_census import new_la_child_id  # noqa: E402
from coordination.domain.pathways import compute_clocks, default_pathways  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402
from coordination.repositories import working_days  # noqa: E402
from coordination.services.reporting import metrics  # noqa: E402

# The audit chain key of this throw-away bench database (fictional data; never a real key).
BENCH_AUDIT_KEY = b"bench-only audit chain key: not secret"

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_metrics_bench"
YEARS = 5
COUNCILS = ("Northmere", "Eastmere", "Southmere", "Westmere")
# pathway: (share of referrals, typical days between stages)
MIX = {
    "early_help": (30, 20), "social_care": (15, 25), "ehc_needs_assessment": (8, 40),
    "mental_health_support_team": (8, 20), "camhs": (12, 30), "camhs_crisis": (4, 0.4),
    "eating_disorder": (3, 12), "neurodevelopmental": (10, 90), "voluntary_sector": (10, 8),
}
ROUTES = {  # the stages a referral walks through after acceptance
    "early_help": ("assessment", "plan", "review"),
    "social_care": ("assessment", "assessment_authorised", "child_in_need_plan"),
    "mental_health_support_team": ("first_contact", "intervention"),
    "camhs": ("first_contact", "treatment"),
    "camhs_crisis": ("response", "follow_up"),
    "eating_disorder": ("assessment", "treatment"),
    "neurodevelopmental": ("assessment", "diagnosis"),
    "voluntary_sector": ("support",),
}


class MemoCalendar(WorkingCalendar):
    """The real calendar with its due-date arithmetic memoised (millions of clocks, a few thousand days)."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple[dt.date, int], dt.date] = {}

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        key = (start, n)
        if key not in self._memo:
            self._memo[key] = super().add_working_days(start, n)
        return self._memo[key]


# ---- set-up --------------------------------------------------------------------------------------------

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


class Region:
    def __init__(self, rng: random.Random, ring: KeyRing, now: dt.datetime) -> None:
        self.rng, self.ring, self.now = rng, ring, now
        self.agencies: list[tuple[uuid.UUID, str, str]] = []
        self.council: dict[str, dict[str, uuid.UUID]] = {}
        for c in COUNCILS:
            self.council[c] = {
                "early_help": self._agency(f"{c} Early Help", AgencyType.COUNCIL_EARLY_HELP),
                "social_care": self._agency(f"{c} Children's Social Care", AgencyType.SOCIAL_CARE),
                "send": self._agency(f"{c} SEND Team", AgencyType.SEND_SERVICE),
                "school1": self._agency(f"{c} Academy", AgencyType.SCHOOL),
                "school2": self._agency(f"{c} Primary School", AgencyType.SCHOOL),
            }
        self.camhs = self._agency("Region CAMHS", AgencyType.MENTAL_HEALTH)
        self.mhst = self._agency("Region Mental Health Support Teams", AgencyType.MENTAL_HEALTH)
        self.trust = self._agency("Region Children's Health Trust", AgencyType.HEALTH)
        self.gp = self._agency("Region GP Federation", AgencyType.HEALTH)
        self.police = [self._agency("Region Police", AgencyType.POLICE),
                       self._agency("Region Police Safeguarding Hub", AgencyType.POLICE)]
        self.voluntary = [self._agency(f"Region Family Charity {i}", AgencyType.VOLUNTARY) for i in (1, 2, 3)]
        self.college = self._agency("Region Sixth Form College", AgencyType.SCHOOL)
        self.families: list[tuple[uuid.UUID, uuid.UUID, str, str, uuid.UUID]] = []  # id, child, council, ward, owner
        self.pathway_names = list(MIX)
        self.pathway_weights = [MIX[p][0] for p in self.pathway_names]

    def _agency(self, name: str, kind: AgencyType) -> uuid.UUID:
        aid = uuid.uuid4()
        self.agencies.append((aid, name, kind.value))
        return aid

    def add_families(self, n: int) -> tuple[list, list]:
        fam_rows, person_rows = [], []
        stamp = self.now
        for _ in range(n):
            index = len(self.families)
            council = COUNCILS[index % len(COUNCILS)]
            ward = f"{council} ward {self.rng.randint(1, 12)}"
            owner = self.council[council]["early_help" if self.rng.random() < 0.8 else "social_care"]
            fid, pid = uuid.uuid4(), uuid.uuid4()
            fam_rows.append((fid, f"B{index:08d}", owner, ward, stamp, stamp))
            person_rows.append((pid, fid, "child", 0, stamp,
                                self.ring.encrypt(f"Child{index}", associated_data("person", "given_name", pid)),
                                self.ring.encrypt("Benchfamily", associated_data("person", "family_name", pid)),
                                new_la_child_id()))
            self.families.append((fid, pid, council, ward, owner))
        return fam_rows, person_rows

    def referral(self, pathways, calendar) -> tuple[tuple, list[tuple]]:
        rng = self.rng
        pathway = rng.choices(self.pathway_names, self.pathway_weights)[0]
        fid, child, council, ward, owner = rng.choice(self.families)
        c = self.council[council]
        to = {"early_help": c["early_help"], "social_care": c["social_care"], "ehc_needs_assessment": c["send"],
              "mental_health_support_team": self.mhst, "camhs": self.camhs, "camhs_crisis": self.camhs,
              "eating_disorder": self.trust, "neurodevelopmental": self.trust,
              "voluntary_sector": rng.choice(self.voluntary)}[pathway]
        senders = [c["school1"], c["school2"], c["early_help"], self.gp, rng.choice(self.police), None]
        sender = rng.choice([s for s in senders if s != to])
        span = YEARS * 365 * 86400
        received = self.now - dt.timedelta(seconds=rng.randint(0, span))
        received = received.replace(hour=rng.randint(8, 17))
        if received > self.now:
            received -= dt.timedelta(days=1)
        urgency = rng.choices(("routine", "urgent", "very_urgent"), (80, 16, 4))[0]
        if pathway == "camhs_crisis":
            urgency = rng.choice(("urgent", "very_urgent"))
        scale = MIX[pathway][1]
        hours = pathway == "camhs_crisis"

        def later(t: dt.datetime, mean: float) -> dt.datetime:
            if hours:
                return t + dt.timedelta(hours=rng.expovariate(1 / max(mean * 24, 1)))
            return t + dt.timedelta(days=int(rng.expovariate(1 / max(mean, 0.5))), hours=rng.randint(0, 3))

        events: dict[str, dt.datetime] = {"received": received}
        status, stage, decision, decided_at, closed_at, outcome = "received", pathway_first(pathways, pathway), \
            None, None, None, None
        decided = later(received, 0.3 if hours else 3)
        if decided <= self.now:
            events["decided"] = decided
            decided_at = decided
            if rng.random() < 0.15:
                status, decision = "declined", "declined"
            else:
                status, decision = "accepted", "accepted"
                events["accepted"] = decided
                route = ROUTES.get(pathway) or (
                    ("assessment", "no_plan") if rng.random() < 0.25 else ("assessment", "draft_plan", "final_plan"))
                t = decided
                for next_stage in route:
                    t = later(t, scale)
                    if t > self.now:
                        break
                    events[f"entered:{next_stage}"] = t
                    stage, status = next_stage, "in_progress"
                else:
                    t = later(t, scale * 2)
                    if t <= self.now and rng.random() < 0.85:
                        events["closed"], status, closed_at, outcome = t, "closed", t, "support_complete"
        rid = uuid.uuid4()
        age = rng.randint(0, 17) if rng.random() < 0.95 else rng.randint(18, 24)
        age_or_none = age if rng.random() < 0.97 else None
        ward_or_none = ward if rng.random() < 0.95 else None
        ref = (rid, received, fid, child, pathway, sender, to, owner, urgency, status, stage, received.date(),
               received, decision, decided_at, closed_at, outcome, rng.random() < 0.08, "[]", age_or_none,
               ward_or_none, self.now)
        clocks = []
        for s in compute_clocks(pathways[pathway], events, urgency, self.now, calendar):
            clocks.append((uuid.uuid4(), rid, pathway, s.name, to, sender, owner, urgency, ward_or_none, age_or_none,
                           s.started_at, s.started_on, s.due_on, s.due if isinstance(s.due, dt.datetime) else None,
                           s.stopped_at, s.stopped_on, s.within_target, s.excepted, s.statutory, s.limit))
        return ref, clocks


def pathway_first(pathways, key: str) -> str:
    return pathways[key].first_stage


REF_COLS = ("id, created_at, family_id, child_id, pathway, from_agency_id, to_agency_id, owning_agency_id, urgency, "
            "status, stage, "
            "received_on, received_at, decision, decided_at, closed_at, outcome, re_referral, sections_shared, "
            "child_age_at_referral, ward, updated_at")
CLOCK_COLS = ("id, referral_id, pathway, name, to_agency_id, from_agency_id, owning_agency_id, urgency, ward, "
              "child_age_at_referral, started_at, started_on, due_on, due_at, stopped_at, stopped_on, within_target, "
              "excepted, statutory, limit_text")


def copy_rows(cur, table: str, cols: str, rows) -> None:
    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(engine, region: Region, referrals: int, first_batch: bool) -> dict:
    pathways = default_pathways()
    calendar = MemoCalendar() if not hasattr(region, "calendar") else region.calendar
    region.calendar = calendar  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        if first_batch:
            copy_rows(cur, "agency", "id, name, type, created_at",
                      [(a, n, k, region.now) for a, n, k in region.agencies])
        fams, people = region.add_families(max(1, referrals // 3))
        copy_rows(cur, "family", "id, reference, owning_agency_id, ward, created_at, updated_at", fams)
        copy_rows(cur, "person",
                  "id, family_id, role, position, created_at, given_name_ct, family_name_ct, la_child_id", people)
        clocks_total = 0
        batch = 50_000
        for start in range(0, referrals, batch):
            refs, clocks = [], []
            for _ in range(min(batch, referrals - start)):
                r, cs = region.referral(pathways, calendar)
                refs.append(r)
                clocks.extend(cs)
            copy_rows(cur, "referral", REF_COLS, refs)
            copy_rows(cur, "referral_clock", CLOCK_COLS, clocks)
            clocks_total += len(clocks)
        raw.driver_connection.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        from sqlalchemy.orm import Session
        with Session(bind=conn) as s:
            working_days.ensure_range(s, WorkingCalendar(), region.now.date() - dt.timedelta(days=366 * (YEARS + 4)),
                                      region.now.date() + dt.timedelta(days=800))
            s.flush()
    load_s = time.perf_counter() - t0
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        t1 = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        analyze_s = time.perf_counter() - t1
    return {"load_s": load_s, "analyze_s": analyze_s, "clocks": clocks_total}


# ---- timing ------------------------------------------------------------------------------------------

def manager_actor(region: Region) -> Actor:
    return Actor(kind=ActorKind.USER, agency_id=region.council["Northmere"]["early_help"],
                 agency_type=AgencyType.COUNCIL_EARLY_HELP, role=Role.MANAGER, user_id=uuid.uuid4(),
                 display="bench manager")


def run_once(sessions, ring, blind, actor: Actor, first: dt.date, last: dt.date) -> dict[str, float]:
    out = {}
    session = sessions()
    try:
        uow = UnitOfWork(session=session, keys=ring, blind=blind, request_id="bench", audit_key=BENCH_AUDIT_KEY)
        t0 = time.perf_counter()
        metrics.timeliness(uow, actor, first, last)
        t1 = time.perf_counter()
        metrics.timeliness(uow, actor, first, last, breakdown="age_band")
        t2 = time.perf_counter()
        metrics.children_behind(uow, actor, pathway="social_care", clock="decision", first=first, last=last,
                                which="overdue")
        t3 = time.perf_counter()
        out = {"timeliness": t1 - t0, "age_band": t2 - t1, "drill": t3 - t2, "full set": t3 - t0}
    finally:
        session.rollback()
        session.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def measure(sessions, ring, blind, actor, first, last, runs: int) -> dict[str, tuple[float, float, float]]:
    for _ in range(3):
        run_once(sessions, ring, blind, actor, first, last)
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        for k, v in run_once(sessions, ring, blind, actor, first, last).items():
            samples.setdefault(k, []).append(v * 1000)
    return {k: (statistics.median(v), pct(v, 0.95), max(v)) for k, v in samples.items()}


def explain(engine, sessions, ring, blind, actor, first, last) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) every statement the full set issues, slowest first."""
    from sqlalchemy import event
    captured: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run_once(sessions, ring, blind, actor, first, last)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        plans = []
        for statement, params in captured:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + statement, params)
            lines = [r[0] for r in cur.fetchall()]
            took = next((float(x.split(":")[1].split()[0]) for x in lines if x.startswith("Execution Time")), 0.0)
            plans.append((took, statement, lines))
        raw.driver_connection.rollback()
    finally:
        raw.close()
    for took, statement, lines in sorted(plans, key=lambda p: -p[0])[:4]:
        print(f"\n--- {took:.1f} ms: {' '.join(statement.split())[:160]} …")
        print("\n".join(lines))


def clear_summary(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM metrics_summary"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE metrics_summary"))


def refresh(engine, sessions, ring, blind) -> tuple[float, int]:
    """services.reporting.metrics.refresh_summary as the nightly job runs it, then VACUUM ANALYZE (as autovacuum)."""
    session = sessions()
    try:
        uow = UnitOfWork(session=session, keys=ring, blind=blind, request_id="bench", audit_key=BENCH_AUDIT_KEY)
        t0 = time.perf_counter()
        rows = metrics.refresh_summary(uow, Actor.system("bench"))
        uow.commit()
        took = time.perf_counter() - t0
    finally:
        session.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE metrics_summary"))
    return took, rows


def bench_keys() -> tuple[KeyRing, BlindIndex]:
    """Fixed keys for this throw-away synthetic region, so that a --measure-only run (and bench/create_referral.py)
    can open the names a --keep run sealed. Never a real key: the data is fictional and the database is dropped."""
    return (KeyRing([("bench1", hashlib.sha256(b"coordination metrics bench").digest())]),
            BlindIndex(hashlib.sha256(b"coordination metrics bench blind index").digest()))


def measure_only(args) -> int:
    server = args.server_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER
    engine = make_engine(make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False), pool_size=2)
    sessions = make_session_factory(engine)
    ring, blind = bench_keys()
    with engine.connect() as conn:
        agency = conn.execute(text("SELECT id FROM agency WHERE name = 'Northmere Early Help'")).scalar_one()
        n = conn.execute(text("SELECT count(*) FROM referral")).scalar_one()
    manager = Actor(kind=ActorKind.USER, agency_id=agency, agency_type=AgencyType.COUNCIL_EARLY_HELP,
                    role=Role.MANAGER, user_id=uuid.uuid4(), display="bench manager")
    last = dt.datetime.now(dt.UTC).date()
    first = last.replace(year=last.year - 1) + dt.timedelta(days=1)
    if args.refresh:
        took, rows = refresh(engine, sessions, ring, blind)
        print(f"summary refresh: {rows:,} rows in {took:.1f} s")
    for label, actor in (("manager", manager), ("region", Actor.system("bench"))):
        stats = measure(sessions, ring, blind, actor, first, last, args.runs)
        print(f"N={n:,} {label:8s} " + "  ".join(f"{k} p50 {v[0]:.0f} p95 {v[1]:.0f} max {v[2]:.0f} ms"
                                                for k, v in stats.items()))
        if args.explain:
            explain(engine, sessions, ring, blind, actor, first, last)
    engine.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--live-runs", type=int, default=5,
                        help="runs without the summary above 100,000 referrals (each takes seconds)")
    parser.add_argument("--refresh", action="store_true", help="with --measure-only: rebuild the summary first")
    parser.add_argument("--server-url")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the slowest statements")
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the database a --keep run left, without loading (for iterating)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.measure_only:
        return measure_only(args)
    sizes = [int(s) for s in args.sizes.split(",")]
    server = args.server_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER
    url = create_database(server)
    try:
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        sessions = make_session_factory(engine)
        ring, blind = bench_keys()
        now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        region = Region(random.Random(args.seed), ring, now)
        last = now.date()
        first = last.replace(year=last.year - 1) + dt.timedelta(days=1)
        with engine.connect() as conn:
            print(conn.execute(text("SELECT version()")).scalar_one())
        print(f"machine: nproc {len(os.sched_getaffinity(0))}; period {first} – {last}; {args.runs} runs each")
        results, loaded = [], 0
        for size in sizes:
            info = load(engine, region, size - loaded, loaded == 0)
            loaded = size
            with engine.connect() as conn:
                db_size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")
                                       ).scalar_one()
                n_clocks = conn.execute(text("SELECT count(*) FROM referral_clock")).scalar_one()
            print(f"\nN={size:,}: loaded {info['clocks']:,} clocks in {info['load_s']:.1f} s "
                  f"(ANALYZE {info['analyze_s']:.1f} s); referral_clock {n_clocks:,} rows; database {db_size}")
            for mode in ("live", "summary"):
                if mode == "live":
                    clear_summary(engine)
                    runs = args.runs if size <= 100_000 else args.live_runs
                else:
                    took, rows = refresh(engine, sessions, ring, blind)
                    print(f"  summary refresh: {rows:,} rows in {took:.1f} s")
                    runs = args.runs
                for label, actor in (("manager", manager_actor(region)), ("region", Actor.system("bench"))):
                    stats = measure(sessions, ring, blind, actor, first, last, runs)
                    results.append((size, label, mode, runs, stats))
                    print(f"  {mode:8s} {label:8s} " + "  ".join(
                        f"{k} p50 {v[0]:.0f} p95 {v[1]:.0f} max {v[2]:.0f} ms" for k, v in stats.items()))
                    if args.explain and size == sizes[-1]:
                        explain(engine, sessions, ring, blind, actor, first, last)
        print("\n| N | actor | figures from | runs | timeliness p50 | p95 | max | + age_band p95 | + drill p95 "
              "| full set p95 |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for size, label, mode, runs, s in results:
            t = s["timeliness"]
            print(f"| {size:,} | {label} | {mode} | {runs} | {t[0]:.0f} ms | {t[1]:.0f} ms | {t[2]:.0f} ms | "
                  f"{s['age_band'][1]:.0f} ms | {s['drill'][1]:.0f} ms | {s['full set'][1]:.0f} ms |")
        engine.dispose()
    finally:
        if not args.keep:
            drop_database(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
