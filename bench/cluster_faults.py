"""Faults on a real cluster: referrals and partner reads through nginx while one web instance and one worker are
killed (SIGKILL) and Redis is restarted empty; then: requests answered, errors beyond those in flight on the
killed instance, jobs handled, lost and duplicated.

    .venv/bin/python bench/cluster_faults.py [--duration 40] [--clients 4] [--server-url URL]

It starts deploy/local_cluster.py's cluster (nginx, 2 gunicorn instances × 2 workers, 2 rq workers, rq cron, the
relay; PostgreSQL database `coord_cluster`, its own redis-server), sets up through the command line and the API
as a council would (two early help teams, a school with a partner key, families with a consented section), then
runs `--clients` threads for `--duration` seconds: half make referrals (POST /api/v1/referrals, each with its own
Idempotency-Key, retried with the same key after a failure, as a client should), half make partner reads
(GET /api/v1/families/{id}/assessment). At 20%, 40% and 60% of the run it kills web instance 1, kills worker 1
(and its work horse) and restarts Redis. Every referral notifies the receiving team by email (the outbox: relay →
rq → worker → mail log), so after the run it waits for the outbox to drain and counts each referral's emails:
0 is lost, 2 or more is duplicated.

An error is "in flight" when it happened within 2 seconds after the instance was killed: a request nginx had
already passed to that instance (nginx retries only what it had not yet sent, and every GET). Anything else is
counted as an error beyond those.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local_cluster import DEFAULT_SERVER, Cluster  # noqa: E402

IN_FLIGHT_WINDOW = 2.0


def call(base: str, method: str, path: str, secret: str, body: dict | None = None,
         headers: dict | None = None, timeout: float = 30) -> tuple[int, dict | None]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {secret}", "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, None


def set_up(cluster: Cluster, families: int) -> dict:
    north = cluster.flask("agency", "add", "North Eastmere Early Help", "--type", "council_early_help")
    south = cluster.flask("agency", "add", "South Eastmere Early Help", "--type", "council_early_help")
    school = cluster.flask("agency", "add", "Riverside Primary (fictional)", "--type", "school")
    password = "a-long-cluster-password\n"
    cluster.flask("user", "add", "lead@north.example", "--agency", north, "--role", "practitioner", stdin=password)
    cluster.flask("user", "add", "duty@south.example", "--agency", south, "--role", "practitioner", stdin=password)
    token = cluster.flask("token", "issue", "--user", "lead@north.example").splitlines()[-1]
    key = cluster.flask("apikey", "issue", "--agency", school, "--scope", "read:assessment").splitlines()[-1]
    made = []
    for i in range(families):
        status, family = call(cluster.url, "POST", "/api/v1/families", token, {"people": [
            {"role": "child", "given_name": "Robin", "family_name": f"Clusterfield{i}",
             "date_of_birth": f"2016-0{1 + i % 9}-1{i % 10}"},
            {"role": "parent_carer", "given_name": "Sam", "family_name": f"Clusterfield{i}",
             "date_of_birth": "1988-05-05"}]})
        assert status == 201, status
        child = next(p for p in family["people"] if p["role"] == "child")
        parent = next(p for p in family["people"] if p["role"] == "parent_carer")
        status, _ = call(cluster.url, "PUT", f"/api/v1/families/{family['id']}/assessment/sections/health", token,
                         {"content": "Asthma, uses an inhaler (fictional)."}, {"If-Match": '"0"'})
        assert status in (200, 201), status
        status, _ = call(cluster.url, "POST", f"/api/v1/families/{family['id']}/consents", token, {
            "given_by": parent["id"], "capacity": "parent_with_pr", "sections": ["health"],
            "recipients": {"agencies": [school]}, "purpose": "School support plan",
            "expires_on": "2027-06-30"})
        assert status == 201, status
        made.append((family["id"], child["id"]))
    return {"token": token, "key": key, "south": south, "families": made}


class Load:
    def __init__(self, cluster: Cluster, world: dict):
        self.cluster, self.world = cluster, world
        self.lock = threading.Lock()
        self.results: list[tuple[float, str, str]] = []  # (t, kind, outcome)
        self.referrals: set[str] = set()
        self.stop = threading.Event()
        self.start = time.monotonic()

    def note(self, kind: str, outcome: str) -> None:
        with self.lock:
            self.results.append((time.monotonic() - self.start, kind, outcome))

    def referrer(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            family_id, child_id = self.world["families"][(n + i) % len(self.world["families"])]
            idempotency = str(uuid.uuid4())
            body = {"family_id": family_id, "child_id": child_id, "pathway": "early_help",
                    "to_agency_id": self.world["south"], "reason": "Family asked for help (fictional)."}
            for _attempt in range(5):
                try:
                    status, referral = call(self.cluster.url, "POST", "/api/v1/referrals", self.world["token"], body,
                                            {"Idempotency-Key": idempotency})
                except OSError as exc:
                    self.note("referral", type(exc).__name__)
                    time.sleep(0.2)
                    continue
                self.note("referral", str(status))
                if status == 201 and referral:
                    with self.lock:
                        self.referrals.add(referral["id"])
                    break
                if status < 500:
                    break
                time.sleep(0.2)
            i += 1

    def reader(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            family_id, _ = self.world["families"][(n * 7 + i) % len(self.world["families"])]
            try:
                status, _ = call(self.cluster.url, "GET", f"/api/v1/families/{family_id}/assessment",
                                 self.world["key"])
                self.note("read", str(status))
            except OSError as exc:
                self.note("read", type(exc).__name__)
            i += 1


def processed(cluster: Cluster, referral_ids: set[str]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM outbox_message m JOIN processed_message p ON p.message_id = m.id "
                "WHERE m.topic = 'referral.created'")).scalar_one()
    finally:
        engine.dispose()


def mails_per_referral(cluster: Cluster, referral_ids: set[str]) -> dict[str, int]:
    from coordination.services.notifications import reference

    path = cluster.work / "mail.log"
    subjects = Counter(json.loads(line)["subject"] for line in path.read_text().splitlines()) if path.exists() \
        else Counter()
    return {r: subjects[f"New referral {reference(uuid.UUID(r))}"] for r in referral_ids}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--families", type=int, default=12)
    parser.add_argument("--server-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER)
    args = parser.parse_args(argv)
    cluster = Cluster(server_url=args.server_url)
    try:
        t0 = time.monotonic()
        cluster.start()
        world = set_up(cluster, args.families)
        print(f"cluster up in {time.monotonic() - t0:.1f} s: nginx {cluster.url} → gunicorn "
              f"{cluster.web_ports}, 2 rq workers, rq cron, relay; load average {os.getloadavg()[0]:.2f}")
        load = Load(cluster, world)
        threads = [threading.Thread(target=load.referrer if n % 2 == 0 else load.reader, args=(n,))
                   for n in range(args.clients)]
        for t in threads:
            t.start()
        faults: list[tuple[float, str]] = []
        for at, what in ((0.2, "kill web-1"), (0.4, "kill worker-1"), (0.6, "restart redis")):
            time.sleep(max(0.0, load.start + at * args.duration - time.monotonic()))
            faults.append((time.monotonic() - load.start, what))
            if what == "kill web-1":
                cluster.kill("web-1")
            elif what == "kill worker-1":
                cluster.kill("worker-1")
            else:
                cluster.restart_redis()
        time.sleep(max(0.0, load.start + args.duration - time.monotonic()))
        load.stop.set()
        for t in threads:
            t.join()
        load_after = os.getloadavg()[0]
        # Drain: the relay re-sends what Redis lost once its lease (10 s here) runs out; the surviving worker
        # works through the rest. Wait while it makes progress (a stall of 60 s ends the wait).
        drain_start, last, last_change = time.monotonic(), -1, time.monotonic()
        while (done := processed(cluster, load.referrals)) < len(load.referrals):
            if done != last:
                last, last_change = done, time.monotonic()
            elif time.monotonic() - last_change > 60:
                break
            time.sleep(1)
        drained_in = time.monotonic() - drain_start
        time.sleep(2)
        mails = mails_per_referral(cluster, load.referrals)
        killed_at = next(t for t, what in faults if what == "kill web-1")
        outcomes = Counter((kind, outcome) for _, kind, outcome in load.results)
        errors = [(t, kind, o) for t, kind, o in load.results if not o.isdigit() or int(o) >= 500]
        in_flight = [e for e in errors if killed_at <= e[0] <= killed_at + IN_FLIGHT_WINDOW]
        print("faults: " + "; ".join(f"{what} at {t:.1f} s" for t, what in faults))
        print(f"requests: {len(load.results)} in {args.duration:.0f} s with {args.clients} clients "
              f"(load average {load_after:.2f} at the end)")
        for (kind, outcome), n in sorted(outcomes.items()):
            print(f"  {kind:<8} {outcome:<24} {n}")
        print(f"errors: {len(errors)}; in flight on the killed instance: {len(in_flight)}; "
              f"beyond those: {len(errors) - len(in_flight)}")
        lost = sum(1 for n in mails.values() if n == 0)
        duplicated = sum(n - 1 for n in mails.values() if n > 1)
        print(f"jobs: {len(load.referrals)} referrals made, notifications handled "
              f"{processed(cluster, load.referrals)} (the outbox drained {drained_in:.0f} s after the run), "
              f"lost {lost}, duplicated {duplicated}")
        return 0 if lost == duplicated == 0 and len(errors) == len(in_flight) else 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
