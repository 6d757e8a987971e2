"""Benchmark: the family plan page and GET /api/v1/families/{id}/plan over a borough of 10,000 families with plans.

    .venv/bin/python bench/plan_scale.py [--families 10000] [--requests 300] [--server-url URL] [--keep]
    .venv/bin/python bench/plan_scale.py --measure-only [--requests 300]    # the database a --keep run left

1. Creates a throw-away database `coord_plan_bench` on the server of TEST_DATABASE_URL (default
   postgresql+psycopg://postgres@127.0.0.1:5432/test), applies the real Alembic migrations, and adds the council's
   early help team, a school, a health visiting team and a charity, a case-holding practitioner (the lead of every
   family) and a partner API key (read:assessment) through the services.
2. COPYs in `--families` families: 1–2 parents and 1–3 children (names and dates of birth encrypted as the app
   does), the lead handover, a team of three (the lead, the school, a parent), and one plan each with 4 goals (each
   in a different outcome area) of 3 actions (owned by an agency, the practitioner or a parent; every status), 3
   reviews (attendees, what the family said, decisions, every child's view in their words, a 0-10 score per goal),
   the plan's 22 versions (`plan_change`), and a live consent from a parent covering `family_plan` for the school.
   Every encrypted field is sealed with the app's own KeyRing (built from the same settings the app is created
   with) and the same associated data as `EncryptedFields.seal`, so the pages decrypt it.
3. Creates the real app (`create_app`, test mode: rate limiter off, nothing else changed) and drives it in-process
   with Flask's test client, one request at a time, each with its own session and unit of work as in production:
   - `web plan page`: GET /families/{id}/plan signed in (through the sign-in form, with its CSRF token) as the
     case-holding practitioner: scoped family read, plan, goals, actions, owners' names, reviews, team, lead,
     closures, the read's audit event on the hash chain, commit, and the GOV.UK template rendered;
   - `api plan, partner`: GET /api/v1/families/{id}/plan with the school's API key: key look-up, the disclosure
     engine asked at that moment, the plan as the partner may see it, the "disclose" audit event, JSON;
   - `api plan, case holder`: the same with the practitioner's personal access token (the whole plan).
   Families are sampled at random; after 20 warm-up requests each, the tests run interleaved (web, partner, and
   every third round the case holder) for `--requests` rounds, so they all meet the same machine load. It prints
   p50/p95/p99/max, the SQL statements each request ran (counted on the engine) and `os.getloadavg()` before and
   after (the machine may be shared: read the figures with the load next to them).

The test client skips the HTTP server and the network (gunicorn's parsing and a socket round trip: well under a
millisecond here); everything from the WSGI app inwards is the real code path.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.save_section import fictional_nhs_number, machine  # noqa: E402
from coordination import create_app  # noqa: E402
from coordination.config import load_settings  # noqa: E402
from coordination.crypto import associated_data  # noqa: E402
from coordination.db import make_engine  # noqa: E402
from coordination.demo import borough  # noqa: E402
from coordination.domain.actors import Actor  # noqa: E402
from coordination.domain.cin_census import new_la_child_id  # noqa: E402
from coordination.domain.plan import OUTCOME_AREAS, PLAN_SECTION  # noqa: E402
from coordination.extensions import state  # noqa: E402
from coordination.migrate import upgrade  # noqa: E402
from coordination.services import admin, auth  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DB = "coord_plan_bench"
PASSWORD = "bench-password-plan-scale-1"
EMAIL = "priya.lead@eastmere.example"
BATCH = 5000
WARM_UP = 20


def _key(label: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"coordination plan bench: {label}".encode()).digest()).decode()


# Fixed keys of this throw-away synthetic borough (fictional data; never real keys), so that --measure-only can
# open what a --keep run sealed.
BENCH_KEYS = {"secret_key": _key("secret") + "x" * 8, "encryption_keys": "bench1:" + _key("encryption"),
              "blind_index_key": _key("blind index"), "audit_signing_key": _key("audit signing"),
              "audit_chain_key": _key("audit chain")}

GOALS = ["We want Amara to be in school every day and to enjoy it again",
         "Mum wants to feel less alone and to have people to call on",
         "We want the house to be calm at bedtime, without shouting",
         "Leon's speech to catch up before he starts reception",
         "We want to keep up with the rent and stop the letters coming",
         "Dad wants to see a doctor about his drinking and stick with it",
         "The children to feel safe when Dad visits",
         "We want to know what help there is for Amara's anxiety"]
ACTIONS = ["Meet Amara at the school gate on Mondays and Wednesdays for a settling-in chat",
           "Refer Mum to the Tuesday parents' group at the family hub and go with her the first time",
           "Agree a bedtime routine chart with the children and check it at each visit",
           "Health visitor to do a speech and language screen and refer on if needed",
           "Help Mum apply for discretionary housing payment and call the landlord together",
           "Book an appointment with the GP about drinking and a referral to the recovery service",
           "Mum to phone the school if Amara refuses to go in, before 9 am",
           "Family to try the breathing exercises from the worksheet every evening for two weeks"]
VIEWS = ["I like it when Priya comes because she listens. I still don't like Mondays.",
         "Home is better now, there's less shouting. I want to go to football club.",
         "I drew our house with everyone smiling but Dad is outside.",
         "School is OK. Miss Patel lets me go to the quiet room when I need to.",
         "I don't want to talk about it today.",
         "I want my own bed and for Mum to not be sad."]
FAMILY_SAID = ["Mum said things feel a bit easier since the group started but money is still a big worry.",
               "The family said they want to keep the visits going and that school has been really helpful.",
               "Dad said he is finding it hard but wants to stay involved; Mum agreed.",
               "Mum said Leon is talking more and the bedtime chart is working most nights."]
DECISIONS = ["Carry on with the plan; the school to update on attendance at the next review.",
             "Add a goal about the rent arrears; the charity to help with a budget plan.",
             "Step the visits down to fortnightly; review again in six weeks."]


# ---- set-up --------------------------------------------------------------------------------------------

def server_url(args) -> str:
    return args.server_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER


def bench_url(server: str) -> str:
    return make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False)


def create_database(server: str) -> str:
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin_engine.dispose()
    return bench_url(server)


def drop_database(server: str) -> None:
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
    admin_engine.dispose()


def make_bench_app(url: str, instance: Path):
    settings = load_settings(environ={}, env="test", instance_path=instance, database_url=url, redis_url=None,
                             ratelimit_storage="memory://", **BENCH_KEYS)
    return create_app(settings, engine=make_engine(url, pool_size=2))


COLUMNS = {  # foreign-key order
    "family": ("id", "reference", "owning_agency_id", "lead_practitioner_id", "lead_chosen_with_family",
               "created_by_id", "created_at", "updated_at"),
    "person": ("id", "family_id", "role", "position", "created_at", "given_name_ct", "family_name_ct",
               "date_of_birth_ct", "nhs_number_ct", "nhs_number_bidx", "name_dob_bidx", "surname_dob_bidx",
               "la_child_id"),
    "assessment": ("id", "family_id", "status", "created_at"),
    "lead_handover": ("id", "family_id", "from_user_id", "to_user_id", "to_agency_id", "chosen_with_family",
                      "handed_over_at", "recorded_by_id", "recorded_by_agency_id"),
    "team_member": ("id", "family_id", "agency_id", "user_id", "person_id", "role", "joined_on", "added_by_id",
                    "created_at"),
    "family_plan": ("id", "family_id", "version", "status", "next_review_due_on", "updated_at", "updated_by_id",
                    "created_at"),
    "plan_goal": ("id", "plan_id", "title_ct", "outcome_area", "status", "position", "created_by_id", "created_at"),
    "plan_action": ("id", "goal_id", "description_ct", "owner_agency_id", "owner_user_id", "owner_person_id",
                    "due_on", "status", "status_reason_ct", "created_by_id", "updated_at", "created_at"),
    "plan_review": ("id", "plan_id", "family_id", "held_on", "due_on", "on_time", "every_child_heard",
                    "attendees_ct", "family_view_ct", "decisions_ct", "next_review_on", "recorded_at",
                    "recorded_by_id", "recorded_by_agency_id"),
    "review_child_view": ("id", "review_id", "child_id", "method", "words_ct", "position"),
    "review_progress": ("id", "review_id", "goal_id", "score"),
    "plan_change": ("id", "plan_id", "version", "kind", "record_id", "status", "changed_at", "changed_by_id",
                    "changed_by_agency_id"),
    "consent": ("id", "family_id", "given_by_person_id", "capacity", "decision", "purpose_ct", "method",
                "valid_from", "expires_on", "review_on", "recorded_by_id", "recorded_at", "created_at"),
    "consent_section": ("consent_id", "section_key"),
    "consent_recipient": ("id", "consent_id", "agency_id", "agency_type"),
}


class Copier:
    """COPY rows into tables over one raw psycopg connection; between families (`done`), every table is flushed,
    parents first, once one holds BATCH rows."""

    def __init__(self, engine):
        self.raw = engine.raw_connection()
        self.rows: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
        self.counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)

    def add(self, table: str, *row) -> None:
        self.rows[table].append(row)

    def done(self) -> None:
        if max(len(rows) for rows in self.rows.values()) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self.raw.driver_connection.cursor() as cur:
            for table, rows in self.rows.items():
                if rows:
                    with cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    self.counts[table] += len(rows)
                    rows.clear()

    def finish(self) -> None:
        self.flush()
        self.raw.driver_connection.commit()
        self.raw.close()


def load(app, families: int, rng: random.Random) -> dict:
    """The agencies, the practitioner and the keys through the services; the borough by COPY."""
    st = state(app)
    ring, blind = st.keys, st.blind            # the app's own crypto
    uow = st.unit_of_work(request_id="bench")
    system = Actor.system("bench")
    council = admin.add_agency(uow, system, borough.NORTH, "council_early_help")
    school = admin.add_agency(uow, system, "Eastmere Academy", "school")
    health = admin.add_agency(uow, system, "Eastmere Health Visiting", "health")
    charity = admin.add_agency(uow, system, "Home-Start Eastmere", "voluntary")
    user = admin.add_user(uow, system, EMAIL, "Priya Fictionalsworth", council.id, "practitioner", PASSWORD)
    uow.commit()
    uow.session.close()

    stamp = dt.datetime.now(dt.UTC)
    today = stamp.date()
    copier = Copier(st.engine)
    owners = [("agency", school.id), ("agency", health.id), ("agency", charity.id), ("agency", council.id),
              ("user", user.id), ("person", None)]
    statuses = ["not_started", "in_progress", "in_progress", "done", "done", "dropped"]

    def seal(table: str, field: str, row_id: uuid.UUID, value: str) -> str:
        return ring.encrypt(value, associated_data(table, field, row_id))

    for index in range(families):
        fid, started = uuid.uuid4(), today - dt.timedelta(days=rng.randint(150, 400))
        created = dt.datetime.combine(started, dt.time(10), tzinfo=dt.UTC)
        copier.add("family", fid, f"EH-{index:06d}", council.id, user.id, rng.random() < 0.6, user.id, created,
                   stamp)
        surname = borough.FAMILY_SURNAMES[index % len(borough.FAMILY_SURNAMES)]
        people = [("parent_carer", rng.choice(borough.GIVEN_FEMALE), rng.randint(20, 50))]
        if rng.random() < 0.4:
            people.append(("parent_carer", rng.choice(borough.GIVEN_MALE), rng.randint(20, 50)))
        people += [("child", rng.choice(borough.GIVEN_CHILD), rng.randint(1, 17)) for _ in range(rng.randint(1, 3))]
        parents, children = [], []
        for position, (role, given, age) in enumerate(people):
            pid = uuid.uuid4()
            (parents if role == "parent_carer" else children).append(pid)
            dob = (today - dt.timedelta(days=age * 365 + rng.randint(0, 360))).isoformat()
            nhs = fictional_nhs_number(rng)
            copier.add("person", pid, fid, role, position, created, seal("person", "given_name", pid, given),
                       seal("person", "family_name", pid, surname), seal("person", "date_of_birth", pid, dob),
                       seal("person", "nhs_number", pid, nhs), blind("nhs", nhs), blind("name_dob", given, surname,
                                                                                          dob),
                       blind("surname_dob", surname, dob), new_la_child_id())
        copier.add("assessment", uuid.uuid4(), fid, "in_progress", created)
        copier.add("lead_handover", uuid.uuid4(), fid, None, user.id, council.id, True, created, user.id,
                   council.id)
        plan_id = uuid.uuid4()
        changes: list[tuple[str, uuid.UUID, str | None]] = []
        for agency_id, member_user, person, role in ((None, user.id, None, "Lead practitioner"),
                                                     (school.id, None, None, "Designated safeguarding lead"),
                                                     (None, None, parents[0], "Mum")):
            mid = uuid.uuid4()
            copier.add("team_member", mid, fid, agency_id, member_user, person, role, started, user.id, created)
            changes.append(("member_added", mid, None))
        goal_ids = []
        for position, area in enumerate(rng.sample(OUTCOME_AREAS, 4)):
            gid = uuid.uuid4()
            goal_ids.append(gid)
            copier.add("plan_goal", gid, plan_id, seal("plan_goal", "title", gid, rng.choice(GOALS)), area, "open",
                       position, user.id, created)
            changes.append(("goal_added", gid, None))
            for _ in range(3):
                aid = uuid.uuid4()
                kind, owner = rng.choice(owners)
                status = rng.choice(statuses)
                reason = seal("plan_action", "status_reason", aid, "The family found another way to do it") \
                    if status == "dropped" else None
                copier.add("plan_action", aid, gid, seal("plan_action", "description", aid, rng.choice(ACTIONS)),
                           owner if kind == "agency" else None, owner if kind == "user" else None,
                           rng.choice(parents) if kind == "person" else None,
                           started + dt.timedelta(days=rng.randint(14, 200)), status, reason, user.id, stamp,
                           created)
                changes.append(("action_added", aid, status))
        held = started
        due = started + dt.timedelta(days=42)
        for r in range(3):
            rid = uuid.uuid4()
            held = due + dt.timedelta(days=rng.randint(-5, 6))
            nxt = held + dt.timedelta(weeks=6)
            attendees = json.dumps(["Priya Fictionalsworth (lead practitioner)", "Mum", "Eastmere Academy (DSL)"])
            copier.add("plan_review", rid, plan_id, fid, held, due, held <= due, True,
                       seal("plan_review", "attendees", rid, attendees),
                       seal("plan_review", "family_view", rid, rng.choice(FAMILY_SAID)),
                       seal("plan_review", "decisions", rid, DECISIONS[r]), nxt,
                       dt.datetime.combine(held, dt.time(15), tzinfo=dt.UTC), user.id, council.id)
            for position, child in enumerate(children):
                vid = uuid.uuid4()
                copier.add("review_child_view", vid, rid, child, rng.choice(("own_words", "drawing", "advocate")),
                           seal("review_child_view", "words", vid, rng.choice(VIEWS)), position)
            for gid in goal_ids:
                copier.add("review_progress", uuid.uuid4(), rid, gid, min(10, rng.randint(1, 4) + 2 * r))
            changes.append(("review_held", rid, None))
            due = nxt
        for version, (kind, record, status) in enumerate(changes, start=1):
            copier.add("plan_change", uuid.uuid4(), plan_id, version, kind, record, status, stamp, user.id,
                       council.id)
        copier.add("family_plan", plan_id, fid, len(changes), "open", due, stamp, user.id, created)
        cid = uuid.uuid4()
        copier.add("consent", cid, fid, parents[0], "parent_with_pr", "permit",
                   seal("consent", "purpose", cid, "So the school can see the family's plan and its actions"),
                   "written", started, today + dt.timedelta(days=rng.randint(30, 300)),
                   today + dt.timedelta(days=20), user.id, created, created)
        for key in (PLAN_SECTION, "education_send"):
            copier.add("consent_section", cid, key)
        copier.add("consent_recipient", uuid.uuid4(), cid, school.id, None)
        copier.done()
    copier.finish()
    with st.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return copier.counts


# ---- measuring -----------------------------------------------------------------------------------------

class Statements:
    """Counts the SQL statements the engine runs (per request: reset before, read after)."""

    def __init__(self, engine):
        self.n = 0
        self.texts: list[str] = []
        self.keep = False
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.n += 1
        if self.keep:
            self.texts.append(statement)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def credentials(app) -> tuple[str, str]:
    """The partner's API key (read:assessment) and the practitioner's personal access token, issued by the
    services (new ones each run; the secrets never leave this process)."""
    st = state(app)
    uow = st.unit_of_work(request_id="bench")
    system = Actor.system("bench")
    school = uow.session.execute(text("SELECT id FROM agency WHERE name = 'Eastmere Academy'")).scalar_one()
    _key, partner = auth.issue_api_key(uow, system, school, "Eastmere Academy MIS", ["read:assessment"])
    from coordination.models import User
    user = uow.session.query(User).filter_by(email=EMAIL).one()
    token = auth.issue_token(uow, system, user)
    uow.commit()
    uow.session.close()
    return partner, token


def sign_in(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf, "no CSRF token on the sign-in page"
    response = client.post("/sign-in", data={"csrf_token": csrf.group(1), "email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def run(tests: list[tuple[str, object, object, int]], family_ids: list, n: int, rng: random.Random,
        counter: Statements) -> list[dict]:
    """Each test (label, request, check, every) after a warm-up, interleaved: in each round every test asks for a
    random family (a test with `every` k only every k-th round), so all of them meet the same machine load."""
    for _label, request, check, _every in tests:
        for fid in rng.sample(family_ids, WARM_UP):
            check(request(fid))
    times: dict[str, list[float]] = {t[0]: [] for t in tests}
    statements: dict[str, list[int]] = {t[0]: [] for t in tests}
    load_before = os.getloadavg()
    for i in range(n):
        for label, request, check, every in tests:
            if i % every:
                continue
            fid = rng.choice(family_ids)
            counter.n = 0
            t0 = time.perf_counter()
            response = request(fid)
            times[label].append((time.perf_counter() - t0) * 1000)
            statements[label].append(counter.n)
            check(response)
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{' '.join(f'{x:.2f}' for x in load_after)} after ({len(os.sched_getaffinity(0))} cores)")
    results = []
    for label, *_ in tests:
        t, c = times[label], statements[label]
        result = {"label": label, "n": len(t), "p50": statistics.median(t), "p95": pct(t, 0.95), "p99": pct(t, 0.99),
                  "max": max(t), "stmts": (min(c), statistics.median(c), max(c))}
        print(f"{label:24s} n={result['n']:<4d} p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
              f"p99 {result['p99']:6.1f} ms  max {result['max']:6.1f} ms  "
              f"SQL statements/request {min(c)}–{max(c)} (median {statistics.median(c):.0f})")
        results.append(result)
    return results


def show_statements(label: str, request, fid, counter: Statements) -> None:
    counter.keep, counter.texts = True, []
    request(fid)
    counter.keep = False
    print(f"\n{label}: {len(counter.texts)} statements")
    for s in counter.texts:
        print("   ", " ".join(s.split())[:150])


def measure(app, requests: int, seed: int, show: bool) -> None:
    st = state(app)
    with st.engine.connect() as conn:
        family_ids = list(conn.execute(text("SELECT family_id FROM family_plan")).scalars())
        goals = conn.execute(text("SELECT count(*) FROM plan_goal")).scalar_one()
        actions = conn.execute(text("SELECT count(*) FROM plan_action")).scalar_one()
        reviews = conn.execute(text("SELECT count(*) FROM plan_review")).scalar_one()
        size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar_one()
    print(f"borough: {len(family_ids):,} families with plans, {goals:,} goals, {actions:,} actions, "
          f"{reviews:,} reviews; database {size}")
    partner, token = credentials(app)
    rng = random.Random(seed)
    counter = Statements(st.engine)
    web = app.test_client()
    sign_in(web)
    api = app.test_client()

    def web_page(fid):
        return web.get(f"/families/{fid}/plan")

    def partner_read(fid):
        return api.get(f"/api/v1/families/{fid}/plan", headers={"Authorization": f"Bearer {partner}"})

    def holder_read(fid):
        return api.get(f"/api/v1/families/{fid}/plan", headers={"Authorization": f"Bearer {token}"})

    def page_ok(response):
        assert response.status_code == 200, response.status_code
        body = response.get_data(as_text=True)
        assert body.count("govuk-task-list__item") >= 12 or "Amara" in body or "Mum" in body, "no plan on the page"

    def json_ok(response):
        assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
        plan = response.get_json()
        assert len(plan["goals"]) == 4 and all(len(g["actions"]) == 3 for g in plan["goals"]), "not the whole plan"

    if show:
        for label, request in (("web plan page", web_page), ("api plan, partner", partner_read),
                               ("api plan, case holder", holder_read)):
            show_statements(label, request, family_ids[0], counter)
        print()
    run([("web plan page", web_page, page_ok, 1), ("api plan, partner", partner_read, json_ok, 1),
         ("api plan, case holder", holder_read, json_ok, 3)], family_ids, requests, rng, counter)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per test (after a warm-up)")
    parser.add_argument("--server-url")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure-only", action="store_true", help="measure the database a --keep run left")
    parser.add_argument("--statements", action="store_true", help="print the SQL of one request of each kind")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    server = server_url(args)
    url = bench_url(server) if args.measure_only else create_database(server)
    try:
        with tempfile.TemporaryDirectory(prefix="plan-bench-") as instance:
            app = make_bench_app(url, Path(instance))
            engine = state(app).engine
            for line in machine(engine):
                print(line)
            if not args.measure_only:
                upgrade(engine)
                t0 = time.perf_counter()
                counts = load(app, args.families, random.Random(args.seed))
                print(f"load: {args.families:,} families in {time.perf_counter() - t0:.1f} s (with VACUUM ANALYZE); "
                      + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
            measure(app, args.requests, args.seed, args.statements)
            engine.dispose()
    finally:
        if not args.keep and not args.measure_only:
            drop_database(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
