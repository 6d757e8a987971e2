"""Benchmark: a partner agency's GET /families/{id}/assessment over 100,000 families and 300,000 consents,
served by gunicorn, side by side with a floor (one row by primary key through the same stack).

    .venv/bin/python bench/partner_read.py [--families 100000] [--consents 300000] [--duration 20]
                                           [--workers 2] [--gthread 4] [--server-url URL] [--keep]

1. Creates the throw-away database `coord_bench_partner` on the server of TEST_DATABASE_URL (default
   postgresql+psycopg://postgres@127.0.0.1:5432/test), migrates it, and bulk-loads with COPY: families with
   people, every template section, 3–7 sections written with 1–3 versions of 0.3–2 KB each, all with the real
   AES-GCM encryption and blind indexes; 10 partner agencies of several types, each with an API key issued
   through services.auth (scope read:assessment); consents (sections, recipients by agency and by agency type;
   live, expired, withdrawn, refusals, young people's decisions) and a few safeguarding disclosures.
2. Writes the keys into a throw-away INSTANCE_PATH and starts gunicorn (deploy/gunicorn.conf.py, production
   mode, Redis rate-limit storage) on `bench.floor_app:app` with COORDINATION_BENCH_FLOOR=1.
3. Runs wrk (-t1 -c8) for the floor and then for the partner read, same duration, rotating over many families
   the key's agency has cover for (and ~5% without cover: 404), and prints req/s, p50/p95/p99 and the ratio.
   With --gthread N it runs both again with `--worker-class gthread --threads N`.
4. Stops gunicorn and drops the database, also on failure or Ctrl-C.

The partner route is the real GET /api/v1/families/{id}/assessment when it serves partner keys; until then it
is bench.floor_app's stand-in, which calls the same service the same way.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.save_section import drop_database, fictional_nhs_number, machine, sample_texts  # noqa: E402
from coordination.crypto import BlindIndex, KeyRing, associated_data  # noqa: E402
from coordination.db import UnitOfWork, make_engine, make_session_factory  # noqa: E402
from coordination.demo import borough  # noqa: E402
from coordination.domain.actors import Actor, AgencyType  # noqa: E402
from coordination.domain.cin_census import new_la_child_id  # noqa: E402
from coordination.domain.sections import SECTION_KEYS  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402
from coordination.services import admin, auth  # noqa: E402

# The audit chain key of this throw-away bench database (fictional data; never a real key).
BENCH_AUDIT_KEY = b"bench-only audit chain key: not secret"

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_bench_partner"
REDIS = "redis://127.0.0.1:6379/14"
PARTNERS = [("Eastmere Academy", AgencyType.SCHOOL), ("Northgate Primary", AgencyType.SCHOOL),
            ("Eastmere Community Health", AgencyType.HEALTH), ("Riverside GP Practice", AgencyType.HEALTH),
            ("Eastmere CAMHS", AgencyType.MENTAL_HEALTH), ("Eastmere Police Safeguarding", AgencyType.POLICE),
            ("Home-Start Eastmere", AgencyType.VOLUNTARY), ("Eastmere Family Action", AgencyType.VOLUNTARY),
            ("Eastmere SENDIASS", AgencyType.SEND_SERVICE), ("Eastmere Children's Social Care", AgencyType.SOCIAL_CARE)]
BATCH = 5000


# ---- loading -----------------------------------------------------------------------------------------

class Copier:
    """COPY rows into tables over one raw psycopg connection, flushing every BATCH rows of a table."""

    def __init__(self, engine, columns: dict[str, tuple[str, ...]]):
        self.raw = engine.raw_connection()
        self.columns = columns
        self.rows: dict[str, list[tuple]] = {t: [] for t in columns}

    def add(self, table: str, row: tuple) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= BATCH:    # parents first: every table, in foreign-key order
            for name in self.columns:
                self.flush(name)

    def flush(self, table: str) -> None:
        rows = self.rows[table]
        if not rows:
            return
        with self.raw.driver_connection.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(self.columns[table])}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        rows.clear()

    def finish(self) -> None:
        for table in self.columns:   # dict order = foreign-key order
            self.flush(table)
        self.raw.driver_connection.commit()
        self.raw.close()


COLUMNS = {
    "family": ("id", "reference", "owning_agency_id", "lead_practitioner_id", "created_by_id", "created_at",
               "updated_at"),
    "person": ("id", "family_id", "role", "position", "created_at", "given_name_ct", "family_name_ct",
               "date_of_birth_ct", "nhs_number_ct", "nhs_number_bidx", "name_dob_bidx", "surname_dob_bidx",
               "la_child_id"),
    "assessment": ("id", "family_id", "status", "created_at"),
    "assessment_section": ("id", "assessment_id", "key", "version", "updated_at", "updated_by_id",
                           "updated_by_agency_id"),
    "section_version": ("id", "section_id", "version", "created_at", "created_by_id", "created_by_agency_id",
                        "source", "content_ct"),
    "consent": ("id", "family_id", "given_by_person_id", "capacity", "decision", "about_person_id", "purpose_ct",
                "method", "valid_from", "expires_on", "review_on", "recorded_by_id", "recorded_at", "created_at",
                "withdrawn_at", "withdrawn_by_id"),
    "consent_section": ("consent_id", "section_key"),
    "consent_recipient": ("id", "consent_id", "agency_id", "agency_type"),
    "disclosure": ("id", "family_id", "agency_id", "lawful_basis", "justification_ct", "decided_by_id",
                   "decided_at", "expires_on", "withheld_from_family", "created_at"),
    "disclosure_section": ("disclosure_id", "section_key"),
}


def load(engine, ring: KeyRing, blind: BlindIndex, args, rng: random.Random) -> dict:
    """Council, practitioner, partners and keys through the services; the borough by COPY. Returns what the
    load generator needs: per partner key, the families it has cover for and some it has not."""
    sessions = make_session_factory(engine)
    uow = UnitOfWork(session=sessions(), keys=ring, blind=blind, request_id="bench",
                     audit_key=BENCH_AUDIT_KEY)
    system = Actor.system("bench")
    council = admin.add_agency(uow, system, borough.NORTH, "council_early_help")
    user = admin.add_user(uow, system, "practitioner@eastmere.example", "Priya Fictionalsworth", council.id,
                          "practitioner", "bench-password-" + uuid.uuid4().hex)
    partners = []
    for name, kind in PARTNERS:
        agency = admin.add_agency(uow, system, name, kind.value)
        _key, secret = auth.issue_api_key(uow, system, agency.id, f"{name} case system", ["read:assessment"])
        partners.append((agency.id, kind.value, secret))
    uow.commit()
    uow.session.close()

    texts = sample_texts(rng, 128)
    stamp = dt.datetime.now(dt.UTC)
    today = stamp.date()
    copier = Copier(engine, COLUMNS)
    # Expected cover per partner index: families with at least one live permit naming it (an approximation,
    # since refusals may cancel a permit; the bench only needs mostly-covered families and counts 404s).
    covered: list[list[uuid.UUID]] = [[] for _ in partners]
    version_ids: list[uuid.UUID] = []
    all_families: list[uuid.UUID] = []
    consents_per_family = args.consents / args.families
    for index in range(args.families):
        fid = uuid.uuid4()
        all_families.append(fid)
        copier.add("family", (fid, f"EH-P{index:06d}", council.id, user.id, user.id, stamp, stamp))
        surname = borough.FAMILY_SURNAMES[index % len(borough.FAMILY_SURNAMES)]
        people = [("parent_carer", rng.choice(borough.GIVEN_FEMALE), rng.randint(20, 50))]
        if rng.random() < 0.4:
            people.append(("parent_carer", rng.choice(borough.GIVEN_MALE), rng.randint(20, 50)))
        people += [("child", rng.choice(borough.GIVEN_CHILD), rng.randint(0, 17))
                   for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        person_ids = []
        for position, (role, given, age) in enumerate(people):
            pid = uuid.uuid4()
            person_ids.append((pid, role, age))
            dob = (today - dt.timedelta(days=age * 365 + rng.randint(0, 360))).isoformat()
            nhs = fictional_nhs_number(rng)

            def seal(field: str, value: str, pid=pid) -> str:
                return ring.encrypt(value, associated_data("person", field, pid))

            copier.add("person", (pid, fid, role, position, stamp, seal("given_name", given),
                                  seal("family_name", surname), seal("date_of_birth", dob), seal("nhs_number", nhs),
                                  blind("nhs", nhs), blind("name_dob", given, surname, dob),
                                  blind("surname_dob", surname, dob), new_la_child_id()))
        aid = uuid.uuid4()
        copier.add("assessment", (aid, fid, "in_progress", stamp))
        written = set(rng.sample(SECTION_KEYS, rng.randint(3, 7)))
        for key in SECTION_KEYS:
            sid = uuid.uuid4()
            versions = rng.choice((1, 1, 2, 3)) if key in written else 0
            copier.add("assessment_section", (sid, aid, key, versions, stamp if versions else None,
                                              user.id if versions else None, council.id if versions else None))
            for v in range(1, versions + 1):
                vid = uuid.uuid4()
                content = ring.encrypt(rng.choice(texts), associated_data("section_version", "content", vid))
                copier.add("section_version", (vid, sid, v, stamp, user.id, council.id, "staff", content))
            if versions and len(version_ids) == index:
                version_ids.append(vid)       # the floor reads this row: one per family, by primary key
        parent = person_ids[0][0]
        young = [p for p in person_ids if p[1] == "child" and p[2] >= 16]
        n_consents = int(consents_per_family) + (1 if rng.random() < consents_per_family % 1 else 0)
        for _ in range(n_consents):
            cid = uuid.uuid4()
            state = rng.random()
            if state < 0.70:        # live
                valid_from, expires_on, withdrawn = today - dt.timedelta(days=rng.randint(1, 300)), \
                    today + dt.timedelta(days=rng.randint(30, 365)), None
            elif state < 0.88:      # expired
                valid_from, expires_on, withdrawn = today - dt.timedelta(days=rng.randint(400, 800)), \
                    today - dt.timedelta(days=rng.randint(1, 30)), None
            else:                   # withdrawn
                valid_from, expires_on = today - dt.timedelta(days=rng.randint(1, 300)), \
                    today + dt.timedelta(days=rng.randint(30, 365))
                withdrawn = stamp - dt.timedelta(days=rng.randint(0, 30))
            if young and rng.random() < 0.3:
                giver, capacity = young[0][0], "young_person"
            else:
                giver, capacity = parent, "parent_with_pr"
            decision = "refuse" if rng.random() < 0.05 else "permit"
            copier.add("consent", (cid, fid, giver, capacity, decision, None,
                                   ring.encrypt("To share the family's plan with the agencies supporting them.",
                                                associated_data("consent", "purpose", cid)),
                                   "written", valid_from, expires_on, expires_on - dt.timedelta(days=28),
                                   user.id, stamp, stamp, withdrawn, user.id if withdrawn else None))
            for key in rng.sample(SECTION_KEYS, rng.randint(2, 6)):
                copier.add("consent_section", (cid, key))
            named = rng.sample(range(len(partners)), rng.randint(1, 3))
            for i in named:
                agency_id, kind, _secret = partners[i]
                if rng.random() < 0.25:
                    copier.add("consent_recipient", (uuid.uuid4(), cid, None, kind))
                    reached = [j for j, p in enumerate(partners) if p[1] == kind]
                else:
                    copier.add("consent_recipient", (uuid.uuid4(), cid, agency_id, None))
                    reached = [i]
                if state < 0.70 and decision == "permit":
                    for j in reached:
                        if not covered[j] or covered[j][-1] != fid:
                            covered[j].append(fid)
        if rng.random() < 0.005:    # a few safeguarding disclosures, to the police or social care
            did = uuid.uuid4()
            agency_id = partners[rng.choice((5, 9))][0]
            copier.add("disclosure", (did, fid, agency_id, "public_task", ring.encrypt(
                "Safeguarding concern shared under the local protocol.",
                associated_data("disclosure", "justification", did)), user.id, stamp,
                today + dt.timedelta(days=90), False, stamp))
            for key in rng.sample(SECTION_KEYS, 3):
                copier.add("disclosure_section", (did, key))
    copier.finish()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return {"partners": partners, "covered": covered, "families": all_families, "versions": version_ids}


# ---- serving and loading -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, instance: Path, enc: str, blind_key: str) -> dict[str, str]:
    signing = base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())).decode()
    env = dict(os.environ)
    env.update({
        "COORDINATION_ENV": "production", "INSTANCE_PATH": str(instance), "DATABASE_URL": url,
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(), "ENCRYPTION_KEYS": enc,
        "BLIND_INDEX_KEY": blind_key, "AUDIT_SIGNING_KEY": signing, "REDIS_URL": REDIS,
        "AUDIT_CHAIN_KEY": base64.urlsafe_b64encode(BENCH_AUDIT_KEY).decode(),
        "RATELIMIT_STORAGE_URI": REDIS, "COORDINATION_BENCH_FLOOR": "1",
        "COORDINATION_BENCH_RATE_LIMIT": "100000000 per minute",
        "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_CONTROL_SOCKET": "", "GUNICORN_MAX_REQUESTS": "0",
    })
    # Keep the keys in the instance folder too (0600), as a deployment would hold them in files.
    keys = instance / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name in ("SECRET_KEY", "ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_SIGNING_KEY", "AUDIT_CHAIN_KEY"):
        path = keys / name.lower()
        path.write_text(env[name] + "\n")
        path.chmod(0o600)
    return env


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path, root: Path = ROOT):
        env = {**env, "PYTHONPATH": str(root)}
        cmd = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(root / "deploy/gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--chdir", str(root)]
        if threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(threads)]
        self.log = log.open("ab")
        self.proc = subprocess.Popen([*cmd, "bench.floor_app:app"], env=env, stdout=self.log, stderr=self.log,
                                     cwd=root, start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                status = status_of(self.base, path, None, timeout=5)
            except OSError:        # not listening yet, or a worker still importing the app
                time.sleep(0.3)
                continue
            if status != 200:
                raise RuntimeError(f"floor answered {status}; see {self.log.name}")
            return
        raise RuntimeError("gunicorn did not become ready")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def status_of(base: str, path: str, secret: str | None, timeout: float = 10) -> int:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {secret}"} if secret else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wrk(base: str, lines: list[str], duration: int, connections: int, workdir: Path, name: str) -> dict:
    listing = workdir / f"{name}.txt"
    listing.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
                          "-s", str(ROOT / "bench/rotate.lua"), base, "--", str(listing)],
                         capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (.*)$", out, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no RESULT line:\n{out}")
    result = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def interleaved(base: str, lists: dict[str, list[str]], duration: int, rounds: int, connections: int,
                workdir: Path) -> tuple[dict[str, dict], list[dict[str, float]]]:
    """Each endpoint for duration/rounds seconds in turn, `rounds` times over, so a machine whose speed drifts
    (other work, a busy host) slows all of them alike: (each endpoint's figures over its rounds, and each
    round's requests/s by endpoint)."""
    piece = max(1, round(duration / rounds))
    runs: dict[str, list[dict]] = {name: [] for name in lists}
    for _ in range(rounds):
        for name, lines in lists.items():
            runs[name].append(wrk(base, lines, piece, connections, workdir, name))
    merged = {}
    for name, parts in runs.items():
        total = {k: sum(p[k] for p in parts) for k in ("requests", "duration_us", "non2xx", "socket_errors")}
        total.update({k: statistics.median(p[k] for p in parts) for k in ("p50_ms", "p95_ms", "p99_ms")})
        total["rps"] = total["requests"] / (total["duration_us"] / 1e6)
        merged[name] = total
    return merged, [{name: runs[name][i]["rps"] for name in lists} for i in range(rounds)]


def row(name: str, r: dict) -> str:
    return (f"{name:<28} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   p95 {r['p95_ms']:6.2f} ms   "
            f"p99 {r['p99_ms']:6.2f} ms   non-2xx {int(r['non2xx'])}/{int(r['requests'])}   "
            f"socket errors {int(r['socket_errors'])}")


def request_lines(data: dict, rng: random.Random, n: int, partner_path: str,
                  not_covered: float = 0.05) -> tuple[list[str], list[str]]:
    """(floor lines, partner lines): the same families in the same order; a share `not_covered` (5%) of partner
    lines ask for a family the key's agency has no cover for (404)."""
    partners, covered = data["partners"], data["covered"]
    floor, partner = [], []
    index_of = {fid: i for i, fid in enumerate(data["families"])}
    cover = [set(c) for c in covered]
    for _ in range(n):
        p = rng.randrange(len(partners))
        if rng.random() < not_covered:
            fid = rng.choice(data["families"])
            while fid in cover[p]:
                fid = rng.choice(data["families"])
        else:
            fid = rng.choice(covered[p])
        vid = data["versions"][index_of[fid]]
        floor.append(f"/api/v1/bench/floor/{vid}\t")
        partner.append(f"{partner_path.format(family_id=fid)}\t{partners[p][2]}")
    return floor, partner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--consents", type=int, default=300_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per endpoint")
    parser.add_argument("--rounds", type=int, default=3,
                        help="split each endpoint's seconds into this many rounds, interleaved with the others'")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gthread", type=int, default=0, help="also run with gthread workers and N threads")
    parser.add_argument("--server-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER)
    parser.add_argument("--keep", action="store_true", help="keep the database (and print its URL)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--not-covered", type=float, default=0.05,
                        help="share of partner reads asking for a family without cover (404)")
    parser.add_argument("--async-commit", action="store_true",
                        help="finally, measure the partner read with synchronous_commit=off on the bench database "
                             "(weaker durability; for comparison only)")
    parser.add_argument("--compare-root", action="append", default=[], metavar="PATH",
                        help="also serve the same data from another checkout of the code (before/after a change); "
                             "it needs bench/floor_app.py")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # so `finally` still stops gunicorn and drops the DB
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="coord-bench-partner-"))
    url = make_url(args.server_url).set(database=BENCH_DB).render_as_string(hide_password=False)
    created = False
    server: Gunicorn | None = None
    try:
        admin_engine = create_engine(args.server_url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
        admin_engine.dispose()
        created = True
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        for line in machine(engine):
            print(line)
        enc = "bench1:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
        blind_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        ring = KeyRing([("bench1", base64.urlsafe_b64decode(enc.split(":", 1)[1]))])
        blind = BlindIndex(base64.urlsafe_b64decode(blind_key))

        t0 = time.perf_counter()
        data = load(engine, ring, blind, args, rng)
        load_s = time.perf_counter() - t0
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 - fixed names
                      for t in ("family", "person", "assessment_section", "section_version", "consent",
                                "consent_section", "consent_recipient", "disclosure")}
            size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar_one()
            settings = {s: conn.execute(text(f"SHOW {s}")).scalar_one()
                        for s in ("synchronous_commit", "shared_buffers", "max_connections")}
        engine.dispose()
        print(f"load: {load_s:.1f} s; " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; database {size}")
        print("postgresql settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))

        env = server_env(url, workdir / "instance", enc, blind_key)
        modes = [(args.workers, 1)] + ([(args.workers, args.gthread)] if args.gthread > 1 else [])
        roots = [(ROOT, "")] + [(Path(r).resolve(), f" [code from {r}]") for r in args.compare_root]
        for (workers, threads), (root, label) in ((m, r) for m in modes for r in roots):
            port = free_port()
            server = Gunicorn(env, port, workers, threads, workdir / "gunicorn.log", root)
            floor_lines, _ = request_lines(data, rng, 1, "")
            server.wait_ready(floor_lines[0].split("\t")[0])
            # The real route when it serves partner keys; the bench stand-in otherwise.
            real = "/api/v1/families/{family_id}/assessment"
            probe_family, probe_secret = data["covered"][0][0], data["partners"][0][2]
            path = real if status_of(server.base, real.format(family_id=probe_family), probe_secret) == 200 \
                else "/api/v1/bench/partner/{family_id}"
            floor_lines, partner_lines = request_lines(data, rng, 20_000, path, args.not_covered)
            # Warm both: statement caches, connection pools, prepared statements.
            bare_lines = [line.replace("/api/v1/bench/floor/", "/bare/", 1) for line in floor_lines]
            wrk(server.base, bare_lines, 3, args.connections, workdir, "warm-bare")
            wrk(server.base, floor_lines, 3, args.connections, workdir, "warm-floor")
            wrk(server.base, partner_lines, 3, args.connections, workdir, "warm-partner")
            load_before = os.getloadavg()[0]
            got, rounds = interleaved(server.base, {"bare": bare_lines, "floor": floor_lines,
                                                     "partner": partner_lines},
                                      args.duration, args.rounds, args.connections, workdir)
            bare, floor, partner = got["bare"], got["floor"], got["partner"]
            kind = f"{workers} sync workers" if threads == 1 else f"{workers} gthread workers x {threads} threads"
            print(f"\ngunicorn {kind}, wrk -t1 -c{args.connections}, {args.duration} s per endpoint in "
                  f"{args.rounds} interleaved rounds; partner route {path}{label}; "
                  f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
            print(row("bare (Flask + SQLAlchemy)", bare))
            print(row("stack floor (row by PK)", floor))
            print(row("partner read", partner))
            each = "; ".join(f"{r['floor'] / r['bare']:.2f} / {r['partner'] / r['bare']:.2f}" for r in rounds)
            print(f"ratio to the bare floor: stack floor {floor['rps'] / bare['rps']:.2f}, "
                  f"partner read {partner['rps'] / bare['rps']:.2f} (of its requests/s); "
                  f"partner/stack floor {partner['rps'] / floor['rps']:.2f}")
            print(f"  round by round (stack floor / partner read, to bare): {each}")
            server.stop()
            server = None
        if args.async_commit:
            # NOT a recommendation and never a default: with synchronous_commit off, a crash can lose the last
            # few hundred milliseconds of committed transactions, audit events of disclosures included.
            with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{BENCH_DB}" SET synchronous_commit = off'))
            port = free_port()
            server = Gunicorn(env, port, args.workers, 1, workdir / "gunicorn.log")
            server.wait_ready(floor_lines[0].split("\t")[0])
            wrk(server.base, partner_lines, 3, args.connections, workdir, "warm-partner")
            partner = wrk(server.base, partner_lines, args.duration, args.connections, workdir, "partner")
            print(f"\nsynchronous_commit=off on the bench database (durability weakened: NOT the default), "
                  f"{args.workers} sync workers")
            print(row("partner read", partner))
            server.stop()
            server = None
        return 0
    finally:
        if server is not None:
            server.stop()
        if created and not args.keep:
            drop_database(url, args.server_url)
        elif created:
            print(f"kept: {url}")
        log = workdir / "gunicorn.log"
        if sys.exc_info()[0] is not None and log.exists():
            print("gunicorn log (tail):\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]),
                  file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
