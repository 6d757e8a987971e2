"""Benchmark: saving and reading the one assessment over a 10,000-family borough on PostgreSQL.

    .venv/bin/python bench/save_section.py [--families 10000] [--saves 500] [--reads 300] [--threads 1,4] [--audit both]
                                           [--database-url URL | --server-url URL] [--keep]

By default it creates a throw-away database `coord_bench` on the server of TEST_DATABASE_URL (or
postgresql+psycopg://postgres@127.0.0.1:5432/test), migrates it with the real Alembic migrations, bulk-loads
synthetic families with the real field encryption and blind indexes (and one chained audit event per family),
then times the real code paths:

- save: `assessment.save_section(...)` + `uow.commit()`: permission and scoped read, row lock on the section
  head, AES-GCM of the new text, the new version row, the audit event appended to the hash chain, commit;
- read: `assessment.get_assessment(...)` + `uow.commit()`: scoped read, decrypting every section, and the
  audited read (reads are audit events too, so a read is also a write to the chain).

Each operation gets its own session, as a web request would. With several threads, each thread writes to its
own families (no version conflicts) and all of them contend for the audit chain head, which is the point.
It prints the machine, the PostgreSQL version, the load time, p50/p95/p99 latencies and operations per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import random
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import audit  # noqa: E402
from coordination.crypto import BlindIndex, KeyRing, associated_data  # noqa: E402
from coordination.db import UnitOfWork, make_engine, make_session_factory  # noqa: E402
from coordination.demo import borough, stories  # noqa: E402
from coordination.domain.actors import Actor  # noqa: E402
from coordination.domain.identifiers import nhs_check_digit  # noqa: E402
from coordination.domain.sections import SECTION_KEYS  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402
from coordination.models import (  # noqa: E402
    Assessment,
    AssessmentSection,
    Family,
    Person,
    SectionVersion,
    VoiceEntry,
)
from coordination.services import admin, assessment, auth  # noqa: E402

# The audit chain key of this throw-away bench database (fictional data; never a real key).
BENCH_AUDIT_KEY = b"bench-only audit chain key: not secret"

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_bench"
LOAD_BATCH = 500


# ---- set-up --------------------------------------------------------------------------------------------

def prepare_database(args) -> tuple[str, bool]:
    """(url, created): the given database, or a fresh `coord_bench` on the server."""
    if args.database_url:
        return args.database_url, False
    server = args.server_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin_engine.dispose()
    return make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False), True


def drop_database(url: str, server: str) -> None:
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin_engine.dispose()


def sample_texts(rng: random.Random, n: int = 64) -> list[str]:
    """Section texts of about 0.3–2 KB, cut from the demo's fictional stories."""
    ctx = {"p1": "Kerry", "p2": "Dean", "p1_call": "Mum", "p1_they": "she", "focus": "Amara", "focus_age": "12",
           "focus_months": "6", "kids": "Amara and Leon", "eldest": "Amara", "youngest": "Leon",
           "school": "Eastmere Academy", "practitioner": "Priya Fictionalsworth", "agency": borough.NORTH,
           "surname": "Fictionalsworth", "household_sentence": "I live with my children Amara (12) and Leon (6)."}
    pieces = [p.format_map(ctx) for t in stories.THEMES for p in (*t.story, t.worries, t.health)]
    texts = []
    for _ in range(n):
        chosen = rng.sample(pieces, rng.randint(1, 3))
        texts.append("\n\n".join(chosen)[: rng.randint(300, 2000)])
    return texts


def fictional_nhs_number(rng: random.Random) -> str:
    """A check-digit-valid NHS number in the 999 range reserved for testing."""
    while True:
        body = f"999{rng.randint(0, 999_999):06d}"
        check = nhs_check_digit(body)
        if check is not None:
            return body + str(check)


@dataclass
class Borough:
    family_ids: list[uuid.UUID]
    versions: dict[tuple[int, str], int]       # (family index, section key) → newest version
    actor: Actor
    texts: list[str]


def load(sessions, ring: KeyRing, blind: BlindIndex, families: int, rng: random.Random) -> Borough:
    """Agency and practitioner through the services; families bulk-inserted with real encryption."""
    uow = UnitOfWork(session=sessions(), keys=ring, blind=blind, request_id="bench",
                     audit_key=BENCH_AUDIT_KEY)
    system = Actor.system("bench")
    agency = admin.add_agency(uow, system, borough.NORTH, "council_early_help")
    user = admin.add_user(uow, system, "practitioner@eastmere.example", "Priya Fictionalsworth", agency.id,
                          "practitioner", "bench-password-" + uuid.uuid4().hex)
    uow.commit()
    actor = auth.actor_for_user(user)
    uow.session.close()

    texts = sample_texts(rng)
    family_ids: list[uuid.UUID] = []
    versions: dict[tuple[int, str], int] = {}
    stamp = dt.datetime.now(dt.UTC)
    today = stamp.date()
    for start in range(0, families, LOAD_BATCH):
        rows: dict[str, list[dict]] = {"family": [], "person": [], "assessment": [], "section": [],
                                       "version": [], "voice": []}
        for index in range(start, min(families, start + LOAD_BATCH)):
            fid = uuid.uuid4()
            family_ids.append(fid)
            rows["family"].append({"id": fid, "reference": f"EH-B{index:06d}", "owning_agency_id": agency.id,
                                   "lead_practitioner_id": user.id, "created_by_id": user.id,
                                   "created_at": stamp, "updated_at": stamp})
            n_children = rng.choice((1, 1, 2, 2, 2, 3, 4))
            people = [("parent_carer", rng.choice(borough.GIVEN_FEMALE), rng.randint(20, 50))]
            if rng.random() < 0.4:
                people.append(("parent_carer", rng.choice(borough.GIVEN_MALE), rng.randint(20, 50)))
            people += [("child", rng.choice(borough.GIVEN_CHILD), rng.randint(0, 17)) for _ in range(n_children)]
            surname = borough.FAMILY_SURNAMES[index % len(borough.FAMILY_SURNAMES)]
            children = []
            for position, (role, given, age) in enumerate(people):
                pid = uuid.uuid4()
                dob = (today - dt.timedelta(days=age * 365 + rng.randint(0, 360))).isoformat()
                nhs = fictional_nhs_number(rng)

                def seal(field: str, value: str | None, pid=pid) -> str | None:
                    return None if value is None else ring.encrypt(value, associated_data("person", field, pid))

                rows["person"].append({
                    "id": pid, "family_id": fid, "role": role, "position": position, "created_at": stamp,
                    "given_name_ct": seal("given_name", given), "family_name_ct": seal("family_name", surname),
                    "date_of_birth_ct": seal("date_of_birth", dob), "nhs_number_ct": seal("nhs_number", nhs),
                    "upn_ct": None, "nhs_number_bidx": blind("nhs", nhs), "upn_bidx": None,
                    "name_dob_bidx": blind("name_dob", given, surname, dob),
                    "surname_dob_bidx": blind("surname_dob", surname, dob),
                })
                if role == "child":
                    children.append(pid)
            aid = uuid.uuid4()
            rows["assessment"].append({"id": aid, "family_id": fid, "status": "in_progress", "created_at": stamp})
            written = set(rng.sample(SECTION_KEYS, rng.randint(3, 9)))
            for key in SECTION_KEYS:
                sid = uuid.uuid4()
                version = 1 if key in written else 0
                versions[(index, key)] = version
                rows["section"].append({"id": sid, "assessment_id": aid, "key": key, "version": version,
                                        "updated_at": stamp if version else None,
                                        "updated_by_id": user.id if version else None,
                                        "updated_by_agency_id": agency.id if version else None})
                if version:
                    vid = uuid.uuid4()
                    rows["version"].append({
                        "id": vid, "section_id": sid, "version": 1, "created_at": stamp, "created_by_id": user.id,
                        "created_by_agency_id": agency.id, "source": "staff",
                        "content_ct": ring.encrypt(rng.choice(texts), associated_data("section_version", "content",
                                                                                      vid)),
                    })
            for child in children:
                eid = uuid.uuid4()
                rows["voice"].append({
                    "id": eid, "family_id": fid, "child_id": child, "method": "own_words", "recorded_on": today,
                    "recorded_by_id": user.id, "section_key": None, "corrects_id": None, "created_at": stamp,
                    "words_ct": ring.encrypt(rng.choice(texts)[:300], associated_data("voice_entry", "words", eid)),
                })
        session = sessions()
        for model, key in ((Family, "family"), (Person, "person"), (Assessment, "assessment"),
                           (AssessmentSection, "section"), (SectionVersion, "version"), (VoiceEntry, "voice")):
            session.execute(insert(model.__table__), rows[key])
        # One chained "create family" event per family, as the real path writes.
        audit.record(session, [audit.NewEvent(action="create", record_type="family", record_id=str(r["id"]),
                                              family_id=str(r["id"]), actor_kind="user",
                                              actor_user_id=str(user.id), actor_agency_id=str(agency.id),
                                              details={"bulk_load": True}) for r in rows["family"]],
                     BENCH_AUDIT_KEY)
        session.commit()
        session.close()
    with sessions() as session:
        session.execute(text("ANALYZE"))
        session.commit()
    return Borough(family_ids, versions, actor, texts)


# ---- timing ------------------------------------------------------------------------------------------

@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    errors: int = 0


def timed(sessions, ring, blind, op, work: list, threads: int, deferred: bool = True) -> Run:
    """Run `op(uow, item)` + commit for every item, split over `threads`; one session per operation.

    `deferred` (the production path on PostgreSQL): each commit leaves its audit events pending and a sealer
    thread chains them every 0.5 s meanwhile, as the relay does; otherwise each commit chains its own events
    under the head's lock, as before issue 14."""
    run = Run()
    lock = threading.Lock()
    done = threading.Event()

    def sealer():
        while not done.wait(0.5):
            with sessions() as session:
                audit.seal(session, BENCH_AUDIT_KEY)
                session.commit()

    def worker(items):
        mine = []
        for item in items:
            uow = UnitOfWork(session=sessions(), keys=ring, blind=blind, request_id="bench",
                             audit_key=BENCH_AUDIT_KEY, defer_audit=deferred)
            t0 = time.perf_counter()
            try:
                op(uow, item)
                uow.commit()
            except Exception:  # noqa: BLE001 - counted and reported, never hidden
                uow.rollback()
                with lock:
                    run.errors += 1
            mine.append(time.perf_counter() - t0)
            uow.session.close()
        with lock:
            run.latencies.extend(mine)

    chunks = [work[t::threads] for t in range(threads)]
    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    sealing = threading.Thread(target=sealer) if deferred else None
    start = time.perf_counter()
    if sealing:
        sealing.start()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    run.wall = time.perf_counter() - start
    done.set()
    if sealing:
        sealing.join()
        with sessions() as session:
            while audit.seal(session, BENCH_AUDIT_KEY):
                session.commit()
            session.commit()
    return run


def timed_processes(url: str, ring, blind, op, work: list, processes: int, deferred: bool = True,
                    collect=None) -> tuple[Run, list]:
    """As `timed`, with forked processes instead of threads, each with its own engine and connection, as
    gunicorn's sync workers and rq's workers are: a process's threads take turns at Python's GIL, processes do
    not. Returns the run and what `collect(items)` gave back from each process (state the parent must learn,
    e.g. the section versions the saves reached). The sealer runs in this process, as the relay would."""
    mp = multiprocessing.get_context("fork")
    results = mp.Queue()
    go = mp.Barrier(processes + 1)

    def child(items) -> None:
        engine = make_engine(url, pool_size=1)
        sessions = make_session_factory(engine)
        latencies, errors = [], 0
        go.wait()
        for item in items:
            uow = UnitOfWork(session=sessions(), keys=ring, blind=blind, request_id="bench",
                             audit_key=BENCH_AUDIT_KEY, defer_audit=deferred)
            t0 = time.perf_counter()
            try:
                op(uow, item)
                uow.commit()
            except Exception:  # noqa: BLE001 - counted and reported, never hidden
                uow.rollback()
                errors += 1
            latencies.append(time.perf_counter() - t0)
            uow.session.close()
        results.put((latencies, errors, collect(items) if collect else None))
        engine.dispose()

    def run_child(items) -> None:
        try:
            child(items)
        finally:
            results.close()
            results.join_thread()
            os._exit(0)  # no inherited finalizers (the parent's pool, its sockets) run here

    chunks = [work[t::processes] for t in range(processes)]
    children = [mp.Process(target=run_child, args=(chunk,)) for chunk in chunks]
    for c in children:
        c.start()
    parent_engine = make_engine(url, pool_size=2)
    sessions = make_session_factory(parent_engine)
    done = threading.Event()

    def sealer():
        while not done.wait(0.5):
            with sessions() as session:
                audit.seal(session, BENCH_AUDIT_KEY)
                session.commit()

    sealing = threading.Thread(target=sealer) if deferred else None
    if sealing:
        sealing.start()
    run, collected = Run(), []
    go.wait()
    start = time.perf_counter()
    for _ in children:
        latencies, errors, state = results.get()
        run.latencies.extend(latencies)
        run.errors += errors
        collected.append(state)
    run.wall = time.perf_counter() - start
    for c in children:
        c.join()
    done.set()
    if sealing:
        sealing.join()
    with sessions() as session:
        while audit.seal(session, BENCH_AUDIT_KEY):
            session.commit()
        session.commit()
    parent_engine.dispose()
    return run, collected


def save_work(b: Borough, rng: random.Random, n: int, threads: int) -> list:
    """(family index, key, text) triples; thread t only gets families with index % threads == t."""
    per_thread: list[list] = [[] for _ in range(threads)]
    for i in range(n):
        t = i % threads
        index = rng.randrange(t, len(b.family_ids), threads)
        per_thread[t].append((index, rng.choice(SECTION_KEYS), rng.choice(b.texts)))
    # Interleave so `work[t::threads]` hands thread t exactly its own list.
    return [per_thread[i % threads][i // threads] for i in range(n)]


def make_save(b: Borough):
    def op(uow, item):
        index, key, content = item
        expected = b.versions[(index, key)]
        assessment.save_section(uow, b.actor, b.family_ids[index], key, content, expected)
        b.versions[(index, key)] = expected + 1   # only this thread writes this family
    return op


def make_read(b: Borough):
    def op(uow, index):
        assessment.get_assessment(uow, b.actor, b.family_ids[index])
    return op


def summary(name: str, run: Run) -> str:
    ms = sorted(x * 1000 for x in run.latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return (f"{name:<24} n={len(ms):<5} p50 {q[49]:6.1f} ms   p95 {q[94]:6.1f} ms   p99 {q[98]:6.1f} ms   "
            f"max {ms[-1]:6.1f} ms   {len(ms) / run.wall:7.1f} ops/s   errors {run.errors}")


def machine(engine) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    with engine.connect() as conn:
        pg = conn.execute(text("SELECT version()")).scalar_one()
    return [
        f"machine: nproc {len(os.sched_getaffinity(0))} ({cpu}){mem}",
        f"python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, {platform.platform()}",
        f"database: {pg}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--threads", default="1,4", help="comma-separated thread counts to run (default 1,4)")
    parser.add_argument("--processes", default="",
                        help="also run the saves in this many processes, e.g. 1,4 (how a deployment scales: "
                             "gunicorn and rq run processes; one process's threads share the GIL)")
    parser.add_argument("--database-url", help="use this (empty or migrated) PostgreSQL database as it is")
    parser.add_argument("--server-url", help="create the throw-away coord_bench database on this server")
    parser.add_argument("--keep", action="store_true", help="keep coord_bench afterwards")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--audit", choices=("deferred", "inline", "both"), default="both",
                        help="how audit events are chained: by the sealer (production), in the writer's commit "
                             "(as before issue 14), or both, one after the other (default)")
    args = parser.parse_args(argv)
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    processes = [int(p) for p in args.processes.split(",") if p.strip()]
    rng = random.Random(args.seed)

    url, created = prepare_database(args)
    engine = make_engine(url, pool_size=max(threads) + 2)
    if engine.dialect.name != "postgresql":
        print("this benchmark is for PostgreSQL", file=sys.stderr)
        return 2
    upgrade(engine)
    sessions = make_session_factory(engine)
    ring = KeyRing([("bench1", os.urandom(32))])
    blind = BlindIndex(os.urandom(32))
    for line in machine(engine):
        print(line)

    t0 = time.perf_counter()
    b = load(sessions, ring, blind, args.families, rng)
    load_s = time.perf_counter() - t0
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 - fixed names
                  for t in ("family", "person", "assessment_section", "section_version", "voice_entry",
                            "audit_event")}
        size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar_one()
    print(f"load: {args.families} families in {load_s:.1f} s ({args.families / load_s:.0f} families/s); "
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; database {size}")

    # Warm the pool, caches and statement cache; not counted.
    timed(sessions, ring, blind, make_save(b), save_work(b, rng, 30, 1), 1)
    timed(sessions, ring, blind, make_read(b), [rng.randrange(len(b.family_ids)) for _ in range(30)], 1)

    modes = {"deferred": [True], "inline": [False], "both": [False, True]}[args.audit]
    for deferred in modes:
        how = "audit events left for the sealer (production)" if deferred else "audit chained in the writer's commit"
        print(f"\nreal path, one session per operation (like a request); {how}; "
              f"load average {os.getloadavg()[0]:.2f}:")
        saves: dict[int, Run] = {}
        for n in threads:
            saves[n] = run = timed(sessions, ring, blind, make_save(b), save_work(b, rng, args.saves, n), n, deferred)
            print(summary(f"save_section x{n} thr", run))
        if 1 in saves and len(saves) > 1:
            one = len(saves[1].latencies) / saves[1].wall
            print("  saves scale: " + ", ".join(f"{n} threads {len(r.latencies) / r.wall / one:.2f}x one thread"
                                                for n, r in saves.items() if n != 1))
        if processes:
            by_process = {}
            for n in processes:
                run, reached = timed_processes(url, ring, blind, make_save(b), save_work(b, rng, args.saves, n), n,
                                               deferred, collect=lambda items: {(i, k): b.versions[(i, k)]
                                                                                for i, k, _text in items})
                for versions in reached:
                    b.versions.update(versions)
                by_process[n] = run
                print(summary(f"save_section x{n} proc", run))
            if 1 in by_process and len(by_process) > 1:
                one = len(by_process[1].latencies) / by_process[1].wall
                print("  saves scale: " + ", ".join(
                    f"{n} processes {len(r.latencies) / r.wall / one:.2f}x one process"
                    for n, r in by_process.items() if n != 1))
        for n in threads:
            reads = [rng.randrange(len(b.family_ids)) for _ in range(args.reads)]
            run = timed(sessions, ring, blind, make_read(b), reads, n, deferred)
            print(summary(f"get_assessment x{n} thr", run))

    with sessions() as session:
        t0 = time.perf_counter()
        result = audit.verify(session, BENCH_AUDIT_KEY)
        print(f"\naudit verify: {'intact' if result.ok else 'BROKEN'}, {result.count} events in "
              f"{time.perf_counter() - t0:.1f} s")
    engine.dispose()
    if created and not args.keep:
        drop_database(url, args.server_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER)
    return 0


if __name__ == "__main__":
    sys.exit(main())
